//! Search at build time: the Pagefind bundle in the output, the facets given to it, the search
//! page and the search box, and the same bytes on every build.
#![cfg(feature = "search")]

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;

/// Every file under `dir`, by path relative to it.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.expect("walk");
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(dir).expect("under dir");
            out.insert(
                rel.to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("read"),
            );
        }
    }
    out
}

#[test]
fn the_search_index_is_built_into_the_output() {
    let out = tempfile::tempdir().expect("tempdir");
    let r = build_to(&fixture("cameras"), out.path());
    assert!(r.ok(), "{}", diagnostics_text(&r));
    let files = tree(&out.path().join("pagefind"));
    for name in [
        "pagefind.js",
        "pagefind-ui.js",
        "pagefind-ui.css",
        "pagefind-entry.json",
    ] {
        assert!(
            files.contains_key(name),
            "no pagefind/{name} in {:?}",
            files.keys()
        );
    }
    assert!(files.keys().any(|f| f.ends_with(".pf_meta")));
    assert!(files.keys().any(|f| f.ends_with(".pf_fragment")));
    assert!(files.keys().any(|f| f.starts_with("wasm.")));
    // One fragment per indexed page: the six Markdown pages, not the generated ones.
    let fragments = files.keys().filter(|f| f.ends_with(".pf_fragment")).count();
    assert_eq!(fragments, 6, "{:?}", files.keys());
}

#[test]
fn two_builds_give_the_same_search_index() {
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    for out in [&a, &b] {
        let r = build_to(&fixture("cameras"), out.path());
        assert!(r.ok(), "{}", diagnostics_text(&r));
    }
    let (ta, tb) = (tree(a.path()), tree(b.path()));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (path, bytes) in &ta {
        assert!(tb[path] == *bytes, "{path} differs between two builds");
    }
}

#[test]
fn fact_sheets_carry_their_section_and_enum_and_ref_fields_as_filters() {
    let out = tempfile::tempdir().expect("tempdir");
    let r = build_to(&fixture("cameras"), out.path());
    assert!(r.ok(), "{}", diagnostics_text(&r));
    let site = r.site.as_ref().expect("site");
    let facets = factbook::search::Facets::new(site);
    let z50 = site.doc_by_rel("cameras/z50.md").expect("z50");
    let filters = facets.filters(z50);
    let expected: BTreeMap<String, Vec<String>> = [
        ("Section", "Cameras"),
        ("Maker", "Nikon"),
        ("Sensor", "APS-C"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), vec![v.to_string()]))
    .collect();
    assert_eq!(
        filters, expected,
        "numbers, dates, strings and bools are not facets"
    );
}

#[test]
fn every_page_has_a_search_box_that_works_without_javascript() {
    let out = tempfile::tempdir().expect("tempdir");
    let r = build_to(&fixture("basic"), out.path());
    assert!(r.ok(), "{}", diagnostics_text(&r));
    let page = read(&out.path().join("posts/first/index.html"));
    assert!(
        page.contains(r#"<form class="site-search" role="search" action="/search/" method="get">"#),
        "a plain GET form to the search page"
    );
    assert!(page.contains(r#"name="q""#));
    let search = read(&out.path().join("search/index.html"));
    assert!(
        search.contains("<noscript>"),
        "the search page says what to do without JavaScript"
    );
    assert!(search.contains("needs JavaScript"));
    assert!(search.contains("/pagefind/pagefind-ui.js"));
}
