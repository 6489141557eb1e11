// On a page opened from a search result (?markeer=...), mark the searched words and bring the
// first into view. Pages work the same without it.
if (new URLSearchParams(window.location.search).has("markeer")) {
  await import(new URL("../pagefind/pagefind-highlight.js", import.meta.url).href);
  new PagefindHighlight({ highlightParam: "markeer" });
  for (let tries = 0; tries < 50; tries++) {
    const first = document.querySelector("mark.pagefind-highlight");
    if (first) {
      first.scrollIntoView({ block: "center" });
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
