//! Write: feeds and sitemap, then every artifact into a staging directory that is swapped in
//! whole, so that a failed or killed build never leaves a half-written output directory.
//!
//! In: `Artifact`s. Out: files on disk. Files whose bytes did not change since the last build
//! are hard-linked from the old output instead of written again.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::markdown::{escape_attr, escape_text};
use crate::render::{Artifact, ArtifactContent, bytes_artifact};
use crate::site::{PageKind, Site};

/// `atom.xml`, `sitemap.xml` and `robots.txt`, as the config asks.
pub fn feeds(site: &Site) -> Vec<Artifact> {
    let mut out = Vec::new();
    let c = &site.config;
    if c.feed {
        let mut dated: Vec<usize> = (0..site.docs.len())
            .filter(|&d| !site.docs[d].is_section && site.docs[d].front.date.is_some())
            .collect();
        dated.sort_by(|&a, &b| {
            let (da, db) = (&site.docs[a].front, &site.docs[b].front);
            db.date
                .cmp(&da.date)
                .then(site.docs[a].rel.cmp(&site.docs[b].rel))
        });
        dated.truncate(50);
        let updated = dated
            .iter()
            .filter_map(|&d| site.docs[d].front.updated.or(site.docs[d].front.date))
            .max()
            .map(|d| d.rfc3339())
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
        let mut xml = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n<title>{}</title>\n<subtitle>{}</subtitle>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<id>{}</id>\n<updated>{updated}</updated>\n",
            escape_attr(&c.language),
            escape_text(&c.title),
            escape_text(&c.description),
            escape_attr(&site.absolute_url("atom.xml")),
            escape_attr(&c.base_url),
            escape_text(&c.base_url),
        );
        if let Some(author) = &c.author {
            xml.push_str(&format!(
                "<author><name>{}</name></author>\n",
                escape_text(author)
            ));
        }
        for d in dated {
            let doc = &site.docs[d];
            let url = site.absolute_url(&site.doc_paths[d]);
            let date = doc.front.date.map(|x| x.rfc3339()).unwrap_or_default();
            let updated = doc
                .front
                .updated
                .map(|x| x.rfc3339())
                .unwrap_or_else(|| date.clone());
            xml.push_str(&format!(
                "<entry>\n<title>{}</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<id>{}</id>\n<published>{date}</published>\n<updated>{updated}</updated>\n",
                escape_text(doc.front.title.as_deref().unwrap_or(doc.stem())),
                escape_attr(&url),
                escape_text(&url)
            ));
            if let Some(desc) = &doc.front.description {
                xml.push_str(&format!("<summary>{}</summary>\n", escape_text(desc)));
            }
            xml.push_str("</entry>\n");
        }
        xml.push_str("</feed>\n");
        out.push(bytes_artifact("atom.xml".into(), xml));
    }
    if c.sitemap {
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        let mut entries: Vec<(String, Option<String>)> = site
            .pages
            .iter()
            .filter(|p| !matches!(p.kind, PageKind::Redirect(_) | PageKind::NotFound))
            .map(|p| {
                let lastmod = match p.kind {
                    PageKind::Doc(d) => site.docs[d]
                        .front
                        .updated
                        .or(site.docs[d].front.date)
                        .map(|x| x.to_string())
                        .filter(|s| s.len() == 10),
                    _ => None,
                };
                (site.absolute_url(&p.path), lastmod)
            })
            .collect();
        entries.sort();
        for (loc, lastmod) in entries {
            xml.push_str("<url><loc>");
            xml.push_str(&escape_text(&loc));
            xml.push_str("</loc>");
            if let Some(l) = lastmod {
                xml.push_str(&format!("<lastmod>{l}</lastmod>"));
            }
            xml.push_str("</url>\n");
        }
        xml.push_str("</urlset>\n");
        out.push(bytes_artifact("sitemap.xml".into(), xml));
    }
    let mut robots = String::from("User-agent: *\nAllow: /\n");
    if c.sitemap {
        robots.push_str(&format!("Sitemap: {}\n", site.absolute_url("sitemap.xml")));
    }
    out.push(bytes_artifact("robots.txt".into(), robots));
    out
}

/// Static files and the built-in theme assets (a static file of the same name wins).
pub fn static_artifacts(files: &[crate::source::FoundFile]) -> Vec<Artifact> {
    let mut out: Vec<Artifact> = files
        .iter()
        .map(|f| Artifact {
            path: f.rel.clone(),
            content: ArtifactContent::Copy(f.disk.clone()),
            page: None,
        })
        .collect();
    for (name, text) in crate::render::BUILTIN_ASSETS {
        if !files.iter().any(|f| f.rel == *name) {
            out.push(bytes_artifact((*name).to_string(), (*text).to_string()));
        }
    }
    out
}

/// The file written into every output directory, so that a later build knows the directory is
/// its own to replace.
pub const MARKER: &str = ".factbook-output";

/// Why replacing the directory `out` could delete someone's files, if it could. A build
/// replaces only a missing or empty directory, one holding `MARKER`, or the output of a
/// factbook older than the marker: one with the built-in theme's `factbook.css` and
/// `factbook.js` at its top, files no other tool writes under those names.
pub fn foreign_output(out: &Path) -> Option<String> {
    let mut entries = fs::read_dir(out).ok()?;
    if entries.next().is_none()
        || out.join(MARKER).is_file()
        || (out.join("factbook.css").is_file() && out.join("factbook.js").is_file())
    {
        return None;
    }
    Some(format!(
        "`{}` holds files that factbook did not write",
        out.display()
    ))
}

/// How a write went.
#[derive(Debug, Default, Clone, Copy)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
}

/// A staging directory beside the output directory: pages are written into it as they render,
/// the other files at the end, and `finish` swaps it in whole (atomically where the system
/// can). Dropped unfinished (an error, a failed check, a panic), it is removed and the output
/// directory is left as it was; a build that is killed leaves it behind for the next build to
/// remove (or, killed between the fallback's two renames, the old output moved aside, which the
/// next build puts back).
pub struct Staging {
    dir: PathBuf,
    out_dir: PathBuf,
    /// Whether there is a previous output to hard-link unchanged files from.
    previous: bool,
    finished: bool,
    written: AtomicUsize,
    unchanged: AtomicUsize,
    /// A failure to inject into the swap, for the tests that prove it safe.
    #[cfg(test)]
    fault: Option<Fault>,
}

/// Failures the tests inject into `Staging::finish`'s swap.
#[cfg(test)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    /// The atomic exchange is not supported (another OS, some file systems): use two renames.
    NoExchange,
    /// Two renames, and the second one fails.
    SecondRenameFails,
    /// Two renames, and the process is killed between them.
    KilledBetweenRenames,
}

impl Staging {
    /// Creates the staging directory (each file's directory is made as it is written, in
    /// parallel).
    pub fn begin(out_dir: &Path) -> io::Result<Staging> {
        let parent = out_dir
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent)?;
        let name = out_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        restore_or_clean(parent, &name, out_dir);
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir)?;
        Ok(Staging {
            dir,
            out_dir: out_dir.to_path_buf(),
            previous: out_dir.is_dir(),
            finished: false,
            written: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
            #[cfg(test)]
            fault: None,
        })
    }

    /// Where `path` goes in the staging directory, its directory made. A path that would leave
    /// the directory (`..`, an absolute path) is refused: every output stays inside the output.
    fn dest(&self, path: &str) -> io::Result<PathBuf> {
        let inside = Path::new(path)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
        if !inside {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("`{path}` would be outside the output directory"),
            ));
        }
        let dest = self.dir.join(path);
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent)?;
        }
        Ok(dest)
    }

    /// Writes one file, or hard-links the output directory's copy if it has the same bytes.
    pub fn put(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let dest = self.dest(path)?;
        let old = self.out_dir.join(path);
        if self.previous && same_bytes(&old, bytes) && fs::hard_link(&old, &dest).is_ok() {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        fs::write(&dest, bytes)?;
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Writes the artifacts not written yet, then swaps the staging directory in.
    pub fn finish(mut self, artifacts: &[Artifact]) -> io::Result<WriteStats> {
        let rest: Vec<&Artifact> = artifacts
            .iter()
            .filter(|a| !matches!(a.content, ArtifactContent::Written))
            .collect();
        rest.par_iter().try_for_each(|a| match &a.content {
            ArtifactContent::Bytes(bytes) => self.put(&a.path, bytes),
            ArtifactContent::Copy(from) => {
                fs::copy(from, self.dest(&a.path)?)?;
                self.written.fetch_add(1, Ordering::Relaxed);
                Ok(())
            }
            ArtifactContent::Written => Ok(()),
        })?;
        fs::write(
            self.dir.join(MARKER),
            "This directory is factbook's output: the next build replaces it whole.\n",
        )?;
        self.swap()?;
        Ok(WriteStats {
            written: self.written.load(Ordering::Relaxed),
            unchanged: self.unchanged.load(Ordering::Relaxed),
        })
    }
}

impl Staging {
    /// Puts the staging directory in the output directory's place. Where the system can
    /// (Linux's `renameat2` with `RENAME_EXCHANGE`), the two trees trade places in one atomic
    /// step, so there is always an output; elsewhere the old tree is moved aside to
    /// `.NAME.old-PID` and the new one in, and the old one is moved back if that fails (a build
    /// killed in between leaves it there, and the next build puts it back: `restore_or_clean`).
    fn swap(&mut self) -> io::Result<()> {
        if self.out_dir.exists() {
            match self.exchange() {
                Ok(()) => {
                    // The staging path now holds the old tree.
                    self.finished = true;
                    let _ = fs::remove_dir_all(&self.dir);
                    return Ok(());
                }
                Err(e) if e.kind() != io::ErrorKind::Unsupported => return Err(e),
                Err(_) => {}
            }
        }
        let old = self.aside();
        let had_old = self.out_dir.exists();
        if had_old {
            fs::rename(&self.out_dir, &old)?;
        }
        #[cfg(test)]
        if self.fault == Some(Fault::KilledBetweenRenames) {
            // As if killed here: nothing after this point runs, not even `Drop`.
            self.finished = true;
            return Ok(());
        }
        #[cfg(test)]
        let second = if self.fault == Some(Fault::SecondRenameFails) {
            Err(io::Error::other("injected failure"))
        } else {
            fs::rename(&self.dir, &self.out_dir)
        };
        #[cfg(not(test))]
        let second = fs::rename(&self.dir, &self.out_dir);
        if let Err(e) = second {
            if had_old {
                fs::rename(&old, &self.out_dir)?;
            }
            return Err(e);
        }
        self.finished = true;
        if had_old {
            let _ = fs::remove_dir_all(&old);
        }
        Ok(())
    }

    /// Where the fallback swap moves the old tree aside.
    fn aside(&self) -> PathBuf {
        let parent = self.dir.parent().unwrap_or(Path::new(".")).to_path_buf();
        let name = self
            .out_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        parent.join(format!(".{name}.old-{}", std::process::id()))
    }

    /// Trades the staging and output directories in one atomic step; `Unsupported` where the
    /// system or file system cannot.
    fn exchange(&self) -> io::Result<()> {
        #[cfg(test)]
        if self.fault.is_some() {
            return Err(io::ErrorKind::Unsupported.into());
        }
        #[cfg(target_os = "linux")]
        {
            use rustix::fs::{CWD, RenameFlags, renameat_with};
            use rustix::io::Errno;
            match renameat_with(CWD, &self.dir, CWD, &self.out_dir, RenameFlags::EXCHANGE) {
                Ok(()) => Ok(()),
                Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => {
                    Err(io::ErrorKind::Unsupported.into())
                }
                Err(e) => Err(e.into()),
            }
        }
        #[cfg(not(target_os = "linux"))]
        {
            Err(io::ErrorKind::Unsupported.into())
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Why writing the site to `out` would destroy something, if it would: a build replaces its
/// output directory whole, so it must not be the site, hold the site, or lie inside the
/// directories it reads. Paths are compared after resolving `.`, `..` and symbolic links.
pub fn output_hazard(root: &Path, out: &Path) -> Option<String> {
    let root = resolved(root);
    let out = resolved(out);
    if root.starts_with(&out) {
        return Some(if root == out {
            "the output directory is the site's own directory".into()
        } else {
            format!("the output directory `{}` contains the site", out.display())
        });
    }
    for dir in ["content", "templates", "static"] {
        if out.starts_with(root.join(dir)) {
            return Some(format!(
                "the output directory is inside `{dir}/`, which the build reads"
            ));
        }
    }
    if out.exists() && !out.is_dir() {
        return Some(format!("`{}` is a file, not a directory", out.display()));
    }
    None
}

/// `path` made absolute, with `.` and `..` resolved and the part that exists canonicalized
/// (so that a symbolic link to `content/` counts as `content/`).
fn resolved(path: &Path) -> PathBuf {
    use std::path::Component;
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut lexical = PathBuf::new();
    for c in absolute.components() {
        match c {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    // Canonicalize the longest existing ancestor, then add back what does not exist yet.
    let mut existing = lexical.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(c) = existing.canonicalize() {
            let mut p = c;
            p.extend(rest.iter().rev());
            return p;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return lexical,
        }
    }
}

/// Tidies up after a build that was killed: an old tree it had moved aside is put back when the
/// output directory is missing (it is the last good output), and staging or old trees that are
/// not needed are removed.
fn restore_or_clean(parent: &Path, name: &str, out_dir: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let old_prefix = format!(".{name}.old-");
    let staging_prefix = format!(".{name}.staging-");
    let mut leftovers: Vec<(String, PathBuf)> = entries
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(n, _)| n.starts_with(&old_prefix) || n.starts_with(&staging_prefix))
        .collect();
    leftovers.sort();
    for (n, path) in leftovers {
        if n.starts_with(&old_prefix)
            && fs::symlink_metadata(out_dir).is_err()
            && fs::rename(&path, out_dir).is_ok()
        {
            continue;
        }
        let _ = fs::remove_dir_all(path);
    }
}

fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match fs::metadata(path) {
        Ok(m) if m.len() == bytes.len() as u64 => fs::read(path).is_ok_and(|b| b == bytes),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_that_leave_the_output_directory_are_refused() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("site/public");
        let staging = Staging::begin(&out).expect("staging");
        for path in ["../../precious.html", "a/../../b.html", "/etc/x.html"] {
            assert!(staging.put(path, b"x").is_err(), "{path}");
        }
        staging.put("a/ok.html", b"x").expect("a path inside");
        assert!(!tmp.path().join("precious.html").exists());
        assert!(!tmp.path().join("site/b.html").exists());
    }

    fn output_with(out: &Path, text: &str) {
        fs::create_dir_all(out).expect("mkdir");
        fs::write(out.join("index.html"), text).expect("write");
    }

    fn build_into(out: &Path, text: &str, fault: Option<Fault>) -> io::Result<WriteStats> {
        let mut staging = Staging::begin(out)?;
        staging.fault = fault;
        staging.put("index.html", text.as_bytes())?;
        staging.finish(&[])
    }

    fn index_of(out: &Path) -> String {
        fs::read_to_string(out.join("index.html")).unwrap_or_else(|e| format!("{e}"))
    }

    #[test]
    fn the_swap_replaces_the_output_in_one_step() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("public");
        output_with(&out, "old");
        build_into(&out, "new", None).expect("build");
        assert_eq!(index_of(&out), "new");
        assert!(out.join(MARKER).is_file());
        let left: Vec<_> = fs::read_dir(tmp.path()).expect("ls").flatten().collect();
        assert_eq!(left.len(), 1, "nothing but the output is left: {left:?}");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn on_linux_the_two_trees_trade_places_in_one_step() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("public");
        output_with(&out, "old");
        let staging = Staging::begin(&out).expect("begin");
        staging.put("index.html", b"new").expect("put");
        staging.exchange().expect("exchange");
        assert_eq!(index_of(&out), "new");
    }

    #[test]
    fn a_failed_fallback_swap_puts_the_old_output_back() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("public");
        output_with(&out, "old");
        assert!(build_into(&out, "new", Some(Fault::SecondRenameFails)).is_err());
        assert_eq!(index_of(&out), "old");
        build_into(&out, "new", Some(Fault::NoExchange)).expect("build");
        assert_eq!(index_of(&out), "new");
    }

    #[test]
    fn a_build_killed_between_the_renames_loses_no_output() {
        // Issue 13: killed between the two renames, a build left no output, and the next build
        // (failing or not) deleted the old tree it had moved aside.
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("public");
        output_with(&out, "old");
        build_into(&out, "new", Some(Fault::KilledBetweenRenames)).expect("killed");
        assert!(!out.exists(), "the kill left the output moved aside");
        // The next build fails after it began: the last good output is back all the same.
        let staging = Staging::begin(&out).expect("begin");
        staging.put("index.html", b"broken").expect("put");
        drop(staging);
        assert_eq!(index_of(&out), "old");
        let left: Vec<_> = fs::read_dir(tmp.path()).expect("ls").flatten().collect();
        assert_eq!(left.len(), 1, "nothing but the output is left: {left:?}");
    }
}
