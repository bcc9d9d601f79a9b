//! Source files: every input read once, given a `SourceId`, and kept for diagnostics.
//!
//! In: paths and text from `load`. Out: a `SourceMap` that turns byte offsets into
//! line:column for people. Knows nothing about what the files mean.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use walkdir::WalkDir;

use crate::diag::{Diagnostic, Diagnostics, LineCol};

/// Index of a file in the `SourceMap`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceId(pub u32);

/// One file's text and where it lives.
#[derive(Debug)]
pub struct SourceFile {
    /// Shown to people: relative to the site root, with `/` separators.
    pub path: String,
    pub text: String,
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceFile {
    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }
}

/// Every source file of a build.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn add(&mut self, path: impl Into<String>, text: String) -> SourceId {
        let id = SourceId(self.files.len() as u32);
        self.files.push(SourceFile {
            path: path.into(),
            text,
            line_starts: OnceLock::new(),
        });
        id
    }

    pub fn get(&self, id: SourceId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn path(&self, id: SourceId) -> &str {
        &self.get(id).path
    }

    pub fn text(&self, id: SourceId) -> &str {
        &self.get(id).text
    }

    pub fn find(&self, path: &str) -> Option<SourceId> {
        self.files
            .iter()
            .position(|f| f.path == path)
            .map(|i| SourceId(i as u32))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// 1-based line and column (columns count characters) of a byte offset.
    pub fn line_col(&self, id: SourceId, offset: usize) -> LineCol {
        let file = self.get(id);
        let starts = file.line_starts();
        let offset = offset.min(file.text.len());
        let line = starts.partition_point(|&s| s <= offset).max(1);
        let line_start = starts[line - 1];
        let mut col_end = offset;
        while !file.text.is_char_boundary(col_end) {
            col_end -= 1;
        }
        let col = file.text[line_start..col_end].chars().count() + 1;
        LineCol { line, col }
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, id: SourceId, line: usize) -> &str {
        let file = self.get(id);
        let starts = file.line_starts();
        let start = starts[(line - 1).min(starts.len() - 1)];
        let end = starts.get(line).copied().unwrap_or(file.text.len());
        file.text[start..end].trim_end_matches(['\n', '\r'])
    }
}

/// A file found under one of the site's input directories.
#[derive(Debug, Clone)]
pub struct FoundFile {
    /// Absolute (or root-joined) path on disk.
    pub disk: PathBuf,
    /// Relative to the directory walked, with `/` separators.
    pub rel: String,
}

/// True for files an editor or the OS leaves behind, which are never site input.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name == "4913"
}

/// Lists the files below `dir` in sorted order, skipping hidden and editor files.
/// A missing directory is no files; an unreadable entry is a diagnostic. With `confine_to`, a
/// symbolic link that resolves outside that directory (the site's root) is a diagnostic too,
/// and is not followed.
pub fn walk(
    dir: &Path,
    shown_prefix: &str,
    confine_to: Option<&Path>,
    diags: &mut Diagnostics,
) -> Vec<FoundFile> {
    let mut out = Vec::new();
    if !dir.exists() {
        return out;
    }
    let confine_to = confine_to.map(|root| root.canonicalize().unwrap_or(root.to_path_buf()));
    // Symbolic links are followed, as a reader of the directory would expect; a loop or a
    // dangling link is an error rather than a silently missing page.
    let mut walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    while let Some(entry) = walker.next() {
        // Every link on the way is checked where it is met, so a file is outside the site only
        // if one of the links checked led there.
        if let (Ok(entry), Some(root)) = (&entry, &confine_to) {
            if entry.path_is_symlink() {
                let outside = entry
                    .path()
                    .canonicalize()
                    .ok()
                    .filter(|t| !t.starts_with(root));
                if let Some(target) = outside {
                    let shown = match entry.path().strip_prefix(dir) {
                        Ok(rel) if !rel.as_os_str().is_empty() => {
                            format!("{shown_prefix}/{}", rel.display())
                        }
                        _ => shown_prefix.to_string(),
                    };
                    diags.push(
                        Diagnostic::error(
                            "io",
                            format!(
                                "`{shown}` is a symbolic link to `{}`, outside the site",
                                target.display()
                            ),
                        )
                        .at_path(shown)
                        .help("copy what it points to into the site, or set `allow_external_symlinks = true` in book.toml if the site may publish files from outside its directory"),
                    );
                    if entry.file_type().is_dir() {
                        walker.skip_current_dir();
                    }
                    continue;
                }
            }
        }
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                let rel_path = entry.path().strip_prefix(dir).unwrap_or(entry.path());
                let Some(rel) = rel_path
                    .components()
                    .map(|c| c.as_os_str().to_str())
                    .collect::<Option<Vec<_>>>()
                    .map(|parts| parts.join("/"))
                else {
                    let shown = format!("{shown_prefix}/{}", rel_path.to_string_lossy());
                    diags.push(
                        Diagnostic::error("io", format!("the name of `{shown}` is not valid UTF-8"))
                            .at_path(shown)
                            .help("rename it with UTF-8 characters: page addresses are made from file names"),
                    );
                    continue;
                };
                out.push(FoundFile {
                    disk: entry.path().to_path_buf(),
                    rel,
                });
            }
            Ok(_) => {}
            // An entry that cannot be read (an editor's lock file, which Emacs makes as a
            // dangling link `.#name.md`) is still ignored if its name is.
            Err(err)
                if err
                    .path()
                    .and_then(Path::file_name)
                    .is_some_and(|n| is_ignored_name(&n.to_string_lossy())) => {}
            Err(err) => {
                let shown = |p: &Path| match p.strip_prefix(dir) {
                    Ok(rel) => format!("{shown_prefix}/{}", rel.display()),
                    Err(_) => p.display().to_string(),
                };
                let path = err
                    .path()
                    .map(shown)
                    .unwrap_or_else(|| shown_prefix.to_string());
                let dangling = err.path().is_some_and(|p| p.is_symlink() && !p.exists());
                let (message, help) = if let Some(ancestor) = err.loop_ancestor() {
                    (
                        format!(
                            "`{path}` is a symbolic link back to `{}`, which contains it",
                            shown(ancestor)
                        ),
                        "remove the link, or point it at a directory outside this tree",
                    )
                } else if dangling {
                    (
                        format!("`{path}` is a symbolic link to a file that does not exist"),
                        "point the link at an existing file, or remove it",
                    )
                } else {
                    (
                        format!("cannot read `{path}`: {err}"),
                        "check the file's permissions",
                    )
                };
                diags.push(Diagnostic::error("io", message).at_path(path).help(help));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn links_are_followed_and_bad_links_and_names_are_errors() {
        use std::os::unix::ffi::OsStrExt;
        let tmp = tempfile::tempdir().expect("tempdir");
        let content = tmp.path().join("content");
        std::fs::create_dir_all(content.join("a")).expect("mkdir");
        let outside = tmp.path().join("outside.md");
        std::fs::write(&outside, "+++\ntitle = \"x\"\n+++\n").expect("write");
        std::os::unix::fs::symlink(&outside, content.join("a/linked.md")).expect("link");
        let walk_of = |content: &Path| {
            let mut diags = Diagnostics::new();
            let files = walk(content, "content", None, &mut diags);
            let rels: Vec<String> = files.into_iter().map(|f| f.rel).collect();
            let messages: Vec<String> = diags.items().iter().map(|d| d.message.clone()).collect();
            (rels, messages)
        };
        assert_eq!(walk_of(&content), (vec!["a/linked.md".to_string()], vec![]));

        std::os::unix::fs::symlink("..", content.join("a/loop")).expect("link");
        std::os::unix::fs::symlink(tmp.path().join("gone.md"), content.join("a/dangling.md"))
            .expect("link");
        let bad_name = std::ffi::OsStr::from_bytes(b"bad\xff.md");
        std::fs::write(content.join("a").join(bad_name), "x").expect("write");
        let (rels, messages) = walk_of(&content);
        assert_eq!(rels, ["a/linked.md"]);
        assert_eq!(
            messages,
            [
                "the name of `content/a/bad\u{fffd}.md` is not valid UTF-8",
                "`content/a/dangling.md` is a symbolic link to a file that does not exist",
                "`content/a/loop` is a symbolic link back to `content/`, which contains it",
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn editor_lock_files_that_are_dangling_links_are_ignored() {
        // Issue 13: Emacs's lock file `.#a.md`, a link to `user@host.1234` that does not
        // exist, failed the build.
        let tmp = tempfile::tempdir().expect("tempdir");
        let content = tmp.path().join("content");
        std::fs::create_dir_all(content.join("sub")).expect("mkdir");
        std::fs::write(content.join("a.md"), "x").expect("write");
        std::os::unix::fs::symlink("user@host.1234:1700000000", content.join(".#a.md"))
            .expect("link");
        std::os::unix::fs::symlink("user@host.1234:1700000000", content.join("sub/.#b.md"))
            .expect("link");
        let mut diags = Diagnostics::new();
        let files = walk(&content, "content", None, &mut diags);
        assert!(diags.is_empty(), "{:?}", diags.items());
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].rel, "a.md");
    }

    #[cfg(unix)]
    #[test]
    fn links_that_lead_outside_the_site_are_refused_when_confined() {
        // Issue 13: `content/x.txt -> /proc/self/environ` published the build's environment.
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path().join("site");
        let content = root.join("content");
        std::fs::create_dir_all(content.join("a")).expect("mkdir");
        std::fs::create_dir_all(root.join("notes")).expect("mkdir");
        std::fs::write(root.join("notes/kept.md"), "x").expect("write");
        std::fs::write(tmp.path().join("secret.txt"), "x").expect("write");
        std::fs::create_dir_all(tmp.path().join("elsewhere")).expect("mkdir");
        std::fs::write(tmp.path().join("elsewhere/b.md"), "x").expect("write");
        let link = |to: &Path, at: &str| std::os::unix::fs::symlink(to, content.join(at));
        link(Path::new("/proc/self/environ"), "x.txt").expect("link");
        link(&tmp.path().join("secret.txt"), "a/secret.txt").expect("link");
        link(&tmp.path().join("elsewhere"), "ext").expect("link");
        link(Path::new("../../notes/kept.md"), "a/kept.md").expect("link");
        let walk_in = |confine: Option<&Path>| {
            let mut diags = Diagnostics::new();
            let rels: Vec<String> = walk(&content, "content", confine, &mut diags)
                .into_iter()
                .map(|f| f.rel)
                .collect();
            let messages: Vec<String> = diags
                .items()
                .iter()
                .map(|d| format!("{}: {}", d.path.as_deref().unwrap_or(""), d.message))
                .collect();
            (rels, messages)
        };
        let (rels, messages) = walk_in(Some(&root));
        assert_eq!(rels, ["a/kept.md"]);
        let secret = tmp
            .path()
            .canonicalize()
            .expect("canonical")
            .join("secret.txt");
        let elsewhere = tmp
            .path()
            .canonicalize()
            .expect("canonical")
            .join("elsewhere");
        assert_eq!(
            messages,
            [
                format!(
                    "content/a/secret.txt: `content/a/secret.txt` is a symbolic link to `{}`, outside the site",
                    secret.display()
                ),
                format!(
                    "content/ext: `content/ext` is a symbolic link to `{}`, outside the site",
                    elsewhere.display()
                ),
                format!(
                    "content/x.txt: `content/x.txt` is a symbolic link to `{}`, outside the site",
                    Path::new("/proc/self/environ")
                        .canonicalize()
                        .expect("environ")
                        .display()
                ),
            ]
        );
        // Allowed (`allow_external_symlinks = true`): followed as before.
        let (rels, messages) = walk_in(None);
        assert_eq!(rels, ["a/kept.md", "a/secret.txt", "ext/b.md", "x.txt"]);
        assert!(messages.is_empty(), "{messages:?}");
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let mut map = SourceMap::default();
        let id = map.add("a.md", "ab\nçé x\n".to_string());
        let x = map.text(id).find('x').unwrap_or(0);
        assert_eq!(map.line_col(id, x), LineCol { line: 2, col: 4 });
        assert_eq!(map.line_text(id, 2), "çé x");
        assert_eq!(map.line_col(id, 0), LineCol { line: 1, col: 1 });
    }
}
