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

// Pagefind loads its WebAssembly (71 KB) from its first bundle's folder. The first worker loads
// it and hands the bytes to the page, which hands them to the other workers: one download for
// all, whatever the host says about caching (two workers starting at once would both load it).
let webAssemblyArrived = null;  // in the other workers: settled when the page passes the bytes on
const WASM = /\/wasm\.[^/]+\.pagefind$/;

function shareWebAssembly(share) {
  const fetchFile = self.fetch.bind(self);
  const arrived = new Promise((resolve, reject) => { webAssemblyArrived = { resolve, reject }; });
  self.fetch = async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input.url, self.location.href);
    if (!WASM.test(url.pathname)) { return fetchFile(input, init); }
    if (share === "receive") { return new Response(await arrived); }
    let bytes;
    try {
      const response = await fetchFile(input, init);
      if (!response.ok) { throw new Error(`${url.pathname}: ${response.status}`); }
      bytes = await response.arrayBuffer();
    } catch (error) {
      self.postMessage({ type: "wasm", error: String(error && error.message || error) });
      throw error;
    }
    self.postMessage({ type: "wasm", bytes: bytes.slice(0) });
    return new Response(bytes);
  };
}

// `bundles`: the folders of this worker's bundles, relative to the index folder ("" for the
// index folder itself, "deel-2/", ...); the first is Pagefind's primary index, the others merged.
// `share`: "send" for the first of several workers, "receive" for the others (see above).
async function start({ index, options, bundles, share }) {
  const [first, ...others] = bundles;
  if (share) { shareWebAssembly(share); }
  pagefind = await import(new URL("pagefind.js", index).href);
  await pagefind.options(first ? { ...options, basePath: new URL(first, index).pathname } : options);
  // The first bundle loaded, or its error thrown: Pagefind's mergeIndex waits for the first
  // bundle's WebAssembly without end when it could not be loaded.
  await pagefind.filters();
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
  if (event.data.type === "wasm") {  // from the page, not answered
    if (event.data.error) { webAssemblyArrived?.reject(new Error(event.data.error)); } else { webAssemblyArrived?.resolve(event.data.bytes); }
    return;
  }
  try {
    const result = await handle(event.data);
    self.postMessage({ id, result }, result && result.scores ? [result.scores.buffer] : []);
  } catch (error) {
    self.postMessage({ id, error: String(error && error.message || error) });
  }
});
