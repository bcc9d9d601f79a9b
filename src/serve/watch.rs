//! Watch: file-system events on the site's inputs, debounced into one `ChangeSet` per save.
//!
//! In: notify events for `book.toml`, `content/`, `templates/` and `static/`. Out: the set of
//! changed source paths, each with its kind, and when the first of them was seen. Editor
//! leftovers (swap, backup and temporary files; see `source::is_ignored_name`) and reads are
//! ignored, so the build's own reads never trigger a build. Atomic saves (write a temporary
//! file, rename it over the real one) arrive as a rename onto the real path, which counts.

use std::collections::BTreeSet;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind, RenameMode};
use notify::{RecommendedWatcher, RecursiveMode, Watcher};

use crate::source::is_ignored_name;

/// The input directories, watched recursively when they exist.
const INPUT_DIRS: [&str; 3] = ["content", "templates", "static"];

/// How long the inputs must stay quiet after an event that leaves a file half-written (a
/// create, a first write, a rename away) before a build starts.
const SETTLE_AFTER_PARTIAL: Duration = Duration::from_millis(25);
/// The same after an event that completes a save (the file closed after writing, or renamed
/// into place): short, only to gather the other files of a save of several.
const SETTLE_AFTER_COMPLETE: Duration = Duration::from_millis(5);
/// A stream of events (a checkout, a copy of many files) is cut after this long.
const MAX_GATHER: Duration = Duration::from_millis(1000);

/// What kind of input a changed path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SourceKind {
    Config,
    Content,
    Template,
    Static,
}

/// One changed input: its kind and its path relative to the site root (`content/a.md`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ChangedSource {
    pub kind: SourceKind,
    pub path: String,
}

/// The inputs changed by one save (or a burst of saves).
#[derive(Debug, Clone)]
pub struct ChangeSet {
    pub sources: BTreeSet<ChangedSource>,
    /// The file system lost events (an overflowed queue): every input may have changed.
    pub rescan: bool,
    /// When the first event of the set arrived: the start of the save-to-browser latency.
    pub first_seen: Instant,
}

/// Watches a site's inputs.
pub struct SourceWatcher {
    root: PathBuf,
    watcher: RecommendedWatcher,
    /// Each event with the time it arrived, so that a save made during a build is timed from
    /// the save, not from when the build was done.
    events: Receiver<(Instant, notify::Result<notify::Event>)>,
    watched_dirs: BTreeSet<&'static str>,
}

impl SourceWatcher {
    /// Starts watching the site at `root` (an absolute path).
    pub fn new(root: &Path) -> io::Result<Self> {
        let (tx, events) = channel();
        let mut watcher = notify::recommended_watcher(move |event| {
            let _ = tx.send((Instant::now(), event));
        })
        .map_err(io::Error::other)?;
        // The root itself, not recursively: book.toml (also when saved by rename) and the
        // input directories appearing or going away.
        watcher
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| io::Error::other(format!("cannot watch `{}`: {e}", root.display())))?;
        let mut this = SourceWatcher {
            root: root.to_path_buf(),
            watcher,
            events,
            watched_dirs: BTreeSet::new(),
        };
        this.refresh_dir_watches();
        Ok(this)
    }

    /// Watches input directories that exist and are not watched yet; forgets removed ones.
    fn refresh_dir_watches(&mut self) {
        for dir in INPUT_DIRS {
            let path = self.root.join(dir);
            let exists = path.is_dir();
            if exists && !self.watched_dirs.contains(dir) {
                match self.watcher.watch(&path, RecursiveMode::Recursive) {
                    Ok(()) => {
                        self.watched_dirs.insert(dir);
                    }
                    Err(e) => eprintln!("warning: cannot watch `{}`: {e}", path.display()),
                }
            } else if !exists && self.watched_dirs.remove(dir) {
                let _ = self.watcher.unwatch(&path);
            }
        }
    }

    /// Blocks until an input changes, then gathers further events until the inputs have been
    /// quiet for a moment. Fails only when the watcher has stopped.
    pub fn next_changes(&mut self) -> io::Result<ChangeSet> {
        let mut set = ChangeSet {
            sources: BTreeSet::new(),
            rescan: false,
            first_seen: Instant::now(),
        };
        // Wait for the first relevant event.
        let mut settle = loop {
            let (at, event) = self.events.recv().map_err(|_| stopped())?;
            if let Some(settle) = self.take(event, &mut set) {
                set.first_seen = at;
                break settle;
            }
        };
        let gather_start = Instant::now();
        let mut deadline = gather_start + settle;
        loop {
            let now = Instant::now();
            if now >= deadline || now.duration_since(gather_start) >= MAX_GATHER {
                break;
            }
            match self.events.recv_timeout(deadline - now) {
                Ok((_, event)) => {
                    if let Some(s) = self.take(event, &mut set) {
                        settle = s;
                        deadline = Instant::now() + settle;
                    }
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return Err(stopped()),
            }
        }
        Ok(set)
    }

    /// Adds an event's relevant paths to the set; returns how long to wait for more when the
    /// event was relevant.
    fn take(
        &mut self,
        event: notify::Result<notify::Event>,
        set: &mut ChangeSet,
    ) -> Option<Duration> {
        let event = match event {
            Ok(e) => e,
            Err(e) => {
                eprintln!("warning: file watching: {e}");
                return None;
            }
        };
        if event.need_rescan() {
            set.rescan = true;
            return Some(SETTLE_AFTER_PARTIAL);
        }
        let settle = settle_after(&event.kind)?;
        let mut relevant = false;
        let mut at_root = false;
        for path in &event.paths {
            let Ok(rel) = path.strip_prefix(&self.root) else {
                continue;
            };
            if let Some(changed) = classify(rel) {
                at_root |= rel.components().count() == 1;
                set.sources.insert(changed);
                relevant = true;
            }
        }
        if at_root {
            self.refresh_dir_watches();
        }
        relevant.then_some(settle)
    }
}

fn stopped() -> io::Error {
    io::Error::other("the file watcher stopped")
}

/// How long to wait after an event of this kind, or `None` for events that change nothing
/// (reads, including the build's own).
fn settle_after(kind: &EventKind) -> Option<Duration> {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => Some(SETTLE_AFTER_COMPLETE),
        EventKind::Access(_) => None,
        EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both)) => {
            Some(SETTLE_AFTER_COMPLETE)
        }
        EventKind::Create(_)
        | EventKind::Modify(_)
        | EventKind::Remove(_)
        | EventKind::Any
        | EventKind::Other => Some(SETTLE_AFTER_PARTIAL),
    }
}

/// The kind of input at `rel` (relative to the site root), or `None` when it is not an input:
/// another file at the root, or an editor's leftover anywhere.
pub fn classify(rel: &Path) -> Option<ChangedSource> {
    let mut parts = Vec::new();
    for c in rel.components() {
        match c {
            Component::Normal(name) => parts.push(name.to_str()?),
            _ => return None,
        }
    }
    let kind = match parts.as_slice() {
        ["book.toml"] => SourceKind::Config,
        ["content", ..] => SourceKind::Content,
        ["templates", ..] => SourceKind::Template,
        ["static", ..] => SourceKind::Static,
        _ => return None,
    };
    if parts[1..].iter().any(|name| is_ignored_name(name)) {
        return None;
    }
    Some(ChangedSource {
        kind,
        path: parts.join("/"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(path: &str) -> Option<SourceKind> {
        classify(Path::new(path)).map(|c| c.kind)
    }

    #[test]
    fn inputs_are_classified_and_editor_leftovers_ignored() {
        assert_eq!(kind("book.toml"), Some(SourceKind::Config));
        assert_eq!(kind("content/a/b.md"), Some(SourceKind::Content));
        assert_eq!(kind("templates/page.html"), Some(SourceKind::Template));
        assert_eq!(kind("static/site.css"), Some(SourceKind::Static));
        assert_eq!(kind("content"), Some(SourceKind::Content));
        for ignored in [
            "content/.a.md.swp",
            "content/a.md~",
            "content/#a.md#",
            "content/4913",
            "content/a.md.tmp",
            "content/.git/x",
            "static/.hidden/x.css",
            "public/index.html",
            "book.toml~",
            ".book.toml.swp",
            "README.md",
        ] {
            assert_eq!(kind(ignored), None, "{ignored}");
        }
    }

    #[test]
    fn reads_never_count_as_changes() {
        assert_eq!(
            settle_after(&EventKind::Access(AccessKind::Open(AccessMode::Any))),
            None
        );
        assert_eq!(
            settle_after(&EventKind::Access(AccessKind::Close(AccessMode::Read))),
            None
        );
        assert_eq!(
            settle_after(&EventKind::Access(AccessKind::Close(AccessMode::Write))),
            Some(SETTLE_AFTER_COMPLETE)
        );
    }
}
