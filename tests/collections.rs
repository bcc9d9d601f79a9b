//! Typed collections and the comparison engine, on a fixture that has nothing to do with
//! language models: cameras and their makers.

mod common;

use common::*;

fn built() -> (tempfile::TempDir, factbook::BuildResult) {
    let out = tempfile::tempdir().expect("tempdir");
    let r = build_to(&fixture("cameras"), out.path());
    assert!(r.ok(), "{}", diagnostics_text(&r));
    (out, r)
}

#[test]
fn every_comparison_page_is_generated() {
    let (out, _) = built();
    let o = out.path();
    for page in [
        "compare/index.html",
        "compare/cameras/index.html",
        "compare/cameras/eos-r5-vs-z50/index.html",
        "compare/cameras/eos-r5-vs-eos-r8/index.html",
        "compare/cameras/eos-r8-vs-z50/index.html",
        "compare/cameras/sensor/index.html",
        "compare/cameras/sensor/full-frame/index.html",
        "compare/cameras/sensor/aps-c/index.html",
        "compare/cameras/maker/canon/index.html",
        "compare/cameras/megapixels/index.html",
        "compare/cameras/charts/index.html",
        "compare/makers/index.html",
        "data/cameras.json",
        "data/cameras.csv",
    ] {
        assert!(o.join(page).exists(), "missing {page}");
    }
}

#[test]
fn reversed_pair_urls_redirect_to_the_alphabetical_one() {
    let (out, _) = built();
    let redirect = read(&out.path().join("compare/cameras/z50-vs-eos-r5/index.html"));
    assert!(redirect.contains("url=/compare/cameras/eos-r5-vs-z50/"));
}

#[test]
fn pair_page_highlights_differing_fields_with_sources() {
    let (out, _) = built();
    let html = main_of(&read(
        &out.path().join("compare/cameras/eos-r5-vs-z50/index.html"),
    ));
    insta::assert_snapshot!("cameras_pair_eos_r5_vs_z50", html);
    assert!(html.contains("<tr class=\"differs\">"));
    assert!(html.contains("href=\"https://example.com/r5\""));
}

#[test]
fn table_is_complete_without_javascript() {
    let (out, _) = built();
    let html = read(&out.path().join("compare/cameras/index.html"));
    // Every entry and every field is in the HTML itself; the script only enhances it.
    for title in ["EOS R5", "EOS R8", "Z50"] {
        assert!(html.contains(&format!(">{title}</a></th>")), "{title}");
    }
    for label in [
        "Maker",
        "Sensor",
        "Resolution",
        "Announced",
        "Mounts",
        "Weather sealed",
    ] {
        assert!(html.contains(&format!(">{label}")), "{label}");
    }
    assert!(
        html.contains("data-sort=\"45.0\""),
        "numbers sort as numbers"
    );
    assert!(html.contains("data-f-sensor=\"full-frame\""));
    assert!(html.contains("<form class=\"table-controls\" data-table-controls hidden>"));
}

#[test]
fn rankings_list_undisclosed_values_apart_never_as_zero() {
    let (out, _) = built();
    let html = main_of(&read(
        &out.path().join("compare/cameras/megapixels/index.html"),
    ));
    let ranked = &html[..html
        .find("<h2>Undisclosed</h2>")
        .expect("an undisclosed list")];
    assert!(ranked.find("EOS R5") < ranked.find("Z50"), "largest first");
    assert!(!ranked.contains("EOS R8"), "undisclosed is not ranked");
    assert!(html[html.find("<h2>Undisclosed</h2>").unwrap_or(0)..].contains("EOS R8"));
}

#[test]
fn charts_are_inline_svg_with_labels_legend_and_links() {
    let (out, _) = built();
    let html = read(&out.path().join("compare/cameras/charts/index.html"));
    assert!(html.contains("<svg class=\"chart\""));
    assert!(
        html.contains("<title id=\"chart-cameras-resolution-title\">Resolution over time</title>")
    );
    assert!(
        html.contains("Resolution (MP)"),
        "the y axis is labelled with its unit"
    );
    assert!(
        html.contains("Full frame") && html.contains("APS-C"),
        "legend"
    );
    assert!(
        html.contains("<a href=\"/cameras/eos-r5/\""),
        "points link to their sheets"
    );
    assert!(
        html.contains("Not plotted (1)"),
        "EOS R8 has no disclosed resolution"
    );
}

#[test]
fn exports_carry_values_units_and_sources() {
    let (out, _) = built();
    let json: serde_json::Value =
        serde_json::from_str(&read(&out.path().join("data/cameras.json"))).expect("json");
    let r5 = &json["entries"][0];
    assert_eq!(r5["slug"], "eos-r5");
    assert_eq!(r5["fields"]["megapixels"]["value"], 45.0);
    assert_eq!(r5["fields"]["megapixels"]["unit"], "MP");
    assert_eq!(
        r5["fields"]["megapixels"]["source"],
        "https://example.com/r5"
    );
    assert_eq!(
        json["entries"][1]["fields"]["megapixels"]["disclosure"],
        "undisclosed"
    );
    let csv = read(&out.path().join("data/cameras.csv"));
    let header = csv.lines().next().expect("header");
    assert!(
        header.starts_with("slug,title,maker,sensor,sensor_source,sensor_note,megapixels (MP),")
    );
    assert!(csv.contains("eos-r8,EOS R8,canon,full-frame,https://example.com/r8,,undisclosed,"));
}

#[test]
fn sheets_show_referrers_and_mentions() {
    let (out, _) = built();
    let canon = main_of(&read(&out.path().join("makers/canon/index.html")));
    assert!(canon.contains("Cameras with this maker"));
    assert!(
        canon.contains("href=\"/cameras/eos-r5/\"") && canon.contains("href=\"/cameras/eos-r8/\"")
    );
    let r5 = main_of(&read(&out.path().join("cameras/eos-r5/index.html")));
    assert!(r5.contains("Mentioned in") && r5.contains("href=\"/notes/overview/\""));
    assert!(
        r5.contains("href=\"/makers/canon/\""),
        "a ref renders as a link"
    );
    assert!(
        r5.contains("href=\"/compare/cameras/eos-r5-vs-z50/\""),
        "links to its pairs"
    );
}

#[test]
fn templates_can_query_collections_sorted_and_filtered() {
    let site = copy_fixture("cameras");
    std::fs::create_dir_all(site.path().join("templates")).expect("mkdir");
    std::fs::write(
        site.path().join("templates/list.html"),
        "{% extends \"base.html\" %}{% block content %}\
{% for c in get_collection(name=\"cameras\", sort_by=\"megapixels\", order=\"desc\") %}[{{ c.title }}]{% endfor %}\
|{% for c in get_collection(name=\"cameras\", filter_field=\"sensor\", filter_value=\"aps-c\") %}[{{ c.title }}]{% endfor %}\
{% endblock content %}",
    )
    .expect("write");
    std::fs::write(
        site.path().join("content/notes/list.md"),
        "+++\ntitle = \"List\"\ntemplate = \"list.html\"\n+++\n",
    )
    .expect("write");
    let out = site.path().join("public");
    let r = build_to(site.path(), &out);
    assert!(r.ok(), "{}", diagnostics_text(&r));
    let html = read(&out.join("notes/list/index.html"));
    assert!(
        html.contains("[EOS R5][Z50][EOS R8]|[Z50]"),
        "missing values sort last: {}",
        main_of(&html)
    );
}
