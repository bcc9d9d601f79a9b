//! factbook: a static site generator for Markdown articles and typed, sourced fact sheets.
//!
//! The pipeline, one type per stage:
//!
//! ```text
//! book.toml, content/, templates/, static/
//!   └─ load ──► SourceMap (every file read once)
//!        └─ parse (parallel) ──► Config, Vec<Doc> (front matter; each body's one Markdown
//!             │                   pass: links, headings, words, HTML with link slots)
//!             └─ resolve ──► Site (permalinks, links, collections, generated pages)
//!                  └─ render (parallel) ──► each page written to the staging directory as it
//!                       │                   renders, its links and ids kept (a `PageSink`)
//!                       ├─ search (Markdown pages' main content and facets, feature `search`)
//!                       │    ──► the Pagefind bundle under `pagefind/`
//!                       └─ check (links and anchors in the HTML) ──► swap, or discard
//! ```
//!
//! Every stage pushes problems into one `Diagnostics` sink and carries on; the build stops
//! between stages when there are errors, so an author sees all problems of a stage at once.
//!
//! Dependency rule: `date, diag, source, value` ← `config` ← `markdown, highlight, content,
//! facts` ← `site` ← `compare, chart` ← `render` ← `search` ← `output, check` ← `serve`, the CLI.
//! No module imports from its right.

pub mod chart;
pub mod check;
pub mod compare;
pub mod config;
pub mod content;
pub mod date;
pub mod diag;
pub mod facts;
pub mod highlight;
pub mod init;
pub mod markdown;
pub mod output;
pub mod pairs;
pub mod render;
pub mod search;
#[cfg(feature = "serve")]
pub mod serve;
pub mod site;
pub mod source;
pub mod url;
pub mod value;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use crate::config::{Config, Overrides};
use crate::content::{Doc, DocContext};
use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::render::Artifact;
use crate::site::Site;
use crate::source::{FoundFile, SourceMap};

/// Prints how long each stage took when `FACTBOOK_TIMINGS` is set, for profiling.
pub struct StageTimer {
    enabled: bool,
    last: Instant,
}

impl StageTimer {
    pub fn from_env() -> StageTimer {
        StageTimer {
            enabled: std::env::var_os("FACTBOOK_TIMINGS").is_some(),
            last: Instant::now(),
        }
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Reports the time since the previous lap (or since creation) under `stage`.
    pub fn lap(&mut self, stage: &str) {
        if self.enabled {
            // Resident memory after the stage, where /proc tells it (Linux).
            let rss = std::fs::read_to_string("/proc/self/statm")
                .ok()
                .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
                .map_or(String::new(), |pages| {
                    format!("  rss {:>5} MiB", pages * 4096 / (1024 * 1024))
                });
            eprintln!(
                "timing: {stage:<12} {:>8.1} ms{rss}",
                self.last.elapsed().as_secs_f64() * 1000.0
            );
        }
        self.last = Instant::now();
    }
}

/// The input files of a site, found by walking its directories in sorted order.
pub(crate) struct SiteFiles {
    /// Markdown under `content/`.
    pub md_files: Vec<FoundFile>,
    /// Other files under `content/` (images beside their pages), copied as they are.
    pub content_assets: Vec<FoundFile>,
    pub template_files: Vec<FoundFile>,
    pub static_files: Vec<FoundFile>,
}

impl SiteFiles {
    /// Symbolic links that lead outside `root` are refused unless `config` allows them.
    pub(crate) fn discover(root: &Path, config: &Config, diags: &mut Diagnostics) -> SiteFiles {
        let confine = (!config.allow_external_symlinks).then_some(root);
        let walk =
            |dir: &str, diags: &mut Diagnostics| source::walk(&root.join(dir), dir, confine, diags);
        let content_files = walk("content", diags);
        let (md_files, content_assets) = content_files
            .into_iter()
            .partition(|f| f.rel.ends_with(".md"));
        SiteFiles {
            md_files,
            content_assets,
            template_files: walk("templates", diags),
            static_files: walk("static", diags),
        }
    }
}

/// What a build is asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site's root: where `book.toml` is.
    pub root: PathBuf,
    pub overrides: Overrides,
    pub deny_warnings: bool,
    /// False for `check`: everything is done but nothing is written.
    pub write: bool,
    /// Without `write`: keep every rendered page in the result (`serve` serves them from
    /// memory). `factbook check` does not: each page is scanned for the link check and dropped,
    /// so its memory is that of the pages rendering at once, not of the whole site.
    pub keep_pages: bool,
}

/// What a build did.
pub struct BuildResult {
    pub sources: SourceMap,
    pub diags: Diagnostics,
    pub site: Option<Arc<Site>>,
    pub artifacts: Vec<Artifact>,
    /// Where the output went (absolute or relative to the current directory).
    pub output_dir: Option<PathBuf>,
    pub pages: usize,
    pub written: Option<output::WriteStats>,
    pub elapsed: std::time::Duration,
}

impl BuildResult {
    pub fn ok(&self) -> bool {
        !self.diags.has_errors()
    }
}

/// Runs the whole pipeline.
pub fn build(opts: &BuildOptions) -> BuildResult {
    let start = Instant::now();
    let mut timer = StageTimer::from_env();
    let mut lap = |stage: &str| timer.lap(stage);
    let mut sources = SourceMap::default();
    let mut diags = Diagnostics::new();
    let result = |sources: SourceMap,
                  mut diags: Diagnostics,
                  site: Option<Arc<Site>>,
                  artifacts: Vec<Artifact>,
                  output_dir: Option<PathBuf>,
                  written| {
        diags.sort(&sources);
        let pages = artifacts
            .iter()
            .filter(|a| a.path.ends_with(".html"))
            .count();
        BuildResult {
            sources,
            diags,
            site,
            artifacts,
            output_dir,
            pages,
            written,
            elapsed: start.elapsed(),
        }
    };

    // load + parse
    let Some(config) = load_config(&opts.root, &opts.overrides, &mut sources, &mut diags) else {
        return result(sources, diags, None, Vec::new(), None, None);
    };
    let SiteFiles {
        md_files,
        content_assets,
        template_files,
        static_files,
    } = SiteFiles::discover(&opts.root, &config, &mut diags);
    lap("discover");
    let docs = parse_content(&config, &md_files, &mut sources, &mut diags);
    let user_templates: Vec<(String, source::SourceId)> =
        read_all(&template_files, "templates", &mut sources, &mut diags)
            .into_iter()
            .map(|(f, id)| (f.rel.clone(), id))
            .collect();
    lap("parse");
    if diags.has_errors() {
        return result(sources, diags, None, Vec::new(), None, None);
    }

    // resolve
    let mut site = site::resolve(config, docs, &sources, &mut diags);
    let templates = render::load_templates(&user_templates, &mut sources, &mut diags);
    if let Some(t) = &templates {
        render::check_templates(&site, t, &mut diags);
    }
    let pre = site
        .docs
        .iter_mut()
        .map(|d| std::sync::Mutex::new(d.pre.take()))
        .collect();
    let site = Arc::new(site);
    lap("resolve");
    let Some(templates) = templates.filter(|_| !diags.has_errors()) else {
        return result(sources, diags, Some(site), Vec::new(), None, None);
    };

    // render + check, pages written to a staging directory as they render
    let output_dir = opts.root.join(&site.config.output_dir);
    let io_error = |e: std::io::Error| {
        Diagnostic::error("io", format!("cannot write the site to `{}`: {e}", output_dir.display()))
            .at_path(output_dir.display().to_string())
            .help("check that the directory is writable and the disk is not full; the previous output was left as it was")
    };
    if opts.write && !opts.overrides.force {
        if let Some(why) = output::foreign_output(&output_dir) {
            let d = Diagnostic::error("output", format!("refusing to replace the output directory: {why}"))
                .help("a build replaces its output directory whole, deleting what it holds: choose a new or empty directory, or run `factbook build --force` if everything in it may go");
            diags.push(match &site.config.output_dir_span {
                Some(span) => d.label(
                    diag::Span::new(site.config.source, span.clone()),
                    "set here",
                ),
                None => d.at_path(output_dir.display().to_string()),
            });
            return result(sources, diags, Some(site), Vec::new(), None, None);
        }
    }
    let staging = if opts.write {
        match output::Staging::begin(&output_dir) {
            Ok(s) => Some(s),
            Err(e) => {
                diags.push(io_error(e));
                return result(sources, diags, Some(site), Vec::new(), None, None);
            }
        }
    } else {
        None
    };
    let template_sources = templates.sources.clone();
    // `check` builds the index too: the search page links into it, and Pagefind may fail.
    let facets = search::ENABLED.then(|| search::Facets::new(&site));
    let sink = (opts.write || !opts.keep_pages).then(|| WriteAndScan {
        staging: staging.as_ref(),
        search: facets.as_ref(),
        search_docs: std::sync::Mutex::new(Vec::new()),
    });
    let (mut artifacts, scans) = render::render_site(
        Arc::clone(&site),
        pre,
        templates,
        &sources,
        sink.as_ref(),
        &mut diags,
    );
    artifacts.extend(output::static_artifacts(&static_files));
    artifacts.extend(content_assets.iter().map(|f| Artifact {
        path: f.rel.clone(),
        content: render::ArtifactContent::Copy(f.disk.clone()),
        page: None,
    }));
    lap("render");
    // The search index, from the pages the sink kept, or from the pages themselves when they
    // were kept whole (`serve`'s full builds).
    let kept_docs = sink.map(|s| {
        s.search_docs
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
    });
    if let Some(facets) = facets.filter(|_| !diags.has_errors()) {
        let docs = match kept_docs {
            Some(docs) => docs,
            None => artifacts
                .iter()
                .filter_map(|a| {
                    let page = &site.pages[a.page?];
                    match &a.content {
                        render::ArtifactContent::Bytes(b) if search::Facets::indexed(page) => {
                            facets.prepare(page, std::str::from_utf8(b).ok()?)
                        }
                        _ => None,
                    }
                })
                .collect(),
        };
        match search::index(docs) {
            Ok(files) => artifacts.extend(files),
            Err(d) => diags.push(d),
        }
        lap("search");
    }
    check_collisions(&artifacts, &mut diags);
    if !diags.has_errors() {
        check::check_output(
            &site,
            &artifacts,
            &scans,
            &sources,
            &template_sources,
            &mut diags,
        );
    }
    // Ten thousand pages' links and ids take a while to free: not on the way to the result.
    std::thread::spawn(move || drop(scans));
    lap("check");
    if opts.deny_warnings {
        diags.deny_warnings();
    }
    // On any error the staging directory is dropped, and with it what was written.
    let Some(staging) = staging.filter(|_| !diags.has_errors()) else {
        return result(
            sources,
            diags,
            Some(site),
            artifacts,
            Some(output_dir),
            None,
        );
    };

    // write the rest, and swap
    let written = match staging.finish(&artifacts) {
        Ok(stats) => Some(stats),
        Err(e) => {
            diags.push(io_error(e));
            None
        }
    };
    result(
        sources,
        diags,
        Some(site),
        artifacts,
        Some(output_dir),
        written,
    )
}

/// A build's page sink: each page written to the staging directory as it renders (when there is
/// one: `check` has none), its links and ids kept for the check, what the search index needs
/// of it kept, the page itself dropped.
struct WriteAndScan<'a> {
    staging: Option<&'a output::Staging>,
    /// With search: the facets of the site, and the indexed pages prepared for Pagefind.
    search: Option<&'a search::Facets<'a>>,
    search_docs: std::sync::Mutex<Vec<search::SearchDoc>>,
}

impl render::PageSink for WriteAndScan<'_> {
    type Kept = check::PageScan;

    fn page(
        &self,
        page: &site::Page,
        path: &str,
        html: String,
    ) -> Result<check::PageScan, Diagnostic> {
        let scan = check::scan_page(&html);
        if let Some(facets) = self.search.filter(|_| search::Facets::indexed(page)) {
            if let Some(doc) = facets.prepare(page, &html) {
                self.search_docs
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(doc);
            }
        }
        let Some(staging) = self.staging else {
            return Ok(scan);
        };
        staging.put(path, html.as_bytes()).map_err(|e| {
            Diagnostic::error("io", format!("cannot write `{path}`: {e}"))
                .at_path(path.to_string())
                .help("check that the output directory is writable and the disk is not full; the previous output was left as it was")
        })?;
        Ok(scan)
    }
}

pub(crate) fn load_config(
    root: &Path,
    overrides: &Overrides,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Option<Config> {
    let path = root.join("book.toml");
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            diags.push(
                Diagnostic::error("config", format!("cannot read `{}`: {e}", path.display()))
                    .at_path(path.display().to_string())
                    .help("run factbook in a site's directory, pass `--root DIR`, or create a site with `factbook init DIR`"),
            );
            return None;
        }
    };
    let id = sources.add("book.toml", text);
    let text = sources.text(id).to_string();
    let config = config::parse_config(&text, id, overrides, diags)?;
    let out = root.join(&config.output_dir);
    if let Some(why) = output::output_hazard(root, &out) {
        let d = Diagnostic::error(
            "output",
            format!("refusing to write the site to `{}`: {why}", out.display()),
        )
        .help("a build replaces its output directory whole: choose a directory of its own, such as `public/`, outside `content/`, `templates/` and `static/`");
        diags.push(match &config.output_dir_span {
            Some(span) => d.label(diag::Span::new(id, span.clone()), "set here"),
            None => d.at_path(out.display().to_string()),
        });
    }
    Some(config)
}

/// Reads files (in parallel) into the source map, in the given order.
pub(crate) fn read_all<'a>(
    files: &'a [FoundFile],
    dir: &str,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Vec<(&'a FoundFile, source::SourceId)> {
    // Read and validate in parallel; number the sources in file order.
    let texts: Vec<std::io::Result<Result<String, std::string::FromUtf8Error>>> = files
        .par_iter()
        .map(|f| std::fs::read(&f.disk).map(String::from_utf8))
        .collect();
    let mut out = Vec::with_capacity(files.len());
    for (f, t) in files.iter().zip(texts) {
        let shown = format!("{dir}/{}", f.rel);
        match t {
            Ok(Ok(text)) => out.push((f, sources.add(shown, text))),
            Ok(Err(e)) => diags.push(
                Diagnostic::error(
                    "encoding",
                    format!(
                        "`{shown}` is not valid UTF-8 (byte {})",
                        e.utf8_error().valid_up_to()
                    ),
                )
                .at_path(shown)
                .help("save the file as UTF-8"),
            ),
            Err(e) => diags.push(
                Diagnostic::error("io", format!("cannot read `{shown}`: {e}"))
                    .at_path(shown)
                    .help("check the file's permissions"),
            ),
        }
    }
    out
}

fn parse_content(
    config: &Config,
    files: &[FoundFile],
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Vec<Doc> {
    let read = read_all(files, "content", sources, diags);
    let sources = &*sources;
    let parsed: Vec<(Option<Doc>, Diagnostics)> = read
        .par_iter()
        .map(|(f, id)| {
            let mut d = Diagnostics::new();
            let doc = parse_one(config, &f.rel, *id, sources, &mut d);
            (doc, d)
        })
        .collect();
    let mut docs = Vec::with_capacity(parsed.len());
    for (doc, d) in parsed {
        diags.extend(d);
        docs.extend(doc);
    }
    docs
}

/// Parses one content file (already in the source map).
pub(crate) fn parse_one(
    config: &Config,
    rel: &str,
    id: source::SourceId,
    sources: &SourceMap,
    diags: &mut Diagnostics,
) -> Option<Doc> {
    let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
    let is_index = rel.ends_with("_index.md");
    let coll = config
        .collections
        .iter()
        .find(|c| c.dir == dir && !is_index);
    let ctx = DocContext {
        collection_fields: coll.map(|c| c.fields.iter().map(|f| f.name.as_str()).collect()),
        options: &config.markdown,
        highlight_theme: &config.highlight_theme,
    };
    content::parse_doc(id, rel, sources.text(id), &ctx, diags)
}

fn check_collisions(artifacts: &[Artifact], diags: &mut Diagnostics) {
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, a) in artifacts.iter().enumerate() {
        if let Some(&first) = seen.get(a.path.as_str()) {
            let describe = |a: &Artifact| match &a.content {
                render::ArtifactContent::Copy(p) => format!("`{}`", p.display()),
                render::ArtifactContent::Bytes(_) | render::ArtifactContent::Written => {
                    "a generated page".to_string()
                }
            };
            diags.push(
                Diagnostic::error(
                    "permalink",
                    format!(
                        "two outputs would be written to `{}`: {} and {}",
                        a.path,
                        describe(&artifacts[first]),
                        describe(a)
                    ),
                )
                .at_path(a.path.clone())
                .help("rename the static file, or change the page's slug"),
            );
        } else {
            seen.insert(a.path.as_str(), i);
        }
    }
}

/// `built 1,284 pages in 0.41 s (12 warnings)`.
pub fn summary_line(r: &BuildResult, verb: &str) -> String {
    let warnings = r.diags.count(Severity::Warning);
    let w = match warnings {
        0 => String::new(),
        1 => " (1 warning)".into(),
        n => format!(" ({n} warnings)"),
    };
    format!(
        "{verb} {} pages in {:.2} s{w}",
        facts::format_number(r.pages as f64),
        r.elapsed.as_secs_f64()
    )
}
