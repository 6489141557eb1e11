// The search page: Pagefind's Default UI in Dutch, with the query, filters and sort order kept in
// the page's address (?q=...&partij=PVV&sortering=nieuwste) so that a search can be bookmarked,
// shared, and restored with the back button.
(function () {
  "use strict";
  var SORTS = { relevantie: null, nieuwste: { datum: "desc" }, oudste: { datum: "asc" } };
  var FILTERS = ["type", "partij", "persoon", "commissie", "kamer", "vergaderjaar", "jaar", "dossier"];
  // The site's root ("/" or the path it is published under, "/archief/"), from this script's own
  // address, which the build gives the site's base path: static/zoeken.js is one folder down.
  var siteRoot = new URL("../", document.currentScript.src).pathname;
  var root = document.getElementById("zoeken");
  var sortSelect = document.getElementById("sortering");
  var ui = null;
  var typingTimer = null;

  function stateFromAddress() {
    var params = new URLSearchParams(window.location.search);
    var filters = {};
    FILTERS.forEach(function (name) {
      var values = params.getAll(name);
      if (values.length) { filters[name] = values; }
    });
    var sort = params.get("sortering");
    return { q: params.get("q") || "", sort: SORTS.hasOwnProperty(sort) ? sort : "relevantie", filters: filters };
  }

  function stateFromPage() {
    var filters = {};
    root.querySelectorAll("input.pagefind-ui__filter-checkbox:checked").forEach(function (box) {
      (filters[box.name] = filters[box.name] || []).push(box.value);
    });
    var input = root.querySelector("input.pagefind-ui__search-input");
    return { q: input ? input.value : "", sort: sortSelect.value, filters: filters };
  }

  function address(state) {
    var params = new URLSearchParams();
    if (state.q) { params.set("q", state.q); }
    FILTERS.forEach(function (name) {
      (state.filters[name] || []).forEach(function (value) { params.append(name, value); });
    });
    if (state.sort !== "relevantie") { params.set("sortering", state.sort); }
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "");
  }

  function record(push) {
    var target = address(stateFromPage());
    if (target === window.location.pathname + window.location.search) { return; }
    if (push) { window.history.pushState(null, "", target); } else { window.history.replaceState(null, "", target); }
  }

  function withoutEmptyMark(url) {
    return url.replace(/([?&])markeer=(?=&|#|$)&?/, "$1").replace(/[?&](?=#|$)/, "");
  }

  function describe(result) {
    // Show what a journalist needs to judge a result: kind, date and the verslag it belongs to.
    result.url = withoutEmptyMark(result.url);
    (result.sub_results || []).forEach(function (sub) { sub.url = withoutEmptyMark(sub.url); });
    var meta = result.meta || {};
    var shown = {};
    if (meta.titel || meta.title) { shown.title = meta.titel || meta.title; }
    if (meta.soort) { shown.Soort = meta.soort; }
    if (meta.datum) { shown.Datum = meta.datum; }
    if (meta.verslag) { shown.Verslag = meta.verslag; }
    result.meta = shown;
    return result;
  }

  function start(state) {
    var options = {
      element: "#zoeken",
      // Pagefind's bundle, and the site root its result URLs (indexed as "/verslagen/...") are under.
      bundlePath: siteRoot + "pagefind/",
      baseUrl: siteRoot,
      showSubResults: true,
      showImages: false,
      resetStyles: false,
      showEmptyFilters: false,
      pageSize: 10,
      highlightParam: "markeer",
      // The kind of document, and every filter the address sets: a reader sees what narrows
      // the results.
      openFilters: ["type"].concat(Object.keys(state.filters).filter(function (name) { return name !== "type"; })),
      processResult: describe,
      // The Default UI searches only for a non-empty term; a blank one stands for "no words",
      // which Pagefind answers with everything the filters let through.
      processTerm: function (term) { return term.trim() ? term : null; },
      translations: {
        placeholder: "Zoek op naam, kenmerk of zinsdeel",
        search_label: "Doorzoek het archief",
        filters_label: "Filters"
      }
    };
    if (SORTS[state.sort]) { options.sort = SORTS[state.sort]; }
    if (root.dataset.buildId) { options.metaCacheTag = root.dataset.buildId; }
    ui = new PagefindUI(options);
    sortSelect.value = state.sort;
    apply(state, false);
  }

  function apply(state, restoring) {
    var input = root.querySelector("input.pagefind-ui__search-input");
    if (input) { input.value = state.q; }
    // At start only filters named in the address are set: setting none before Pagefind has
    // loaded its filters can keep the filter panel from appearing.
    if (restoring || Object.keys(state.filters).length) { ui.triggerFilters(state.filters); }
    ui.triggerSearch(state.q || (Object.keys(state.filters).length ? " " : ""));
  }

  root.addEventListener("input", function (event) {
    if (!event.target.matches("input.pagefind-ui__search-input")) { return; }
    // Each keystroke updates the address; a pause of a second makes it a step back can return to.
    window.clearTimeout(typingTimer);
    record(false);
    typingTimer = window.setTimeout(function () { record(true); }, 1000);
  });
  root.addEventListener("change", function (event) {
    if (!event.target.matches("input.pagefind-ui__filter-checkbox")) { return; }
    record(true);
    var input = root.querySelector("input.pagefind-ui__search-input");
    if (input && !input.value.trim()) { ui.triggerSearch(" "); }  // browse by filter alone
  });
  // Pagefind's UI takes its sort order when it starts: a new order loads the page anew.
  sortSelect.addEventListener("change", function () {
    window.location.assign(address(stateFromPage()));
  });
  function restore() {
    var state = stateFromAddress();
    if (state.sort !== started.sort) { window.location.reload(); return; }
    sortSelect.value = state.sort;
    apply(state, true);
  }
  window.addEventListener("popstate", restore);
  // Back to this page from another (the browser may keep it as it was left): show its address.
  window.addEventListener("pageshow", function (event) { if (event.persisted) { restore(); } });
  var started = stateFromAddress();
  start(started);
})();
