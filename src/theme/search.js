// Search: `/` focuses the search box; on the search page, Pagefind's UI runs the query in `?q=`.
(function () {
  "use strict";
  function editing(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || editing(document.activeElement)) return;
    var box = document.querySelector("#search input[type=text], #search input[type=search]") ||
      document.getElementById("site-search-q");
    if (!box) return;
    e.preventDefault();
    box.focus();
    if (box.select) box.select();
  });

  function start() {
    var root = document.getElementById("search");
    if (!root || typeof window.PagefindUI !== "function") return;
    var q = new URLSearchParams(window.location.search).get("q") || "";
    var header = document.getElementById("site-search-q");
    if (header) header.value = q;
    var ui = new window.PagefindUI({
      element: "#search",
      bundlePath: root.getAttribute("data-bundle"),
      showSubResults: true,
      showImages: false,
      resetStyles: false,
    });
    if (q) ui.triggerSearch(q);
    // Keep the address in step with the query, so that a search can be shared and reloaded.
    var input = root.querySelector("input");
    if (input && window.history && window.history.replaceState) {
      input.addEventListener("input", function () {
        var url = new URL(window.location.href);
        if (input.value) url.searchParams.set("q", input.value);
        else url.searchParams.delete("q");
        window.history.replaceState(null, "", url);
        if (header) header.value = input.value;
      });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
