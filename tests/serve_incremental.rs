//! Incremental rebuilds (`serve`) give, after every edit, the output of a full build of the same
//! files, byte for byte; and the changes they report turn the last output into the new one.
#![cfg(feature = "serve")]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Instant;

use common::*;
use factbook::BuildOptions;
use factbook::render::{Artifact, ArtifactContent};
use factbook::serve::incremental::{Incremental, Outcome};
use factbook::serve::watch::{ChangeSet, ChangedSource, SourceKind};

type Output = BTreeMap<String, Vec<u8>>;

fn output(artifacts: Vec<Artifact>) -> Output {
    artifacts
        .into_iter()
        .map(|a| {
            let bytes = match a.content {
                ArtifactContent::Bytes(b) => b,
                ArtifactContent::Copy(p) => std::fs::read(&p).expect("read copied file"),
                ArtifactContent::Written => panic!(
                    "`{}` was written to disk by a build that does not write",
                    a.path
                ),
            };
            (a.path, bytes)
        })
        .collect()
}

fn options(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        overrides: Default::default(),
        deny_warnings: false,
        write: false,
        keep_pages: true,
    }
}

fn full(root: &Path) -> Output {
    let r = factbook::build(&options(root));
    assert!(r.ok(), "full build failed: {}", diagnostics_text(&r));
    output(r.artifacts)
}

fn changes(paths: &[&str]) -> ChangeSet {
    ChangeSet {
        sources: paths
            .iter()
            .map(|p| ChangedSource {
                kind: if *p == "book.toml" {
                    SourceKind::Config
                } else if p.starts_with("content/") {
                    SourceKind::Content
                } else if p.starts_with("templates/") {
                    SourceKind::Template
                } else {
                    SourceKind::Static
                },
                path: (*p).to_string(),
            })
            .collect(),
        rescan: false,
        first_seen: Instant::now(),
    }
}

/// Applies an outcome's changes to the output served so far.
fn apply(served: &mut Output, outcome: Outcome) {
    if outcome.complete {
        served.clear();
    }
    for p in &outcome.removed {
        served.remove(p);
    }
    served.extend(output(outcome.changed));
}

fn assert_same(step: &str, got: &Output, want: &Output) {
    let got_paths: BTreeSet<&String> = got.keys().collect();
    let want_paths: BTreeSet<&String> = want.keys().collect();
    assert_eq!(
        got_paths
            .symmetric_difference(&want_paths)
            .collect::<Vec<_>>(),
        Vec::<&&String>::new(),
        "{step}: the output files differ"
    );
    for (p, bytes) in want {
        assert!(
            got[p] == *bytes,
            "{step}: `{p}` differs from a full build:\n--- incremental\n{}\n--- full\n{}",
            String::from_utf8_lossy(&got[p]),
            String::from_utf8_lossy(bytes)
        );
    }
}

enum Edit<'a> {
    Replace(&'a str, &'a str, &'a str),
    Write(&'a str, &'a str),
    Remove(&'a str),
}

struct Run {
    root: tempfile::TempDir,
    inc: Incremental,
    served: Output,
}

impl Run {
    fn new(copy: tempfile::TempDir) -> Run {
        let mut inc = Incremental::new(&options(copy.path()));
        let first = inc.update(None);
        assert!(first.ok(), "first build failed");
        let mut served = Output::new();
        apply(&mut served, first);
        let want = full(copy.path());
        assert_same("first build", &served, &want);
        assert_same("first build (state)", &output(inc.artifacts()), &want);
        Run {
            root: copy,
            inc,
            served,
        }
    }

    /// Applies edits, rebuilds incrementally, compares with a full build; returns the path
    /// the rebuild took.
    fn step(&mut self, name: &str, edits: &[Edit<'_>]) -> &'static str {
        let mut paths = Vec::new();
        for e in edits {
            match e {
                Edit::Replace(path, from, to) => {
                    let file = self.root.path().join(path);
                    let text = std::fs::read_to_string(&file).expect("read");
                    assert!(text.contains(from), "{name}: `{from}` not in {path}");
                    std::fs::write(&file, text.replacen(from, to, 1)).expect("write");
                    paths.push(*path);
                }
                Edit::Write(path, text) => {
                    let file = self.root.path().join(path);
                    std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
                    std::fs::write(&file, text).expect("write");
                    paths.push(*path);
                }
                Edit::Remove(path) => {
                    std::fs::remove_file(self.root.path().join(path)).expect("remove");
                    paths.push(*path);
                }
            }
        }
        let outcome = self.inc.update(Some(&changes(&paths)));
        assert!(outcome.ok(), "{name}: the rebuild failed");
        let how = outcome.how;
        apply(&mut self.served, outcome);
        let want = full(self.root.path());
        assert_same(name, &self.served, &want);
        assert_same(
            &format!("{name} (state)"),
            &output(self.inc.artifacts()),
            &want,
        );
        how
    }
}

#[test]
fn cameras_edits_match_full_builds() {
    let mut run = Run::new(copy_fixture("cameras"));
    assert_eq!(
        run.step(
            "body edit",
            &[Edit::Replace(
                "content/cameras/z50.md",
                "A small camera.",
                "A small, light camera."
            )]
        ),
        "fast"
    );
    assert_eq!(
        run.step(
            "body edit of a page that links",
            &[Edit::Replace(
                "content/notes/overview.md",
                "differ;",
                "differ a lot;"
            )]
        ),
        "fast"
    );
    run.step(
        "fact-sheet front matter",
        &[Edit::Replace(
            "content/cameras/z50.md",
            "megapixels = { value = 20.9,",
            "megapixels = { value = 21.5,",
        )],
    );
    run.step(
        "title",
        &[Edit::Replace(
            "content/cameras/z50.md",
            "title = \"Z50\"",
            "title = \"Nikon Z50\"",
        )],
    );
    run.step(
        "ref change",
        &[Edit::Replace(
            "content/cameras/z50.md",
            "maker = \"nikon\"",
            "maker = \"canon\"",
        )],
    );
    run.step(
        "new fact sheet",
        &[Edit::Write(
            "content/cameras/z30.md",
            "+++\ntitle = \"Z30\"\nmaker = \"nikon\"\nsensor = { value = \"aps-c\", source = \"https://example.com/z30\" }\nmegapixels = { value = 20.9, source = \"https://example.com/z30\" }\nannounced = { value = \"2022-06-29\", source = \"https://example.com/z30\" }\nlast_verified = \"2026-01-01\"\n+++\nFor video.\n",
        )],
    );
    run.step(
        "new page linking",
        &[Edit::Write(
            "content/notes/z30.md",
            "+++\ntitle = \"On the Z30\"\ndate = 2026-02-01\ntags = [\"video\"]\n+++\nSee [the Z30](@/cameras/z30.md).\n",
        )],
    );
    run.step("deleted page", &[Edit::Remove("content/notes/z30.md")]);
    run.step(
        "template added",
        &[Edit::Write(
            "templates/sheet.html",
            "{% extends \"factbook/sheet.html\" %}{% block content %}<p class=\"custom\">custom</p>{{ super() }}{% endblock content %}",
        )],
    );
    run.step(
        "template edited",
        &[Edit::Replace(
            "templates/sheet.html",
            "custom</p>",
            "custom sheet</p>",
        )],
    );
    run.step(
        "static added",
        &[Edit::Write("static/extra.css", "body { color: red; }\n")],
    );
    assert_eq!(
        run.step(
            "static edited",
            &[Edit::Write("static/extra.css", "body { color: blue; }\n")]
        ),
        "fast"
    );
    run.step(
        "config",
        &[Edit::Replace(
            "book.toml",
            "title = \"Camera fixture\"",
            "title = \"Cameras!\"",
        )],
    );
    assert_eq!(
        run.step(
            "body edit after all that",
            &[Edit::Replace(
                "content/cameras/z50.md",
                "light camera",
                "light, cheap camera"
            )]
        ),
        "fast"
    );
}

#[test]
fn basic_edits_match_full_builds() {
    let mut run = Run::new(copy_fixture("basic"));
    run.step(
        "body edit with a word more",
        &[Edit::Replace(
            "content/posts/first.md",
            "Intro with",
            "An intro with",
        )],
    );
    run.step(
        "heading renamed (anchors change)",
        &[Edit::Replace(
            "content/posts/first.md",
            "## Table and lists",
            "## Tables and lists",
        )],
    );
    run.step(
        "section body",
        &[Edit::Replace("content/posts/_index.md", "+++\n", "+++\n")],
    );
    run.step(
        "tags",
        &[Edit::Replace(
            "content/posts/first.md",
            "tags = [\"Rust\", \"static sites\"]",
            "tags = [\"Rust\"]",
        )],
    );
    run.step(
        "draft published",
        &[Edit::Replace(
            "content/posts/draft.md",
            "draft = true",
            "draft = false",
        )],
    );
    run.step(
        "static",
        &[Edit::Write("static/extra.css", "p { margin: 0; }\n")],
    );
    run.step("deleted page", &[Edit::Remove("content/posts/draft.md")]);
}

/// The bundled site: templates calling `get_collection` and `chart`, pairs, facets.
#[test]
fn bundled_site_edits_match_full_builds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let main = Path::new(env!("CARGO_MANIFEST_DIR"));
    for item in ["content", "templates", "static"] {
        if main.join(item).is_dir() {
            copy_dir(&main.join(item), &dir.path().join(item));
        }
    }
    std::fs::copy(main.join("book.toml"), dir.path().join("book.toml")).expect("copy");
    let mut run = Run::new(dir);
    assert_eq!(
        run.step(
            "article body",
            &[Edit::Replace(
                "content/articles/benchmarking.md",
                "\n\n",
                "\n\nA new sentence here.\n\n"
            )]
        ),
        "fast"
    );
    assert_eq!(
        run.step(
            "fact sheet data",
            &[Edit::Replace(
                "content/models/bert-large.md",
                "context_window_tokens = { value = 512,",
                "context_window_tokens = { value = 513,",
            )]
        ),
        "incremental"
    );
}

/// A broken edit fails (reported as a full build reports it) and keeps the served output; the
/// fix brings the output of a full build back.
#[test]
fn a_failed_rebuild_then_a_fix_matches_a_full_build() {
    let mut run = Run::new(copy_fixture("cameras"));
    let file = run.root.path().join("content/notes/overview.md");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(
        &file,
        text.replace("differ;", "differ; see [x](@/nope.md);"),
    )
    .expect("write");
    let broken = run
        .inc
        .update(Some(&changes(&["content/notes/overview.md"])));
    assert!(!broken.ok(), "a broken link fails the rebuild");
    let full = factbook::build(&options(run.root.path()));
    assert_eq!(broken.diags.items().len(), full.diags.items().len());
    run.step(
        "fixed",
        &[Edit::Replace(
            "content/notes/overview.md",
            "differ; see [x](@/nope.md);",
            "differ, fixed;",
        )],
    );
    assert_eq!(
        run.step(
            "body edit after the fix",
            &[Edit::Replace(
                "content/notes/overview.md",
                "fixed",
                "fixed again"
            )]
        ),
        "fast"
    );
}
