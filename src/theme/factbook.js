// factbook: progressive enhancement of comparison tables. Without this script every table is
// complete and readable; with it, columns sort, rows filter and columns toggle, and the state
// is kept in the URL so it can be shared. Each change a reader makes is a history entry (Back
// undoes it); a URL that names an unknown column or value is reported in the page, not applied.
(function () {
  "use strict";
  // Every scrolling table: a shadow under its sticky first column once scrolled sideways.
  document.querySelectorAll(".table-scroll").forEach(function (box) {
    function edge() { box.classList.toggle("scrolled", box.scrollLeft > 2); }
    box.addEventListener("scroll", edge, { passive: true });
    edge();
  });
})();
(function () {
  "use strict";
  var table = document.querySelector("table[data-sortable]");
  var form = document.querySelector("form[data-table-controls]");
  if (!table || !form) return;
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var defaults = (table.getAttribute("data-default-columns") || "").trim().split(/\s+/).filter(Boolean);
  var count = form.querySelector("[data-count]");
  var defSort = table.getAttribute("data-default-sort") || null;
  var defDir = table.getAttribute("data-default-dir") === "desc" ? "desc" : "asc";
  var page = table.parentNode.parentNode;
  var picked = page.querySelector("[data-picked]");
  var empty = page.querySelector("[data-empty]");
  var problemsBox = page.querySelector("[data-url-problems]");
  var panel = form.querySelector("[data-controls-panel]");
  var selects = Array.prototype.slice.call(form.querySelectorAll("[data-filter]"));
  var fields = headers.map(function (th) { return th.getAttribute("data-field"); });
  var columns = Array.prototype.slice.call(form.querySelectorAll("[data-column]")).map(function (b) { return b.value; });
  var state = { sort: defSort, dir: defDir, filters: {}, cols: defaults.slice(), pick: [] };
  var problems = [];

  // Entries named by the compare-any form (?a=…&b=…): by slug, or by title in any case.
  function matches(row, wanted) {
    var w = wanted.trim().toLowerCase();
    return row.getAttribute("data-slug") === w || row.cells[0].textContent.trim().toLowerCase() === w;
  }

  function columnLabel(f) {
    var h = table.querySelector('thead th[data-field="' + f + '"]');
    return h ? h.textContent.trim() : f;
  }

  // The state from the URL; what the table does not have is noted in `problems` and left out.
  function read() {
    var p = new URLSearchParams(location.search);
    problems = [];
    var known = { sort: 1, dir: 1, cols: 1, a: 1, b: 1, c: 1 };
    state.sort = defSort;
    state.dir = defDir;
    if (p.get("sort")) {
      if (fields.indexOf(p.get("sort")) !== -1) { state.sort = p.get("sort"); state.dir = "asc"; }
      else problems.push(["sort=" + p.get("sort"), "the table has no column “" + p.get("sort") + "”, so it keeps its default order"]);
    }
    if (p.has("dir")) {
      if (p.get("dir") === "asc" || p.get("dir") === "desc") state.dir = p.get("dir");
      else problems.push(["dir=" + p.get("dir"), "the order is “asc” or “desc”"]);
    }
    state.pick = ["a", "b", "c"].map(function (k) { return p.get(k) || ""; }).filter(function (v) { return v.trim(); });
    state.filters = {};
    selects.forEach(function (s) {
      known[s.name] = 1;
      var v = p.get(s.name);
      if (!v) return;
      var ok = Array.prototype.some.call(s.options, function (o) { return o.value === v; });
      if (ok) state.filters[s.name] = v;
      else problems.push([s.name + "=" + v, "“" + v + "” is not a value of " + s.parentNode.firstChild.textContent.trim() + ", so that filter is not applied"]);
    });
    state.cols = defaults.slice();
    if (p.has("cols")) {
      var wanted = p.get("cols").split(",").filter(Boolean);
      var unknown = wanted.filter(function (f) { return columns.indexOf(f) === -1; });
      state.cols = wanted.filter(function (f) { return columns.indexOf(f) !== -1; });
      if (unknown.length) problems.push(["cols=" + p.get("cols"), "the table has no column " + unknown.map(function (u) { return "“" + u + "”"; }).join(", ") + "; the others are shown"]);
    }
    p.forEach(function (v, k) {
      if (!known[k]) problems.push([k + "=" + v, "the table has no filter “" + k + "”, so it is ignored"]);
    });
  }

  function query() {
    var p = new URLSearchParams();
    ["a", "b", "c"].forEach(function (k, i) { if (state.pick[i]) p.set(k, state.pick[i]); });
    if (state.sort && (state.sort !== defSort || state.dir !== defDir)) { p.set("sort", state.sort); p.set("dir", state.dir); }
    Object.keys(state.filters).forEach(function (k) { p.set(k, state.filters[k]); });
    if (state.cols.join(",") !== defaults.join(",")) p.set("cols", state.cols.join(","));
    var q = p.toString();
    return q ? "?" + q : location.pathname;
  }

  // A reader's change: a new history entry, so that Back returns to the table as it was.
  function commit() {
    problems = [];
    var q = query();
    if (q !== (location.search || location.pathname)) history.pushState(null, "", q);
    apply();
  }

  function cellValue(row, field) {
    var c = row.querySelector('[data-field="' + field + '"]');
    return c ? c.getAttribute("data-sort") : null;
  }

  function passes(row, except) {
    return Object.keys(state.filters).every(function (k) {
      if (k === except) return true;
      var have = (row.getAttribute("data-f-" + k) || "").split(" ");
      return have.indexOf(state.filters[k]) !== -1;
    }) && (!state.pick.length || state.pick.some(function (w) { return matches(row, w); }));
  }

  function showProblems() {
    if (!problemsBox) return;
    problemsBox.textContent = "";
    problemsBox.hidden = !problems.length;
    if (!problems.length) return;
    var intro = document.createElement("p");
    intro.textContent = "Parts of this page’s address were not understood:";
    var list = document.createElement("ul");
    problems.forEach(function (pr) {
      var li = document.createElement("li");
      var code = document.createElement("code");
      code.textContent = "?" + pr[0];
      li.appendChild(code);
      li.appendChild(document.createTextNode(": " + pr[1] + "."));
      list.appendChild(li);
    });
    problemsBox.appendChild(intro);
    problemsBox.appendChild(list);
  }

  function apply() {
    // Sort by the column asked for, else in the page's own order (missing values always last).
    var h = state.sort && table.querySelector('thead th[data-field="' + state.sort + '"]');
    var numeric = h && h.getAttribute("data-type") === "number";
    var sign = state.dir === "desc" ? -1 : 1;
    var order = rows.slice();
    if (state.sort) {
      order.sort(function (a, b) {
        var x = cellValue(a, state.sort), y = cellValue(b, state.sort);
        if (x === null && y === null) return rows.indexOf(a) - rows.indexOf(b);
        if (x === null) return 1;
        if (y === null) return -1;
        var r = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
        return r * sign || rows.indexOf(a) - rows.indexOf(b);
      });
    }
    order.forEach(function (r) { tbody.appendChild(r); });
    headers.forEach(function (th) {
      var f = th.getAttribute("data-field");
      if (f === state.sort) th.setAttribute("aria-sort", state.dir === "desc" ? "descending" : "ascending");
      else th.removeAttribute("aria-sort");
    });
    // Filter.
    var shown = 0;
    rows.forEach(function (r) {
      var ok = passes(r, null);
      r.hidden = !ok;
      if (ok) shown++;
    });
    // Each option counts the rows it would show with the other filters as they are.
    selects.forEach(function (s) {
      s.value = state.filters[s.name] || "";
      var others = rows.filter(function (r) { return passes(r, s.name); });
      Array.prototype.forEach.call(s.options, function (o) {
        if (!o.value) return;
        var n = others.filter(function (r) { return (r.getAttribute("data-f-" + s.name) || "").split(" ").indexOf(o.value) !== -1; }).length;
        o.textContent = o.getAttribute("data-label") + " (" + n + ")";
      });
    });
    count.textContent = "Showing " + shown + " of " + rows.length + ".";
    if (empty) empty.hidden = shown > 0;
    if (picked) {
      picked.hidden = !state.pick.length;
      var link = picked.querySelector("a[data-side-by-side]");
      if (link) link.href = link.getAttribute("data-base") + location.search.replace(/&?(sort|dir|cols)=[^&]*/g, "");
    }
    // Columns.
    form.querySelectorAll("[data-column]").forEach(function (box) {
      var f = box.value, on = state.cols.indexOf(f) !== -1;
      box.checked = on;
      table.querySelectorAll('[data-field="' + f + '"]').forEach(function (c) { c.classList.toggle("col-hidden", !on); });
    });
    showProblems();
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
      commit();
    });
  });
  form.addEventListener("change", function (e) {
    var t = e.target;
    if (t.hasAttribute("data-filter")) {
      if (t.value) state.filters[t.name] = t.value; else delete state.filters[t.name];
    } else if (t.hasAttribute("data-column")) {
      state.cols = Array.prototype.slice.call(form.querySelectorAll("[data-column]:checked")).map(function (x) { return x.value; });
    } else return;
    commit();
  });
  function reset() {
    state = { sort: defSort, dir: defDir, filters: {}, cols: defaults.slice(), pick: [] };
    commit();
  }
  form.addEventListener("reset", function (e) { e.preventDefault(); reset(); });
  var clear = empty && empty.querySelector("[data-clear-filters]");
  if (clear) clear.addEventListener("click", function () { state.filters = {}; state.pick = []; commit(); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  window.addEventListener("popstate", function () { read(); apply(); });
  // The panel starts folded on small screens, where it would push the table off the screen.
  if (panel) panel.open = !window.matchMedia("(max-width: 40rem)").matches;
  read();
  form.hidden = false;
  apply();
})();

// The compare-any page: a type-ahead for each slot over the collection's index, and the chosen
// entries side by side, built from each entry's data file (cells exactly as on pair pages).
// Without this script the form is a plain GET form that opens the table with those entries.
(function () {
  "use strict";
  var form = document.querySelector("form[data-picker]");
  if (!form) return;
  var result = document.getElementById("pick-result");
  var table = result.querySelector("table");
  var summary = result.querySelector("[data-pick-summary]");
  var staticLink = result.querySelector("[data-pick-static]");
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input[data-slot]"));
  var status = form.querySelector("[data-pick-status]");
  var index = null, loading = null, bySlug = {}, entryCache = {};

  function loadIndex() {
    if (!loading) {
      loading = fetch(form.getAttribute("data-index")).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      }).then(function (j) {
        index = j.entries.map(function (e) { return { slug: e[0], title: e[1], lower: e[1].toLowerCase() }; });
        index.forEach(function (e) { bySlug[e.slug] = e; });
        return index;
      });
    }
    return loading;
  }

  function search(q) {
    q = q.trim().toLowerCase();
    if (!q || !index) return [];
    var starts = [], contains = [];
    for (var i = 0; i < index.length && starts.length < 8; i++) {
      var e = index[i];
      var at = e.lower.indexOf(q), sat = e.slug.indexOf(q);
      if (at === 0 || sat === 0) starts.push(e);
      else if ((at > 0 || sat > 0) && contains.length < 8) contains.push(e);
    }
    return starts.concat(contains).slice(0, 8);
  }

  function resolve(value) {
    var v = value.trim().toLowerCase();
    if (!v || !index) return null;
    if (bySlug[v]) return bySlug[v];
    for (var i = 0; i < index.length; i++) if (index[i].lower === v) return index[i];
    var m = search(v);
    return m.length === 1 ? m[0] : null;
  }

  // One combobox (ARIA 1.2 pattern) per input.
  inputs.forEach(function (input, n) {
    var list = document.createElement("ul");
    list.id = input.id + "-list";
    list.className = "picker-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.labels[0].textContent);
    list.hidden = true;
    input.parentNode.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    var active = -1, items = [];

    function close() {
      list.hidden = true; active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function choose(e) {
      input.value = e.title;
      input.setAttribute("data-slug", e.slug);
      close();
    }
    function highlight(i) {
      active = i;
      Array.prototype.forEach.call(list.children, function (li, j) { li.setAttribute("aria-selected", j === i ? "true" : "false"); });
      if (i >= 0) input.setAttribute("aria-activedescendant", list.children[i].id);
      else input.removeAttribute("aria-activedescendant");
    }
    function open() {
      items = search(input.value);
      list.innerHTML = "";
      items.forEach(function (e, i) {
        var li = document.createElement("li");
        li.id = input.id + "-opt-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = e.title;
        var slug = document.createElement("span");
        slug.className = "muted small";
        slug.textContent = " " + e.slug;
        li.appendChild(slug);
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(e); });
        list.appendChild(li);
      });
      list.hidden = !items.length;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
      highlight(-1);
    }
    input.addEventListener("focus", function () { loadIndex().catch(function () {}); });
    input.addEventListener("input", function () {
      input.removeAttribute("data-slug");
      loadIndex().then(open).catch(function () {});
    });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown") { if (list.hidden) open(); highlight(Math.min(active + 1, items.length - 1)); ev.preventDefault(); }
      else if (ev.key === "ArrowUp") { highlight(Math.max(active - 1, 0)); ev.preventDefault(); }
      else if (ev.key === "Enter" && !list.hidden && active >= 0) { choose(items[active]); ev.preventDefault(); }
      else if (ev.key === "Escape") { close(); }
    });
    input.addEventListener("blur", close);
  });

  function loadEntry(slug) {
    if (!entryCache[slug]) {
      entryCache[slug] = fetch(form.getAttribute("data-data") + encodeURIComponent(slug) + ".json").then(function (r) {
        if (!r.ok) throw new Error("no data for " + slug);
        return r.json();
      });
    }
    return entryCache[slug];
  }

  function el(tag, attrs, html) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (html !== undefined) e.innerHTML = html;
    return e;
  }

  function show(entries) {
    var head = table.tHead.rows[0];
    while (head.cells.length > 1) head.deleteCell(1);
    entries.forEach(function (e) {
      var th = el("th", { scope: "col" });
      var a = el("a", { href: e.url });
      a.textContent = e.title;
      th.appendChild(a);
      head.appendChild(th);
    });
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var differ = 0;
    rows.forEach(function (row, i) {
      while (row.cells.length > 1) row.deleteCell(1);
      var th = row.cells[0];
      var badge = th.querySelector(".badge");
      if (badge) { badge.previousSibling && badge.previousSibling.nodeType === 3 && th.removeChild(badge.previousSibling); th.removeChild(badge); }
      var first = JSON.stringify(entries[0].cells[i].key);
      var differs = entries.some(function (e) { return JSON.stringify(e.cells[i].key) !== first; });
      if (differs) {
        differ++;
        th.appendChild(document.createTextNode(" "));
        th.appendChild(el("span", { "class": "badge" }, "differs"));
      }
      row.className = differs ? "differs" : "same";
      entries.forEach(function (e) {
        row.appendChild(el("td", { "class": "state-" + e.cells[i].state }, e.cells[i].html));
      });
    });
    summary.textContent = differ + " of " + rows.length + " fields differ. Each value links to its source.";
    staticLink.innerHTML = "";
    if (entries.length === 2 && entries[0].pairs[entries[1].slug]) {
      staticLink.appendChild(document.createTextNode("This pair also has its own page: "));
      var a = el("a", { href: entries[0].pairs[entries[1].slug] });
      a.textContent = entries[0].title + " vs " + entries[1].title;
      staticLink.appendChild(a);
      staticLink.appendChild(document.createTextNode("."));
    }
    result.hidden = false;
    document.title = entries.map(function (e) { return e.title; }).join(" vs ") + " · " + document.title.split(" · ").pop();
  }

  function run(push) {
    return loadIndex().then(function () {
      var chosen = [], missing = [];
      inputs.forEach(function (input) {
        if (!input.value.trim()) return;
        var e = bySlug[input.getAttribute("data-slug")] || resolve(input.value);
        if (e) { chosen.push(e); input.value = e.title; input.setAttribute("data-slug", e.slug); }
        else missing.push(input.value.trim());
      });
      if (missing.length) { status.textContent = "No entry matches " + missing.map(function (m) { return "“" + m + "”"; }).join(", ") + ". Pick one from the suggestions."; return; }
      if (chosen.length < 2) { status.textContent = chosen.length ? "Choose a second entry." : ""; return; }
      status.textContent = "";
      var p = new URLSearchParams();
      chosen.forEach(function (e, i) { p.set(["a", "b", "c"][i], e.slug); });
      if (push && "?" + p.toString() !== location.search) history.pushState(null, "", "?" + p.toString());
      return Promise.all(chosen.map(function (e) { return loadEntry(e.slug); })).then(show);
    }).catch(function (err) { status.textContent = "Could not load the data: " + err.message + "."; });
  }

  function fromUrl() {
    var p = new URLSearchParams(location.search);
    inputs.forEach(function (input) {
      var v = p.get(input.name) || "";
      input.value = v;
      if (v) input.setAttribute("data-slug", v); else input.removeAttribute("data-slug");
    });
    if (p.get("a") && p.get("b")) return run(false);
    return loadIndex().then(function () {
      inputs.forEach(function (input) { var e = bySlug[input.value]; if (e) input.value = e.title; });
    }).catch(function () {});
  }

  form.addEventListener("submit", function (ev) { ev.preventDefault(); run(true); });
  window.addEventListener("popstate", fromUrl);
  form.setAttribute("data-ready", "");
  fromUrl();
})();
