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

#[test]
fn table_sorts_and_filters_in_a_browser_and_reads_without_javascript() {
    if !Path::new(CHROMIUM).exists() {
        eprintln!("skipped: {CHROMIUM} is not installed (CI installs it with apt-get)");
        return;
    }
    let out = tempfile::tempdir().expect("tempdir");
    let r = build_to(&fixture("cameras"), out.path());
    assert!(r.ok(), "{}", diagnostics_text(&r));
    let port = serve(out.path().to_path_buf());
    let profile = tempfile::tempdir().expect("profile");
    let base = format!("http://127.0.0.1:{port}/compare/cameras/");

    // Without JavaScript (the same page with its script removed, since headless Chromium's DOM
    // dump itself needs scripting): every row, in slug order, none hidden; controls stay hidden.
    let page = out.path().join("compare/cameras/index.html");
    let html = read(&page);
    assert!(html.contains("<script"), "the table page has a script");
    // Every script: the table's, and the search box's in the header.
    let mut nojs = html.clone();
    while let Some(script) = nojs.find("<script") {
        let end = nojs[script..].find("</script>").expect("closed") + script + "</script>".len();
        nojs.replace_range(script..end, "");
    }
    std::fs::write(out.path().join("compare/cameras/nojs.html"), nojs).expect("write");
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
