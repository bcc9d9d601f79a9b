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
    assert!(html.contains("<tr class=\"differs\" data-field=\"sensor\">"));
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
    // Drawn twice, for wide and narrow screens, each with its own ids.
    for variant in ["wide", "narrow"] {
        assert!(html.contains(&format!("<svg class=\"chart chart-{variant}\"")));
        assert!(html.contains(&format!(
            "<title id=\"chart-cameras-resolution-{variant}-title\">Resolution over time</title>"
        )));
    }
    // Points are named directly where their names fit, and their values are in a table too.
    assert!(html.contains("<g class=\"labels\""));
    assert!(html.contains(">Z50</text>"), "no direct label");
    assert!(html.contains("<details class=\"chart-data\">"));
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

// ------------------------------------------------------------------ pair sets and compare-any

fn build_copy(dir: &std::path::Path) -> (tempfile::TempDir, factbook::BuildResult) {
    let out = tempfile::tempdir().expect("tempdir");
    let r = build_to(dir, &out.path().join("public"));
    (out, r)
}

fn set_pairs(dir: &std::path::Path, line: &str) {
    let p = dir.join("book.toml");
    let toml = read(&p).replace("pairs = \"listed\"", line);
    std::fs::write(&p, toml).expect("write book.toml");
}

fn pair_pages(out: &std::path::Path, collection: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(out.join("public/compare").join(collection))
        .expect("compare dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("-vs-"))
        .filter(|n| {
            !read(&out.join(format!("public/compare/{collection}/{n}/index.html")))
                .contains("http-equiv=\"refresh\"")
        })
        .collect();
    v.sort();
    v
}

#[test]
fn pairs_listed_gives_pages_only_to_compare_with_and_linked_pairs() {
    let dir = copy_fixture("elements");
    let (out, r) = build_copy(dir.path());
    assert!(r.ok(), "{}", diagnostics_text(&r));
    // gold-vs-mercury and helium-vs-hydrogen from `compare_with`, gold-vs-iron from a link.
    assert_eq!(
        pair_pages(out.path(), "elements"),
        ["gold-vs-iron", "gold-vs-mercury", "helium-vs-hydrogen"]
    );
    // Reversed URLs redirect for those pairs only.
    assert!(
        out.path()
            .join("public/compare/elements/iron-vs-gold/index.html")
            .exists()
    );
    assert!(
        !out.path()
            .join("public/compare/elements/carbon-vs-gold/index.html")
            .exists()
    );
    assert!(
        !out.path()
            .join("public/compare/elements/gold-vs-carbon/index.html")
            .exists()
    );
}

#[test]
fn pairs_related_pairs_each_entry_with_its_most_related_and_lists_no_one_else() {
    let dir = copy_fixture("elements");
    set_pairs(dir.path(), "pairs = \"related\"");
    let (out, r) = build_copy(dir.path());
    assert!(r.ok(), "{}", diagnostics_text(&r));
    let pages = pair_pages(out.path(), "elements");
    // related = 2: at most 2 per entry, plus the 2 from compare_with.
    assert!(pages.len() <= 8 * 2 + 2, "{pages:?}");
    // Iron's two most related (same category and phase, nearest atomic number) are gold and
    // mercury… gold and iron share category and phase; mercury shares only the category.
    assert!(pages.contains(&"gold-vs-iron".to_string()), "{pages:?}");
    // The sheet offers its related entries and the compare-any page, not every other entry.
    let sheet = main_of(&read(&out.path().join("public/elements/iron/index.html")));
    let offered = sheet.matches("-vs-").count();
    assert!((1..=2).contains(&offered), "{sheet}");
    assert!(sheet.contains("href=\"/compare/elements/gold-vs-iron/\""));
    assert!(sheet.contains("href=\"/compare/elements/pick/?a=iron\""));
    assert!(
        !sheet.contains("oganesson-vs-"),
        "no list of every other entry"
    );
}

#[test]
fn pairs_all_is_refused_beyond_sixty_entries_at_the_setting() {
    let dir = copy_fixture("elements");
    set_pairs(dir.path(), "pairs = \"all\"");
    for i in 0..60 {
        std::fs::write(
            dir.path().join(format!("content/elements/extra-{i:02}.md")),
            format!("+++\ntitle = \"Extra {i}\"\natomic_number = {}\nsymbol = \"X\"\ncategory = \"metalloid\"\ndensity = {{ disclosure = \"unknown\" }}\nmelting_point = {{ disclosure = \"unknown\" }}\n+++\n", 200 + i),
        )
        .expect("write");
    }
    let r = check(dir.path());
    assert!(!r.ok());
    let text = diagnostics_text(&r);
    assert!(
        text.contains("`pairs = \"all\"` would write 2278 pair pages for the 68 entries"),
        "{text}"
    );
    assert!(text.contains("book.toml:12:9"), "{text}");
    assert!(text.contains("use `pairs = \"related\"`"), "{text}");
}

#[test]
fn pairs_none_writes_no_pair_pages_and_compare_with_then_says_so() {
    let dir = copy_fixture("elements");
    set_pairs(dir.path(), "pairs = \"none\"");
    let r = check(dir.path());
    let text = diagnostics_text(&r);
    assert!(text.contains("`compare_with` has no effect"), "{text}");
    assert!(text.contains("content/elements/hydrogen.md:9:17"), "{text}");
    // Without compare_with and the link, the build has no pair page at all.
    for f in ["hydrogen", "gold"] {
        let p = dir.path().join(format!("content/elements/{f}.md"));
        let t = read(&p);
        let t: String = t
            .lines()
            .filter(|l| !l.starts_with("compare_with"))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(&p, t).expect("write");
    }
    std::fs::write(
        dir.path().join("content/notes/metals.md"),
        "+++\ntitle = \"Two metals\"\n+++\nNone.\n",
    )
    .expect("write");
    let (out, r) = build_copy(dir.path());
    assert!(r.ok(), "{}", diagnostics_text(&r));
    assert!(pair_pages(out.path(), "elements").is_empty());
    assert!(
        out.path()
            .join("public/compare/elements/pick/index.html")
            .exists()
    );
}

#[test]
fn a_link_to_a_pair_without_a_page_is_a_located_error_that_says_what_to_do() {
    let dir = copy_fixture("elements");
    set_pairs(dir.path(), "pairs = \"related\"");
    std::fs::write(
        dir.path().join("content/notes/metals.md"),
        "+++\ntitle = \"Two metals\"\n+++\nSee [these](@/compare/elements/hydrogen-vs-oganesson).\n",
    )
    .expect("write");
    let r = check(dir.path());
    let text = diagnostics_text(&r);
    assert!(
        text.contains("no pair page for `hydrogen` and `oganesson`"),
        "{text}"
    );
    assert!(text.contains("content/notes/metals.md:4:5"), "{text}");
    assert!(
        text.contains("add `compare_with = [\"oganesson\"]` to content/elements/hydrogen.md"),
        "{text}"
    );
    assert!(
        text.contains("`@/compare/elements/pick/?a=hydrogen&b=oganesson`"),
        "{text}"
    );
}

#[test]
fn compare_with_names_must_be_entries() {
    let dir = copy_fixture("elements");
    let p = dir.path().join("content/elements/gold.md");
    std::fs::write(
        &p,
        read(&p).replace("[\"mercury\"]", "[\"mercuy\", \"gold\"]"),
    )
    .expect("write");
    let text = diagnostics_text(&check(dir.path()));
    assert!(
        text.contains("`compare_with` names `mercuy`, which is not a element of this collection")
            || text.contains("`compare_with` names `mercuy`"),
        "{text}"
    );
    assert!(text.contains("did you mean `mercury`?"), "{text}");
    assert!(
        text.contains("an entry cannot be compared with itself"),
        "{text}"
    );
}

#[test]
fn numbers_keep_their_precision_and_not_applicable_is_its_own_state() {
    let (out, r) = {
        let out = tempfile::tempdir().expect("tempdir");
        let r = build_to(&fixture("elements"), out.path());
        (out, r)
    };
    assert!(r.ok(), "{}", diagnostics_text(&r));
    let o = out.path();
    let h = main_of(&read(&o.join("elements/hydrogen/index.html")));
    assert!(h.contains("0.00008988 g/cm³"), "{h}");
    let he = main_of(&read(&o.join("elements/helium/index.html")));
    assert!(
        he.contains("<span class=\"not-applicable\">not applicable</span>"),
        "{he}"
    );
    assert!(!he.contains("not yet researched"), "{he}");
    // The ranking lists not-applicable entries apart, never as zero.
    let rank = main_of(&read(&o.join("compare/elements/melting_point/index.html")));
    let ranked = &rank[..rank.find("</table>").expect("table")];
    assert!(!ranked.contains("Helium"), "{rank}");
    assert!(rank[rank.find("Does not apply").expect("section")..].contains("Helium"));
    // rank = false: an identifier gets no ranking page.
    assert!(!o.join("compare/elements/atomic_number/index.html").exists());
    assert!(o.join("compare/elements/density/index.html").exists());
    // sort_by: the table reads in atomic-number order without JavaScript.
    let table = read(&o.join("compare/elements/index.html"));
    let order: Vec<usize> = [
        "hydrogen",
        "helium",
        "carbon",
        "iron",
        "arsenic",
        "gold",
        "mercury",
        "oganesson",
    ]
    .iter()
    .map(|s| table.find(&format!("data-slug=\"{s}\"")).expect("row"))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(table.contains("data-default-sort=\"atomic_number\" data-default-dir=\"asc\""));
    // Neutral wording: nothing assumes a "maker".
    assert!(!table.contains("maker"), "table wording");
    assert!(!rank.contains("maker"), "ranking wording");
    // CSV and JSON carry the third state.
    assert!(read(&o.join("data/elements.csv")).contains(",not-applicable,"));
    assert!(read(&o.join("data/elements.json")).contains("\"disclosure\": \"not-applicable\""));
}

#[test]
fn compare_any_data_matches_the_pair_pages_cell_for_cell() {
    let out = tempfile::tempdir().expect("tempdir");
    let r = build_to(&fixture("elements"), out.path());
    assert!(r.ok(), "{}", diagnostics_text(&r));
    let o = out.path();
    let pick = read(&o.join("compare/elements/pick/index.html"));
    // A plain GET form that works without JavaScript: it opens the table with the entries named.
    assert!(
        pick.contains("<form class=\"picker\" method=\"get\" action=\"/compare/elements/\""),
        "{pick}"
    );
    for slot in ["a", "b", "c"] {
        assert!(pick.contains(&format!("name=\"{slot}\"")), "{slot}");
    }
    let index: serde_json::Value =
        serde_json::from_str(&read(&o.join("data/elements/index.json"))).expect("index json");
    assert_eq!(index["entries"].as_array().map(Vec::len), Some(8));
    let gold: serde_json::Value =
        serde_json::from_str(&read(&o.join("data/elements/gold.json"))).expect("json");
    let iron: serde_json::Value =
        serde_json::from_str(&read(&o.join("data/elements/iron.json"))).expect("json");
    assert_eq!(gold["pairs"]["iron"], "/compare/elements/gold-vs-iron/");
    let pair = read(&o.join("compare/elements/gold-vs-iron/index.html"));
    let cells: Vec<&str> = pair
        .split("<td class=\"state-")
        .skip(1)
        .map(|c| {
            let body = &c[c.find('>').expect("td") + 1..];
            &body[..body.find("</td>").expect("td end")]
        })
        .collect();
    let fields = gold["cells"].as_array().expect("cells").len();
    assert_eq!(cells.len(), 2 * fields);
    for i in 0..fields {
        assert_eq!(
            cells[2 * i],
            gold["cells"][i]["html"].as_str().unwrap_or(""),
            "gold, field {i}"
        );
        assert_eq!(
            cells[2 * i + 1],
            iron["cells"][i]["html"].as_str().unwrap_or(""),
            "iron, field {i}"
        );
    }
}

#[test]
fn last_verified_can_be_made_optional_and_stays_required_by_default() {
    let dir = copy_fixture("elements");
    let r = check(dir.path());
    assert!(r.ok(), "{}", diagnostics_text(&r));
    let p = dir.path().join("book.toml");
    std::fs::write(&p, read(&p).replace("require_last_verified = false\n", "")).expect("write");
    let text = diagnostics_text(&check(dir.path()));
    assert!(
        text.contains("element `gold` has no `last_verified` date"),
        "{text}"
    );
    assert!(text.contains("require_last_verified = false"), "{text}");
}

#[test]
fn pair_page_marks_only_values_that_really_differ_and_offers_differences_only() {
    // Z50's resolution undisclosed as well as EOS R8's (from another source), and written as an
    // integer where EOS R5's is a decimal.
    let site = copy_fixture("cameras");
    let z50 = site.path().join("content/cameras/z50.md");
    let text = read(&z50).replace(
        "megapixels = { value = 20.9, source = \"https://example.com/z50\" }",
        "megapixels = { disclosure = \"undisclosed\", source = \"https://example.com/z50-spec\" }",
    );
    std::fs::write(&z50, text).expect("write");
    let out = tempfile::tempdir().expect("tempdir");
    let r = build_to(site.path(), out.path());
    assert!(r.ok(), "{}", diagnostics_text(&r));
    let html = main_of(&read(
        &out.path().join("compare/cameras/eos-r8-vs-z50/index.html"),
    ));
    // Undisclosed against undisclosed is no difference; the other fields are.
    assert!(
        html.contains("<tr class=\"same\" data-field=\"megapixels\">"),
        "{html}"
    );
    assert!(html.contains("<tr class=\"differs\" data-field=\"sensor\">"));
    // The no-script toggle: a link to the comparison as a fragment, which CSS narrows to the
    // rows that differ, and one back to every field.
    assert!(html.contains("id=\"only-differences\""));
    assert!(
        html.contains("<a class=\"show-differences\" href=\"#only-differences\">Show only the")
    );
    assert!(html.contains("<a class=\"show-all\" href=\"#all-fields\">"));
    assert!(html.contains("id=\"all-fields\""));
}

#[test]
fn every_page_has_sharing_metadata_and_the_table_describes_its_dataset() {
    let (out, _) = built();
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(out.path()) {
        let entry = entry.expect("walk");
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = read(entry.path());
        if html.contains("http-equiv=\"refresh\"") {
            continue;
        }
        pages += 1;
        for tag in [
            "<meta property=\"og:title\" content=\"",
            "<meta property=\"og:description\" content=\"",
            "<meta property=\"og:url\" content=\"https://cameras.example.org/",
            "<meta property=\"og:type\" content=\"",
            "<meta name=\"twitter:card\" content=\"summary\">",
            "<meta name=\"twitter:title\" content=\"",
        ] {
            assert!(html.contains(tag), "{}: no {tag}", entry.path().display());
        }
    }
    assert!(pages > 10);

    let html = read(&out.path().join("compare/cameras/index.html"));
    let start = html
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD")
        + "<script type=\"application/ld+json\">".len();
    let end = start + html[start..].find("</script>").expect("closed");
    let ld: serde_json::Value = serde_json::from_str(&html[start..end]).expect("valid JSON");
    assert_eq!(ld["@type"], "Dataset");
    assert_eq!(ld["url"], "https://cameras.example.org/compare/cameras/");
    let downloads: Vec<(&str, &str)> = ld["distribution"]
        .as_array()
        .expect("distribution")
        .iter()
        .map(|d| {
            (
                d["encodingFormat"].as_str().expect("format"),
                d["contentUrl"].as_str().expect("url"),
            )
        })
        .collect();
    assert_eq!(
        downloads,
        [
            (
                "application/json",
                "https://cameras.example.org/data/cameras.json"
            ),
            ("text/csv", "https://cameras.example.org/data/cameras.csv")
        ]
    );
    for (_, url) in downloads {
        let rel = url.trim_start_matches("https://cameras.example.org/");
        assert!(out.path().join(rel).is_file(), "{rel} is not written");
    }
}
