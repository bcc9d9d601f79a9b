//! Real Markdown trees (the Rust RFCs, Zola's docs, mdBook's guide) built as a new user would:
//! each test is a false error or a wrong page that such a tree used to get (issue 13).

mod common;

use common::*;

/// Builds the fixture `trees/NAME` into a fresh directory.
fn build_tree(name: &str) -> (tempfile::TempDir, factbook::BuildResult) {
    let out = tempfile::tempdir().expect("tempdir");
    let r = build_to(
        &fixture(&format!("trees/{name}")),
        &out.path().join("public"),
    );
    (out, r)
}

fn page(out: &tempfile::TempDir, path: &str) -> String {
    read(&out.path().join("public").join(path))
}

#[test]
fn files_without_front_matter_are_titled_by_their_first_heading_or_file_name() {
    let (out, r) = build_tree("untitled");
    assert!(r.ok(), "{}", diagnostics_text(&r));
    let heading = page(&out, "rfcs/0243-trait-based-exception-handling/index.html");
    assert!(
        heading.contains(">Stabilize the ? operator</h1>"),
        "{}",
        main_of(&heading)
    );
    let first_heading = page(&out, "rfcs/0001-private-fields/index.html");
    assert!(
        first_heading.contains(">Summary</h1>"),
        "{}",
        main_of(&first_heading)
    );
    let no_heading = page(&out, "rfcs/0002-rfc-process/index.html");
    assert!(
        no_heading.contains(">0002-rfc-process</h1>"),
        "{}",
        main_of(&no_heading)
    );
    let list = page(&out, "rfcs/index.html");
    assert!(
        !list.contains("\"></a>"),
        "no empty link: {}",
        main_of(&list)
    );
    for title in ["Stabilize the ? operator", "Summary", "0002-rfc-process"] {
        assert!(
            list.contains(&format!(">{title}</a>")),
            "{title}: {}",
            main_of(&list)
        );
    }
}

#[test]
fn github_heading_ids_make_anchors_written_for_github_work() {
    let (out, r) = build_tree("github-ids");
    assert!(r.ok(), "{}", diagnostics_text(&r));
    let guide = page(&out, "guide/index.html");
    assert!(
        guide.contains("<h2 id=\"the-api-v21\">"),
        "{}",
        main_of(&guide)
    );
    assert!(
        guide.contains("<h2 id=\"set_up-rust\">"),
        "{}",
        main_of(&guide)
    );
}

#[test]
fn broken_anchors_that_differ_in_case_or_id_scheme_say_so() {
    let (_out, r) = build_tree("anchor-help");
    assert!(!r.ok());
    let text = diagnostics_text(&r);
    assert!(
        text.contains("`#the-api-v21` is GitHub's id for the heading “The API: v2.1”, which has the id `#the-api-v2-1` here: write that, or set `heading_ids = \"github\"` under `[markdown]` in book.toml"),
        "{text}"
    );
    assert!(
        text.contains("ids are case-sensitive: the heading “Intro” has the id `#intro`"),
        "{text}"
    );
}

#[test]
fn links_to_files_beside_a_page_are_read_from_its_files_directory() {
    let (out, r) = build_tree("colocated");
    assert!(r.ok(), "{}", diagnostics_text(&r));
    let b = page(&out, "b/index.html");
    assert!(b.contains("src=\"/b/d.svg\""), "{}", main_of(&b));
    assert!(
        b.contains("href=\"/b/slides.pdf#page=2\""),
        "{}",
        main_of(&b)
    );
    // From `_index.md` the page's URL is the file's directory: the link is left as written.
    let guide = page(&out, "guide/index.html");
    assert!(guide.contains("src=\"shot.svg\""), "{}", main_of(&guide));

    // A file that is not there is an error at the link, which says where it was looked for.
    let site = copy_fixture("trees/colocated");
    std::fs::write(
        site.path().join("content/c.md"),
        "+++\ntitle = \"C\"\n+++\n\n[missing](b/none.pdf)\n",
    )
    .expect("write");
    let r = check(site.path());
    let text = diagnostics_text(&r);
    assert!(text.contains("broken link `/b/none.pdf`"), "{text}");
    assert!(text.contains("content/c.md:5:1"), "{text}");
    assert!(
        text.contains("there is no file `content/b/none.pdf`"),
        "{text}"
    );
    assert_eq!(r.diags.items().len(), 1, "{text}");
}

#[test]
fn index_md_without_index_is_the_page_of_its_directory() {
    let (out, r) = build_tree("bundle");
    assert!(r.ok(), "{}", diagnostics_text(&r));
    let trip = page(&out, "trip/index.html");
    assert!(trip.contains(">A trip</h1>"), "{}", main_of(&trip));
    assert!(trip.contains("src=\"map.svg\""), "{}", main_of(&trip));
    assert!(out.path().join("public/trip/map.svg").exists());
}

#[test]
fn index_md_beside_index_collision_names_the_fix() {
    let r = check(&fixture("trees/bundle-and-index"));
    let text = diagnostics_text(&r);
    assert!(
        text.contains("two pages would be written to `/trip/`"),
        "{text}"
    );
    assert!(
        text.contains("move the text of `content/trip/index.md` into `content/trip/_index.md`"),
        "{text}"
    );
}

#[test]
fn page_beside_directory_collision_names_the_fix() {
    let r = check(&fixture("trees/beside-dir"));
    let text = diagnostics_text(&r);
    assert!(
        text.contains("two pages would be written to `/a/`"),
        "{text}"
    );
    assert!(
        text.contains("collides with the section of directory `content/a/`"),
        "{text}"
    );
    assert!(
        text.contains("move `content/a.md` to `content/a/_index.md` to make it the page of the directory `content/a/`"),
        "{text}"
    );
}

#[test]
fn front_matter_after_a_blank_line_is_read_and_shortcodes_are_warned_about() {
    let (out, r) = build_tree("zola-theme-page");
    assert!(r.ok(), "{}", diagnostics_text(&r));
    let theme = page(&out, "after-dark/index.html");
    assert!(theme.contains(">after-dark</h1>"), "{}", main_of(&theme));
    assert!(!theme.contains("+++"), "{}", main_of(&theme));
    let text = diagnostics_text(&r);
    assert!(
        text.contains(
            "warning[syntax]: `{{ resize_image(…) }}` is a Zola shortcode: factbook does not run it"
        ),
        "{text}"
    );
    assert!(text.contains("content/after-dark.md:9:1"), "{text}");
    assert!(
        text.contains("write the Markdown or HTML it stands for"),
        "{text}"
    );
}

#[test]
fn html_links_are_read_from_tags_only_with_entities_decoded() {
    // Inline code showing a link, a commented-out link and an entity-encoded external URL are
    // not internal links.
    let (out, r) = build_tree("html-scan");
    assert!(r.ok(), "{}", diagnostics_text(&r));
    assert!(page(&out, "html/index.html").contains("<code>&lt;a href="));

    // Single-quoted and unquoted links in templates are checked.
    let site = copy_fixture("trees/html-scan");
    std::fs::write(
        site.path().join("content/t.md"),
        "+++\ntitle = \"T\"\ntemplate = \"single.html\"\n+++\n",
    )
    .expect("write");
    let r = check(site.path());
    let text = diagnostics_text(&r);
    assert!(text.contains("broken link `/nowhere/`"), "{text}");
    assert!(text.contains("broken link `/unquoted-nowhere/`"), "{text}");
    assert!(text.contains("templates/single.html"), "{text}");
    assert_eq!(r.diags.items().len(), 2, "{text}");
}

#[test]
fn same_page_anchor_suggestions_come_from_that_page_only() {
    let r = check(&fixture("trees/same-page-anchor"));
    let text = diagnostics_text(&r);
    assert_eq!(r.diags.items().len(), 2, "{text}");
    // `#set-up` and `#usage-notes` are ids of another page: not suggested.
    assert!(!text.contains("#set-up"), "{text}");
    assert!(!text.contains("#usage-notes"), "{text}");
    assert!(text.contains("did you mean `#usage`?"), "{text}");
}
