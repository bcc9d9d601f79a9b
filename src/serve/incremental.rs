//! Incremental rebuilds: the state of the last good build, and how a change set updates it.
//!
//! In: `BuildOptions`, then the `ChangeSet`s of the watcher. Out: for each, the diagnostics and
//! the output files that changed (or went away) since the last good build. The result is always
//! the output of a full build of the same files (a test checks it byte for byte); when unsure,
//! a step falls back to doing more work, and on any error to a full build, whose diagnostics
//! are the ones reported.
//!
//! Two paths:
//!
//! - **Fast path**, for edits of existing Markdown files that change nothing other pages can
//!   see besides the page view (front matter bytes, link destinations and headings the same):
//!   the new `Doc` is swapped into the site in place, and only its page, the pages that show
//!   its page view (its section, its tags, the pages it links to, pages whose templates call
//!   `get_page` or `get_section`) are rendered again; a static file edit copies that file.
//! - **General path**, for everything else: load and resolve again, reusing parsed docs whose
//!   text did not change, rendered Markdown whose body and link targets did not change, and
//!   each page's bytes when the fingerprint of its inputs (its template context, its template
//!   with everything it extends or includes, and, for templates calling site-wide functions,
//!   all page views and collection data) did not change.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use super::watch::{ChangeSet, SourceKind};
use crate::check::{self, PageScan};
use crate::content::Doc;
use crate::diag::{Diagnostics, Severity};
use crate::markdown::Rendered;
use crate::render::{self, Artifact, ArtifactContent, Shared, Templates};
use crate::site::{LinkTarget, PageKind, Site};
use crate::source::{SourceId, SourceMap};
use crate::{BuildOptions, BuildResult};

/// One output file of the last good build.
#[derive(Clone)]
enum Content {
    Bytes(Arc<Vec<u8>>),
    Copy(PathBuf),
}

#[derive(Clone)]
struct OutFile {
    content: Content,
    page: Option<usize>,
}

/// What a template's output can depend on besides its context.
#[derive(Clone, Copy, Default)]
struct TemplateInfo {
    /// Hash of the texts of the template and every template it extends, includes or imports.
    hash: u64,
    /// Calls `get_page`, `get_section`, `get_collection` or `chart` (directly or through a
    /// template it uses): can show any page's view or any collection's data.
    site_wide: bool,
    /// Calls `get_page` or `get_section`: shows page views (which a body edit can change, by
    /// its word count); `get_collection` and `chart` show only front-matter data.
    page_views: bool,
    /// Calls `url`: depends on every permalink.
    urls: bool,
}

/// Everything kept from the last good build.
pub struct BuildState {
    config_text: String,
    sources: Arc<SourceMap>,
    templates: Templates,
    template_ids: BTreeMap<String, SourceId>,
    template_info: HashMap<String, TemplateInfo>,
    /// The shared template data, holding the `Site`. `None` only while it is being changed.
    shared: Option<Arc<Shared>>,
    /// Per content file (relative to `content/`): the hash of its text and its parsed doc.
    /// Only docs parsed without any diagnostic are kept.
    parsed: HashMap<String, (u64, Doc)>,
    /// Per site doc: the key of its rendered Markdown and the HTML.
    md: Vec<(u64, Arc<Rendered>)>,
    /// Per site page: the fingerprint of its inputs (None: unknown, render again).
    fingerprints: Vec<Option<u64>>,
    files: BTreeMap<String, OutFile>,
    /// The links and ids of each HTML page.
    scans: HashMap<String, PageScan>,
    /// Warnings of the last build (kept so that a fast rebuild reports them too).
    warnings: Diagnostics,
    pages: usize,
    /// The hash of what the search index was built from (0: no index).
    search_key: u64,
}

/// What one rebuild produced.
pub struct Outcome {
    pub diags: Diagnostics,
    pub sources: Arc<SourceMap>,
    /// Output files that are new or may have changed. With `complete`, every output file.
    pub changed: Vec<Artifact>,
    /// Output paths that went away.
    pub removed: Vec<String>,
    pub complete: bool,
    pub pages: usize,
    pub elapsed: Duration,
    /// Which path was taken: "fast", "incremental" or "full".
    pub how: &'static str,
    /// The rebuild failed, but files were saved while it was checked against a full build:
    /// the two read different inputs, so it is done again.
    inputs_changed: bool,
}

impl Outcome {
    pub fn ok(&self) -> bool {
        !self.diags.has_errors()
    }

    fn failed(r: BuildResult, start: Instant) -> Outcome {
        Outcome {
            diags: r.diags,
            sources: Arc::new(r.sources),
            changed: Vec::new(),
            removed: Vec::new(),
            complete: false,
            pages: 0,
            elapsed: start.elapsed(),
            how: "full",
            inputs_changed: false,
        }
    }
}

/// The serve loop's builder: keeps the last good build and updates it.
pub struct Incremental {
    opts: BuildOptions,
    state: Option<BuildState>,
    /// The served output is not the state's (a rebuild failed after changing the state in
    /// place, or none succeeded): the next good build reports every file.
    dirty: bool,
}

impl Incremental {
    pub fn new(opts: &BuildOptions) -> Incremental {
        Incremental {
            opts: BuildOptions {
                write: false,
                keep_pages: true,
                ..opts.clone()
            },
            state: None,
            dirty: true,
        }
    }

    /// Every output file of the last good build, as a full build returns them (for tests).
    pub fn artifacts(&self) -> Vec<Artifact> {
        self.state.as_ref().map_or_else(Vec::new, |s| {
            s.files.iter().map(|(p, f)| artifact(p, f)).collect()
        })
    }

    /// Brings the build up to date with `changes` (None: build everything, as at the start).
    pub fn update(&mut self, changes: Option<&ChangeSet>) -> Outcome {
        let start = Instant::now();
        let mut outcome = self.update_once(changes, start);
        // Files saved while a failed rebuild was checked: build again from what is on disk now
        // (a few times at most, for an editor that saves without pause).
        for _ in 0..3 {
            if !outcome.inputs_changed {
                break;
            }
            outcome = self.update_once(None, start);
        }
        outcome
    }

    fn update_once(&mut self, changes: Option<&ChangeSet>, start: Instant) -> Outcome {
        if let (Some(changes), false) = (changes, self.dirty) {
            match self.fast(changes, start) {
                Fast::Done(outcome) => return outcome,
                Fast::Failed(outcome) => {
                    self.dirty = true;
                    return outcome;
                }
                Fast::No => {}
            }
        }
        let prev = self.state.take();
        match general(&self.opts, prev.as_ref(), start) {
            Ok((state, mut outcome)) => {
                if self.dirty || prev.is_none() {
                    outcome.changed = state.files.iter().map(|(p, f)| artifact(p, f)).collect();
                    outcome.removed.clear();
                    outcome.complete = true;
                }
                self.dirty = false;
                self.state = Some(state);
                outcome
            }
            Err(outcome) => {
                // Keep the caches of the last good build for the next attempt.
                self.state = prev;
                self.dirty = true;
                *outcome
            }
        }
    }

    fn fast(&mut self, changes: &ChangeSet, start: Instant) -> Fast {
        let Some(state) = self.state.as_mut() else {
            return Fast::No;
        };
        if changes.rescan {
            return Fast::No;
        }
        let root = &self.opts.root;
        let mut static_changed = Vec::new();
        let mut edits: Vec<(String, String)> = Vec::new();
        for c in &changes.sources {
            match c.kind {
                SourceKind::Content if c.path.ends_with(".md") => {
                    let Some(rel) = c.path.strip_prefix("content/") else {
                        return Fast::No;
                    };
                    if !state.parsed.contains_key(rel) {
                        return Fast::No;
                    }
                    match std::fs::read(root.join(&c.path)).map(String::from_utf8) {
                        Ok(Ok(text)) => edits.push((rel.to_string(), text)),
                        _ => return Fast::No,
                    }
                }
                SourceKind::Static => {
                    let Some(rel) = c.path.strip_prefix("static/") else {
                        return Fast::No;
                    };
                    let disk = root.join(&c.path);
                    match state.files.get(rel) {
                        Some(OutFile {
                            content: Content::Copy(p),
                            ..
                        }) if *p == disk && disk.is_file() => static_changed.push(rel.to_string()),
                        _ => return Fast::No,
                    }
                }
                _ => return Fast::No,
            }
        }
        // Which docs change, and is each change one only its own page (and its view) shows?
        let mut swaps: Vec<(usize, u64, String)> = Vec::new();
        {
            let Some(shared) = state.shared.as_ref() else {
                return Fast::No;
            };
            let site = shared.site();
            for (rel, text) in edits {
                let hash = xxh3_64(text.as_bytes());
                let (old_hash, old) = &state.parsed[&rel];
                if *old_hash == hash {
                    continue;
                }
                let Some(d) = site.doc_by_rel(&rel) else {
                    return Fast::No;
                };
                let old_text = state.sources.text(old.source);
                if old.body.start > text.len()
                    || !text.is_char_boundary(old.body.start)
                    || old_text[..old.body.start] != text[..old.body.start]
                {
                    return Fast::No;
                }
                swaps.push((d, hash, text));
            }
        }
        let Some(sources) = Arc::get_mut(&mut state.sources) else {
            return Fast::No;
        };
        let Some(shared) = state.shared.as_ref() else {
            return Fast::No;
        };
        let mut new_docs: Vec<(usize, u64, Doc)> = Vec::new();
        for (d, hash, text) in swaps {
            let site = shared.site();
            let old = &site.docs[d];
            let id = sources.add(format!("content/{}", old.rel), text);
            let mut pd = Diagnostics::new();
            let Some(doc) = crate::parse_one(&site.config, &old.rel, id, sources, &mut pd) else {
                return Fast::No;
            };
            if !pd.is_empty() || !same_outside_body(old, &doc) {
                return Fast::No;
            }
            new_docs.push((d, hash, doc));
        }
        // Swap the docs in.
        let _ = state.templates.take_shared();
        let mut shared_arc = state.shared.take().expect("checked above");
        let Some(shared) = Arc::get_mut(&mut shared_arc) else {
            state.templates.set_shared(Arc::clone(&shared_arc));
            state.shared = Some(shared_arc);
            return Fast::No;
        };
        if shared.site_mut().is_none() {
            state.templates.set_shared(Arc::clone(&shared_arc));
            state.shared = Some(shared_arc);
            return Fast::No;
        }
        let mut views_changed = false;
        let mut touched: Vec<usize> = Vec::new();
        for (d, hash, doc) in new_docs {
            let rel = doc.rel.clone();
            state.parsed.insert(rel, (hash, doc.clone()));
            shared.site_mut().expect("checked above").docs[d] = doc;
            views_changed |= shared.refresh_page_view(d);
            touched.push(d);
        }
        state.templates.set_shared(Arc::clone(&shared_arc));
        state.shared = Some(shared_arc);
        let shared = Arc::clone(state.shared.as_ref().expect("just set"));
        let site = shared.site();
        let sources = Arc::clone(&state.sources);

        // Markdown of the changed docs.
        for &d in &touched {
            state.md[d] = (
                md_key(site, &sources, d),
                Arc::new(render::render_markdown(site, &sources, d, None)),
            );
        }

        // The pages to render again.
        let touched_set: HashSet<usize> = touched.iter().copied().collect();
        let mut tags: HashSet<String> = HashSet::new();
        let mut linked: HashSet<usize> = HashSet::new();
        if views_changed {
            for &d in &touched {
                for t in &site.docs[d].front.tags {
                    tags.insert(crate::content::tag_slug(t));
                }
            }
            for (t, bl) in site.backlinks.iter().enumerate() {
                if bl.iter().any(|b| touched_set.contains(b)) {
                    linked.insert(t);
                }
            }
        }
        let redo: Vec<usize> = site
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                let own = match &p.kind {
                    PageKind::Doc(d) => touched_set.contains(d) || linked.contains(d),
                    PageKind::Section(s) => {
                        let sec = &site.sections[*s];
                        sec.doc.is_some_and(|d| touched_set.contains(&d))
                            || (views_changed && sec.pages.iter().any(|d| touched_set.contains(d)))
                    }
                    PageKind::Tag(slug) => tags.contains(slug),
                    _ => false,
                };
                own || (views_changed
                    && state
                        .template_info
                        .get(&p.template)
                        .is_some_and(|i| i.page_views))
            })
            .map(|(i, _)| i)
            .collect();
        let md = &state.md;
        let md_of = |d: usize| Arc::clone(&md[d].1);
        let rendered: Vec<(usize, Result<String, crate::diag::Diagnostic>)> = redo
            .par_iter()
            .map(|&pi| {
                let page = &site.pages[pi];
                let ctx = render::page_context(&shared, page, &md_of);
                (
                    pi,
                    state.templates.render_page(
                        site,
                        page,
                        ctx.as_ref(),
                        &sources,
                        &state.template_ids,
                    ),
                )
            })
            .collect();
        let mut diags = Diagnostics::new();
        let mut changed = Vec::new();
        let mut ids_changed = false;
        let mut rechecked: Vec<String> = Vec::new();
        for (pi, r) in rendered {
            state.fingerprints[pi] = None;
            let html = match r {
                Ok(h) => h,
                Err(d) => {
                    diags.push(d);
                    continue;
                }
            };
            let path = render::output_file(&site.pages[pi].path);
            let scan = check::scan_page(&html);
            let same = state.files.get(&path).is_some_and(|f| match &f.content {
                Content::Bytes(b) => b.as_slice() == html.as_bytes(),
                Content::Copy(_) => false,
            });
            if same {
                continue;
            }
            if state.scans.get(&path).is_none_or(|old| old.ids != scan.ids) {
                ids_changed = true;
            }
            state.scans.insert(path.clone(), scan);
            let file = OutFile {
                content: Content::Bytes(Arc::new(html.into_bytes())),
                page: Some(pi),
            };
            changed.push(artifact(&path, &file));
            state.files.insert(path.clone(), file);
            rechecked.push(path);
        }
        if diags.has_errors() {
            return Fast::Failed(full_failure(&self.opts, start, &sources));
        }
        // Check the links of the changed pages (of every page when ids changed).
        let to_check: Vec<&String> = if ids_changed {
            state.scans.keys().collect()
        } else {
            rechecked.iter().collect()
        };
        let problems = check_pages(site, state, &to_check, &sources);
        if !problems.is_empty() {
            return Fast::Failed(full_failure(&self.opts, start, &sources));
        }
        for rel in static_changed {
            if let Some(f) = state.files.get(&rel) {
                changed.push(artifact(&rel, f));
            }
        }
        let mut removed = Vec::new();
        match search_index(site, &state.files, state.search_key) {
            Ok(None) => {}
            Ok(Some((key, index))) => {
                state.search_key = key;
                let (c, r) = swap_search_index(&mut state.files, index);
                changed.extend(c);
                removed = r;
            }
            Err(_) => return Fast::Failed(full_failure(&self.opts, start, &sources)),
        }
        let mut diags = Diagnostics::new();
        for d in state.warnings.items() {
            diags.push(d.clone());
        }
        Fast::Done(Outcome {
            diags,
            sources,
            changed,
            removed,
            complete: false,
            pages: state.pages,
            elapsed: start.elapsed(),
            how: "fast",
            inputs_changed: false,
        })
    }
}

enum Fast {
    Done(Outcome),
    Failed(Outcome),
    No,
}

/// The search index of the indexed pages among `files` (the whole index is built again when
/// any of them changed: Pagefind has no way to update one page), with the hash of its input.
/// `None` when that hash is `prev_key` (nothing to do), or when factbook has no search.
fn search_index(
    site: &Site,
    files: &BTreeMap<String, OutFile>,
    prev_key: u64,
) -> Result<Option<(u64, Vec<Artifact>)>, crate::diag::Diagnostic> {
    if !crate::search::ENABLED {
        return Ok(None);
    }
    let facets = crate::search::Facets::new(site);
    let pages: Vec<(&crate::site::Page, &Arc<Vec<u8>>)> = files
        .values()
        .filter_map(|f| {
            let page = &site.pages[f.page?];
            match &f.content {
                Content::Bytes(b) if crate::search::Facets::indexed(page) => Some((page, b)),
                _ => None,
            }
        })
        .collect();
    let mut docs: Vec<crate::search::SearchDoc> = pages
        .par_iter()
        .filter_map(|(page, b)| facets.prepare(page, std::str::from_utf8(b).ok()?))
        .collect();
    docs.sort_by(|a, b| a.url.cmp(&b.url));
    let mut h = Xxh3::new();
    for d in &docs {
        h.update(d.url.as_bytes());
        h.update(&[0]);
        h.update(d.html.as_bytes());
        h.update(&[0]);
    }
    // Never 0, which stands for no index.
    let key = h.digest() | 1;
    if key == prev_key {
        return Ok(None);
    }
    Ok(Some((key, crate::search::index(docs)?)))
}

/// Puts a new search index in `files` in place of the old one; returns the paths that changed
/// and those that went away.
fn swap_search_index(
    files: &mut BTreeMap<String, OutFile>,
    index: Vec<Artifact>,
) -> (Vec<Artifact>, Vec<String>) {
    let prefix = format!("{}/", crate::search::BUNDLE_DIR);
    let new: HashSet<&str> = index.iter().map(|a| a.path.as_str()).collect();
    let removed: Vec<String> = files
        .keys()
        .filter(|k| k.starts_with(&prefix) && !new.contains(k.as_str()))
        .cloned()
        .collect();
    for k in &removed {
        files.remove(k);
    }
    let mut changed = Vec::new();
    for a in index {
        let ArtifactContent::Bytes(b) = a.content else {
            continue;
        };
        let same = files.get(&a.path).is_some_and(|f| match &f.content {
            Content::Bytes(old) => **old == b,
            Content::Copy(_) => false,
        });
        if same {
            continue;
        }
        let file = OutFile {
            content: Content::Bytes(Arc::new(b)),
            page: None,
        };
        changed.push(artifact(&a.path, &file));
        files.insert(a.path, file);
    }
    (changed, removed)
}

/// The parts of two parses of a file that other pages can see, besides the page view, agree.
fn same_outside_body(old: &Doc, new: &Doc) -> bool {
    old.body.start == new.body.start
        && old.is_section == new.is_section
        && old.scan.links.len() == new.scan.links.len()
        && old
            .scan
            .links
            .iter()
            .zip(&new.scan.links)
            .all(|(a, b)| a.dest == b.dest && a.is_image == b.is_image)
        && old.scan.headings.len() == new.scan.headings.len()
        && old
            .scan
            .headings
            .iter()
            .zip(&new.scan.headings)
            .all(|(a, b)| a.id == b.id && a.title == b.title && a.level == b.level)
        && old.scan.has_more == new.scan.has_more
}

fn artifact(path: &str, f: &OutFile) -> Artifact {
    Artifact {
        path: path.to_string(),
        content: match &f.content {
            Content::Bytes(b) => ArtifactContent::Bytes(b.as_ref().clone()),
            Content::Copy(p) => ArtifactContent::Copy(p.clone()),
        },
        page: f.page,
    }
}

/// A full build, for its diagnostics: what an author sees is always what `build` reports.
/// `seen` holds the inputs the failed rebuild read: a full build that succeeds on the same
/// inputs shows a bug, one that read files saved since shows nothing (`inputs_changed`).
fn full_failure(opts: &BuildOptions, start: Instant, seen: &SourceMap) -> Outcome {
    let r = crate::build(opts);
    if r.ok() && !same_inputs(seen, &r.sources) {
        return Outcome {
            inputs_changed: true,
            ..Outcome::failed(r, start)
        };
    }
    if r.ok() {
        // The incremental step found a problem a full build does not: report nothing wrong,
        // but make the next build a full one (the caller marks the state dirty).
        let mut diags = r.diags;
        diags.push(
            crate::diag::Diagnostic::error(
                "internal",
                "an incremental rebuild disagreed with a full build; save again to rebuild",
            )
            .help("this is a bug in factbook; please report it"),
        );
        return Outcome {
            diags,
            ..Outcome::failed(
                BuildResult {
                    sources: r.sources,
                    diags: Diagnostics::new(),
                    site: None,
                    artifacts: Vec::new(),
                    output_dir: None,
                    pages: 0,
                    written: None,
                    elapsed: r.elapsed,
                },
                start,
            )
        };
    }
    Outcome::failed(r, start)
}

/// Whether two builds read the same files with the same texts. The built-in templates are left
/// out (a rebuild that failed early never loaded them), and the last text of a path counts (the
/// fast path adds an edited file's new text after its old one).
fn same_inputs(a: &SourceMap, b: &SourceMap) -> bool {
    let texts = |m: &SourceMap| -> HashMap<String, u64> {
        (0..m.len())
            .map(|i| m.get(SourceId(i as u32)))
            .filter(|f| !f.path.starts_with("<built-in>"))
            .map(|f| (f.path.clone(), xxh3_64(f.text.as_bytes())))
            .collect()
    };
    texts(a) == texts(b)
}

/// Checks the links of some pages against the whole output; returns the problems.
fn check_pages(
    site: &Site,
    state: &BuildState,
    paths: &[&String],
    sources: &SourceMap,
) -> Vec<crate::diag::Diagnostic> {
    let files: HashSet<&str> = state.files.keys().map(String::as_str).collect();
    let templates: HashMap<String, SourceId> = state.template_ids.clone().into_iter().collect();
    paths
        .par_iter()
        .flat_map_iter(|p| {
            let scan = &state.scans[p.as_str()];
            let page = state.files.get(p.as_str()).and_then(|f| f.page);
            check::check_page(
                site,
                p,
                page,
                scan.links(),
                &files,
                &|t| state.scans.get(t).map(|s| &s.ids),
                sources,
                &templates,
            )
        })
        .collect()
}

/// The key of a doc's rendered Markdown: its body and where each of its links goes.
fn md_key(site: &Site, sources: &SourceMap, d: usize) -> u64 {
    let doc = &site.docs[d];
    let mut h = Xxh3::new();
    h.update(sources.text(doc.source)[doc.body.clone()].as_bytes());
    for l in &doc.scan.links {
        h.update(&[0]);
        h.update(l.dest.as_bytes());
        h.update(&[1]);
        if let LinkTarget::Url(u) = site.resolve_link(Some(d), &l.dest) {
            h.update(u.as_bytes());
        }
    }
    h.digest()
}

/// Template names a template's text mentions in quotes (extends, include, import).
fn template_deps(text: &str, names: &HashSet<&str>) -> Vec<String> {
    let mut out = Vec::new();
    for quote in ['"', '\''] {
        let mut parts = text.split(quote);
        parts.next();
        for (i, part) in parts.enumerate() {
            if i % 2 == 0 && names.contains(part) {
                out.push(part.to_string());
            }
        }
    }
    out
}

fn template_info(templates: &Templates, sources: &SourceMap) -> HashMap<String, TemplateInfo> {
    let ids = templates.ids();
    let names: HashSet<&str> = ids.keys().map(String::as_str).collect();
    let deps: HashMap<&str, Vec<String>> = ids
        .iter()
        .map(|(n, id)| (n.as_str(), template_deps(sources.text(*id), &names)))
        .collect();
    ids.keys()
        .map(|name| {
            // Everything reachable from `name`.
            let mut seen: Vec<&str> = vec![name.as_str()];
            let mut i = 0;
            while i < seen.len() {
                for d in deps.get(seen[i]).into_iter().flatten() {
                    if !seen.contains(&d.as_str()) {
                        seen.push(d.as_str());
                    }
                }
                i += 1;
            }
            seen.sort_unstable();
            let mut h = Xxh3::new();
            let mut info = TemplateInfo::default();
            for n in seen {
                let text = sources.text(ids[n]);
                h.update(n.as_bytes());
                h.update(&[0]);
                h.update(text.as_bytes());
                h.update(&[0]);
                info.site_wide |= ["get_page", "get_section", "get_collection", "chart"]
                    .iter()
                    .any(|f| text.contains(f));
                info.page_views |= ["get_page", "get_section"].iter().any(|f| text.contains(f));
                info.urls |= text.contains("url(");
            }
            info.hash = h.digest();
            (name.clone(), info)
        })
        .collect()
}

/// A hash of what the site-wide template functions can show: every page view, every
/// collection's entries and the sections.
fn site_wide_hash(shared: &Shared) -> u64 {
    let site = shared.site();
    let mut h = Xxh3::new();
    h.update(&shared.page_views_hash().to_le_bytes());
    h.update(&shared.collections_hash().to_le_bytes());
    for s in &site.sections {
        h.update(s.dir.as_bytes());
        h.update(&[0]);
        for p in &s.pages {
            h.update(&(*p as u64).to_le_bytes());
        }
        for p in &s.subsections {
            h.update(&(*p as u64).to_le_bytes());
        }
    }
    for (i, rel) in site.docs.iter().map(|d| &d.rel).enumerate() {
        h.update(rel.as_bytes());
        h.update(site.doc_paths[i].as_bytes());
    }
    h.digest()
}

/// Every permalink: what `url()` and link resolution read.
fn links_hash(site: &Site) -> u64 {
    let mut h = Xxh3::new();
    h.update(site.config.base_path.as_bytes());
    for (i, d) in site.docs.iter().enumerate() {
        h.update(d.rel.as_bytes());
        h.update(&[0]);
        h.update(site.doc_paths[i].as_bytes());
        h.update(&[0]);
    }
    let mut paths: Vec<&String> = site.pages.iter().map(|p| &p.path).collect();
    paths.sort_unstable();
    for p in paths {
        h.update(p.as_bytes());
        h.update(&[0]);
    }
    h.digest()
}

/// The general path: the whole pipeline, reusing what the last good build already did.
fn general(
    opts: &BuildOptions,
    prev: Option<&BuildState>,
    start: Instant,
) -> Result<(BuildState, Outcome), Box<Outcome>> {
    let fail = |seen: &SourceMap| Err(Box::new(full_failure(opts, start, seen)));
    let mut timer = crate::StageTimer::from_env();
    let mut sources = SourceMap::default();
    let mut diags = Diagnostics::new();
    let Some(config) = crate::load_config(&opts.root, &opts.overrides, &mut sources, &mut diags)
    else {
        return fail(&sources);
    };
    let config_text = sources.text(SourceId(0)).to_string();
    let prev = prev.filter(|p| p.config_text == config_text);
    let crate::SiteFiles {
        md_files,
        content_assets,
        template_files,
        static_files,
    } = crate::SiteFiles::discover(&opts.root, &config, &mut diags);

    // Parse, reusing docs whose text did not change.
    let read = crate::read_all(&md_files, "content", &mut sources, &mut diags);
    let parsed: Vec<(u64, Option<Doc>, Diagnostics, bool)> = read
        .par_iter()
        .map(|(f, id)| {
            let text = sources.text(*id);
            let hash = xxh3_64(text.as_bytes());
            if let Some((h, doc)) = prev.and_then(|p| p.parsed.get(&f.rel)) {
                if *h == hash {
                    let mut doc = doc.clone();
                    doc.source = *id;
                    return (hash, Some(doc), Diagnostics::new(), true);
                }
            }
            let mut d = Diagnostics::new();
            let doc = crate::parse_one(&config, &f.rel, *id, &sources, &mut d);
            (hash, doc, d, false)
        })
        .collect();
    let mut docs = Vec::with_capacity(parsed.len());
    let mut parse_cache: HashMap<String, (u64, Doc)> = HashMap::with_capacity(parsed.len());
    for (hash, doc, d, _) in parsed {
        let clean = d.is_empty();
        diags.extend(d);
        if let Some(doc) = doc {
            if clean {
                parse_cache.insert(doc.rel.clone(), (hash, doc.clone()));
            }
            docs.push(doc);
        }
    }
    let user_templates: Vec<(String, SourceId)> =
        crate::read_all(&template_files, "templates", &mut sources, &mut diags)
            .into_iter()
            .map(|(f, id)| (f.rel.clone(), id))
            .collect();
    if diags.has_errors() {
        return fail(&sources);
    }
    timer.lap("parse");

    // Resolve.
    let site = crate::site::resolve(config, docs, &sources, &mut diags);
    let Some(templates) = render::load_templates(&user_templates, &mut sources, &mut diags) else {
        return fail(&sources);
    };
    render::check_templates(&site, &templates, &mut diags);
    if diags.has_errors() {
        return fail(&sources);
    }
    timer.lap("resolve");
    let site = Arc::new(site);
    let shared = Arc::new(Shared::new(Arc::clone(&site)));
    timer.lap("shared");
    templates.set_shared(Arc::clone(&shared));
    let template_ids = templates.ids();
    let info = template_info(&templates, &sources);
    let any_site_wide = site
        .pages
        .iter()
        .any(|p| info.get(&p.template).is_some_and(|i| i.site_wide));
    let any_urls = site
        .pages
        .iter()
        .any(|p| info.get(&p.template).is_some_and(|i| i.urls));
    let wide_hash = if any_site_wide {
        site_wide_hash(&shared)
    } else {
        0
    };
    let url_hash = if any_urls { links_hash(&site) } else { 0 };

    timer.lap("hashes");
    // Markdown, reusing what did not change.
    let prev_md: HashMap<&str, &(u64, Arc<Rendered>)> = prev
        .and_then(|p| p.shared.as_ref().map(|s| (p, s)))
        .map(|(p, s)| {
            s.site()
                .docs
                .iter()
                .zip(&p.md)
                .map(|(d, m)| (d.rel.as_str(), m))
                .collect()
        })
        .unwrap_or_default();
    let md: Vec<(u64, Arc<Rendered>)> = (0..site.docs.len())
        .into_par_iter()
        .map(|d| {
            let key = md_key(&site, &sources, d);
            match prev_md.get(site.docs[d].rel.as_str()) {
                Some((k, r)) if *k == key => (key, Arc::clone(r)),
                _ => (
                    key,
                    Arc::new(render::render_markdown(&site, &sources, d, None)),
                ),
            }
        })
        .collect();

    timer.lap("markdown");
    // Pages, reusing those whose inputs did not change.
    let prev_pages: HashMap<&str, (Option<u64>, &OutFile)> = prev
        .and_then(|p| p.shared.as_ref().map(|s| (p, s)))
        .map(|(p, s)| {
            s.site()
                .pages
                .iter()
                .enumerate()
                .filter_map(|(i, page)| {
                    let path = render::output_file(&page.path);
                    let fp = p.fingerprints[i];
                    p.files.get(&path).map(|f| (page.path.as_str(), (fp, f)))
                })
                .collect()
        })
        .unwrap_or_default();
    let md_of = |d: usize| Arc::clone(&md[d].1);
    type Rendered2 = (
        Option<u64>,
        Result<(Content, bool), crate::diag::Diagnostic>,
    );
    let rendered: Vec<Rendered2> = site
        .pages
        .par_iter()
        .map(|page| {
            let ctx = render::page_context(&shared, page, &md_of);

            let fp = {
                let i = info.get(&page.template).copied().unwrap_or_default();
                let mut h = Xxh3::new();
                h.update(page.path.as_bytes());
                h.update(&[0]);
                if let PageKind::Redirect(to) = &page.kind {
                    h.update(to.as_bytes());
                    h.update(site.config.language.as_bytes());
                }
                if let Some(ctx) = &ctx {
                    h.update(&ctx.fingerprint(page).to_le_bytes());
                }
                h.update(&i.hash.to_le_bytes());
                if i.site_wide {
                    h.update(&wide_hash.to_le_bytes());
                }
                if i.urls {
                    h.update(&url_hash.to_le_bytes());
                }
                h.digest()
            };

            if let Some((Some(old_fp), f)) = prev_pages.get(page.path.as_str()) {
                if *old_fp == fp {
                    return (Some(fp), Ok((f.content.clone(), false)));
                }
            }
            let r = templates
                .render_page(&site, page, ctx.as_ref(), &sources, &template_ids)
                .map(|html| (Content::Bytes(Arc::new(html.into_bytes())), true));
            (Some(fp), r)
        })
        .collect();
    if timer.enabled() {
        eprintln!(
            "timing: rendered {} of {} pages again",
            rendered
                .iter()
                .filter(|(_, r)| matches!(r, Ok((_, true))))
                .count(),
            rendered.len()
        );
    }
    timer.lap("render");
    let mut files: BTreeMap<String, OutFile> = BTreeMap::new();
    let mut fingerprints = Vec::with_capacity(rendered.len());
    let mut fresh: Vec<String> = Vec::new();
    let mut order: Vec<String> = Vec::new();
    for (pi, (fp, r)) in rendered.into_iter().enumerate() {
        fingerprints.push(fp);
        match r {
            Ok((content, new)) => {
                let path = render::output_file(&site.pages[pi].path);
                if new {
                    fresh.push(path.clone());
                }
                order.push(path.clone());
                files.insert(
                    path,
                    OutFile {
                        content,
                        page: Some(pi),
                    },
                );
            }
            Err(d) => diags.push(d),
        }
    }
    if diags.has_errors() {
        return fail(&sources);
    }
    // The search index: built again when an indexed page changed, else the last one kept.
    let prev_search = prev.map_or(0, |p| p.search_key);
    let search_key = match search_index(&site, &files, prev_search) {
        Ok(Some((key, index))) => {
            swap_search_index(&mut files, index);
            key
        }
        Ok(None) => {
            let prefix = format!("{}/", crate::search::BUNDLE_DIR);
            if let Some(p) = prev {
                for (k, f) in p.files.range(prefix.clone()..) {
                    if !k.starts_with(&prefix) {
                        break;
                    }
                    files.insert(k.clone(), f.clone());
                }
            }
            prev_search
        }
        Err(d) => {
            diags.push(d);
            return fail(&sources);
        }
    };
    timer.lap("search");
    let mut others: Vec<Artifact> = render::site_files(&site);
    others.extend(crate::output::static_artifacts(&static_files));
    others.extend(content_assets.iter().map(|f| Artifact {
        path: f.rel.clone(),
        content: ArtifactContent::Copy(f.disk.clone()),
        page: None,
    }));
    for a in others {
        if files.contains_key(&a.path) {
            // Two outputs at one path: let a full build report it.
            return fail(&sources);
        }
        let content = match a.content {
            ArtifactContent::Bytes(b) => Content::Bytes(Arc::new(b)),
            ArtifactContent::Copy(p) => Content::Copy(p),
            ArtifactContent::Written => return fail(&sources),
        };
        files.insert(
            a.path,
            OutFile {
                content,
                page: a.page,
            },
        );
    }

    // Check the links: of the pages rendered again, or of all when the set of files or the
    // ids of a page changed.
    let mut scans: HashMap<String, PageScan> = HashMap::with_capacity(order.len());
    let fresh_set: HashSet<&String> = fresh.iter().collect();
    let new_scans: Vec<(String, PageScan)> = fresh
        .par_iter()
        .filter(|p| p.ends_with(".html"))
        .map(|p| {
            let scan = match &files[p.as_str()].content {
                Content::Bytes(b) => check::scan_page(std::str::from_utf8(b).unwrap_or("")),
                Content::Copy(_) => PageScan::default(),
            };
            (p.clone(), scan)
        })
        .collect();
    let mut check_all = prev.is_none();
    if let Some(p) = prev {
        if p.files.len() != files.len() || p.files.keys().any(|k| !files.contains_key(k)) {
            check_all = true;
        }
    }
    for (p, scan) in new_scans {
        if prev
            .and_then(|pr| pr.scans.get(&p))
            .is_none_or(|old| old.ids != scan.ids)
        {
            check_all = true;
        }
        scans.insert(p, scan);
    }
    for p in &order {
        if !fresh_set.contains(p) && p.ends_with(".html") {
            match prev.and_then(|pr| pr.scans.get(p)) {
                Some(s) => {
                    scans.insert(p.clone(), s.clone());
                }
                None => return fail(&sources),
            }
        }
    }
    let sources = Arc::new(sources);
    let mut state = BuildState {
        config_text,
        sources: Arc::clone(&sources),
        templates,
        template_ids,
        template_info: info,
        shared: Some(Arc::clone(&shared)),
        parsed: parse_cache,
        md,
        fingerprints,
        files,
        scans,
        warnings: Diagnostics::new(),
        pages: 0,
        search_key,
    };
    timer.lap("files");
    let to_check: Vec<&String> = if check_all {
        state.scans.keys().collect()
    } else {
        fresh.iter().filter(|p| p.ends_with(".html")).collect()
    };
    if !check_pages(&site, &state, &to_check, &sources).is_empty() {
        return fail(&sources);
    }
    timer.lap("check");
    if opts.deny_warnings {
        diags.deny_warnings();
        if diags.has_errors() {
            return fail(&sources);
        }
    }
    diags.sort(&sources);
    for d in diags.items() {
        if d.severity == Severity::Warning {
            state.warnings.push(d.clone());
        }
    }
    state.pages = state.files.keys().filter(|p| p.ends_with(".html")).count();

    // What changed since the last good build.
    let mut changed = Vec::new();
    let mut removed = Vec::new();
    for (path, f) in &state.files {
        let same = prev.and_then(|p| p.files.get(path)).is_some_and(|old| {
            match (&old.content, &f.content) {
                (Content::Bytes(a), Content::Bytes(b)) => Arc::ptr_eq(a, b) || a == b,
                _ => false,
            }
        });
        if !same {
            changed.push(artifact(path, f));
        }
    }
    if let Some(p) = prev {
        removed = p
            .files
            .keys()
            .filter(|k| !state.files.contains_key(*k))
            .cloned()
            .collect();
    }
    let pages = state.pages;
    drop(site);
    timer.lap("diff");
    Ok((
        state,
        Outcome {
            diags,
            sources,
            changed,
            removed,
            complete: false,
            pages,
            elapsed: start.elapsed(),
            how: if prev.is_some() {
                "incremental"
            } else {
                "full"
            },
            inputs_changed: false,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_of_basic_site() -> BuildOptions {
        BuildOptions {
            root: std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic"),
            overrides: crate::config::Overrides::default(),
            deny_warnings: false,
            write: false,
            keep_pages: true,
        }
    }

    /// A copy of the texts a build read, one of them as it was before a save.
    fn before_a_save(sources: &SourceMap, saved: &str) -> SourceMap {
        let mut out = SourceMap::default();
        for i in 0..sources.len() {
            let f = sources.get(SourceId(i as u32));
            let text = if f.path == saved {
                f.text.replace("+++\n", "+++\ntags = [\"+++\"]\n")
            } else {
                f.text.clone()
            };
            out.add(f.path.clone(), text);
        }
        out
    }

    #[test]
    fn a_check_that_read_files_saved_after_the_rebuild_reports_no_disagreement() {
        // Issue 13: rapid saves made serve report "an incremental rebuild disagreed with a
        // full build … this is a bug": the checking build read files saved after the rebuild.
        let opts = check_of_basic_site();
        let read = crate::build(&opts).sources;
        let page = (0..read.len())
            .map(|i| read.path(SourceId(i as u32)))
            .find(|p| p.starts_with("content/") && p.ends_with(".md"))
            .expect("a page")
            .to_string();

        // The rebuild read the files as they were before the last save: no message, and the
        // caller builds again.
        let outcome = full_failure(&opts, Instant::now(), &before_a_save(&read, &page));
        assert!(outcome.inputs_changed);
        assert!(outcome.ok(), "{:?}", outcome.diags.items());

        // The same files: a full build that succeeds where the rebuild failed is a real
        // disagreement, and is still reported.
        let outcome = full_failure(&opts, Instant::now(), &read);
        assert!(!outcome.inputs_changed);
        assert!(outcome.diags.items().iter().any(|d| d.code == "internal"));
    }
}
