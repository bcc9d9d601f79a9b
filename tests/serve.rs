//! `factbook serve` as a user meets it: the binary on a free port over a temporary copy of a
//! fixture, its event stream read while files are edited, added, deleted and broken.
#![cfg(feature = "serve")]

mod common;
mod serve_support;

use serve_support::{Served, request};

const FIXTURE: &str = "serve-site";

#[test]
fn serve_follows_edits_additions_deletions_and_errors() {
    let site = Served::start(FIXTURE);
    let events = site.events();
    let hello = events.next();
    assert_eq!(hello.name, "hello");

    let about = site.get("/about/");
    assert_eq!(about.status, 200);
    assert!(about.body.contains("first version"));
    assert!(
        about
            .body
            .contains("<script src=\"/__factbook/live.js\" data-build=\"1\" data-server=")
    );

    // A body edit: that page changes, a page that does not show it does not.
    site.edit("content/about.md", "first version", "second version");
    let change = events.next();
    assert_eq!(change.name, "change", "{change:?}");
    assert!(change.paths("changed").contains(&"/about/".to_string()));
    assert!(
        !change
            .paths("changed")
            .contains(&"/tools/zola/".to_string())
    );
    assert!(site.get("/about/").body.contains("second version"));

    // A new fact sheet: its page, and the collection's table that lists it.
    site.save(
        "content/tools/deno.md",
        "+++\ntitle = \"Deno\"\nlast_verified = \"2026-01-01\"\nlanguage = \"rust\"\n+++\nDeno runs JavaScript.\n",
    );
    let change = events.next();
    assert_eq!(change.name, "change", "{change:?}");
    let changed = change.paths("changed");
    assert!(changed.contains(&"/tools/deno/".to_string()), "{changed:?}");
    assert!(
        changed.contains(&"/compare/tools/".to_string()),
        "{changed:?}"
    );
    assert_eq!(site.get("/tools/deno/").status, 200);
    assert!(site.get("/compare/tools/").body.contains("Deno"));

    // Deleting it removes its page.
    std::fs::remove_file(site.path("content/tools/deno.md")).expect("remove");
    let change = events.next();
    assert_eq!(change.name, "change", "{change:?}");
    assert!(
        change
            .paths("removed")
            .contains(&"/tools/deno/".to_string())
    );
    assert_eq!(site.get("/tools/deno/").status, 404);
    assert!(!site.get("/compare/tools/").body.contains("Deno"));

    // Broken front matter: an error event with file:line:col, the last good page still served.
    site.edit("content/about.md", "title = \"About\"", "title = About\"");
    let error = events.next();
    assert_eq!(error.name, "build-error", "{error:?}");
    let first = &error.data["diagnostics"][0];
    let location = first["location"].as_str().expect("a location");
    assert!(location.starts_with("content/about.md:2:"), "{location}");
    let rendered = first["rendered"].as_str().expect("rendered text");
    assert!(rendered.contains("--> content/about.md:2:"), "{rendered}");
    assert!(rendered.contains("title = About\""), "{rendered}");
    assert!(rendered.contains("help:"), "{rendered}");
    let still = site.get("/about/");
    assert_eq!(still.status, 200);
    assert!(still.body.contains("second version"));
    site.wait_for_stderr("--> content/about.md:2:");
    site.wait_for_stderr("still serving the last good build");

    // A page opened while the build fails is told at once.
    let late = site.events();
    assert_eq!(late.next().name, "hello");
    assert_eq!(late.next().name, "build-error");

    // Fixing it clears the error everywhere and brings the new text.
    site.edit("content/about.md", "title = About\"", "title = \"About\"");
    assert_eq!(events.next().name, "clear");
    assert_eq!(late.next().name, "clear");
    site.edit("content/about.md", "second version", "third version");
    let change = events.next();
    assert_eq!(change.name, "change", "{change:?}");
    assert!(site.get("/about/").body.contains("third version"));

    // A page from an earlier build that connects late is told what changed since.
    let catch_up = serve_support::EventStream::connect_since(site.port, hello.build());
    assert_eq!(catch_up.next().name, "hello");
    let missed = catch_up.next();
    assert_eq!(missed.name, "change");
    assert!(missed.paths("changed").contains(&"/about/".to_string()));
    assert!(
        missed
            .paths("removed")
            .contains(&"/tools/deno/".to_string())
    );

    // Editor leftovers never start a build: the next event is the next real save's.
    std::fs::write(site.path("content/.about.md.swp"), "swap").expect("write");
    std::fs::write(site.path("content/about.md~"), "backup").expect("write");
    std::fs::write(site.path("content/#about.md#"), "autosave").expect("write");
    std::thread::sleep(std::time::Duration::from_millis(300));
    site.edit("content/about.md", "third version", "fourth version");
    let next = events.next();
    assert_eq!(next.name, "change");
    assert_eq!(
        next.build(),
        change.build() + 1,
        "a leftover file started a build"
    );

    // An in-place write (no rename) counts too.
    let text = site.read("content/about.md").replace("fourth", "fifth");
    std::fs::write(site.path("content/about.md"), text).expect("write");
    loop {
        let e = events.next();
        if e.name == "change" && site.get("/about/").body.contains("fifth version") {
            break;
        }
    }

    // A stylesheet edit changes the stylesheet only.
    site.edit("static/factbook.css", "255, 255, 255", "250, 250, 250");
    let change = events.next();
    assert_eq!(change.paths("changed"), vec!["/factbook.css"]);
    assert!(site.get("/factbook.css").body.contains("250, 250, 250"));

    // A templates directory made while serving is watched, and its templates are used.
    std::fs::create_dir(site.path("templates")).expect("mkdir");
    site.save(
        "templates/404.html",
        "<!doctype html>\n<html lang=\"en\"><head><title>Lost</title></head><body><main>Custom miss</main></body></html>\n",
    );
    loop {
        let e = events.next();
        if e.name == "change" && e.paths("changed").contains(&"/404.html".to_string()) {
            break;
        }
    }
    assert!(site.get("/nope/").body.contains("Custom miss"));

    // A book.toml edit rebuilds everything.
    site.edit(
        "book.toml",
        "title = \"Serve fixture\"",
        "title = \"Renamed fixture\"",
    );
    let change = events.next();
    let changed = change.paths("changed");
    assert!(
        changed.contains(&"/".to_string()) && changed.contains(&"/tools/zola/".to_string()),
        "{changed:?}"
    );
    assert!(site.get("/about/").body.contains("Renamed fixture"));

    // The terminal has one line per rebuild, and nothing was written beside the sources.
    assert!(
        site.stdout()
            .iter()
            .any(|l| l.starts_with("rebuilt in ") && l.ends_with(": 1 page changed")),
        "{:?}",
        site.stdout()
    );
    assert!(!site.path("public").exists(), "serve wrote the output");
}

#[test]
fn serve_answers_like_a_static_host_and_nothing_outside_the_output() {
    let site = Served::start(FIXTURE);

    let home = site.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );

    let redirect = site.get("/tools/zola?x=1");
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("location"), Some("/tools/zola/?x=1"));
    assert_eq!(site.get("/tools/zola/index.html").status, 200);

    let css = site.get("/factbook.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(!css.body.contains("__factbook"));
    assert_eq!(
        site.get("/data/tools.json").header("content-type"),
        Some("application/json")
    );
    assert_eq!(
        site.get("/__factbook/live.js").header("content-type"),
        Some("text/javascript; charset=utf-8")
    );

    // A miss gets the site's own 404 page, with status 404 and the live script.
    let missing = site.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page not found"), "{}", missing.body);
    assert!(missing.body.contains("data-not-found=\"/404.html\""));

    // Only the output is served: not the sources, not the site's directory, in any spelling.
    for target in [
        "/book.toml",
        "/content/about.md",
        "/../book.toml",
        "/../../../../etc/passwd",
        "/%2e%2e/book.toml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2fbook.toml",
        "/tools/..%2f..%2fbook.toml",
        "/tools/%2e%2e%2f%2e%2e%2fbook.toml",
        "/%252e%252e/book.toml",
        "/..%5cbook.toml",
        "/..\\book.toml",
        "//etc/passwd",
        "/%00",
    ] {
        let r = site.get(target);
        assert_eq!(r.status, 404, "{target}");
        assert!(!r.body.contains("[collections.tools]"), "{target}");
    }

    let head = request(site.port, "HEAD", "/about/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(request(site.port, "POST", "/about/").status, 405);
}

#[test]
fn a_site_that_does_not_build_yet_is_served_once_fixed() {
    let site = Served::start_with(FIXTURE, |dir| {
        let path = dir.join("content/tools/zola.md");
        let text = std::fs::read_to_string(&path).expect("read");
        std::fs::write(
            path,
            text.replace("language = \"rust\"", "language = \"perl\""),
        )
        .expect("write");
    });
    let events = site.events();
    assert_eq!(events.next().name, "hello");
    let error = events.next();
    assert_eq!(error.name, "build-error");
    let location = error.data["diagnostics"][0]["location"]
        .as_str()
        .expect("location");
    assert!(location.starts_with("content/tools/zola.md:"), "{location}");
    let nothing = site.get("/");
    assert_eq!(nothing.status, 404);
    assert!(nothing.body.contains("/__factbook/live.js"));

    site.edit("content/tools/zola.md", "\"perl\"", "\"rust\"");
    assert_eq!(events.next().name, "clear");
    let change = events.next();
    assert!(change.paths("changed").contains(&"/".to_string()));
    assert_eq!(site.get("/").status, 200);
}

#[test]
fn build_output_never_contains_the_live_reload_script() {
    let dir = common::copy_fixture(FIXTURE);
    let out = tempfile::tempdir().expect("tempdir");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_factbook"))
        .args(["build", "--root"])
        .arg(dir.path())
        .arg("--output")
        .arg(out.path())
        .output()
        .expect("run factbook build");
    assert!(status.status.success(), "{status:?}");
    for entry in walkdir::WalkDir::new(out.path()) {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).expect("read");
            assert!(
                !String::from_utf8_lossy(&bytes).contains("__factbook"),
                "{}",
                entry.path().display()
            );
        }
    }
}
