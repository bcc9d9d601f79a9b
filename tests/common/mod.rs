//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use factbook::config::Overrides;
use factbook::diag::{MessageFormat, render_all};
use factbook::{BuildOptions, BuildResult, build};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Copies a fixture into a fresh temporary directory, so a test can edit or build it freely.
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture(name), dir.path());
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(from).expect("prefix");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// Builds `root` into `out`.
pub fn build_to(root: &Path, out: &Path) -> BuildResult {
    build(&BuildOptions {
        root: root.to_path_buf(),
        overrides: Overrides {
            output_dir: Some(out.to_path_buf()),
            ..Overrides::default()
        },
        deny_warnings: false,
        write: true,
        keep_pages: false,
    })
}

/// Checks `root` without writing.
pub fn check(root: &Path) -> BuildResult {
    build(&BuildOptions {
        root: root.to_path_buf(),
        overrides: Overrides::default(),
        deny_warnings: false,
        write: false,
        keep_pages: false,
    })
}

pub fn diagnostics_text(r: &BuildResult) -> String {
    render_all(&r.diags, &r.sources, MessageFormat::Human)
}

/// The `<main>` element of a page, which is what a reader sees beyond the site chrome.
pub fn main_of(html: &str) -> String {
    let start = html.find("<main").expect("page has <main>");
    let end = html.find("</main>").expect("page closes </main>") + "</main>".len();
    html[start..end].to_string()
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Flags for headless Chromium on this closed network: without the networking ones it stalls
/// on connections that are refused. Callers add a fresh `--user-data-dir`.
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-dev-shm-usage",
];
