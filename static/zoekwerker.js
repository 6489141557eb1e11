// The search page's own web worker: it runs Pagefind (without Pagefind's worker: in a worker
// Pagefind searches where it is loaded) and hands the page only the page ids of the results, in
// order, instead of Pagefind's result objects (27,000 of them, with their word positions, for a
// common word at 10,000 verslagen: copying those between threads took about 0.4 s). The page asks
// for the few results it shows (`data`) by their place in a recent search's results.

let pagefind = null;
let ready = null;
const kept = new Map();  // the results of the last few searches, by the number the page gave

async function start({ index, options, bundles }) {
  pagefind = await import(new URL("pagefind.js", index).href);
  await pagefind.options(options);
  await Promise.all(bundles.map((path) => pagefind.mergeIndex(new URL(path, index).pathname, options)));
  await pagefind.filters();  // every bundle's metadata loaded: the page may read it from the cache
}

async function handle(message) {
  if (message.type === "start") {
    ready = start(message);
    await ready;
    return null;
  }
  if (!ready) { throw new Error("the index is not loaded yet"); }
  await ready;
  if (message.type === "preload") {
    await pagefind.preload(message.words);
    return null;
  }
  if (message.type === "search") {
    const response = await pagefind.search(message.words);
    kept.set(message.search, response.results);
    for (const number of kept.keys()) { if (kept.size > 3) { kept.delete(number); } }
    return response.results.map((result) => result.id);
  }
  if (message.type === "data") {
    return kept.get(message.search)[message.place].data();
  }
  throw new Error(`unknown message ${message.type}`);
}

self.addEventListener("message", async (event) => {
  const { id } = event.data;
  try {
    self.postMessage({ id, result: await handle(event.data) });
  } catch (error) {
    self.postMessage({ id, error: String(error && error.message || error) });
  }
});
