// The search page: Pagefind's Default UI in Dutch, with the query kept in the address (?q=...)
// so that a search can be bookmarked, shared and restored.
(function () {
  "use strict";
  var params = new URLSearchParams(window.location.search);
  var ui = new PagefindUI({
    element: "#zoeken",
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    translations: { placeholder: "Zoek op naam, kenmerk of zinsdeel" }
  });
  var query = params.get("q");
  if (query) {
    ui.triggerSearch(query);
  }
  var input = document.querySelector("#zoeken input[type=text], #zoeken input");
  if (input) {
    input.addEventListener("input", function () {
      var url = new URL(window.location.href);
      if (input.value) {
        url.searchParams.set("q", input.value);
      } else {
        url.searchParams.delete("q");
      }
      window.history.replaceState(null, "", url);
    });
  }
})();
