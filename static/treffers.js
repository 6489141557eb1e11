// Pagefind's results for the words, as the facet store's page numbers, made exact where searching
// the index's bundles together (mergeIndex) is not:
// - a page id is unique within a bundle only: an id that pages of two bundles share is told apart
//   by the URL of the result's fragment (the store lists these few ids with their pages' URLs);
// - a bundle that has no word beginning with a searched word matches the longest beginning of it
//   that it has instead ("16" for 168946U), and ranks those pages as if they matched. One index
//   does that only when no page has the word; so when another bundle has it, such a bundle's
//   results are left out.

const PUNCTUATION = /[\p{Pd}\p{Pe}\p{Pf}\p{Pi}\p{Po}\p{Ps}]/gu;
const utf8 = new TextEncoder();

// A word as Pagefind indexes and searches it: lower case, without punctuation or diacritics.
export function normalized(word) {
  return word.toLocaleLowerCase().replace(PUNCTUATION, "").normalize("NFD").replace(/\p{M}/gu, "");
}

function byteLength(word) { return utf8.encode(word).length; }

// How many letters a matched word differs in length from the searched word, plus one, as
// Pagefind's length bonus says it (bonus = e^(e^(-d²/8) - 1), its default term_similarity of 1;
// a location's balanced_score is (24 × weight)² × bonus); null when it says nothing clear.
export function lengthDifferential(location) {
  const bonus = location.balanced_score / (24 * location.weight) ** 2;
  const base = Math.log(bonus) + 1;
  if (!(base > 0 && base <= 1)) { return null; }
  const differential = Math.sqrt(-8 * Math.log(base));
  const rounded = Math.round(differential);
  return rounded >= 1 && Math.abs(differential - rounded) < 0.05 ? rounded : null;
}

// Whether a result's fragment shows that Pagefind matched a shorter beginning of one of the
// searched words (`words`, normalized) instead of the word: a matched word that the searched
// word begins with, shorter than it, and as much shorter as the length bonus says.
export function matchedABeginning(fragment, words) {
  const text = fragment.content.split(/\s+/);
  for (const location of fragment.weighted_locations || []) {
    const differential = lengthDifferential(location);
    if (differential === null || differential === 1) { continue; }
    const matched = normalized(text[location.location] || "");
    if (!matched) { continue; }
    const length = byteLength(matched);
    for (const word of words) {
      if (word.startsWith(matched) && length + differential - 1 <= byteLength(word)) { return true; }
    }
  }
  return false;
}

// Whether a query is a phrase in double quotes, which Pagefind matches word for word.
export function isPhrase(query) { return /^\s*".+"\s*$/.test(query || ""); }

// The searched words as Pagefind searches them; none for a phrase (matched word for word, never
// by a beginning) or for no words.
export function searchedWords(query) {
  if (!query || isPhrase(query)) { return []; }
  return query.split(/\s+/).map(normalized).filter(Boolean);
}

// The index's bundles ({pad, paginas}, in order) in at most `count` groups of bundles that follow
// each other, about equal in pages, one for each search worker: a bundle goes to the group its
// middle page falls in when the pages are cut in `count` equal parts.
export function bundleGroups(bundles, count) {
  const total = bundles.reduce((sum, bundle) => sum + bundle.paginas, 0);
  const groups = Array.from({ length: Math.max(1, count) }, () => []);
  let before = 0;
  for (const bundle of bundles) {
    const middle = before + bundle.paginas / 2;
    groups[Math.min(groups.length - 1, Math.floor((middle * groups.length) / Math.max(total, 1)))].push(bundle);
    before += bundle.paginas;
  }
  return groups.filter((group) => group.length);
}

// The results of the workers' searches ([{ids, scores}, ...], each in Pagefind's order, the
// workers' bundles in the index's order) as [worker, place] pairs, in the order Pagefind's
// mergeIndex gives the results of all bundles: a stable sort by score, highest first, of the
// bundles' results one after another. Each worker's list is that order for its bundles, so a
// merge that takes the highest score next, and of equal scores the earlier worker's, is too.
export function mergedByScore(lists) {
  const total = lists.reduce((sum, list) => sum + list.ids.length, 0);
  const next = lists.map(() => 0);
  const merged = new Array(total);
  for (let n = 0; n < total; n++) {
    let best = -1;
    for (let w = 0; w < lists.length; w++) {
      if (next[w] < lists[w].ids.length
          && (best < 0 || lists[w].scores[next[w]] > lists[best].scores[next[best]])) { best = w; }
    }
    merged[n] = [best, next[best]++];
  }
  return merged;
}

// {page number: result} in Pagefind's order, for the results of a merged search.
export async function resultsByPage(results, store, query) {
  const byPage = new Map();
  const shared = [];
  for (const result of results) {
    const page = store.pageOf.get(result.id);
    if (page === undefined) { continue; }
    if (page === -1) { shared.push(result); continue; }
    if (!byPage.has(page)) { byPage.set(page, result); }
  }
  // The few results whose id pages of several bundles share: their fragment says which page.
  const resolved = await Promise.all(shared.map(async (result) => {
    const url = (await result.data()).raw_url;
    // An out-of-date page and its overlay copy share a URL: the copy is the page.
    const found = store.shared[result.id].find(([page, pageUrl]) => pageUrl === url && !store.stale.has(page));
    return found ? [found[0], result] : null;
  }));
  const order = new Map(results.map((result, index) => [result, index]));
  const all = [...byPage, ...resolved.filter(Boolean)];
  if (shared.length) { all.sort((a, b) => order.get(a[1]) - order.get(b[1])); }
  return withoutBeginnings(new Map(all), store, searchedWords(query));
}

// The results without those of bundles that matched a beginning of a searched word, when another
// bundle matched the words themselves. All results of a bundle match the same way: its first tells.
async function withoutBeginnings(byPage, store, words) {
  if (!words.length || store.bundleStarts.length < 2) { return byPage; }
  const first = new Map();
  for (const [page, result] of byPage) {
    const bundle = store.bundleOf(page);
    if (!first.has(bundle)) { first.set(bundle, result); }
  }
  if (first.size < 2) { return byPage; }
  const bundles = [...first.keys()];
  const fragments = await Promise.all(bundles.map((bundle) => first.get(bundle).data()));
  const dropped = new Set(bundles.filter((bundle, i) => matchedABeginning(fragments[i], words)));
  if (!dropped.size || dropped.size === bundles.length) { return byPage; }
  return new Map([...byPage].filter(([page]) => !dropped.has(store.bundleOf(page))));
}

// What a result's page marks (?markeer=, one parameter per term, each marked as a whole): the
// words as they were typed, hyphens kept (Pagefind's own terms lose them, and
// "directoraatgeneraal" is not in the text), or a phrase in quotes as one term.
export function markTerms(query) {
  const phrase = /^\s*"(.+)"\s*$/.exec(query || "");
  if (phrase) { return [phrase[1].trim().replace(/\s+/g, " ")]; }
  return (query || "").split(/\s+/).map((word) => word.replace(/^["'(]+|[)"',.;:!?]+$/g, "")).filter(Boolean);
}

// A result's address with the terms to mark (none for filters alone).
export function withMarks(url, query, param = "markeer") {
  const address = new URL(url, "https://example.org");
  address.searchParams.delete(param);
  for (const term of markTerms(query)) { address.searchParams.append(param, term); }
  return /^https?:\/\//.test(url) ? address.href : address.pathname + address.search + address.hash;
}

// In an excerpt of a phrase search, the phrase's words that Pagefind marked one by one, as one
// mark: [text, marked] parts, with marks only whitespace apart joined.
export function joinedMarks(parts) {
  const joined = [];
  for (const part of parts) {
    const last = joined[joined.length - 1];
    const before = joined[joined.length - 2];
    if (part[1] && last && !last[1] && /^\s+$/.test(last[0]) && before && before[1]) {
      joined.pop();
      before[0] += last[0] + part[0];
    } else if (part[1] && last && last[1]) {
      last[0] += part[0];
    } else {
      joined.push([...part]);
    }
  }
  return joined;
}
