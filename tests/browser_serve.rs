//! `factbook serve` in a real browser: headless Chromium, driven over the DevTools protocol,
//! keeps a page open while its source is edited, broken and fixed.
//!
//! Needs Chromium at `/usr/bin/chromium` (or `FACTBOOK_CHROMIUM`); CI installs it. Without it
//! the test prints a notice and passes. Set `FACTBOOK_BROWSER_SHOTS=DIR` to save screenshots.
#![cfg(feature = "serve")]

mod common;
mod serve_support;

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use serve_support::{PATIENCE, Served, request};
use tungstenite::{Message, WebSocket};

/// Chromium's path, or `None` after a notice that the test is skipped.
fn chromium_path() -> Option<PathBuf> {
    let path = std::env::var_os("FACTBOOK_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if !path.exists() {
        // Under CI a skipped browser test would hide breakage: there, Chromium must be there.
        assert!(
            std::env::var_os("CI").is_none(),
            "no Chromium at {} under CI: .ci/run installs it with apt-get",
            path.display()
        );
        eprintln!(
            "notice: skipping the browser test: no Chromium at {} (set FACTBOOK_CHROMIUM)",
            path.display()
        );
        return None;
    }
    Some(path)
}

/// A child process killed when dropped, also when a test panics half-way through a setup.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A headless Chromium with one page, killed when dropped.
struct Browser {
    _child: KillOnDrop,
    _profile: tempfile::TempDir,
    page: WebSocket<TcpStream>,
    next_id: u64,
}

impl Browser {
    fn launch(executable: &PathBuf) -> Browser {
        let profile = tempfile::tempdir().expect("profile dir");
        let mut child = KillOnDrop(
            Command::new(executable)
                .args(common::CHROMIUM_FLAGS)
                .args(["--remote-debugging-port=0", "--window-size=900,700"])
                .arg(format!("--user-data-dir={}", profile.path().display()))
                .arg("about:blank")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start chromium"),
        );
        // Chromium names its DevTools port on stderr; keep draining it afterwards.
        let stderr = BufReader::new(child.0.stderr.take().expect("stderr"));
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in stderr.lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("DevTools listening on ") {
                    let _ = tx.send(url.to_string());
                }
            }
        });
        let browser_url = rx
            .recv_timeout(PATIENCE)
            .expect("chromium said where DevTools listens");
        let port: u16 = browser_url
            .trim_start_matches("ws://127.0.0.1:")
            .split('/')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("a DevTools port");
        let targets: Value =
            serde_json::from_str(&request(port, "GET", "/json/list").body).expect("target list");
        let page_url = targets
            .as_array()
            .and_then(|t| t.iter().find(|t| t["type"] == "page"))
            .and_then(|t| t["webSocketDebuggerUrl"].as_str())
            .expect("a page target")
            .to_string();
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to DevTools");
        stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
        let (page, _) = tungstenite::client(page_url.as_str(), stream).expect("DevTools handshake");
        Browser {
            _child: child,
            _profile: profile,
            page,
            next_id: 0,
        }
    }

    /// Sends a DevTools command and returns its result (events in between are skipped).
    fn call(&mut self, method: &str, params: Value) -> Result<Value, String> {
        self.next_id += 1;
        let id = self.next_id;
        let msg = json!({"id": id, "method": method, "params": params}).to_string();
        self.page
            .send(Message::text(msg))
            .map_err(|e| e.to_string())?;
        loop {
            let msg = self.page.read().map_err(|e| e.to_string())?;
            let Message::Text(text) = msg else { continue };
            let v: Value = serde_json::from_str(text.as_str()).map_err(|e| e.to_string())?;
            if v["id"] == id {
                if let Some(e) = v.get("error") {
                    return Err(e.to_string());
                }
                return Ok(v["result"].clone());
            }
        }
    }

    /// Evaluates JavaScript in the page; `None` while the page is between documents.
    fn eval(&mut self, expression: &str) -> Option<Value> {
        let r = self
            .call(
                "Runtime.evaluate",
                json!({"expression": expression, "returnByValue": true}),
            )
            .ok()?;
        if r.get("exceptionDetails").is_some() {
            return None;
        }
        Some(r["result"]["value"].clone())
    }

    /// Waits until `expression` is true in the page.
    fn wait_until(&mut self, what: &str, expression: &str) {
        let start = Instant::now();
        while self.eval(expression) != Some(Value::Bool(true)) {
            assert!(start.elapsed() < PATIENCE, "the page never got to: {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn open(&mut self, url: &str) {
        self.call("Page.navigate", json!({"url": url}))
            .expect("navigate");
        self.wait_until(
            "connected to the event stream",
            "!!(window.__factbookLive && window.__factbookLive.connected)",
        );
    }

    fn screenshot(&mut self, name: &str) {
        let Some(dir) = std::env::var_os("FACTBOOK_BROWSER_SHOTS") else {
            return;
        };
        if let Ok(r) = self.call("Page.captureScreenshot", json!({"format": "png"})) {
            if let Some(data) = r["data"].as_str() {
                let bytes = decode_base64(data);
                let _ = std::fs::write(PathBuf::from(dir).join(format!("{name}.png")), bytes);
            }
        }
    }
}

fn decode_base64(s: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for v in s.bytes().filter_map(value) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

const OVERLAY: &str = "(() => { const h = document.getElementById('__factbook-overlay'); return h ? h.shadowRoot : null; })()";

#[test]
fn an_open_page_follows_edits_and_shows_build_errors() {
    let Some(chromium) = chromium_path() else {
        return;
    };
    let site = Served::start("serve-site");
    let base = format!("http://127.0.0.1:{}", site.port);
    let mut browser = Browser::launch(&chromium);

    // A page that does not change is left alone.
    browser.open(&format!("{base}/tools/zola/"));
    let build = browser
        .eval("window.__factbookLive.build")
        .and_then(|v| v.as_u64())
        .expect("a build number");
    browser.eval("window.__mark = 'zola'");
    site.edit("content/about.md", "first version", "second version");
    browser.wait_until(
        "told of the rebuild",
        &format!("window.__factbookLive.build > {build}"),
    );
    assert_eq!(
        browser.eval("window.__mark"),
        Some(json!("zola")),
        "an unchanged page reloaded"
    );

    // The page that changes reloads, and keeps its scroll position.
    browser.open(&format!("{base}/about/"));
    browser.eval("window.scrollTo(0, 600); window.__mark = 'about'");
    assert_eq!(browser.eval("window.scrollY"), Some(json!(600)));
    site.edit("content/about.md", "second version", "third version");
    browser.wait_until(
        "reloaded with the new text",
        "window.__mark === undefined && document.body.innerText.includes('third version')",
    );
    browser.wait_until("scrolled back to where it was", "window.scrollY === 600");

    // A stylesheet edit is applied without a reload.
    browser.eval("window.__mark = 'css'");
    site.edit("static/factbook.css", "255, 255, 255", "1, 2, 3");
    browser.wait_until(
        "the new stylesheet applied",
        "getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'",
    );
    assert_eq!(
        browser.eval("window.__mark"),
        Some(json!("css")),
        "a stylesheet change reloaded the page"
    );

    // Broken front matter: the overlay, over the last good page, focused, with file:line:col.
    site.edit("content/about.md", "title = \"About\"", "title = About\"");
    browser.wait_until(
        "the error overlay shown",
        &format!("(() => {{ const r = {OVERLAY}; const d = r && r.querySelector('[role=alertdialog]'); return !!d && d.textContent.includes('content/about.md:2:') && d.textContent.includes('help:') && r.activeElement === d; }})()"),
    );
    browser.screenshot("overlay");
    assert_eq!(browser.eval("window.__mark"), Some(json!("css")));
    assert_eq!(
        browser.eval("document.body.innerText.includes('third version')"),
        Some(json!(true))
    );

    // The close button dismisses it.
    browser.eval(&format!("{OVERLAY}.querySelector('button').click()"));
    assert_eq!(
        browser.eval(&format!("{OVERLAY} === null")),
        Some(json!(true))
    );

    // Fixing shows it again on the next failure, and clears it by itself on success.
    site.edit("content/about.md", "title = About\"", "title = \"About");
    browser.wait_until("the overlay shown again", &format!("{OVERLAY} !== null"));
    site.edit("content/about.md", "title = \"About", "title = \"About\"");
    browser.wait_until("the overlay cleared", &format!("{OVERLAY} === null"));
    site.edit("content/about.md", "third version", "fourth version");
    browser.wait_until(
        "reloaded after the fix",
        "document.body.innerText.includes('fourth version')",
    );
    browser.screenshot("fixed");
}

/// The bundled site's pages of every kind, at the narrowest width WCAG's reflow criterion names
/// (320 CSS pixels), a common phone (390), a tablet (768) and a laptop (1280): nothing may push
/// the page sideways (wide data tables scroll inside their own box). Long source addresses in
/// fact tables and long filter labels once did.
#[test]
fn the_bundled_sites_pages_fit_a_phone_and_code_reads_in_the_dark_scheme() {
    let Some(chromium) = chromium_path() else {
        return;
    };
    let site = Served::start_copy_of(std::path::Path::new(env!("CARGO_MANIFEST_DIR")));
    let base = format!("http://127.0.0.1:{}", site.port);
    let mut browser = Browser::launch(&chromium);
    // One page of every kind: home, section, article, fact sheets of each collection, the
    // comparison index, table, pair, compare-any, charts, facet index, facet, ranking, tags, a
    // tag, the 404 page and the bundled site's own templates.
    let pages = [
        "/",
        "/articles/",
        "/models/",
        "/articles/misconceptions/",
        "/models/opt-175b/",
        "/models/claude-2/",
        "/licenses/opt-175b-license/",
        "/organizations/eleutherai/",
        "/benchmarks/gpqa-diamond/",
        "/results/gpt-5--gpqa-diamond--epoch-ai/",
        "/licence-changes/llama-3/",
        "/compare/",
        "/compare/models/",
        "/compare/models/?weights=open&sort=params_total_b&dir=desc",
        "/compare/models/gpt-4-vs-llama-3-70b/",
        "/compare/models/pick/?a=gpt-4&b=llama-3-70b",
        "/compare/models/charts/",
        "/compare/models/organization/",
        "/compare/models/weights/open/",
        "/compare/models/params_total_b/",
        "/tags/",
        "/tags/licensing/",
        "/404.html",
        "/openness/",
        "/licences/",
        "/compute/",
        "/timeline/",
    ];
    for width in [320, 390, 768, 1280] {
        browser
            .call(
                "Emulation.setDeviceMetricsOverride",
                json!({"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": width < 700}),
            )
            .expect("emulate a screen");
        for path in pages {
            browser.open(&format!("{base}{path}"));
            browser.wait_until("loaded", "document.readyState === 'complete'");
            let widths = browser
                .eval("[document.documentElement.scrollWidth, document.documentElement.clientWidth, innerWidth]")
                .expect("widths");
            // The window's width (the page's, less a desktop scroll bar, is `clientWidth`).
            assert_eq!(
                widths[2],
                json!(width),
                "{path}: not laid out at {width} pixels"
            );
            assert!(
                widths[0].as_u64() <= widths[1].as_u64(),
                "{path} is {} pixels wide at a {width}-pixel screen",
                widths[0]
            );
        }
    }

    // In the dark scheme, code blocks keep text readable against their background (their text
    // was once dark on dark). WCAG's contrast ratio from the computed colours, at least 4.5.
    browser
        .call(
            "Emulation.setEmulatedMedia",
            json!({"features": [{"name": "prefers-color-scheme", "value": "dark"}]}),
        )
        .expect("emulate the dark scheme");
    browser.open(&format!("{base}/articles/compute-requirements/"));
    browser.wait_until("loaded", "document.readyState === 'complete'");
    let ratio = browser
        .eval(
            "(() => {
                const lum = c => {
                    const [r, g, b] = c.match(/\\d+/g).slice(0, 3).map(v => {
                        v = v / 255;
                        return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
                    });
                    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
                };
                const pre = document.querySelector('pre.code');
                const s = getComputedStyle(pre);
                const page = lum(getComputedStyle(document.body).backgroundColor);
                const [a, b] = [lum(s.color), lum(s.backgroundColor)].sort((x, y) => y - x);
                return { ratio: (a + 0.05) / (b + 0.05), darkPage: page < 0.05 };
            })()",
        )
        .expect("colours");
    assert_eq!(
        ratio["darkPage"],
        json!(true),
        "the dark scheme is not applied"
    );
    assert!(
        ratio["ratio"].as_f64().is_some_and(|r| r >= 4.5),
        "code in the dark scheme has a contrast ratio of {}",
        ratio["ratio"]
    );
}

#[test]
fn compare_any_page_shows_two_chosen_entries_exactly_as_their_pair_page() {
    let Some(chromium) = chromium_path() else {
        return;
    };
    let site = Served::start("elements");
    let base = format!("http://127.0.0.1:{}", site.port);
    let mut browser = Browser::launch(&chromium);
    browser.open(&format!("{base}/compare/elements/pick/"));
    browser.wait_until(
        "the picker is ready",
        "document.querySelector('form[data-picker]').hasAttribute('data-ready')",
    );

    // Choose the first entry with the type-ahead: type part of its name, pick the suggestion
    // with the keyboard.
    let type_into = |browser: &mut Browser, id: &str, text: &str| {
        browser.eval(&format!("document.getElementById('{id}').focus()"));
        browser
            .call("Input.insertText", json!({"text": text}))
            .expect("type");
    };
    type_into(&mut browser, "pick-a", "gol");
    browser.wait_until(
        "a suggestion for “gol”",
        "(() => { const l = document.getElementById('pick-a-list'); return !!l && !l.hidden && l.textContent.includes('Gold'); })()",
    );
    for key in ["ArrowDown", "Enter"] {
        for kind in ["rawKeyDown", "keyUp"] {
            browser
                .call("Input.dispatchKeyEvent", json!({"type": kind, "key": key, "code": key, "windowsVirtualKeyCode": if key == "Enter" { 13 } else { 40 }}))
                .expect("key");
        }
    }
    assert_eq!(
        browser.eval("document.getElementById('pick-a').value"),
        Some(json!("Gold"))
    );
    // The second by typing its whole name, then Compare.
    type_into(&mut browser, "pick-b", "Iron");
    browser.eval("document.querySelector('form[data-picker] button[type=submit]').click()");
    browser.wait_until(
        "the comparison is shown",
        "!document.getElementById('pick-result').hidden",
    );
    assert_eq!(
        browser.eval("location.search"),
        Some(json!("?a=gold&b=iron")),
        "a shareable URL"
    );

    // Every cell of the comparison table equals the static pair page's, byte for byte as the
    // browser reads them; the rows that differ are the same; the pair page is linked.
    let r = browser
        .call(
            "Runtime.evaluate",
            json!({"expression": "(async () => {
                const html = await (await fetch('/compare/elements/gold-vs-iron/')).text();
                const page = new DOMParser().parseFromString(html, 'text/html');
                const cells = d => [...d.querySelectorAll('table.pair tbody td')].map(td => td.innerHTML);
                const differs = d => [...d.querySelectorAll('table.pair tbody tr.differs')].map(tr => tr.dataset.field);
                return {
                    same: JSON.stringify(cells(document)) === JSON.stringify(cells(page)),
                    count: cells(document).length,
                    differs: JSON.stringify(differs(document)) === JSON.stringify(differs(page)),
                    link: !!document.querySelector('[data-pick-static] a[href=\"/compare/elements/gold-vs-iron/\"]'),
                };
            })()", "awaitPromise": true, "returnByValue": true}),
        )
        .expect("evaluate");
    let v = &r["result"]["value"];
    assert_eq!(
        v["count"],
        json!(12),
        "two cells for each of six fields: {v}"
    );
    assert_eq!(
        v["same"],
        json!(true),
        "cells differ from the pair page: {v}"
    );
    assert_eq!(
        v["differs"],
        json!(true),
        "other rows marked as differing: {v}"
    );
    assert_eq!(
        v["link"],
        json!(true),
        "no link to the static pair page: {v}"
    );
    browser.screenshot("compare-any");

    // A pair with no static page (pairs = "listed") still lays out, from the URL alone.
    browser.open(&format!(
        "{base}/compare/elements/pick/?a=carbon&b=oganesson&c=helium"
    ));
    browser.wait_until("three shown", "!document.getElementById('pick-result').hidden && document.querySelectorAll('#pick-result thead th').length === 4");
    assert_eq!(
        browser.eval("document.querySelector('#pick-result tr[data-field=melting_point] td .not-applicable').textContent"),
        Some(json!("not applicable"))
    );

    // The form's no-JavaScript target: the table, narrowed by its script to the named entries.
    browser.open(&format!("{base}/compare/elements/?a=gold&b=Iron"));
    browser.wait_until(
        "rows filtered",
        "document.querySelectorAll('table.compare tbody tr:not([hidden])').length === 2",
    );
    assert_eq!(
        browser.eval("document.querySelector('[data-picked]').hidden"),
        Some(json!(false))
    );
}

/// The models table on a phone and a laptop: its header row and names column stay in view while
/// it scrolls inside its box, the filter panel starts folded on the phone, and each filter is a
/// history entry that Back undoes.
#[test]
fn wide_table_keeps_its_header_and_names_in_view_and_back_undoes_a_filter() {
    let Some(chromium) = chromium_path() else {
        return;
    };
    let site = Served::start_copy_of(std::path::Path::new(env!("CARGO_MANIFEST_DIR")));
    let base = format!("http://127.0.0.1:{}", site.port);
    let mut browser = Browser::launch(&chromium);
    let screen = |browser: &mut Browser, width: u32| {
        browser
            .call(
                "Emulation.setDeviceMetricsOverride",
                json!({"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": width < 700}),
            )
            .expect("emulate a screen");
    };
    screen(&mut browser, 390);
    browser.open(&format!("{base}/compare/models/"));
    browser.wait_until(
        "controls shown",
        "!document.querySelector('form[data-table-controls]').hidden",
    );
    assert_eq!(
        browser.eval("document.querySelector('[data-controls-panel]').open"),
        Some(json!(false)),
        "the filter panel is open on a phone"
    );

    // Scrolled down and sideways inside its box, the header row is at the box's top and the
    // names at its left edge, with a shadow saying that the table goes on to the left.
    let stuck = browser
        .eval(
            "(() => {
                const box = document.querySelector('.table-scroll');
                box.scrollTop = 900; box.scrollLeft = 400;
                box.dispatchEvent(new Event('scroll'));
                const b = box.getBoundingClientRect();
                const head = box.querySelector('thead th[data-field=release]').getBoundingClientRect();
                const name = box.querySelector('tbody tr:nth-child(12) th').getBoundingClientRect();
                return {
                    scrolled: box.scrollTop > 800 && box.scrollLeft > 300,
                    header: Math.abs(head.top - b.top) <= 2,
                    names: Math.abs(name.left - b.left) <= 2,
                    shadow: box.classList.contains('scrolled'),
                    boxFits: b.bottom <= innerHeight + 1 || b.height < innerHeight,
                };
            })()",
        )
        .expect("positions");
    for key in ["scrolled", "header", "names", "shadow"] {
        assert_eq!(stuck[key], json!(true), "{key}: {stuck}");
    }

    // Numbers right-aligned in tabular figures.
    assert_eq!(
        browser.eval("(() => { const s = getComputedStyle(document.querySelector('td.num[data-field=params_total_b]')); return s.textAlign + ' ' + s.fontVariantNumeric; })()"),
        Some(json!("right tabular-nums"))
    );

    // A filter is a new history entry; Back returns to the whole table.
    screen(&mut browser, 1280);
    browser.open(&format!("{base}/compare/models/"));
    browser.wait_until(
        "controls shown",
        "!document.querySelector('form[data-table-controls]').hidden",
    );
    assert_eq!(
        browser.eval("document.querySelector('[data-controls-panel]').open"),
        Some(json!(true)),
        "the filter panel is folded on a wide screen"
    );
    let all = browser
        .eval("document.querySelectorAll('table.compare tbody tr:not([hidden])').length")
        .expect("rows");
    browser.eval("(() => { const s = document.querySelector('select[name=weights]'); s.value = 'open'; s.dispatchEvent(new Event('change', {bubbles: true})); })()");
    assert_eq!(
        browser.eval("location.search"),
        Some(json!("?weights=open"))
    );
    let open = browser
        .eval("document.querySelectorAll('table.compare tbody tr:not([hidden])').length")
        .expect("rows");
    assert!(open.as_u64() < all.as_u64(), "{open} of {all}");
    // The organization filter's counts follow: only open models are counted.
    assert_eq!(
        browser.eval("[...document.querySelectorAll('select[name=organization] option')].some(o => o.value === 'anthropic' && o.textContent.endsWith('(0)'))"),
        Some(json!(true)),
        "Anthropic's count ignores the weights filter"
    );
    browser.eval("history.back()");
    browser.wait_until("back at the whole table", "location.search === ''");
    browser.wait_until(
        "every row shown again",
        &format!(
            "document.querySelectorAll('table.compare tbody tr:not([hidden])').length === {all}"
        ),
    );
    assert_eq!(
        browser.eval("document.querySelector('select[name=weights]').value"),
        Some(json!(""))
    );
}

/// Charts on a phone and a laptop: the drawing for the screen's width, its tick labels legible,
/// the plot as wide as the page, and each point's values shown when it has the keyboard focus.
#[test]
fn charts_fit_the_screen_and_show_a_points_values_on_focus() {
    let Some(chromium) = chromium_path() else {
        return;
    };
    let site = Served::start_copy_of(std::path::Path::new(env!("CARGO_MANIFEST_DIR")));
    let base = format!("http://127.0.0.1:{}", site.port);
    let mut browser = Browser::launch(&chromium);
    // A headless window never has the focus, so `:focus` would never match without this.
    browser
        .call(
            "Emulation.setFocusEmulationEnabled",
            json!({"enabled": true}),
        )
        .expect("emulate focus");
    for (width, shown) in [(390, "narrow"), (1280, "wide")] {
        browser
            .call(
                "Emulation.setDeviceMetricsOverride",
                json!({"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": width < 700}),
            )
            .expect("emulate a screen");
        browser.open(&format!("{base}/compare/models/charts/"));
        browser.wait_until("loaded", "document.readyState === 'complete'");
        let v = browser
            .eval(&format!(
                "(() => {{
                    const svg = [...document.querySelectorAll('svg.chart')].find(s => getComputedStyle(s).display !== 'none');
                    const tick = svg.querySelector('.axis text').getBoundingClientRect();
                    const main = document.querySelector('main').getBoundingClientRect();
                    const point = svg.querySelector('.points a');
                    point.focus();
                    const label = point.querySelector('.focus-label');
                    return {{
                        shown: svg.classList.contains('chart-{shown}'),
                        tick: tick.height,
                        share: svg.getBoundingClientRect().width / main.width,
                        focused: document.activeElement === point,
                        label: getComputedStyle(label).display !== 'none',
                        values: label.textContent,
                        name: point.getAttribute('aria-label'),
                    }};
                }})()"
            ))
            .expect("chart");
        browser.screenshot(&format!("chart-focus-{width}"));
        assert_eq!(v["shown"], json!(true), "{width}: {v}");
        assert!(
            v["tick"].as_f64().is_some_and(|h| h >= 11.0),
            "{width}: tick labels {} pixels high",
            v["tick"]
        );
        assert!(
            v["share"].as_f64().is_some_and(|s| s > 0.9),
            "{width}: the plot takes {} of the width",
            v["share"]
        );
        assert_eq!(v["focused"], json!(true), "{v}");
        assert_eq!(v["label"], json!(true), "no label on focus: {v}");
        let name = v["name"].as_str().expect("name");
        let title = name.split(':').next().expect("title");
        assert!(
            v["values"].as_str().is_some_and(|t| t.starts_with(title)),
            "{v}"
        );
    }
}

/// A pair page's "differences only" link narrows the table to the rows that differ, with or
/// without its script, and the second link brings every row back.
#[test]
fn pair_page_shows_only_the_differences_when_asked() {
    let Some(chromium) = chromium_path() else {
        return;
    };
    let site = Served::start_copy_of(std::path::Path::new(env!("CARGO_MANIFEST_DIR")));
    let base = format!("http://127.0.0.1:{}", site.port);
    let mut browser = Browser::launch(&chromium);
    browser.open(&format!("{base}/compare/models/claude-2-vs-claude-3-opus/"));
    browser.wait_until("loaded", "document.readyState === 'complete'");
    let visible = "[...document.querySelectorAll('table.pair tbody tr')].filter(r => r.offsetParent !== null).length";
    let all = browser.eval(visible).expect("rows");
    let differ = browser
        .eval("document.querySelectorAll('table.pair tbody tr.differs').length")
        .expect("differing rows");
    assert!(differ.as_u64() < all.as_u64(), "{differ} of {all}");
    browser.eval("document.querySelector('a.show-differences').click()");
    browser.wait_until(
        "only the differences shown",
        &format!("{visible} === {differ}"),
    );
    assert_eq!(
        browser.eval("getComputedStyle(document.querySelector('a.show-all')).display"),
        Some(json!("inline"))
    );
    browser.eval("document.querySelector('a.show-all').click()");
    browser.wait_until("every row shown again", &format!("{visible} === {all}"));
}
