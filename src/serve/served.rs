//! The site as served: every output file in memory with its hash, and the diff between two
//! builds of it.
//!
//! In: the `Artifact`s of a build. Out: a `ServedSite` (path → bytes + xxh3 hash) that the HTTP
//! server reads, and `OutputChanges` (which output paths changed or went away) that the live
//! reload pushes to browsers. Files that a build copies (`static/`, content assets) are read
//! here, once, and kept while their size and modification time stay the same. Nothing here
//! writes to disk.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

use crate::render::{Artifact, ArtifactContent};

/// One output file, in memory.
#[derive(Debug, Clone)]
pub struct ServedFile {
    pub bytes: Arc<Vec<u8>>,
    pub hash: u64,
}

impl ServedFile {
    fn new(bytes: Vec<u8>) -> Self {
        let hash = xxh3_64(&bytes);
        ServedFile {
            bytes: Arc::new(bytes),
            hash,
        }
    }
}

/// Every output file of one good build, by path relative to the output root (`a/index.html`).
#[derive(Debug, Default)]
pub struct ServedSite {
    files: BTreeMap<String, ServedFile>,
    /// The number of the build these files come from (0: none yet).
    pub build: u64,
}

impl ServedSite {
    pub fn get(&self, path: &str) -> Option<&ServedFile> {
        self.files.get(path)
    }

    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// What makes a copied file's cached bytes still valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileStamp {
    len: u64,
    modified: Option<SystemTime>,
}

/// Copied files from the last build, so that a rebuild reads only the ones that changed.
#[derive(Debug, Default)]
pub struct CopyCache {
    files: HashMap<PathBuf, (FileStamp, ServedFile)>,
}

/// A file a build wanted to copy but that could not be read (removed since the walk, say).
#[derive(Debug)]
pub struct UnreadableFile {
    pub path: PathBuf,
    pub error: std::io::Error,
}

/// Loads a build's artifacts into memory and hashes them, in parallel.
pub fn collect(
    artifacts: Vec<Artifact>,
    cache: &mut CopyCache,
) -> (ServedSite, Vec<UnreadableFile>) {
    type Loaded = (
        String,
        Result<ServedFile, UnreadableFile>,
        Option<(PathBuf, FileStamp)>,
    );
    let old = &*cache;
    let loaded: Vec<Loaded> = artifacts
        .into_par_iter()
        .map(|a| match a.content {
            ArtifactContent::Bytes(bytes) => (a.path, Ok(ServedFile::new(bytes)), None),
            ArtifactContent::Copy(disk) => {
                let stamp = std::fs::metadata(&disk).map(|m| FileStamp {
                    len: m.len(),
                    modified: m.modified().ok(),
                });
                if let Ok(stamp) = &stamp {
                    if let Some((cached, file)) = old.files.get(&disk) {
                        if cached == stamp && stamp.modified.is_some() {
                            return (a.path, Ok(file.clone()), Some((disk, *stamp)));
                        }
                    }
                }
                match std::fs::read(&disk) {
                    Ok(bytes) => {
                        let keep = stamp.ok().map(|s| (disk, s));
                        (a.path, Ok(ServedFile::new(bytes)), keep)
                    }
                    Err(error) => (a.path, Err(UnreadableFile { path: disk, error }), None),
                }
            }
            // Only a build that writes to disk streams its pages; serve's builds never do.
            ArtifactContent::Written => {
                let error = std::io::Error::other("the page was written to disk, not kept");
                let path = PathBuf::from(&a.path);
                (a.path, Err(UnreadableFile { path, error }), None)
            }
        })
        .collect();
    let mut site = ServedSite::default();
    let mut next_cache = CopyCache::default();
    let mut unreadable = Vec::new();
    for (path, file, stamp) in loaded {
        match file {
            Ok(file) => {
                if let Some((disk, stamp)) = stamp {
                    next_cache.files.insert(disk, (stamp, file.clone()));
                }
                site.files.insert(path, file);
            }
            Err(e) => unreadable.push(e),
        }
    }
    *cache = next_cache;
    (site, unreadable)
}

/// The site after an incremental rebuild: `old` with `changed` files loaded (copied files read
/// again only when they changed on disk) and `removed` ones dropped. With `complete`, `changed`
/// is every file and nothing of `old` is kept.
pub fn apply(
    old: &ServedSite,
    changed: Vec<Artifact>,
    removed: &[String],
    complete: bool,
    cache: &mut CopyCache,
) -> (ServedSite, Vec<UnreadableFile>) {
    if complete {
        return collect(changed, cache);
    }
    let mut partial = CopyCache {
        files: cache.files.clone(),
    };
    let (fresh, unreadable) = collect(changed, &mut partial);
    // `collect` kept only the copied files it saw; the others' entries are still valid.
    cache.files.extend(partial.files);
    let mut files = old.files.clone();
    for p in removed {
        files.remove(p);
    }
    for (path, file) in fresh.files {
        files.insert(path, file);
    }
    (ServedSite { files, build: 0 }, unreadable)
}

/// The output paths whose bytes differ between two builds.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct OutputChanges {
    /// New or changed, sorted.
    pub changed: Vec<String>,
    /// Gone, sorted.
    pub removed: Vec<String>,
}

impl OutputChanges {
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty()
    }

    /// How many HTML pages changed, appeared or went away.
    pub fn pages(&self) -> usize {
        self.all().filter(|p| is_page(p)).count()
    }

    /// How many other files (stylesheets, images, feeds, exports) did.
    pub fn other_files(&self) -> usize {
        self.all().filter(|p| !is_page(p)).count()
    }

    fn all(&self) -> impl Iterator<Item = &String> {
        self.changed.iter().chain(&self.removed)
    }

    /// `3 pages changed`, `1 page and 2 other files changed`, `nothing changed`.
    pub fn describe(&self) -> String {
        let (pages, others) = (self.pages(), self.other_files());
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        match (pages, others) {
            (0, 0) => "nothing changed".into(),
            (p, 0) => format!("{} changed", plural(p, "page", "pages")),
            (0, o) => format!("{} changed", plural(o, "file", "files")),
            (p, o) => format!(
                "{} and {} changed",
                plural(p, "page", "pages"),
                plural(o, "other file", "other files")
            ),
        }
    }
}

fn is_page(path: &str) -> bool {
    path.ends_with(".html")
}

/// Compares two builds by hash.
pub fn diff(old: &ServedSite, new: &ServedSite) -> OutputChanges {
    let changed = new
        .files
        .iter()
        .filter(|(path, file)| old.files.get(*path).is_none_or(|o| o.hash != file.hash))
        .map(|(path, _)| path.clone())
        .collect();
    let removed = old
        .files
        .keys()
        .filter(|path| !new.files.contains_key(*path))
        .cloned()
        .collect();
    OutputChanges { changed, removed }
}

/// The URL path a browser uses for an output path: `models/x/index.html` → `/models/x/`.
pub fn url_of(path: &str, base_path: &str) -> String {
    let path = if path == "index.html" {
        ""
    } else {
        path.strip_suffix("/index.html")
            .map(|dir| &path[..dir.len() + 1])
            .unwrap_or(path)
    };
    format!("{base_path}{path}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> ServedSite {
        let artifacts = files
            .iter()
            .map(|(p, t)| Artifact {
                path: (*p).to_string(),
                content: ArtifactContent::Bytes(t.as_bytes().to_vec()),
                page: None,
            })
            .collect();
        collect(artifacts, &mut CopyCache::default()).0
    }

    #[test]
    fn diff_lists_changed_added_and_removed_paths() {
        let old = site(&[
            ("index.html", "a"),
            ("x/index.html", "b"),
            ("gone.css", "c"),
        ]);
        let new = site(&[
            ("index.html", "a"),
            ("x/index.html", "B"),
            ("new.html", "d"),
        ]);
        let d = diff(&old, &new);
        assert_eq!(d.changed, vec!["new.html", "x/index.html"]);
        assert_eq!(d.removed, vec!["gone.css"]);
        assert_eq!(d.describe(), "2 pages and 1 other file changed");
        assert!(diff(&new, &new).is_empty());
    }

    #[test]
    fn urls_drop_index_html() {
        assert_eq!(url_of("index.html", "/"), "/");
        assert_eq!(url_of("models/x/index.html", "/"), "/models/x/");
        assert_eq!(url_of("404.html", "/docs/"), "/docs/404.html");
        assert_eq!(url_of("factbook.css", "/"), "/factbook.css");
    }

    #[test]
    fn copied_files_are_read_again_only_when_they_change() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("a.css");
        std::fs::write(&file, "one").expect("write");
        let copy = || {
            vec![Artifact {
                path: "a.css".into(),
                content: ArtifactContent::Copy(file.clone()),
                page: None,
            }]
        };
        let mut cache = CopyCache::default();
        let (first, problems) = collect(copy(), &mut cache);
        assert!(problems.is_empty());
        let (second, _) = collect(copy(), &mut cache);
        assert!(diff(&first, &second).is_empty());
        std::fs::write(&file, "two, longer").expect("write");
        let (third, _) = collect(copy(), &mut cache);
        assert_eq!(diff(&second, &third).changed, vec!["a.css"]);
        std::fs::remove_file(&file).expect("remove");
        let (fourth, problems) = collect(copy(), &mut cache);
        assert!(fourth.is_empty() && problems.len() == 1);
    }
}
