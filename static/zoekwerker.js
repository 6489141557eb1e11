// One of the search page's own web workers: it runs Pagefind (without Pagefind's worker: in a
// worker Pagefind searches where it is loaded) over some of the index's bundles, and hands the page
// only the page ids and scores of their results, in Pagefind's order, instead of Pagefind's result
// objects (27,000 of them, with their word positions, for a common word at 10,000 verslagen:
// copying those between threads took about 0.4 s). The page runs a few of these side by side,
// each over its own bundles (Pagefind searches the bundles it merges one after another), and
// merges their results; it asks for the few results it shows (`data`) by their place in a recent
// search's results.

let pagefind = null;
let ready = null;
const kept = new Map();  // the results of the last few searches, by the number the page gave

// Pagefind loads its WebAssembly from its first bundle's folder. Every bundle's folder holds the
// same file, so a worker whose first bundle is not the index folder itself loads the index
// folder's: one download, shared through the browser's cache, not one per worker.
function wasmFromIndex(index, folder) {
  const fetchFile = self.fetch.bind(self);
  const own = new URL(folder, index).pathname;
  self.fetch = (input, init) => {
    const url = new URL(typeof input === "string" ? input : input.url, index);
    if (url.pathname.startsWith(own) && /^wasm\.[^/]+\.pagefind$/.test(url.pathname.slice(own.length))) {
      return fetchFile(new URL(url.pathname.slice(own.length), index).href, init);
    }
    return fetchFile(input, init);
  };
}

// `bundles`: the folders of this worker's bundles, relative to the index folder ("" for the
// index folder itself, "deel-2/", ...); the first is Pagefind's primary index, the others merged.
async function start({ index, options, bundles }) {
  const [first, ...others] = bundles;
  pagefind = await import(new URL("pagefind.js", index).href);
  if (first) {
    wasmFromIndex(index, first);
    await pagefind.options({ ...options, basePath: new URL(first, index).pathname });
  } else {
    await pagefind.options(options);
  }
  await Promise.all(others.map((path) => pagefind.mergeIndex(new URL(path, index).pathname, options)));
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
    return { ids: response.results.map((result) => result.id),
             scores: Float64Array.from(response.results, (result) => result.score) };
  }
  if (message.type === "data") {
    return kept.get(message.search)[message.place].data();
  }
  throw new Error(`unknown message ${message.type}`);
}

self.addEventListener("message", async (event) => {
  const { id } = event.data;
  try {
    const result = await handle(event.data);
    self.postMessage({ id, result }, result && result.scores ? [result.scores.buffer] : []);
  } catch (error) {
    self.postMessage({ id, error: String(error && error.message || error) });
  }
});
