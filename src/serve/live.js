// factbook serve: live reload, stylesheet hot-swap and the build-error overlay.
// Added to HTML responses by `factbook serve` only; never part of `factbook build` output.
(function () {
  "use strict";
  if (window.__factbookLive) return;
  var script = document.currentScript;
  var notFoundPage = script && script.getAttribute("data-not-found");
  // Read by the browser test; harmless otherwise.
  var live = (window.__factbookLive = {
    connected: false,
    server: script && script.getAttribute("data-server"),
    build: script ? Number(script.getAttribute("data-build")) : 0,
    overlay: false,
    stylesheetSwaps: 0,
  });
  var scrollKey = "factbook-serve:scroll:" + location.pathname;

  // "/a/index.html" and "/a/" are one page; compare decoded paths.
  function normalize(path) {
    try {
      path = decodeURI(path);
    } catch (e) {}
    return path.replace(/\/index\.html$/, "/");
  }
  function pathOf(url) {
    try {
      return normalize(new URL(url, location.href).pathname);
    } catch (e) {
      return null;
    }
  }

  (function restoreScroll() {
    var saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(scrollKey) || "null");
      sessionStorage.removeItem(scrollKey);
    } catch (e) {}
    if (!saved) return;
    var go = function () {
      window.scrollTo(saved.x, saved.y);
    };
    // Again once images and fonts have set the page's height; then the browser's own
    // restoration is back for reloads the author makes.
    var done = function () {
      go();
      try {
        history.scrollRestoration = "auto";
      } catch (e) {}
    };
    go();
    if (document.readyState === "complete") done();
    else window.addEventListener("load", done, { once: true });
  })();

  function reload() {
    try {
      sessionStorage.setItem(scrollKey, JSON.stringify({ x: window.scrollX, y: window.scrollY }));
      history.scrollRestoration = "manual";
    } catch (e) {}
    location.reload();
  }

  function swapStylesheet(link) {
    var url = new URL(link.href);
    url.searchParams.set("factbook-serve", String(Date.now()));
    var next = link.cloneNode();
    next.href = url.href;
    next.addEventListener("load", function () {
      link.remove();
      live.stylesheetSwaps += 1;
    }, { once: true });
    next.addEventListener("error", function () {
      next.remove();
    }, { once: true });
    link.after(next);
  }

  var assetSelector =
    "script[src], img[src], source[src], video[src], audio[src], iframe[src], embed[src], object[data], link[href]:not([rel~=stylesheet]):not([rel=canonical]):not([rel=alternate])";

  function onChange(event) {
    if (event.all) return reload();
    var changed = new Set(event.changed.map(normalize));
    var removed = new Set(event.removed.map(normalize));
    var touched = function (p) {
      return p !== null && (changed.has(p) || removed.has(p));
    };
    var here = normalize(location.pathname);
    if (touched(here)) return reload();
    // A missing page reloads when it appears, or when the site's 404 page changes.
    if (notFoundPage && (changed.has(here + "/") || touched(normalize(notFoundPage)))) return reload();
    var sheets = [];
    var links = document.querySelectorAll("link[rel~=stylesheet][href]");
    for (var i = 0; i < links.length; i++) {
      var p = pathOf(links[i].getAttribute("href"));
      if (removed.has(p)) return reload();
      if (changed.has(p)) sheets.push(links[i]);
    }
    var assets = document.querySelectorAll(assetSelector);
    for (var j = 0; j < assets.length; j++) {
      var el = assets[j];
      if (el === script) continue;
      var url = el.getAttribute("src") || el.getAttribute("data") || el.getAttribute("href");
      if (touched(pathOf(url))) return reload();
    }
    sheets.forEach(swapStylesheet);
  }

  // ---------------------------------------------------------------- the error overlay
  var host = null;
  var focusBefore = null;
  var style =
    ":host{all:initial}" +
    ".box{position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(12,12,16,.92);color:#f4f4f5;font:15px/1.5 system-ui,sans-serif;padding:2rem}" +
    ".panel{max-width:70rem;margin:0 auto;background:#18181b;border:2px solid #f87171;border-radius:8px;padding:1.25rem 1.5rem;outline:none}" +
    ".panel:focus-visible{box-shadow:0 0 0 3px #fbbf24}" +
    "h2{margin:0 0 .5rem;font-size:1.25rem;color:#fca5a5}" +
    "p{margin:0 0 1rem;color:#e4e4e7}" +
    "pre{margin:0 0 1rem;padding:1rem;background:#09090b;color:#f4f4f5;border-radius:6px;overflow:auto;white-space:pre;font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}" +
    "button{font:inherit;font-weight:600;color:#18181b;background:#fca5a5;border:0;border-radius:6px;padding:.4rem 1rem;cursor:pointer;float:right}" +
    "button:focus-visible{outline:3px solid #fbbf24;outline-offset:2px}";

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function showOverlay(diagnostics) {
    hideOverlay();
    var errors = diagnostics.filter(function (d) {
      return d.severity === "error";
    });
    var shown = errors.length ? errors : diagnostics;
    host = el("div", { id: "__factbook-overlay" });
    var root = host.attachShadow({ mode: "open" });
    root.appendChild(el("style", {}, style));
    var box = el("div", { class: "box" });
    var panel = el("div", {
      class: "panel",
      role: "alertdialog",
      "aria-modal": "true",
      "aria-labelledby": "fb-title",
      "aria-describedby": "fb-summary",
      tabindex: "-1",
    });
    var close = el("button", { type: "button" }, "Close");
    close.addEventListener("click", hideOverlay);
    panel.appendChild(close);
    var n = errors.length;
    panel.appendChild(
      el("h2", { id: "fb-title" }, "The site does not build: " + n + " error" + (n === 1 ? "" : "s"))
    );
    panel.appendChild(
      el(
        "p",
        { id: "fb-summary" },
        "This page shows the last good build. Fix the problem and save: this message goes away by itself."
      )
    );
    shown.forEach(function (d) {
      panel.appendChild(el("pre", { "aria-label": d.location || d.code }, d.rendered));
    });
    panel.addEventListener("keydown", function (e) {
      if (e.key === "Escape") hideOverlay();
    });
    box.appendChild(panel);
    root.appendChild(box);
    (document.body || document.documentElement).appendChild(host);
    focusBefore = document.activeElement;
    panel.focus();
    live.overlay = true;
  }

  function hideOverlay() {
    if (!host) return;
    host.remove();
    host = null;
    live.overlay = false;
    if (focusBefore && focusBefore.focus && document.contains(focusBefore)) focusBefore.focus();
    focusBefore = null;
  }

  // ---------------------------------------------------------------- the event stream
  function on(source, name, handler) {
    source.addEventListener(name, function (e) {
      var data;
      try {
        data = JSON.parse(e.data);
      } catch (err) {
        return;
      }
      if (data.build !== undefined) live.build = data.build;
      handler(data);
    });
  }

  if (!window.EventSource) return;
  var source = null;
  // The stream starts from the build this page came from: whatever changed since is sent
  // first. A hidden page closes its stream (browsers allow few connections per host) and
  // catches up the same way when it is shown again.
  function connect() {
    source = new EventSource("/__factbook/events?since=" + live.build);
    on(source, "hello", function (d) {
      // Served by an earlier run of the server: its content may be stale.
      if (live.server && live.server !== d.server) return reload();
      live.server = d.server;
      live.connected = true;
      // A failing build sends its error right after; a good one has nothing to show.
      hideOverlay();
    });
    on(source, "change", onChange);
    on(source, "build-error", function (d) {
      showOverlay(d.diagnostics || []);
    });
    on(source, "clear", hideOverlay);
    source.onerror = function () {
      live.connected = false;
    };
  }
  function disconnect() {
    if (source) source.close();
    source = null;
    live.connected = false;
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") disconnect();
    else if (!source) connect();
  });
  window.addEventListener("pagehide", disconnect);
  window.addEventListener("pageshow", function () {
    if (!source && document.visibilityState !== "hidden") connect();
  });
  if (document.visibilityState !== "hidden") connect();
})();
