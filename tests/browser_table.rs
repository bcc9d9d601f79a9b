//! The comparison table in a real browser (headless Chromium): complete with JavaScript off,
//! sorted and filtered from the URL with it on.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread;

use common::*;

const CHROMIUM: &str = "/usr/bin/chromium";

/// Serves `root` on a free loopback port, one thread per connection, for the test's lifetime.
fn serve(root: PathBuf) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            thread::spawn(move || {
                let mut reader = BufReader::new(&stream);
                let mut request = String::new();
                if reader.read_line(&mut request).is_err() {
                    return;
                }
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let path = request.split_whitespace().nth(1).unwrap_or("/");
                let path = path.split('?').next().unwrap_or("/");
                let mut file = root.join(path.trim_start_matches('/'));
                if path.ends_with('/') {
                    file = file.join("index.html");
                }
                let (status, body) = match std::fs::read(&file) {
                    Ok(b) => ("200 OK", b),
                    Err(_) => ("404 Not Found", b"not found".to_vec()),
                };
                let ty = match file.extension().and_then(|e| e.to_str()) {
                    Some("html") => "text/html; charset=utf-8",
                    Some("css") => "text/css",
                    Some("js") => "text/javascript",
                    _ => "application/octet-stream",
                };
                let mut s = &stream;
                let _ = write!(
                    s,
                    "HTTP/1.1 {status}\r\nContent-Type: {ty}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = s.write_all(&body);
            });
        }
    });
    port
}

/// The DOM after the page's scripts ran.
fn dump_dom(url: &str, profile: &Path) -> String {
    let mut cmd = Command::new(CHROMIUM);
    cmd.args(CHROMIUM_FLAGS)
        .arg("--virtual-time-budget=3000")
        .arg(format!("--user-data-dir={}", profile.display()));
    let out = cmd
        .arg("--dump-dom")
        .arg(url)
        .output()
        .expect("run chromium");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Titles of the table rows in document order, with whether each is hidden.
fn rows(dom: &str) -> Vec<(String, bool)> {
    let tbody = &dom[dom.find("<tbody>").expect("tbody")..dom.find("</tbody>").expect("/tbody")];
    tbody
        .split("<tr")
        .skip(1)
        .map(|tr| {
            let hidden = tr[..tr.find('>').unwrap_or(0)].contains(" hidden");
            let link = tr.split("</a>").next().unwrap_or("");
            let title = link[link.rfind('>').map_or(0, |i| i + 1)..].to_string();
            (title, hidden)
        })
        .collect()
}

/// The cameras fixture built and served, a fresh browser profile, and the table's URL; `None`
/// (after a notice) where Chromium is missing, which fails under CI instead: a skipped browser
/// test there would hide breakage.
fn served_cameras() -> Option<(tempfile::TempDir, tempfile::TempDir, String)> {
    if !Path::new(CHROMIUM).exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "no {CHROMIUM} under CI: .ci/run installs it with apt-get"
        );
        eprintln!("skipped: {CHROMIUM} is not installed (CI installs it with apt-get)");
        return None;
    }
    let out = tempfile::tempdir().expect("tempdir");
    let r = build_to(&fixture("cameras"), out.path());
    assert!(r.ok(), "{}", diagnostics_text(&r));
    let port = serve(out.path().to_path_buf());
    let profile = tempfile::tempdir().expect("profile");
    Some((
        out,
        profile,
        format!("http://127.0.0.1:{port}/compare/cameras/"),
    ))
}

#[test]
fn table_sorts_and_filters_in_a_browser_and_reads_without_javascript() {
    let Some((out, profile, base)) = served_cameras() else {
        return;
    };

    // Without JavaScript (the same page with its script removed, since headless Chromium's DOM
    // dump itself needs scripting): every row, in slug order, none hidden; controls stay hidden.
    let page = out.path().join("compare/cameras/index.html");
    let html = read(&page);
    let script = html
        .find("<script src=")
        .expect("the table page has a script");
    let end = html[script..].find("</script>").expect("closed") + script + "</script>".len();
    std::fs::write(
        out.path().join("compare/cameras/nojs.html"),
        format!("{}{}", &html[..script], &html[end..]),
    )
    .expect("write");
    let plain = dump_dom(&format!("{base}nojs.html"), profile.path());
    assert_eq!(
        rows(&plain),
        vec![
            ("EOS R5".to_string(), false),
            ("EOS R8".to_string(), false),
            ("Z50".to_string(), false)
        ]
    );
    assert!(
        plain.contains("data-table-controls=\"\" hidden")
            || plain.contains("data-table-controls hidden")
    );

    // With JavaScript: sorted by resolution, largest first, undisclosed last.
    let sorted = dump_dom(&format!("{base}?sort=megapixels&dir=desc"), profile.path());
    let titles: Vec<String> = rows(&sorted).into_iter().map(|(t, _)| t).collect();
    assert_eq!(titles, ["EOS R5", "Z50", "EOS R8"], "{sorted}");
    assert!(sorted.contains("aria-sort=\"descending\""));
    assert!(sorted.contains("Showing 3 of 3."));

    // Filtered by an enum facet from the URL: only APS-C bodies remain visible.
    let filtered = dump_dom(&format!("{base}?sensor=aps-c"), profile.path());
    assert_eq!(
        rows(&filtered),
        vec![
            ("EOS R5".to_string(), true),
            ("EOS R8".to_string(), true),
            ("Z50".to_string(), false)
        ]
    );
    assert!(filtered.contains("Showing 1 of 3."));

    // Columns outside `columns` are hidden by default and can be asked for in the URL.
    let cols = dump_dom(&format!("{base}?cols=maker,mounts"), profile.path());
    assert!(cols.contains("data-field=\"mounts\" class=\"state-value\""));
    assert!(
        cols.contains("data-field=\"sensor\" class=\"state-value col-hidden\""),
        "{cols}"
    );
}

#[test]
fn table_reports_what_it_does_not_understand_in_the_url_and_says_when_nothing_matches() {
    let Some((_out, profile, base)) = served_cameras() else {
        return;
    };

    // An unknown column to sort by, value of a filter, column to show and parameter: each is
    // named in the page, and none of them narrows or reorders the table.
    let bad = dump_dom(
        &format!("{base}?sort=weight&sensor=medium&cols=maker,lens&colour=red"),
        profile.path(),
    );
    let problems = &bad[bad.find("data-url-problems").expect("problems box")..];
    let problems = &problems[..problems.find("</div>").expect("closed")];
    assert!(!problems.contains("hidden"), "{problems}");
    for named in [
        "?sort=weight",
        "?sensor=medium",
        "?cols=maker,lens",
        "?colour=red",
    ] {
        assert!(problems.contains(named), "{named} not reported: {problems}");
    }
    assert_eq!(
        rows(&bad),
        vec![
            ("EOS R5".to_string(), false),
            ("EOS R8".to_string(), false),
            ("Z50".to_string(), false)
        ]
    );
    // The known column in `cols` is still honoured.
    assert!(bad.contains("data-field=\"sensor\" class=\"state-value col-hidden\""));

    // A valid URL reports nothing.
    let good = dump_dom(&format!("{base}?sensor=aps-c"), profile.path());
    assert!(
        good.contains("data-url-problems=\"\" role=\"status\" hidden"),
        "{good}"
    );

    // Filters that leave no entry: a message says so (and offers to clear them), and each
    // option counts the entries it would show with the other filters as they are.
    let none = dump_dom(&format!("{base}?sensor=aps-c&maker=canon"), profile.path());
    assert!(rows(&none).iter().all(|(_, hidden)| *hidden));
    let empty = &none[none.find("data-empty").expect("empty message")..];
    assert!(
        !empty[..empty.find('>').expect("tag")].contains("hidden"),
        "no message for zero results: {empty}"
    );
    assert!(none.contains("Showing 0 of 3."));
    // With the maker filter at Canon, the sensor options count Canon's bodies only.
    assert!(none.contains(">Full frame (2)</option>"), "{none}");
    assert!(none.contains(">APS-C (0)</option>"), "{none}");
}

#[test]
fn table_numbers_are_aligned_without_units_and_sources_are_named_markers() {
    let out = tempfile::tempdir().expect("tempdir");
    let r = build_to(&fixture("cameras"), out.path());
    assert!(r.ok(), "{}", diagnostics_text(&r));
    let html = read(&out.path().join("compare/cameras/index.html"));
    // The unit in the header, once; the cell holds the figure alone, right-aligned.
    assert!(html.contains("Resolution <span class=\"unit\">(MP)</span>"));
    let r5 = &html[html.find("data-slug=\"eos-r5\"").expect("row")..];
    let r5 = &r5[..r5.find("</tr>").expect("end of row")];
    let mp = &r5[r5.find("data-field=\"megapixels\"").expect("cell")..];
    let mp = &mp[..mp.find("</td>").expect("end of cell")];
    assert!(mp.contains("class=\"state-value num\""), "{mp}");
    assert!(!mp.contains("MP"), "the unit is repeated in the cell: {mp}");
    // The source: a marker named for what it is the source of, not the word "source".
    assert!(
        mp.contains("class=\"src-mark\"")
            && mp.contains("aria-label=\"Source for Resolution of EOS R5\""),
        "{mp}"
    );
    assert!(!r5.contains(">source</a>"), "{r5}");
}
