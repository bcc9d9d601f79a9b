//! The command line: exit codes, output streams and formats.

mod common;

use assert_cmd::Command;
use common::*;

fn factbook() -> Command {
    Command::cargo_bin("factbook").expect("binary")
}

fn stdout_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stdout).into_owned()
}

fn stderr_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

#[test]
fn build_succeeds_with_one_summary_line() {
    let out = tempfile::tempdir().expect("tempdir");
    let assert = factbook()
        .args(["build", "--root"])
        .arg(fixture("basic"))
        .arg("--output")
        .arg(out.path())
        .assert()
        .success();
    let stdout = stdout_of(&assert);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.starts_with("built ") && stdout.contains(" pages in "));
    assert!(out.path().join("index.html").exists());
}

#[test]
fn content_errors_exit_1_with_located_messages_on_stderr() {
    let assert = factbook()
        .args(["build", "--root"])
        .arg(fixture("invalid/broken-link"))
        .assert()
        .code(1);
    let stderr = stderr_of(&assert);
    assert!(stderr.contains("--> content/a.md:4:5"), "{stderr}");
    assert!(stderr.contains("build failed: 2 errors; nothing was written"));
    assert!(!fixture("invalid/broken-link").join("public").exists());
}

#[test]
fn an_output_directory_that_would_replace_the_sources_is_refused() {
    let site = copy_fixture("basic");
    let root = site.path();
    // Every file of the site with its bytes.
    let listing = |dir: &std::path::Path| -> Vec<(std::path::PathBuf, Vec<u8>)> {
        walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).expect("inside").to_path_buf();
                (rel, std::fs::read(e.path()).expect("read"))
            })
            .collect()
    };
    let before = listing(root);
    for out in [".", "content", "content/sub", "templates", "static", ".."] {
        let assert = factbook()
            .current_dir(root)
            .args(["build", "--output", out])
            .assert()
            .code(1);
        let stderr = stderr_of(&assert);
        assert!(
            stderr.contains("error[output]: refusing to write the site"),
            "{out}: {stderr}"
        );
        assert!(stderr.contains("= help: "), "{out}: {stderr}");
    }
    // From book.toml, the error points at the line that sets it.
    let book = root.join("book.toml");
    let text = std::fs::read_to_string(&book).expect("book.toml");
    std::fs::write(&book, format!("output_dir = \"content\"\n{text}")).expect("write");
    let assert = factbook()
        .args(["check", "--root"])
        .arg(root)
        .assert()
        .code(1);
    let stderr = stderr_of(&assert);
    assert!(stderr.contains("--> book.toml:1:14"), "{stderr}");
    std::fs::write(&book, text).expect("write");
    assert_eq!(listing(root), before, "a refused build changed the site");
}

#[test]
fn usage_errors_exit_2() {
    factbook().arg("--no-such-flag").assert().code(2);
    factbook()
        .args(["build", "--message-format", "xml"])
        .assert()
        .code(2);
}

#[test]
fn a_missing_book_toml_is_a_clear_error() {
    let empty = tempfile::tempdir().expect("tempdir");
    let assert = factbook()
        .args(["build", "--root"])
        .arg(empty.path())
        .assert()
        .code(1);
    let stderr = stderr_of(&assert);
    assert!(
        stderr.contains("book.toml") && stderr.contains("factbook init"),
        "{stderr}"
    );
}

#[test]
fn check_writes_nothing() {
    let site = copy_fixture("basic");
    factbook()
        .args(["check", "--root"])
        .arg(site.path())
        .assert()
        .success();
    assert!(!site.path().join("public").exists());
}

#[test]
fn github_format_is_used_under_github_actions() {
    let assert = factbook()
        .env("GITHUB_ACTIONS", "true")
        .current_dir(fixture("invalid/enum-value"))
        .arg("check")
        .assert()
        .code(1);
    let stderr = stderr_of(&assert);
    assert!(
        stderr.starts_with("::error file=content/models/m.md,line=4,col=21,"),
        "{stderr}"
    );
}

/// GitHub places an annotation by its path from the workspace: a site in a subdirectory
/// (`--root docs`) names its files from there, or they land on no file.
#[test]
fn github_annotations_name_files_from_where_factbook_runs() {
    for root in [
        "tests/fixtures/invalid/enum-value".to_string(),
        "./tests/fixtures/invalid/enum-value/".to_string(),
        fixture("invalid/enum-value").display().to_string(),
    ] {
        let assert = factbook()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["check", "--message-format", "github", "--root", &root])
            .assert()
            .code(1);
        let stderr = stderr_of(&assert);
        assert!(
            stderr.starts_with(
                "::error file=tests/fixtures/invalid/enum-value/content/models/m.md,line=4,col=21,"
            ),
            "{root}: {stderr}"
        );
    }
}

#[test]
fn json_format_prints_one_object_per_problem() {
    let assert = factbook()
        .args(["check", "--message-format", "json", "--root"])
        .arg(fixture("invalid/missing-source"))
        .assert()
        .code(1);
    let stderr = stderr_of(&assert);
    let objects: Vec<serde_json::Value> = stderr
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(objects.len(), 3);
    assert!(objects.iter().all(|o| o["code"] == "source"));
}

#[test]
fn deny_warnings_fails_on_a_stale_fact_sheet() {
    let site = copy_fixture("cameras");
    let book = site.path().join("book.toml");
    let text = read(&book).replace(
        "dir = \"cameras\"",
        "dir = \"cameras\"\nstale_after_days = 30",
    );
    std::fs::write(&book, text).expect("write");
    factbook()
        .args(["check", "--root"])
        .arg(site.path())
        .env("SOURCE_DATE_EPOCH", "1790000000")
        .assert()
        .success();
    let assert = factbook()
        .args(["check", "--deny-warnings", "--root"])
        .arg(site.path())
        .env("SOURCE_DATE_EPOCH", "1790000000")
        .assert()
        .code(1);
    let stderr = stderr_of(&assert);
    assert!(
        stderr.contains("error[stale]") && stderr.contains("last verified"),
        "{stderr}"
    );
}

#[test]
fn init_creates_a_site_that_builds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("new-site");
    factbook().arg("init").arg(&site).assert().success();
    factbook()
        .args(["build", "--deny-warnings", "--root"])
        .arg(&site)
        .assert()
        .success();
    assert!(
        site.join("public/compare/tools/hugo-vs-zola/index.html")
            .exists()
    );
    factbook().arg("init").arg(&site).assert().code(2);
}

#[test]
fn help_and_version_work() {
    factbook().arg("--version").assert().success();
    let assert = factbook().args(["build", "--help"]).assert().success();
    let out = stdout_of(&assert);
    assert!(out.contains("Examples:") && out.contains("--deny-warnings"));
}

#[test]
fn an_output_directory_factbook_did_not_make_is_replaced_only_with_force() {
    // Issue 13: `--output some/dir` deleted whatever the directory held.
    let out = tempfile::tempdir().expect("tempdir");
    let precious = out.path().join("thesis.tex");
    std::fs::write(&precious, "years of work").expect("write");
    let build = |force: bool| {
        let mut cmd = factbook();
        cmd.args(["build", "--root"])
            .arg(fixture("basic"))
            .arg("--output")
            .arg(out.path());
        if force {
            cmd.arg("--force");
        }
        cmd.assert()
    };
    let refused = build(false).code(1);
    let stderr = stderr_of(&refused);
    assert!(
        stderr.contains("error[output]: refusing to replace the output directory")
            && stderr.contains("holds files that factbook did not write")
            && stderr.contains("`factbook build --force`"),
        "{stderr}"
    );
    assert!(precious.exists() && !out.path().join("index.html").exists());

    // With `--force` it is replaced, and marked as factbook's, so the next build needs nothing.
    build(true).success();
    assert!(!precious.exists());
    assert!(out.path().join(".factbook-output").is_file());
    build(false).success();

    // The output of a factbook older than the marker (its theme files at the top) is replaced.
    std::fs::remove_file(out.path().join(".factbook-output")).expect("unmark");
    build(false).success();
    assert!(out.path().join(".factbook-output").is_file());
}

#[test]
fn output_dir_in_book_toml_holding_other_files_is_refused_there() {
    let site = copy_fixture("basic");
    let root = site.path();
    let book = read(&root.join("book.toml"));
    std::fs::write(
        root.join("book.toml"),
        format!("output_dir = \"docs-out\"\n{book}"),
    )
    .expect("write");
    std::fs::create_dir_all(root.join("docs-out")).expect("mkdir");
    std::fs::write(root.join("docs-out/notes.txt"), "mine").expect("write");
    let assert = factbook()
        .args(["build", "--root"])
        .arg(root)
        .assert()
        .code(1);
    let stderr = stderr_of(&assert);
    assert!(stderr.contains("--> book.toml:1:14"), "{stderr}");
    assert!(root.join("docs-out/notes.txt").exists());
}

#[cfg(unix)]
#[test]
fn symbolic_links_out_of_the_site_are_refused_unless_book_toml_allows_them() {
    // Issue 13: `content/x.txt -> /proc/self/environ` published the build's environment.
    let site = copy_fixture("basic");
    let root = site.path();
    std::os::unix::fs::symlink("/proc/self/environ", root.join("content/x.txt")).expect("link");
    let out = tempfile::tempdir().expect("tempdir");
    let build = || {
        factbook()
            .args(["build", "--root"])
            .arg(root)
            .arg("--output")
            .arg(out.path())
            .assert()
    };
    let refused = build().code(1);
    let stderr = stderr_of(&refused);
    assert!(
        stderr.contains("--> content/x.txt")
            && stderr.contains("is a symbolic link to `/proc/")
            && stderr.contains("allow_external_symlinks = true"),
        "{stderr}"
    );
    assert!(!out.path().join("x.txt").exists());

    let book = read(&root.join("book.toml"));
    std::fs::write(
        root.join("book.toml"),
        format!("allow_external_symlinks = true\n{book}"),
    )
    .expect("write");
    build().success();
    assert!(out.path().join("x.txt").exists());
}

#[test]
fn version_names_the_package_version_and_the_commit_it_was_built_from() {
    let assert = factbook().arg("--version").assert().success();
    let stdout = stdout_of(&assert);
    // `factbook 0.1.0 (abc1234)`
    let commit = stdout
        .strip_prefix(concat!("factbook ", env!("CARGO_PKG_VERSION"), " ("))
        .and_then(|rest| rest.strip_suffix(")\n"))
        .unwrap_or_else(|| panic!("not `factbook VERSION (COMMIT)`: {stdout:?}"));
    assert!(
        commit == "unknown" || (commit.len() >= 7 && commit.bytes().all(|b| b.is_ascii_hexdigit())),
        "{commit:?}"
    );
    // Built from a git checkout, it is the checkout's HEAD (build.rs reruns when HEAD moves).
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let head = std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(root)
        .output()
        .ok()
        .filter(|o| o.status.success() && root.join(".git").exists());
    if let Some(head) = head {
        assert_eq!(commit, String::from_utf8_lossy(&head.stdout).trim());
    }
}

/// A loopback port that is taken for as long as the returned listener lives.
fn taken_port() -> (std::net::TcpListener, u16) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    (listener, port)
}

#[test]
fn check_exits_0_1_and_2() {
    factbook()
        .args(["check", "--root"])
        .arg(fixture("cameras"))
        .assert()
        .code(0);
    factbook()
        .args(["check", "--root"])
        .arg(fixture("invalid/broken-link"))
        .assert()
        .code(1);
    factbook()
        .args(["check", "--no-such-flag"])
        .assert()
        .code(2);
    factbook()
        .args(["check", "--message-format", "xml"])
        .assert()
        .code(2);
}

#[test]
fn build_exits_0_1_and_2() {
    let out = tempfile::tempdir().expect("tempdir");
    factbook()
        .args(["build", "--root"])
        .arg(fixture("cameras"))
        .arg("--output")
        .arg(out.path())
        .assert()
        .code(0);
    factbook()
        .args(["build", "--root"])
        .arg(fixture("invalid/enum-value"))
        .arg("--output")
        .arg(out.path().join("never"))
        .assert()
        .code(1);
    assert!(!out.path().join("never").exists());
    // A site directory that does not exist is a site without book.toml: a content error.
    factbook()
        .args(["build", "--root"])
        .arg(out.path().join("no-such-site"))
        .assert()
        .code(1);
    factbook()
        .args(["build", "--drafts=maybe"])
        .assert()
        .code(2);
    factbook()
        .args(["build", "extra-argument"])
        .assert()
        .code(2);
}

#[test]
fn serve_exits_2_on_a_bad_port_a_taken_port_or_a_missing_site() {
    for bad in ["70000", "1.5", "http"] {
        let assert = factbook()
            .args(["serve", "--port", bad, "--root"])
            .arg(fixture("basic"))
            .assert()
            .code(2);
        assert!(
            stderr_of(&assert).contains("--port"),
            "{bad}: {}",
            stderr_of(&assert)
        );
    }
    let (_listener, port) = taken_port();
    let assert = factbook()
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(fixture("basic"))
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(2);
    assert!(
        stderr_of(&assert).contains("cannot listen on"),
        "{}",
        stderr_of(&assert)
    );
    let missing = tempfile::tempdir().expect("tempdir");
    let assert = factbook()
        .args(["serve", "--port", "0", "--root"])
        .arg(missing.path().join("no-such-site"))
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(2);
    assert!(
        stderr_of(&assert).contains("cannot serve"),
        "{}",
        stderr_of(&assert)
    );
}

#[test]
fn init_exits_0_and_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    factbook()
        .arg("init")
        .arg(dir.path().join("site"))
        .assert()
        .code(0);
    // Not empty: refused, and nothing in it changes.
    let assert = factbook()
        .arg("init")
        .arg(dir.path().join("site"))
        .assert()
        .code(2);
    assert!(stderr_of(&assert).contains("cannot create a site"));
    // Inside a file: cannot be created.
    std::fs::write(dir.path().join("file"), "x").expect("write");
    factbook()
        .arg("init")
        .arg(dir.path().join("file/site"))
        .assert()
        .code(2);
    // No directory given: a usage error.
    factbook().arg("init").assert().code(2);
}
