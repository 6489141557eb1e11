// The search page: Pagefind's JS API finds the pages that match the words; the facet store
// (facetten.js) filters, counts and sorts them. The query, filters and sort order are kept in the
// page's address (?q=...&partij=PVV&sortering=nieuwste), so that a search can be bookmarked,
// shared, and restored with the back button.
import { FacetStore } from "./facetten.js";
import { bundleGroups, isPhrase, joinedMarks, mergedByScore, resultsByPage, withMarks } from "./treffers.js";

// The site's search index, relative to this script: the one place that knows where it lies.
const INDEX = new URL("../pagefind/", import.meta.url);
const DEBOUNCE_MS = 80;
const PAGE_SIZE = 10;
const SHOWN_VALUES = 20;  // per filter group, until "alle tonen"
const SORTS = ["relevantie", "nieuwste", "oudste"];
const LABELS = {
  type: "Soort", partij: "Partij", persoon: "Persoon", commissie: "Commissie", kamer: "Kamer",
  vergaderjaar: "Vergaderjaar", jaar: "Jaar", dossier: "Dossier",
};
const KINDS = {
  verslag: "Verslag", brief: "Brief", bron: "Bron", partij: "Partij", persoon: "Persoon",
  commissie: "Commissie", dossier: "Dossier",
};
const NEWEST_FIRST_VALUES = new Set(["vergaderjaar", "jaar"]);

const root = document.getElementById("zoeken");
const form = document.getElementById("zoekformulier");
const input = document.getElementById("zoekterm");
const sortSelect = document.getElementById("sortering");
const message = document.getElementById("zoekmelding");
const list = document.getElementById("resultaten");
const more = document.getElementById("meer-resultaten");
const panel = document.getElementById("filters");
const panelButton = document.getElementById("filters-knop");
const buildId = root.dataset.buildId || "";

let state = stateFromAddress();
let typingTimer = null;
let historyTimer = null;
let searchNumber = 0;
let current = null;  // {results by page, pages in order, shown}
let found = null;  // the last words searched, Pagefind's results for them by page, the pages
const openGroups = new Set(["type", ...Object.keys(state.filters)]);
const expandedGroups = new Set();

// Result addresses are indexed from the site's root ("/verslagen/..."): under the path the site is
// published at ("/archief/"), Pagefind puts that path before them.
const SITE_ROOT = new URL("../", import.meta.url).pathname;
const PAGEFIND_OPTIONS = { metaCacheTag: buildId, highlightParam: "markeer", excerptLength: 30, baseUrl: SITE_ROOT };

// Pagefind runs in workers of our own (zoekwerker.js), each over some of the index's bundles, side
// by side: Pagefind searches the bundles it merges one after another, and at 10,000 verslagen
// (eight bundles) that search is most of the time to results. The workers return only the
// results' page ids and scores; `pagefind` offers the part of Pagefind's API this page uses, the
// workers' results merged as Pagefind's mergeIndex merges bundles, a result's data fetched on demand.
const MAX_WORKERS = 4;
class SearchWorker {
  constructor() {
    this.worker = new Worker(new URL("zoekwerker.js", import.meta.url), { type: "module" });
    this.waiting = new Map();
    this.messages = 0;
    this.worker.addEventListener("message", (event) => {
      if (event.data.type === "wasm") {  // the first worker's Pagefind WebAssembly, for the others
        for (const other of workers) { if (other !== this) { other.worker.postMessage(event.data); } }
        return;
      }
      const { id, result, error } = event.data;
      const promise = this.waiting.get(id);
      this.waiting.delete(id);
      if (error) { promise.reject(new Error(error)); } else { promise.resolve(result); }
    });
    this.worker.addEventListener("error", (event) => {
      for (const promise of this.waiting.values()) { promise.reject(new Error(event.message || "search worker failed")); }
      this.waiting.clear();
    });
  }

  ask(message) {
    return new Promise((resolve, reject) => {
      const id = ++this.messages;
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    });
  }
}
let workers = [];
let workerSearches = 0;
const pagefind = {
  preload: (words) => Promise.all(workers.map((worker) => worker.ask({ type: "preload", words }))).catch(() => {}),
  async search(words) {
    const search = ++workerSearches;
    const lists = await Promise.all(workers.map((worker) => worker.ask({ type: "search", words, search })));
    // A result's data is asked for once: the check for matched beginnings and the list shown
    // may both want it.
    return { results: mergedByScore(lists).map(([from, place]) => {
      let data = null;
      return { id: lists[from].ids[place], data: () => (data ??= workers[from].ask({ type: "data", search, place })) };
    }) };
  },
};
// The index may be in bundles (deel-2/, ...), searched together with the first. The store reads
// the page ids from the metadata once Pagefind has loaded it (the workers say when).
const storeReady = FacetStore.load(INDEX, buildId).then(async (store) => {
  const groups = bundleGroups(store.bundles, Math.min(MAX_WORKERS, navigator.hardwareConcurrency || 2));
  workers = groups.map(() => new SearchWorker());
  const share = (w) => (groups.length < 2 ? null : w === 0 ? "send" : "receive");
  await Promise.all(groups.map((bundles, w) => workers[w].ask({ type: "start", index: INDEX.href,
    options: PAGEFIND_OPTIONS, bundles: bundles.map((bundle) => bundle.pad), share: share(w) })));
  await store.readPageIds();
  return store;
});

function stateFromAddress() {
  const params = new URLSearchParams(window.location.search);
  const filters = {};
  for (const name of Object.keys(LABELS)) {
    const values = params.getAll(name);
    if (values.length) { filters[name] = values; }
  }
  const sort = params.get("sortering");
  return { q: params.get("q") || "", sort: SORTS.includes(sort) ? sort : "relevantie", filters };
}

function address(s) {
  const params = new URLSearchParams();
  if (s.q) { params.set("q", s.q); }
  for (const name of Object.keys(LABELS)) {
    for (const value of s.filters[name] || []) { params.append(name, value); }
  }
  if (s.sort !== "relevantie") { params.set("sortering", s.sort); }
  const query = params.toString();
  return window.location.pathname + (query ? `?${query}` : "");
}

function record(push) {
  const target = address(state);
  if (target === window.location.pathname + window.location.search) { return; }
  if (push) { window.history.pushState(null, "", target); } else { window.history.replaceState(null, "", target); }
}

function hasFilters(s) { return Object.values(s.filters).some((values) => values.length); }

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) { node.setAttribute(name, value); }
  node.append(...children);
  return node;
}

// Pagefind's excerpts are text with the found words in <mark>: only that is kept, whatever else
// the string holds (it is parsed in an inert document, never inserted as HTML). A phrase is
// marked as one.
function excerpt(html, phrase) {
  const parsed = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html").body;
  let parts = Array.from(parsed.firstChild ? parsed.firstChild.childNodes : [],
    (node) => [node.textContent, node.nodeType === Node.ELEMENT_NODE && node.tagName === "MARK"]);
  if (phrase) { parts = joinedMarks(parts); }
  const out = element("p", { class: "uittreksel" });
  for (const [text, marked] of parts) { out.append(marked ? element("mark", {}, text) : text); }
  return out;
}

function resultItem(data, query) {
  const meta = data.meta || {};
  const phrase = isPhrase(query);
  const item = element("li", { class: "resultaat" });
  item.append(element("h3", {}, element("a", { href: withMarks(data.url, query) }, meta.titel || meta.title || data.url)));
  const facts = element("p", { class: "resultaat-gegevens" });
  for (const [key, value] of [["soort", meta.soort], ["datum", meta.datum], ["verslag", meta.verslag]]) {
    if (value) { facts.append(element("span", { "data-gegeven": key }, value)); }
  }
  item.append(facts);
  if (data.excerpt) { item.append(excerpt(data.excerpt, phrase)); }
  const subs = (data.sub_results || []).filter((sub) => sub.url !== data.url && sub.anchor).slice(0, 3);
  if (subs.length) {
    item.append(element("ul", { class: "deelresultaten" }, ...subs.map((sub) =>
      element("li", {}, element("a", { href: withMarks(sub.url, query) }, sub.title), excerpt(sub.excerpt, phrase)))));
  }
  return item;
}

function countText(count) {
  if (count === 0) { return "Geen resultaten"; }
  return `${count.toLocaleString("nl-NL")} ${count === 1 ? "resultaat" : "resultaten"}`;
}

// Where the keyboard focus is in the filter panel, so that drawing it anew keeps it there.
function focusInPanel() {
  const active = document.activeElement;
  if (!active || !panel.contains(active)) { return null; }
  const facet = active.closest("[data-facet]")?.dataset.facet;
  if (active.id) { return `#${CSS.escape(active.id)}`; }
  if (active.matches("summary")) { return `[data-facet='${facet}'] summary`; }
  if (active.matches(".alle-waarden")) { return `[data-facet='${facet}'] input`; }
  return null;
}

function renderGroups(store, counts) {
  const focused = focusInPanel();
  panel.replaceChildren(element("h2", { id: "filters-kop" }, "Filters"));
  for (const name of store.names) {
    const group = element("details", { class: "filtergroep", "data-facet": name });
    group.open = openGroups.has(name);
    const chosen = new Set(state.filters[name] || []);
    const summary = element("summary", {}, LABELS[name] || name);
    if (chosen.size) { summary.append(element("span", { class: "gekozen" }, ` (${chosen.size} gekozen)`)); }
    group.append(summary);
    group.addEventListener("toggle", () => {
      if (group.open === openGroups.has(name)) { return; }
      if (group.open) { openGroups.add(name); } else { openGroups.delete(name); }
      if (group.open && !store.isLoaded(name)) { run(); }
    });
    const facet = store.facets[name];
    if (facet && counts[name]) {
      const tally = counts[name];
      let shown = facet.values.map((value, index) => index).filter((index) => tally[index] || chosen.has(facet.values[index]));
      if (NEWEST_FIRST_VALUES.has(name)) { shown.reverse(); } else if (shown.length > SHOWN_VALUES) {
        shown.sort((a, b) => tally[b] - tally[a] || a - b);
      }
      const total = shown.length;
      if (!expandedGroups.has(name) && total > SHOWN_VALUES) {
        shown = shown.filter((index, position) => position < SHOWN_VALUES || chosen.has(facet.values[index]));
      }
      const fieldset = element("fieldset", {}, element("legend", { class: "visually-hidden" }, LABELS[name] || name));
      const values = element("ul", { class: "filterwaarden" });
      for (const index of shown) {
        const value = facet.values[index];
        const id = `filter-${name}-${index}`;
        const box = element("input", { type: "checkbox", id, name, value });
        box.checked = chosen.has(value);
        const label = element("label", { for: id }, name === "type" ? (KINDS[value] || value) : value, " ",
          element("span", { class: "aantal" }, `(${tally[index]})`));
        values.append(element("li", {}, box, label));
      }
      fieldset.append(values);
      group.append(fieldset);
      if (!expandedGroups.has(name) && total > SHOWN_VALUES) {
        const all = element("button", { type: "button", class: "alle-waarden" }, `Alle ${total} tonen`);
        all.addEventListener("click", () => { expandedGroups.add(name); renderGroups(store, counts); });
        group.append(all);
      }
    } else if (group.open) {
      group.append(element("p", { class: "laden" }, "Laden…"));
    }
    panel.append(group);
  }
  if (focused) { panel.querySelector(focused)?.focus(); }
  const active = Object.values(state.filters).reduce((sum, values) => sum + values.length, 0);
  panelButton.textContent = active ? `Filters (${active} gekozen)` : "Filters";
}

async function showResults(number, order, results, from) {
  const shown = order.slice(from, from + PAGE_SIZE);
  const data = await Promise.all(Array.from(shown, (page) => results.get(page).data()));
  if (number !== searchNumber) { return; }
  list.append(...data.map((item) => resultItem(item, found.words)));
  current.shown = from + shown.length;
  more.hidden = current.shown >= order.length;
}

// Search for the state; when the index cannot be loaded, say so instead of showing nothing.
function run() {
  return search().catch((error) => {
    root.removeAttribute("aria-busy");
    message.textContent = "Zoeken lukt nu niet: de zoekindex kon niet worden geladen. Probeer het later opnieuw.";
    console.error(error);
  });
}

// Search for the state: words through Pagefind, filters, counts and order from the store.
async function search() {
  const number = ++searchNumber;
  const s = state;
  if (!s.q.trim() && !hasFilters(s)) {
    root.removeAttribute("aria-busy");
    list.replaceChildren();
    more.hidden = true;
    message.textContent = "";
    const store = await storeReady;
    if (number === searchNumber) { renderGroups(store, {}); }
    return;
  }
  root.setAttribute("aria-busy", "true");
  // Marks for bench/bench_search.py: where the time to results goes.
  performance.mark("zoeken-start");
  const store = await storeReady;
  const needed = store.names.filter((name) => openGroups.has(name) || (s.filters[name] || []).length);
  const sort = s.sort === "relevantie" && !s.q.trim() ? "nieuwste" : s.sort;
  await Promise.all([...needed.map((name) => store.ensure(name)), sort === "relevantie" || store.ensureDates()]);
  if (number !== searchNumber) { return; }  // a newer search (typing, the back button) took over
  // Without words, filters browse everything: Pagefind's filter-only search returns every page.
  performance.mark("zoeken-geladen");
  // A new filter or order needs no new search: the results of the same words are kept.
  const words = s.q.trim() ? s.q : null;
  if (!found || found.words !== words) {
    const response = await pagefind.search(words);
    if (number !== searchNumber) { return; }
    // Ordered by relevance and unfiltered, the first results are the ones shown (unless a bundle
    // turns out to have matched a beginning of a word): their data loads while that is checked.
    if (sort === "relevantie" && !hasFilters(s)) {
      let ahead = 0;
      for (const result of response.results) {
        if (ahead === PAGE_SIZE) { break; }
        if (store.pageOf.get(result.id) >= 0) { result.data().catch(() => {}); ahead++; }
      }
    }
    const results = await resultsByPage(response.results, store, words);
    if (number !== searchNumber) { return; }
    found = { words, results, pages: Int32Array.from(results.keys()) };
  }
  performance.mark("zoeken-pagefind");
  const { results } = found;
  const { pages, counts } = store.compute(found.pages, s.filters);
  const order = sort === "relevantie" ? pages : store.sortByDate(pages, sort === "nieuwste");
  current = { results, order, shown: 0 };
  performance.mark("zoeken-facetten");
  renderGroups(store, counts);
  list.replaceChildren();
  message.textContent = s.q.trim() ? `${countText(order.length)} voor “${s.q.trim()}”` : countText(order.length);
  await showResults(number, order, results, 0);
  if (number !== searchNumber) { return; }
  performance.mark("zoeken-getoond");
  root.removeAttribute("aria-busy");
}

function apply(s) {
  state = s;
  input.value = s.q;
  sortSelect.value = s.sort;
  for (const name of Object.keys(s.filters)) { openGroups.add(name); }
  run();
}

input.addEventListener("input", () => {
  state = { ...state, q: input.value };
  window.clearTimeout(typingTimer);
  window.clearTimeout(historyTimer);
  record(false);
  // A pause of a second makes the search a step that the back button returns to.
  historyTimer = window.setTimeout(() => record(true), 1000);
  if (input.value.trim()) { pagefind.preload(input.value); }
  typingTimer = window.setTimeout(() => run(), DEBOUNCE_MS);
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  window.clearTimeout(typingTimer);
  state = { ...state, q: input.value };
  record(true);
  run();
});
sortSelect.addEventListener("change", () => {
  state = { ...state, sort: sortSelect.value };
  record(true);
  run();
});
panel.addEventListener("change", (event) => {
  const box = event.target;
  if (!box.matches("input[type=checkbox]")) { return; }
  const values = new Set(state.filters[box.name] || []);
  if (box.checked) { values.add(box.value); } else { values.delete(box.value); }
  const filters = { ...state.filters };
  if (values.size) { filters[box.name] = [...values]; } else { delete filters[box.name]; }
  state = { ...state, filters };
  record(true);
  run();
});
more.addEventListener("click", () => {
  if (!current) { return; }
  const first = current.shown;
  showResults(searchNumber, current.order, current.results, first).then(() => {
    list.children[first]?.querySelector("a")?.focus();
  });
});
panelButton.addEventListener("click", () => {
  const open = panelButton.getAttribute("aria-expanded") !== "true";
  panelButton.setAttribute("aria-expanded", String(open));
  panel.classList.toggle("open", open);
  if (open) { panel.querySelector("summary")?.focus(); }
});
window.addEventListener("popstate", () => apply(stateFromAddress()));
// Back to this page from another (the browser may keep it as it was left): show its address.
window.addEventListener("pageshow", (event) => { if (event.persisted) { apply(stateFromAddress()); } });

root.hidden = false;
form.hidden = false;
apply(state);
