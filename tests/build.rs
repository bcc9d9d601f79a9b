//! `factbook build` on fixture sites: what a reader and an author would notice.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;

#[test]
fn basic_site_pages_render_as_expected() {
    let out = tempfile::tempdir().expect("tempdir");
    let r = build_to(&fixture("basic"), out.path());
    assert!(r.ok(), "{}", diagnostics_text(&r));
    for (name, page) in [
        ("home", "index.html"),
        ("first_post", "posts/first/index.html"),
        ("second_post_yaml", "posts/second/index.html"),
        ("posts_section", "posts/index.html"),
        ("docs_section_by_weight", "docs/index.html"),
        ("tag_page", "tags/rust/index.html"),
    ] {
        insta::assert_snapshot!(
            format!("basic_{name}"),
            main_of(&read(&out.path().join(page)))
        );
    }
}

#[test]
fn links_resolve_to_permalinks_with_anchors() {
    let out = tempfile::tempdir().expect("tempdir");
    let r = build_to(&fixture("basic"), out.path());
    assert!(r.ok(), "{}", diagnostics_text(&r));
    let first = read(&out.path().join("posts/first/index.html"));
    assert!(first.contains("href=\"/posts/second/#details\""));
    assert!(first.contains("href=\"#code\""));
    let b = read(&out.path().join("docs/b/index.html"));
    assert!(
        b.contains("href=\"/docs/alpha/\""),
        "slug override is used for links"
    );
    let home = read(&out.path().join("index.html"));
    assert!(home.contains("href=\"/docs/\""));
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let out = tempfile::tempdir().expect("tempdir");
    let r = build_to(&fixture("basic"), out.path());
    assert!(r.ok());
    assert!(!out.path().join("posts/draft/index.html").exists());
    let with = factbook::build(&factbook::BuildOptions {
        root: fixture("basic"),
        overrides: factbook::config::Overrides {
            output_dir: Some(out.path().join("with-drafts")),
            drafts: true,
            ..Default::default()
        },
        deny_warnings: false,
        write: true,
        keep_pages: false,
    });
    assert!(with.ok());
    assert!(
        out.path()
            .join("with-drafts/posts/draft/index.html")
            .exists()
    );
}

#[test]
fn site_files_feeds_and_redirects_are_written() {
    let out = tempfile::tempdir().expect("tempdir");
    let r = build_to(&fixture("basic"), out.path());
    assert!(r.ok());
    let o = out.path();
    assert_eq!(
        read(&o.join("extra.css")),
        "body { color: #111; }\n",
        "static/ is copied"
    );
    assert!(o.join("factbook.css").exists() && o.join("404.html").exists());
    // A page names its icon, so the browser does not ask for a missing /favicon.ico.
    assert!(o.join("favicon.svg").exists());
    assert!(read(&o.join("index.html")).contains(r#"<link rel="icon" href="/favicon.svg""#));
    let sitemap = read(&o.join("sitemap.xml"));
    assert!(sitemap.contains(
        "<loc>https://fixture.example.org/posts/first/</loc><lastmod>2024-03-01</lastmod>"
    ));
    assert!(
        !sitemap.contains("old/first-post"),
        "redirects are not in the sitemap"
    );
    let atom = read(&o.join("atom.xml"));
    assert!(
        atom.find("Second post") < atom.find("First post"),
        "newest entry first"
    );
    assert!(!atom.contains("Draft"));
    let alias = read(&o.join("old/first-post/index.html"));
    assert!(alias.contains("url=/posts/first/"));
    assert!(
        read(&o.join("robots.txt")).contains("Sitemap: https://fixture.example.org/sitemap.xml")
    );
}

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("prefix")
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

#[test]
fn two_builds_are_byte_identical() {
    for site in ["basic", "cameras"] {
        let a = tempfile::tempdir().expect("tempdir");
        let b = tempfile::tempdir().expect("tempdir");
        assert!(build_to(&fixture(site), a.path()).ok());
        assert!(build_to(&fixture(site), b.path()).ok());
        let (ta, tb) = (tree(a.path()), tree(b.path()));
        assert!(ta.len() > 10);
        assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
        for (k, v) in &ta {
            assert!(v == &tb[k], "{site}: {k} differs between builds");
        }
    }
}

#[test]
fn bundled_site_builds_identically_twice() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    let ra = build_to(root, a.path());
    assert!(ra.ok(), "{}", diagnostics_text(&ra));
    assert!(build_to(root, b.path()).ok());
    assert_eq!(tree(a.path()), tree(b.path()));
}

/// Builds the `basic` fixture into its `public/`, then again after `second.md` becomes `text`:
/// that build must fail, leave `public/` exactly as it was and leave no staging directory.
fn failed_rebuild_after(text: &str) -> String {
    let site = copy_fixture("basic");
    let out = site.path().join("public");
    assert!(build_to(site.path(), &out).ok());
    let before = tree(&out);
    std::fs::write(site.path().join("content/posts/second.md"), text).expect("write");
    let r = build_to(site.path(), &out);
    assert!(!r.ok());
    assert_eq!(tree(&out), before, "public/ is exactly as before");
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .expect("read_dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging") || n.contains(".old-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    diagnostics_text(&r)
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    failed_rebuild_after("---\ntitle: [unclosed\n---\nx\n");
}

/// Pages are written to the staging directory as they render; the link check comes after.
#[test]
fn a_broken_link_found_after_pages_were_written_leaves_the_output_untouched() {
    let text = failed_rebuild_after(
        "+++\ntitle = \"Second\"\n+++\nSee <a href=\"../missing/\">nowhere</a>.\n",
    );
    assert!(text.contains("broken link `../missing/`"), "{text}");
}

#[test]
fn a_rebuild_replaces_removed_pages() {
    let site = copy_fixture("basic");
    let out = site.path().join("public");
    assert!(build_to(site.path(), &out).ok());
    assert!(out.join("docs/alpha/index.html").exists());
    std::fs::remove_file(site.path().join("content/docs/a.md")).expect("rm");
    std::fs::write(
        site.path().join("content/docs/b.md"),
        "+++\ntitle = \"B\"\n+++\nNo link now.\n",
    )
    .expect("write");
    assert!(build_to(site.path(), &out).ok());
    assert!(
        !out.join("docs/alpha/index.html").exists(),
        "stale pages do not survive a rebuild"
    );
}

#[test]
fn a_site_base_without_head_or_scripts_blocks_builds() {
    // Issue 13: a site's own `base.html` without `head`/`scripts` blocks failed every build
    // ("Block `scripts` is not defined in any parent template", in a comparison template).
    let out = tempfile::tempdir().expect("tempdir");
    let r = build_to(&fixture("own-base"), out.path());
    assert!(r.ok(), "{}", diagnostics_text(&r));
    let note = read(&out.path().join("note/index.html"));
    assert!(note.starts_with("<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>A note</title></head>"), "{note}");

    // With collections, the comparison table's script moves into `content` and still loads.
    let site = copy_fixture("cameras");
    std::fs::create_dir_all(site.path().join("templates")).expect("mkdir");
    std::fs::copy(
        fixture("own-base/templates/base.html"),
        site.path().join("templates/base.html"),
    )
    .expect("copy");
    let out = tempfile::tempdir().expect("tempdir");
    let r = build_to(site.path(), out.path());
    assert!(r.ok(), "{}", diagnostics_text(&r));
    let table = read(&out.path().join("compare/cameras/index.html"));
    let main = main_of(&table);
    assert!(main.contains("factbook.js\" defer></script>"), "{main}");
}

/// The bundled site's navigation: a fact sheet marks its section's header item as current and
/// has breadcrumbs and previous/next; an article has its section's pages with itself marked,
/// an "On this page" contents, and its backlinks grouped by kind, long groups folded.
#[test]
fn docs_pages_say_where_the_reader_is() {
    let out = tempfile::tempdir().expect("tempdir");
    let r = build_to(Path::new(env!("CARGO_MANIFEST_DIR")), out.path());
    assert!(r.ok(), "{}", diagnostics_text(&r));
    let sheet = read(&out.path().join("models/gpt-4/index.html"));
    assert!(
        sheet.contains("<a href=\"/compare/models/\" aria-current=\"true\">Models</a>"),
        "the Models item is not marked on a model's sheet"
    );
    assert!(sheet.contains("<nav class=\"breadcrumbs\" aria-label=\"Breadcrumb\"><ol><li><a href=\"/\">Home</a></li><li><a href=\"/models/\">Models</a></li><li><span aria-current=\"page\">GPT-4</span></li></ol></nav>"));
    assert!(sheet.contains("<nav class=\"pager\""));
    // Its facts' sources are compact markers named for what they source.
    assert!(sheet.contains("aria-label=\"Source for Released of GPT-4\""));
    assert!(!sheet.contains(">source</a>"));

    let article = read(&out.path().join("articles/licensing/index.html"));
    assert!(article.contains("<a href=\"/articles/\" aria-current=\"true\">Articles</a>"));
    assert!(article.contains("<nav class=\"docs-nav\" aria-label=\"Pages in Articles\">"));
    assert!(article.contains("<a href=\"/articles/licensing/\" aria-current=\"page\">"));
    assert!(article.contains("<nav class=\"toc\" aria-label=\"On this page\">"));
    // Sidebar order is the section's order (newest first), as on the section's own page.
    let section = read(&out.path().join("articles/index.html"));
    let order = |html: &str, from: &str| -> Vec<String> {
        let list = &html[html.find(from).expect("list")..];
        let list = &list[..list
            .find("</ol>")
            .or_else(|| list.find("</ul>"))
            .expect("end")];
        list.split("href=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .filter(|u| u.starts_with("/articles/") && *u != "/articles/")
            .map(String::from)
            .collect()
    };
    assert_eq!(
        order(&article, "<nav class=\"docs-nav\""),
        order(&section, "<ul class=\"page-list\">")
    );

    // Many sheets name the proprietary licence: they are folded, apart from the articles.
    let licence = read(&out.path().join("licenses/proprietary/index.html"));
    let backlinks = &licence[licence.find("id=\"mentioned-in\"").expect("backlinks")..];
    assert!(backlinks.contains("<summary>Fact sheets ("), "{backlinks}");
}
