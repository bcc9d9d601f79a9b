// factbook: progressive enhancement of comparison tables. Without this script every table is
// complete and readable; with it, columns sort, rows filter and columns toggle, and the state
// is kept in the URL so it can be shared.
(function () {
  "use strict";
  var table = document.querySelector("table[data-sortable]");
  var form = document.querySelector("form[data-table-controls]");
  if (!table || !form) return;
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var defaults = (table.getAttribute("data-default-columns") || "").trim().split(/\s+/);
  var count = form.querySelector("[data-count]");
  var state = { sort: null, dir: "asc", filters: {}, cols: null };

  function read() {
    var p = new URLSearchParams(location.search);
    state.sort = p.get("sort");
    state.dir = p.get("dir") === "desc" ? "desc" : "asc";
    state.filters = {};
    form.querySelectorAll("[data-filter]").forEach(function (s) {
      var v = p.get(s.name);
      if (v) state.filters[s.name] = v;
    });
    state.cols = p.has("cols") ? p.get("cols").split(",").filter(Boolean) : defaults.slice();
  }

  function write() {
    var p = new URLSearchParams();
    if (state.sort) { p.set("sort", state.sort); p.set("dir", state.dir); }
    Object.keys(state.filters).forEach(function (k) { p.set(k, state.filters[k]); });
    if (state.cols.join(",") !== defaults.join(",")) p.set("cols", state.cols.join(","));
    var q = p.toString();
    history.replaceState(null, "", q ? "?" + q : location.pathname);
  }

  function cellValue(row, field) {
    var c = row.querySelector('[data-field="' + field + '"]');
    return c ? c.getAttribute("data-sort") : null;
  }

  function apply() {
    // Sort (missing values always last).
    if (state.sort) {
      var h = table.querySelector('th[data-field="' + state.sort + '"]');
      var numeric = h && h.getAttribute("data-type") === "number";
      var sign = state.dir === "desc" ? -1 : 1;
      rows.sort(function (a, b) {
        var x = cellValue(a, state.sort), y = cellValue(b, state.sort);
        if (x === null && y === null) return 0;
        if (x === null) return 1;
        if (y === null) return -1;
        var r = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
        return r * sign;
      });
      rows.forEach(function (r) { tbody.appendChild(r); });
    }
    headers.forEach(function (th) {
      var f = th.getAttribute("data-field");
      if (f === state.sort) th.setAttribute("aria-sort", state.dir === "desc" ? "descending" : "ascending");
      else th.removeAttribute("aria-sort");
    });
    // Filter.
    var shown = 0;
    rows.forEach(function (r) {
      var ok = Object.keys(state.filters).every(function (k) {
        var have = (r.getAttribute("data-f-" + k) || "").split(" ");
        return have.indexOf(state.filters[k]) !== -1;
      });
      r.hidden = !ok;
      if (ok) shown++;
    });
    form.querySelectorAll("[data-filter]").forEach(function (s) { s.value = state.filters[s.name] || ""; });
    count.textContent = "Showing " + shown + " of " + rows.length + ".";
    // Columns.
    form.querySelectorAll("[data-column]").forEach(function (box) {
      var f = box.value, on = state.cols.indexOf(f) !== -1;
      box.checked = on;
      table.querySelectorAll('[data-field="' + f + '"]').forEach(function (c) { c.classList.toggle("col-hidden", !on); });
    });
  }

  headers.forEach(function (th) {
    var f = th.getAttribute("data-field");
    var b = document.createElement("button");
    b.type = "button";
    b.className = "sort";
    while (th.firstChild) b.appendChild(th.firstChild);
    th.appendChild(b);
    b.addEventListener("click", function () {
      if (state.sort === f) state.dir = state.dir === "asc" ? "desc" : "asc";
      else { state.sort = f; state.dir = th.getAttribute("data-type") === "number" ? "desc" : "asc"; }
      write(); apply();
    });
  });
  form.addEventListener("change", function (e) {
    var t = e.target;
    if (t.hasAttribute("data-filter")) {
      if (t.value) state.filters[t.name] = t.value; else delete state.filters[t.name];
    } else if (t.hasAttribute("data-column")) {
      state.cols = Array.prototype.slice.call(form.querySelectorAll("[data-column]:checked")).map(function (x) { return x.value; });
    }
    write(); apply();
  });
  form.addEventListener("reset", function (e) {
    e.preventDefault();
    state = { sort: null, dir: "asc", filters: {}, cols: defaults.slice() };
    write(); apply();
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  read();
  form.hidden = false;
  apply();
})();
