//! A site built for `https://example.org/docs/` works when served under `/docs/`: every link,
//! asset, feed entry, sitemap URL, redirect stub and generated comparison page resolves to a
//! file of the output, and nothing points at the host's root outside `/docs/`.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::*;

const BASE_URL: &str = "https://example.org/docs/";
const MOUNT: &str = "/docs/";

/// Builds `root` for `BASE_URL` into `out`.
fn build_under_docs(root: &Path, out: &Path) {
    let r = factbook::build(&factbook::BuildOptions {
        root: root.to_path_buf(),
        overrides: factbook::config::Overrides {
            base_url: Some(BASE_URL.into()),
            output_dir: Some(out.to_path_buf()),
            ..Default::default()
        },
        deny_warnings: false,
        write: true,
        keep_pages: false,
    });
    assert!(r.ok(), "{}", diagnostics_text(&r));
}

/// Every URL a browser, a feed reader or a crawler would follow in one output file: the values
/// of URL attributes (and `url=` in a refresh), `<loc>` and `<id>` in XML, `url(…)` in CSS,
/// `url` in the JSON exports and the `Sitemap:` line of robots.txt.
fn urls_in(text: &str, ext: &str) -> Vec<String> {
    let mut urls = Vec::new();
    for attr in ["href", "src", "action", "poster", "xlink:href", "srcset"] {
        for quote in ['"', '\''] {
            let needle = format!("{attr}={quote}");
            let mut rest = text;
            while let Some(i) = rest.find(&needle) {
                let before = rest[..i].chars().next_back();
                rest = &rest[i + needle.len()..];
                let end = rest.find(quote).unwrap_or(rest.len());
                // `data-href=` or `xlink:href=` are other attributes than `href=`.
                if before.is_some_and(|c| c.is_whitespace()) {
                    let value = &rest[..end];
                    if attr == "srcset" {
                        urls.extend(
                            value
                                .split(',')
                                .filter_map(|c| c.split_whitespace().next())
                                .map(str::to_string),
                        );
                    } else {
                        urls.push(value.to_string());
                    }
                }
                rest = &rest[end..];
            }
        }
    }
    let mut rest = text;
    while let Some(i) = rest.find("http-equiv=\"refresh\"") {
        rest = &rest[i..];
        let tag_end = rest.find('>').unwrap_or(rest.len());
        if let Some(u) = rest[..tag_end].find("url=") {
            let value = &rest[u + 4..tag_end];
            urls.push(value[..value.find('"').unwrap_or(value.len())].to_string());
        }
        rest = &rest[tag_end..];
    }
    if ext == "xml" {
        for tag in ["loc", "id"] {
            let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
            let mut rest = text;
            while let Some(i) = rest.find(&open) {
                rest = &rest[i + open.len()..];
                let end = rest.find(&close).expect("closed element");
                urls.push(rest[..end].to_string());
                rest = &rest[end..];
            }
        }
    }
    if ext == "css" {
        let mut rest = text;
        while let Some(i) = rest.find("url(") {
            rest = &rest[i + 4..];
            let end = rest.find(')').expect("closed url(");
            urls.push(rest[..end].trim_matches(['"', '\'']).to_string());
            rest = &rest[end..];
        }
    }
    if ext == "json" {
        // The data exports give each entry's page as `url`.
        fn collect(v: &serde_json::Value, urls: &mut Vec<String>) {
            match v {
                serde_json::Value::Object(map) => {
                    for (k, v) in map {
                        match v {
                            serde_json::Value::String(u) if k == "url" => urls.push(u.clone()),
                            _ => collect(v, urls),
                        }
                    }
                }
                serde_json::Value::Array(items) => items.iter().for_each(|v| collect(v, urls)),
                _ => {}
            }
        }
        collect(&serde_json::from_str(text).expect("json"), &mut urls);
    }
    if ext == "txt" {
        urls.extend(
            text.lines()
                .filter_map(|l| l.strip_prefix("Sitemap: "))
                .map(str::to_string),
        );
    }
    urls.into_iter()
        .map(|u| {
            u.replace("&amp;", "&")
                .replace("&#x2F;", "/")
                .replace("&#47;", "/")
        })
        .collect()
}

/// Percent-decodes a URL path (`%20` → space), for comparing it with file names.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The URL path (from the host's root) that `url`, found in the file served at `page_path`,
/// leads to; `None` for another site, a fragment alone, `mailto:` and the like.
fn served_path(url: &str, page_path: &str) -> Option<String> {
    let url = url.split('#').next().unwrap_or("");
    let url = url.split('?').next().unwrap_or("");
    if url.is_empty() || url.starts_with("data:") || url.starts_with("mailto:") {
        return None;
    }
    if let Some(rest) = url.strip_prefix("https://example.org") {
        return Some(if rest.is_empty() {
            "/".into()
        } else {
            rest.into()
        });
    }
    if url.starts_with("//") || url.contains("://") || url.starts_with("javascript:") {
        return None;
    }
    if url.starts_with('/') {
        return Some(url.to_string());
    }
    // Relative: against the directory of the page's URL.
    let dir = &page_path[..=page_path.rfind('/').expect("rooted")];
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for seg in url.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut path = format!("/{}", parts.join("/"));
    if (url.ends_with('/') || url.ends_with("/.") || url.ends_with("..")) && path != "/" {
        path.push('/');
    }
    Some(path)
}

/// Walks the output of a site built for `/docs/` and returns every problem: a URL that leaves
/// `/docs/`, or that a static file server with `out` mounted at `/docs/` would answer with 404.
fn problems_under_docs(out: &Path) -> (usize, Vec<String>) {
    let mut problems = BTreeSet::new();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(out).sort_by_file_name() {
        let entry = entry.expect("walk");
        let ext = entry
            .path()
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("");
        if !entry.file_type().is_file() || !["html", "xml", "css", "json", "txt"].contains(&ext) {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(out)
            .expect("inside")
            .to_string_lossy()
            .replace('\\', "/");
        // The address a reader sees the file at: `/docs/a/` for `a/index.html`.
        let page_path = match rel.strip_suffix("index.html") {
            Some(dir) => format!("{MOUNT}{dir}"),
            None => format!("{MOUNT}{rel}"),
        };
        let text = read(entry.path());
        for url in urls_in(&text, ext) {
            let Some(path) = served_path(&url, &page_path) else {
                continue;
            };
            checked += 1;
            let Some(inside) = path.strip_prefix(MOUNT) else {
                if format!("{path}/") != MOUNT {
                    problems.insert(format!("{rel}: `{url}` leaves {MOUNT} (goes to `{path}`)"));
                }
                continue;
            };
            let inside = percent_decode(inside);
            let file = out.join(&inside);
            let found = if inside.is_empty() || inside.ends_with('/') {
                file.join("index.html").is_file()
            } else {
                file.is_file() || file.join("index.html").is_file()
            };
            if !found {
                problems.insert(format!("{rel}: `{url}` is served nothing (`{path}`)"));
            }
        }
    }
    (checked, problems.into_iter().collect())
}

fn assert_works_under_docs(root: &Path) {
    let out = tempfile::tempdir().expect("tempdir");
    build_under_docs(root, out.path());
    let (checked, problems) = problems_under_docs(out.path());
    assert!(checked > 50, "only {checked} URLs were found to check");
    assert!(
        problems.is_empty(),
        "{} of {checked} URLs do not work under {MOUNT}:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn a_fixture_with_collections_works_under_a_subpath() {
    assert_works_under_docs(&fixture("cameras"));
}

#[test]
fn a_fixture_with_tags_feeds_and_redirects_works_under_a_subpath() {
    assert_works_under_docs(&fixture("basic"));
}

#[test]
fn the_bundled_site_works_under_a_subpath() {
    assert_works_under_docs(Path::new(env!("CARGO_MANIFEST_DIR")));
}

/// The build checks the links it can see; this walk is what catches the rest (absolute URLs,
/// files copied from `static/` as they are): it must report them.
#[test]
fn the_walk_reports_urls_that_leave_the_subpath_or_lead_nowhere() {
    let site = copy_fixture("basic");
    std::fs::write(
        site.path().join("static/leak.css"),
        "body { background: url(/bg.png) }\n",
    )
    .expect("write");
    std::fs::write(
        site.path().join("static/raw.html"),
        "<a href=\"https://example.org/elsewhere/\">x</a> <img src=\"missing.png\">\n",
    )
    .expect("write");
    let out = tempfile::tempdir().expect("tempdir");
    build_under_docs(site.path(), out.path());
    let (_, problems) = problems_under_docs(out.path());
    assert_eq!(
        problems,
        [
            "leak.css: `/bg.png` leaves /docs/ (goes to `/bg.png`)",
            "raw.html: `https://example.org/elsewhere/` leaves /docs/ (goes to `/elsewhere/`)",
            "raw.html: `missing.png` is served nothing (`/docs/missing.png`)",
        ]
    );
}

#[test]
fn the_url_scan_finds_what_it_checks() {
    let html = r#"<a href="/docs/x/">x</a><img src='../y.png'><a data-href="/no/"></a>
<meta http-equiv="refresh" content="0; url=/docs/z/">"#;
    assert_eq!(urls_in(html, "html"), ["/docs/x/", "../y.png", "/docs/z/"]);
    assert_eq!(
        served_path("../y.png", "/docs/a/b/"),
        Some("/docs/a/y.png".into())
    );
    assert_eq!(served_path("#top", "/docs/a/"), None);
    assert_eq!(
        served_path("https://example.org/atom.xml", "/docs/"),
        Some("/atom.xml".into())
    );
}

/// `/posts/second/` works for a site at the host's root and escapes one under `/docs/`: the
/// build refuses it and says how to write a link that works at both.
#[test]
fn a_root_relative_link_under_a_subpath_is_an_error_that_names_the_fix() {
    let site = copy_fixture("basic");
    let first = site.path().join("content/posts/first.md");
    let text = read(&first) + "\nSee [the second post](/posts/second/).\n";
    std::fs::write(&first, text).expect("write");
    let out = tempfile::tempdir().expect("tempdir");
    assert!(build_to(site.path(), out.path()).ok(), "fine at the root");
    // A fresh output directory: the first build's output holds the site's own `docs/` pages,
    // which a build into `out/docs` would rightly refuse to replace.
    let sub = tempfile::tempdir().expect("tempdir");
    let r = factbook::build(&factbook::BuildOptions {
        root: site.path().to_path_buf(),
        overrides: factbook::config::Overrides {
            base_url: Some(BASE_URL.into()),
            output_dir: Some(sub.path().join("docs")),
            ..Default::default()
        },
        deny_warnings: false,
        write: true,
        keep_pages: false,
    });
    let text = diagnostics_text(&r);
    assert!(!r.ok());
    assert!(
        text.contains("broken link `/posts/second/`")
            && text.contains(
                "the site lives under `/docs/` (its `base_url`): write `@/posts/second.md`"
            ),
        "{text}"
    );
}
