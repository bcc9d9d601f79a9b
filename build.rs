//! Records the commit the binary is built from, for `factbook --version`.
//!
//! In order: `git rev-parse --short HEAD` when the package has a `.git` and git runs; else the
//! environment variable `FACTBOOK_COMMIT` (release builds in containers without git, source
//! tarballs); else `unknown`. The result reaches the crate as `FACTBOOK_BUILD_COMMIT`.
//!
//! Cargo reruns this script only when `HEAD` or the branch it points to moves, not on every
//! build: `rerun-if-changed` names those files, and only files that exist (a missing one would
//! count as changed every time).

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=FACTBOOK_COMMIT");
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let from_git = if manifest_dir.join(".git").exists() {
        git_commit(&manifest_dir)
    } else {
        None
    };
    let commit = from_git
        .or_else(|| {
            std::env::var("FACTBOOK_COMMIT")
                .ok()
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty())
        })
        .unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=FACTBOOK_BUILD_COMMIT={commit}");
}

/// The short commit of `HEAD`, and the files that change when it moves marked for rerun.
fn git_commit(dir: &Path) -> Option<String> {
    let commit = git(dir, &["rev-parse", "--short", "HEAD"])?;
    // `--git-path` gives the right files in a linked worktree too, where `HEAD` lives in the
    // worktree's git directory and the branches in the main repository's.
    let mut watched = vec![git(dir, &["rev-parse", "--git-path", "HEAD"])?];
    if let Some(branch) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
        watched.push(git(dir, &["rev-parse", "--git-path", &branch])?);
        // A branch that was packed has no file of its own; `packed-refs` holds it.
        watched.push(git(dir, &["rev-parse", "--git-path", "packed-refs"])?);
    }
    for path in watched {
        let path = dir.join(path);
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    Some(commit)
}

/// One line of git's output, or `None` when git is missing or fails.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let line = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!line.is_empty()).then_some(line)
}
