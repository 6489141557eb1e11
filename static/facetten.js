// The search's facet store (written by kamerarchief/facets.py next to Pagefind's index): per facet
// and value the pages that have it, over a dense page numbering, and each page's date. Pagefind
// finds the pages that match the words; this module filters them, counts the values and sorts,
// in time linear in the results (each page's values are kept page by page in typed arrays).

function undelta(list) {
  const numbers = new Int32Array(list.length);
  let value = 0;
  for (let i = 0; i < list.length; i++) {
    value += list[i];
    numbers[i] = value;
  }
  return numbers;
}

async function fetchJson(url) {
  const response = await fetch(url);
  if (!response.ok) { throw new Error(`${url}: ${response.status}`); }
  return response.json();
}

// One facet: its values, and for each page the numbers of its values (pages `starts[p]` to
// `starts[p + 1]` of `valuesOf`), made once from the store's per-value page lists.
class Facet {
  constructor(data, pageCount) {
    this.values = data.waarden;
    this.index = new Map(this.values.map((value, i) => [value, i]));
    const lists = data.paginas.map(undelta);
    const starts = new Uint32Array(pageCount + 1);
    for (const pages of lists) { for (const page of pages) { starts[page + 1]++; } }
    for (let page = 0; page < pageCount; page++) { starts[page + 1] += starts[page]; }
    const next = starts.slice(0, pageCount);
    const valuesOf = new Uint32Array(starts[pageCount]);
    lists.forEach((pages, value) => { for (const page of pages) { valuesOf[next[page]++] = value; } });
    this.starts = starts;
    this.valuesOf = valuesOf;
  }
}

// The year facet, from the dates (days since 1800-01-01, counted from 1; 0 for none): each dated
// page has one value, its year; the pages listed `undated` (of a kind that has a date, without
// one) have "zonder datum", the first value (shown last: years are shown newest first).
const UNDATED = "zonder datum";
function yearFacet(dates, undated) {
  const years = new Array(dates.length);
  const found = new Set();
  for (let page = 0; page < dates.length; page++) {
    if (dates[page]) {
      years[page] = new Date(Date.UTC(1800, 0, dates[page])).getUTCFullYear();
      found.add(years[page]);
    }
  }
  const withoutDate = new Set(undated);
  const values = [...found].sort((a, b) => a - b);
  const index = new Map(values.map((year, i) => [year, i + 1]));
  const facet = Object.create(Facet.prototype);
  facet.values = [UNDATED, ...values.map(String)];
  facet.index = new Map(facet.values.map((value, i) => [value, i]));
  facet.starts = new Uint32Array(dates.length + 1);
  const valuesOf = [];
  for (let page = 0; page < dates.length; page++) {
    if (dates[page]) { valuesOf.push(index.get(years[page])); } else if (withoutDate.has(page)) { valuesOf.push(0); }
    facet.starts[page + 1] = valuesOf.length;
  }
  facet.valuesOf = Uint32Array.from(valuesOf);
  return facet;
}

// The page ids in a Pagefind metadata file (gzip, "pagefind_dcd", then CBOR: [version, [[id,
// words], ...], ...]), in its order: only what is needed of the format is read.
async function pageIdsOf(url) {
  const response = await fetch(url);
  if (!response.ok) { throw new Error(`${url}: ${response.status}`); }
  const stream = response.body.pipeThrough(new DecompressionStream("gzip"));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  const text = new TextDecoder();
  let at = 12;  // after the signature
  function head() {
    const initial = bytes[at++];
    const info = initial & 31;
    let value = info;
    if (info >= 24) {
      const size = 1 << (info - 24);
      value = 0;
      for (let i = 0; i < size; i++) { value = value * 256 + bytes[at++]; }
    }
    return [initial >> 5, value];
  }
  function skip() {
    const [major, value] = head();
    if (major === 2 || major === 3) { at += value; } else if (major === 4) { for (let i = 0; i < value; i++) { skip(); } }
  }
  const [, fields] = head();
  if (fields < 2) { throw new Error(`${url}: not Pagefind metadata`); }
  skip();  // the version
  const [, count] = head();
  const ids = new Array(count);
  for (let page = 0; page < count; page++) {
    head();  // [id, words]
    const [, length] = head();
    ids[page] = text.decode(bytes.subarray(at, at + length));
    at += length;
    skip();
  }
  return ids;
}

export class FacetStore {
  constructor(core, folder, tag) {
    this.folder = folder;
    this.tag = tag;
    this.bundles = core.bundels;
    this.pageCount = core.bundels.reduce((sum, bundle) => sum + bundle.paginas, 0);
    this.pageOf = new Map();  // Pagefind's page id: page number, -1 for an id of several bundles
    this.shared = core.gedeelde_ids || {};  // such an id: [[page number, url], ...]
    this.bundleStarts = [];  // each bundle's first page number
    // Pages a bundle still indexes that the overlay bundle supersedes (an edit since the bundle
    // was made): their results are dropped.
    this.stale = new Set();
    let first = 0;
    for (const bundle of core.bundels) {
      this.bundleStarts.push(first);
      for (const page of undelta(bundle.vervallen || [])) { this.stale.add(first + page); }
      first += bundle.paginas;
    }
    this.datesFile = core.datums;
    this.dates = null;  // once loaded (ensureDates)
    this.names = Object.keys(core.facetten);
    this.facets = {};
    this.files = {};
    this.derived = {};
    this.loading = {};
    for (const [name, data] of Object.entries(core.facetten)) {
      if (data.bestand) {
        this.files[name] = data.bestand;
      } else if (data.afgeleid === "datums") {
        this.derived[name] = true;
      } else {
        this.facets[name] = new Facet(data, this.pageCount);
      }
    }
  }

  // The dates (to sort by, and the year facet), loaded the first time they are needed.
  ensureDates() {
    if (!this.loading.datums) {
      this.loading.datums = fetchJson(new URL(`${this.datesFile}?ts=${this.tag}`, this.folder)).then((data) => {
        this.dates = undelta(data.datums);
        this.undated = undelta(data.zonder_datum);
      });
    }
    return this.loading.datums;
  }

  static async load(folder, tag) {
    return new FacetStore(await fetchJson(new URL(`zoekfacetten.json?ts=${tag}`, folder)), folder, tag);
  }

  // Pagefind's page ids, which number the pages bundle after bundle in the order of each
  // bundle's metadata. Called once Pagefind has loaded the metadata: the browser's cache has it.
  async readPageIds() {
    let page = 0;
    for (const bundle of this.bundles) {
      for (const meta of bundle.metas) {
        for (const id of await pageIdsOf(new URL(bundle.pad + meta, this.folder))) {
          if (!this.stale.has(page)) { this.pageOf.set(id, id in this.shared ? -1 : page); }
          page++;
        }
      }
    }
    if (page !== this.pageCount) { throw new Error(`the facet store counts ${this.pageCount} pages, the index ${page}`); }
  }

  // The bundle (0, 1, ...) a page number belongs to.
  bundleOf(page) {
    let bundle = 0;
    while (bundle + 1 < this.bundleStarts.length && this.bundleStarts[bundle + 1] <= page) { bundle++; }
    return bundle;
  }

  isLoaded(name) { return name in this.facets; }

  // A facet other than soort is loaded the first time it is needed.
  ensure(name) {
    if (this.isLoaded(name)) { return Promise.resolve(); }
    if (this.derived[name]) {
      return this.ensureDates().then(() => { this.facets[name] ??= yearFacet(this.dates, this.undated); });
    }
    if (!(name in this.files)) { return Promise.resolve(); }
    if (!this.loading[name]) {
      this.loading[name] = fetchJson(new URL(`${this.files[name]}?ts=${this.tag}`, this.folder))
        .then((data) => { this.facets[name] = new Facet(data, this.pageCount); });
    }
    return this.loading[name];
  }

  allPages() {
    const pages = new Int32Array(this.pageCount - this.stale.size);
    let at = 0;
    for (let page = 0; page < this.pageCount; page++) { if (!this.stale.has(page)) { pages[at++] = page; } }
    return pages;
  }

  // The pages that pass every selection ({name: [values]}; within a facet any value, across
  // facets all), and per loaded facet the count of each value: the results it would leave
  // with the other facets' selections kept.
  compute(pages, selection) {
    const active = [];
    for (const [name, chosen] of Object.entries(selection)) {
      const facet = this.facets[name];
      if (!facet || !chosen.length) { continue; }
      const wanted = new Uint8Array(facet.values.length);
      for (const value of chosen) {
        const index = facet.index.get(value);
        if (index !== undefined) { wanted[index] = 1; }
      }
      active.push({ name, facet, wanted });
    }
    const failures = new Uint8Array(pages.length);
    const failedAt = new Int8Array(pages.length);
    const kept = new Int32Array(pages.length);
    let keptCount = 0;
    for (let r = 0; r < pages.length; r++) {
      const page = pages[r];
      for (let a = 0; a < active.length; a++) {
        const { facet, wanted } = active[a];
        let passes = false;
        for (let k = facet.starts[page]; k < facet.starts[page + 1]; k++) {
          if (wanted[facet.valuesOf[k]]) { passes = true; break; }
        }
        if (!passes) { failures[r]++; failedAt[r] = a; }
      }
      if (failures[r] === 0) { kept[keptCount++] = page; }
    }
    const counts = {};
    for (const [name, facet] of Object.entries(this.facets)) {
      const own = active.findIndex((item) => item.name === name);
      const tally = new Uint32Array(facet.values.length);
      for (let r = 0; r < pages.length; r++) {
        if (failures[r] > 1 || (failures[r] === 1 && failedAt[r] !== own)) { continue; }
        const page = pages[r];
        for (let k = facet.starts[page]; k < facet.starts[page + 1]; k++) { tally[facet.valuesOf[k]]++; }
      }
      counts[name] = tally;
    }
    return { pages: kept.subarray(0, keptCount), counts };
  }

  // The pages by date, newest or oldest first; pages without a date last, ties in the given order.
  // The dates must be loaded (ensureDates).
  sortByDate(pages, newestFirst) {
    const dates = this.dates;
    const order = Array.from(pages.keys());
    order.sort((a, b) => {
      const x = dates[pages[a]], y = dates[pages[b]];
      if (x === y) { return a - b; }
      if (!x || !y) { return x ? -1 : 1; }
      return newestFirst ? y - x : x - y;
    });
    return Int32Array.from(order, (i) => pages[i]);
  }
}
