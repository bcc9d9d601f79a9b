//! Render: Markdown to HTML and every page through Tera 2, in parallel, in page order.
//!
//! In: the resolved `Site` and the templates (built-in defaults, overridden by same-named
//! files in `templates/`). Out: `Artifact`s in memory: pages, redirects, data exports, feeds,
//! the sitemap and theme assets. Never reads content files; template errors are mapped back to
//! the template's file, line and column.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock};

use rayon::prelude::*;
use serde_json::{Value as Json, json};
use tera::{Context, Kwargs, State, Tera, Value};

use crate::compare::{self, Views};
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::markdown::{self, escape_attr};
use crate::site::{LinkTarget, Page, PageKind, Site};
use crate::source::{SourceId, SourceMap};

/// One file of the output, relative to the output directory.
#[derive(Debug, Clone)]
pub struct Artifact {
    pub path: String,
    pub content: ArtifactContent,
    /// The page it came from, for mapping problems found in its HTML back to a source.
    pub page: Option<usize>,
}

#[derive(Debug, Clone)]
pub enum ArtifactContent {
    Bytes(Vec<u8>),
    /// A static file copied as it is.
    Copy(std::path::PathBuf),
    /// A page already written to the staging directory as it rendered (its bytes not kept).
    Written,
}

/// Built-in templates: (name, text). A file of the same name in `templates/` replaces one.
pub const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("theme/base.html")),
    ("index.html", include_str!("theme/index.html")),
    ("page.html", include_str!("theme/page.html")),
    ("section.html", include_str!("theme/section.html")),
    ("sheet.html", include_str!("theme/sheet.html")),
    ("tags.html", include_str!("theme/tags.html")),
    ("tag.html", include_str!("theme/tag.html")),
    ("404.html", include_str!("theme/404.html")),
    ("search.html", include_str!("theme/search.html")),
    (
        "partials/entry_table.html",
        include_str!("theme/partials/entry_table.html"),
    ),
    (
        "partials/page_list.html",
        include_str!("theme/partials/page_list.html"),
    ),
    (
        "partials/chart.html",
        include_str!("theme/partials/chart.html"),
    ),
    (
        "partials/compare_with.html",
        include_str!("theme/partials/compare_with.html"),
    ),
    (
        "compare/index.html",
        include_str!("theme/compare/index.html"),
    ),
    (
        "compare/table.html",
        include_str!("theme/compare/table.html"),
    ),
    ("compare/pair.html", include_str!("theme/compare/pair.html")),
    ("compare/pick.html", include_str!("theme/compare/pick.html")),
    (
        "compare/facet_index.html",
        include_str!("theme/compare/facet_index.html"),
    ),
    (
        "compare/facet.html",
        include_str!("theme/compare/facet.html"),
    ),
    (
        "compare/ranking.html",
        include_str!("theme/compare/ranking.html"),
    ),
    (
        "compare/charts.html",
        include_str!("theme/compare/charts.html"),
    ),
];

/// Built-in assets written at the output root unless `static/` has a file of the same name.
pub const BUILTIN_ASSETS: &[(&str, &str)] = &[
    ("factbook.css", include_str!("theme/factbook.css")),
    ("factbook.js", include_str!("theme/factbook.js")),
    ("favicon.svg", include_str!("theme/favicon.svg")),
    ("search.js", include_str!("theme/search.js")),
];

/// The templates of a build, with the source of each for error messages.
pub struct Templates {
    pub tera: Tera,
    pub sources: HashMap<String, SourceId>,
    /// The data the template functions read, filled in when rendering starts. Tera checks that
    /// every function a template calls exists when the template is added, so the functions are
    /// registered before the site they read from is known.
    shared: Arc<RwLock<Option<Arc<Shared>>>>,
}

impl Templates {
    /// Points the template functions at the data of a (new) site.
    pub fn set_shared(&self, shared: Arc<Shared>) {
        *self.shared.write().unwrap_or_else(|e| e.into_inner()) = Some(shared);
    }

    /// Detaches the template functions from their data (so that it can be changed in place).
    pub fn take_shared(&self) -> Option<Arc<Shared>> {
        self.shared
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .take()
    }
}

/// Loads built-in and user templates. User templates must already be in the `SourceMap` with
/// paths `templates/NAME`; built-ins are added as `<built-in>/NAME`.
pub fn load_templates(
    user: &[(String, SourceId)],
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Option<Templates> {
    let mut all: BTreeMap<String, SourceId> = BTreeMap::new();
    for (name, text) in BUILTIN_TEMPLATES {
        let id = sources.add(format!("<built-in>/{name}"), (*text).to_string());
        all.insert((*name).to_string(), id);
        // Also reachable as `factbook/NAME`, so a site's own `base.html` can extend the default.
        all.insert(format!("factbook/{name}"), id);
    }
    for (name, id) in user {
        all.insert(name.clone(), *id);
    }
    fit_builtins_to_base(&mut all, sources, diags)?;
    // Syntax errors, one template at a time, so that every broken template is reported.
    let mut broken = false;
    let shared: Arc<RwLock<Option<Arc<Shared>>>> = Arc::new(RwLock::new(None));
    for (name, id) in &all {
        let mut scratch = Tera::new();
        register_functions(&mut scratch, &shared);
        if let Err(err) = scratch.add_raw_template(name, sources.text(*id)) {
            if let tera::ErrorKind::SyntaxError(_) = err.kind() {
                diags.push(tera_diagnostic(&err, sources, &all, Some(*id)));
                broken = true;
            }
        }
    }
    if broken {
        return None;
    }
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    register_functions(&mut tera, &shared);
    if let Err(err) = tera.add_raw_templates(
        all.iter()
            .map(|(n, id)| (n.clone(), sources.text(*id).to_string())),
    ) {
        diags.push(tera_diagnostic(&err, sources, &all, None));
        return None;
    }
    Some(Templates {
        tera,
        sources: all.into_iter().collect(),
        shared,
    })
}

/// Makes the built-in templates fit a site's own `base.html`. They fill the blocks of the
/// built-in one: `content` (required: without it a page's text has nowhere to go, an error at
/// the site's `base.html`), and `scripts`, which a site's base may lack; a block the base does
/// not define is moved to the end of `content` instead, so that the built-in templates still
/// compile (Tera refuses a block that no parent defines) and their scripts still load.
fn fit_builtins_to_base(
    all: &mut BTreeMap<String, SourceId>,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Option<()> {
    let base_blocks = defined_blocks("base.html", all, sources);
    let base = all.get("base.html").copied()?;
    // The blocks of each built-in page template that the base does not define.
    let misfits: Vec<(&str, Vec<&str>)> = BUILTIN_TEMPLATES
        .iter()
        .filter(|(_, text)| template_tags(text).any(|t| t == "extends \"base.html\""))
        .map(|(name, text)| {
            let missing = template_tags(text)
                .filter_map(|t| t.strip_prefix("block "))
                .map(str::trim)
                .filter(|b| !base_blocks.contains(*b))
                .collect();
            (*name, missing)
        })
        .collect();
    if misfits.iter().all(|(_, missing)| missing.is_empty()) {
        // The usual case, and always with the built-in base: nothing to change.
        return Some(());
    }
    if !base_blocks.contains("content") {
        diags.push(
            Diagnostic::error(
                "template",
                "`base.html` has no `content` block, where the built-in templates put each page's text",
            )
            .label(Span::new(base, 0..0), "")
            .help("add `{% block content %}{% endblock content %}` where a page's text goes, e.g. inside `<main>`"),
        );
        return None;
    }
    for (name, missing) in misfits {
        let builtin = format!("factbook/{name}");
        let Some(&id) = all.get(&builtin) else {
            continue;
        };
        let mut fitted = sources.text(id).to_string();
        for block in missing {
            let (open, close) = (
                format!("{{% block {block} %}}"),
                format!("{{% endblock {block} %}}"),
            );
            let content_end = "{% endblock content %}";
            let (Some(start), Some(end)) = (fitted.find(&open), fitted.find(&close)) else {
                continue;
            };
            let body = fitted[start + open.len()..end].to_string();
            fitted.replace_range(start..end + close.len(), "");
            if let Some(at) = fitted.find(content_end) {
                fitted.insert_str(at, &body);
            }
        }
        if fitted != sources.text(id) {
            let fitted_id = sources.add(format!("<built-in>/{name}"), fitted);
            for n in [name.to_string(), builtin] {
                if all.get(&n) == Some(&id) {
                    all.insert(n, fitted_id);
                }
            }
        }
    }
    Some(())
}

/// The blocks a template defines, with those of the templates it extends.
fn defined_blocks(
    name: &str,
    all: &BTreeMap<String, SourceId>,
    sources: &SourceMap,
) -> std::collections::BTreeSet<String> {
    let mut blocks = std::collections::BTreeSet::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut next = Some(name.to_string());
    while let Some(n) = next.take() {
        let Some(id) = all.get(&n).filter(|_| seen.insert(n.clone())) else {
            break;
        };
        for tag in template_tags(sources.text(*id)) {
            let mut words = tag.split_whitespace();
            match (words.next(), words.next()) {
                (Some("block"), Some(b)) => {
                    blocks.insert(b.to_string());
                }
                (Some("extends"), Some(parent)) => {
                    next = Some(parent.trim_matches(['"', '\'']).to_string());
                }
                _ => {}
            }
        }
    }
    blocks
}

/// The inside of each `{% … %}` tag of a template, without whitespace-control dashes.
fn template_tags(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices("{%").filter_map(move |(i, _)| {
        let rest = &text[i + 2..];
        let end = rest.find("%}")?;
        Some(rest[..end].trim_matches(|c: char| c == '-' || c.is_whitespace()))
    })
}

/// Turns a Tera error into a diagnostic at the template's file, line and column.
fn tera_diagnostic(
    err: &tera::Error,
    sources: &SourceMap,
    templates: &BTreeMap<String, SourceId>,
    fallback: Option<SourceId>,
) -> Diagnostic {
    use tera::ErrorKind;
    match err.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let code = if matches!(err.kind(), ErrorKind::SyntaxError(_)) {
                "template-syntax"
            } else {
                "template"
            };
            let id = templates.get(report.filename()).copied().or(fallback);
            let mut d = Diagnostic::error(code, lowercase(report.message()));
            match id {
                Some(id) => {
                    let span = report.span();
                    let start = offset_of(sources.text(id), span.start_line, span.start_col);
                    let end = if span.end_line == span.start_line && span.end_col > span.start_col {
                        start + (span.end_col - span.start_col)
                    } else {
                        start + 1
                    };
                    d = d.label(
                        Span::new(id, start..end.min(sources.text(id).len().max(start))),
                        "",
                    );
                }
                None => d = d.at_path(format!("templates/{}", report.filename())),
            }
            d.help(if code == "template-syntax" {
                "fix the template syntax here (Tera 2: `{{ expr }}`, `{% tag %}`)"
            } else {
                "check the variables and filters used here; an undefined value can be guarded with `value or default`"
            })
        }
        ErrorKind::MissingParent { current, parent } => {
            let mut d = Diagnostic::error(
                "template",
                format!("template `{current}` extends `{parent}`, which does not exist"),
            );
            if let Some(&id) = templates.get(current.as_str()) {
                let at = sources.text(id).find(parent.as_str()).unwrap_or(0);
                d = d.label(Span::new(id, at..at + parent.len()), "no such template");
            }
            d.suggest(parent, templates.keys().map(String::as_str))
                .help(format!(
                    "add `templates/{parent}` or extend an existing template"
                ))
        }
        ErrorKind::TemplateNotFound(name) => {
            Diagnostic::error("template", format!("template `{name}` not found"))
                .suggest(name, templates.keys().map(String::as_str))
                .help(format!("add `templates/{name}`"))
        }
        ErrorKind::CircularInclude {
            tpl,
            include_chain: chain,
        }
        | ErrorKind::CircularExtend {
            tpl,
            inheritance_chain: chain,
        } => {
            let (verb, verbs) = if matches!(err.kind(), ErrorKind::CircularInclude { .. }) {
                ("include", "includes")
            } else {
                ("extend", "extends")
            };
            let mut shown = chain.clone();
            if shown.first() != shown.last() {
                shown.extend(shown.first().cloned());
            }
            let message = if shown.len() <= 2 {
                format!("template `{tpl}` {verbs} itself")
            } else {
                format!(
                    "templates {verb} each other in a loop: {}",
                    shown.join(" → ")
                )
            };
            let mut d = Diagnostic::error("template", message);
            // Point at the first step of the loop: where `tpl` names the next template.
            let next = chain
                .iter()
                .position(|t| t == tpl)
                .and_then(|i| shown.get(i + 1))
                .unwrap_or(tpl);
            match templates.get(tpl.as_str()) {
                Some(&id) => {
                    let text = sources.text(id);
                    let found = [format!("\"{next}\""), format!("'{next}'")]
                        .iter()
                        .filter_map(|q| text.find(q.as_str()))
                        .min();
                    let span = match found {
                        Some(at) => at..at + next.len() + 2,
                        None => 0..text.len().min(1),
                    };
                    d = d.label(Span::new(id, span), format!("{verbs} `{next}`"));
                }
                None => d = d.at_path(format!("templates/{tpl}")),
            }
            d.help(format!(
                "break the loop: one of these templates must not {verb} the next"
            ))
        }
        other => {
            let mut d = Diagnostic::error("template", lowercase(&other.to_string()));
            if let Some(id) = fallback {
                d = d.label(Span::new(id, 0..1), "");
            }
            d.help("fix the template this names; the message is Tera's")
        }
    }
}

fn lowercase(s: &str) -> String {
    let s = s.trim_end_matches('.');
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Byte offset of a 1-based line and 0-based character column.
fn offset_of(text: &str, line: usize, col: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => break,
        }
    }
    let rest = &text[start..];
    start
        + rest
            .char_indices()
            .nth(col)
            .map_or(rest.len().min(col), |(i, _)| i)
}

/// Shared, precomputed template values.
pub struct Shared {
    site: Arc<Site>,
    views: Views,
    page_views: Vec<Value>,
    config: Value,
    /// Per collection and entry, converted once: the pair pages it offers ("compare with…").
    related_tv: Vec<Vec<Value>>,
    /// Each section without its page list, as every page of it shows it.
    section_tv: Vec<Value>,
    /// Hashes of the values above that most pages' contexts share, computed once so that a
    /// page's fingerprint does not walk them again (10,000 pages each carry the config, their
    /// page view, their section and the views of the pages that link to them).
    config_h: u64,
    page_view_h: Vec<u64>,
    section_h: Vec<u64>,
}

fn value_hash(v: &Value) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    hash_value(&mut h, v);
    h.digest()
}

/// The hash of a page's inputs: its context and template (a render is a function of them,
/// given the templates and the data the template functions read).
pub struct PageContext {
    ctx: Context,
    keys: Vec<std::borrow::Cow<'static, str>>,
    /// Keys whose value's hash is known (from `Shared`), with that hash.
    known: Vec<(&'static str, u64)>,
}

impl Default for PageContext {
    fn default() -> Self {
        PageContext {
            ctx: Context::new(),
            keys: Vec::new(),
            known: Vec::new(),
        }
    }
}

impl PageContext {
    fn insert<S: Into<std::borrow::Cow<'static, str>>, T: serde::Serialize + ?Sized>(
        &mut self,
        key: S,
        val: &T,
    ) {
        let key = key.into();
        self.known.retain(|(k, _)| *k != key);
        self.keys.push(key.clone());
        self.ctx.insert(key, val);
    }

    fn insert_value<S: Into<std::borrow::Cow<'static, str>>>(&mut self, key: S, val: Value) {
        let key = key.into();
        self.known.retain(|(k, _)| *k != key);
        self.keys.push(key.clone());
        self.ctx.insert_value(key, val);
    }

    /// Inserts a value whose `value_hash` is `hash`.
    fn insert_hashed(&mut self, key: &'static str, val: Value, hash: u64) {
        self.insert_value(key, val);
        self.known.push((key, hash));
    }

    fn render(&self, tera: &Tera, page: &Page) -> tera::TeraResult<String> {
        tera.render(&page.template, &self.ctx)
    }

    /// A hash of everything in the context, and of the page's template name.
    pub fn fingerprint(&self, page: &Page) -> u64 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(page.template.as_bytes());
        h.update(&[0]);
        let mut keys: Vec<&str> = self.keys.iter().map(|k| k.as_ref()).collect();
        keys.sort_unstable();
        keys.dedup();
        for k in keys {
            h.update(k.as_bytes());
            h.update(&[0]);
            match (self.known.iter().find(|(n, _)| *n == k), self.ctx.get(k)) {
                // The same bytes as hashing the value here, without walking it.
                (Some((_, known)), Some(_)) => h.update(&known.to_le_bytes()),
                (None, Some(v)) => h.update(&value_hash(v).to_le_bytes()),
                (_, None) => h.update(b"-"),
            }
            h.update(&[0]);
        }
        h.digest()
    }
}

/// Feeds a template value to a hash, by structure: what it is, its length, then its contents, so
/// that no two different values hash the same input. (Walking the value directly is several
/// times faster than serializing it.)
pub fn hash_value(h: &mut xxhash_rust::xxh3::Xxh3, v: &Value) {
    use tera::Number;
    use tera::value::ValueKind;
    let str = |h: &mut xxhash_rust::xxh3::Xxh3, s: &str| {
        h.update(&(s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    };
    match v.kind() {
        ValueKind::Undefined => h.update(b"u"),
        ValueKind::None => h.update(b"n"),
        ValueKind::Bool => h.update(if v.as_bool() == Some(true) {
            b"t"
        } else {
            b"f"
        }),
        ValueKind::String => {
            h.update(if v.is_safe() { b"S" } else { b"s" });
            str(h, v.as_str().unwrap_or_default());
        }
        ValueKind::Array => {
            let items = v.as_array().unwrap_or_default();
            h.update(b"a");
            h.update(&(items.len() as u64).to_le_bytes());
            for item in items {
                hash_value(h, item);
            }
        }
        ValueKind::Map => {
            h.update(b"m");
            if let Some(map) = v.as_map() {
                h.update(&(map.len() as u64).to_le_bytes());
                for (k, item) in map {
                    match k.as_str() {
                        Some(k) => str(h, k),
                        None => str(h, &k.to_string()),
                    }
                    hash_value(h, item);
                }
            }
        }
        ValueKind::Bytes => {
            h.update(b"b");
            str(
                h,
                &String::from_utf8_lossy(v.as_bytes().unwrap_or_default()),
            );
        }
        // Integers of every width, and floats by their bits (1 and 1.0 render differently).
        _ => match v.as_number() {
            Some(Number::Integer(i)) => {
                h.update(b"i");
                h.update(&i.to_le_bytes());
            }
            Some(Number::Float(f)) => {
                h.update(b"F");
                h.update(&f.to_bits().to_le_bytes());
            }
            _ => {
                h.update(b"?");
                str(h, &v.to_string());
            }
        },
    }
}

impl Shared {
    /// Precomputes the values every page and template function reads.
    pub fn new(site: Arc<Site>) -> Shared {
        let views = Views::new(&site);
        let page_views: Vec<Value> = (0..site.docs.len())
            .into_par_iter()
            .map(|d| page_view(&site, d))
            .collect();
        let config = Value::from_serializable(&config_view(&site));
        let related_tv = (0..site.collections.len())
            .map(|c| {
                let coll = &site.collections[c];
                site.pairs[c]
                    .shown
                    .iter()
                    .enumerate()
                    .map(|(e, shown)| {
                        let list: Vec<Json> = shown
                            .iter()
                            .map(|&o| {
                                json!({
                                    "title": compare::entry_title(&site, c, o),
                                    "url": site.url(&compare::pair_path(&coll.spec.name, &coll.entries[e].slug, &coll.entries[o].slug)),
                                })
                            })
                            .collect();
                        Value::from_serializable(&list)
                    })
                    .collect()
            })
            .collect();
        let mut shared = Shared {
            site,
            views,
            page_views,
            config,
            related_tv,
            section_tv: Vec::new(),
            config_h: 0,
            page_view_h: Vec::new(),
            section_h: Vec::new(),
        };
        shared.section_tv = (0..shared.site.sections.len())
            .map(|s| section_view(&shared, s, false))
            .collect();
        shared.config_h = value_hash(&shared.config);
        shared.page_view_h = shared.page_views.par_iter().map(value_hash).collect();
        shared.section_h = shared.section_tv.iter().map(value_hash).collect();
        shared
    }

    pub fn site(&self) -> &Arc<Site> {
        &self.site
    }

    /// The site, to change in place: only when nothing else holds it.
    pub fn site_mut(&mut self) -> Option<&mut Site> {
        Arc::get_mut(&mut self.site)
    }

    /// Computes a doc's page view again (after its doc changed in place); true if it changed.
    pub fn refresh_page_view(&mut self, d: usize) -> bool {
        let v = page_view(&self.site, d);
        if v == self.page_views[d] {
            return false;
        }
        self.page_view_h[d] = value_hash(&v);
        self.page_views[d] = v;
        true
    }

    /// A hash of every collection's entry views and fields: what `get_collection` and
    /// `chart` show.
    pub fn collections_hash(&self) -> u64 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for (es, f) in self.views.entries_tv.iter().zip(&self.views.fields_tv) {
            for e in es {
                hash_value(&mut h, e);
                h.update(&[0]);
            }
            hash_value(&mut h, f);
            h.update(&[1]);
        }
        h.digest()
    }

    /// A hash of the config as templates see it.
    pub fn config_hash(&self) -> u64 {
        self.config_h
    }

    /// A hash of all page views: what `get_page`, `get_section` show.
    pub fn page_views_hash(&self) -> u64 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for v in &self.page_view_h {
            h.update(&v.to_le_bytes());
        }
        h.digest()
    }
}

/// A doc as templates see it (`page`, and the items of `section.pages`, `get_page`…). Built as
/// template values directly: there is one per doc, and going through JSON cost twice as much.
/// Keys are in sorted order, and numbers of the types, that a JSON object would give.
fn page_view(site: &Site, doc: usize) -> Value {
    let d = &site.docs[doc];
    let words = d.scan.words;
    let s = |v: &str| Value::from(v);
    let opt = |v: Option<String>| v.map_or(Value::none(), Value::from);
    let mut m: BTreeMap<&str, Value> = BTreeMap::new();
    m.insert("date", opt(d.front.date.map(|x| x.to_string())));
    m.insert("date_human", opt(d.front.date.map(|x| x.human())));
    m.insert("description", opt(d.front.description.clone()));
    m.insert(
        "entry",
        site.doc_entries[doc].map_or(Value::none(), |(c, e)| {
            let mut entry: BTreeMap<&str, Value> = BTreeMap::new();
            entry.insert("collection", s(&site.collections[c].spec.name));
            entry.insert("slug", s(&site.collections[c].entries[e].slug));
            Value::from(entry)
        }),
    );
    m.insert("extra", Value::from_serializable(&d.front.extra));
    m.insert("path", s(&site.doc_paths[doc]));
    m.insert(
        "permalink",
        Value::from(site.absolute_url(&site.doc_paths[doc])),
    );
    m.insert("reading_time", Value::from(words.div_ceil(200).max(1)));
    m.insert("rel", s(&d.rel));
    let tags: Vec<Value> = d
        .front
        .tags
        .iter()
        .map(|t| {
            let mut tag: BTreeMap<&str, Value> = BTreeMap::new();
            tag.insert("name", s(t));
            tag.insert(
                "url",
                Value::from(site.url(&format!("tags/{}/", crate::content::tag_slug(t)))),
            );
            Value::from(tag)
        })
        .collect();
    m.insert("tags", Value::from(tags));
    m.insert("title", opt(d.front.title.clone()));
    m.insert("toc", toc_value(&markdown::toc(&d.scan.headings)));
    m.insert("updated", opt(d.front.updated.map(|x| x.to_string())));
    m.insert("url", Value::from(site.doc_url(doc)));
    // As JSON has it: a non-negative integer is unsigned.
    m.insert(
        "weight",
        d.front
            .weight
            .map_or(Value::none(), |w| match u64::try_from(w) {
                Ok(u) => Value::from(u),
                Err(_) => Value::from(w),
            }),
    );
    m.insert("word_count", Value::from(words));
    Value::from(m)
}

fn toc_value(entries: &[markdown::TocEntry]) -> Value {
    let list: Vec<Value> = entries
        .iter()
        .map(|e| {
            let mut m: BTreeMap<&str, Value> = BTreeMap::new();
            m.insert("children", toc_value(&e.children));
            m.insert("id", Value::from(e.id.as_str()));
            m.insert("level", Value::from(u64::from(e.level)));
            m.insert("title", Value::from(e.title.as_str()));
            Value::from(m)
        })
        .collect();
    Value::from(list)
}

fn config_view(site: &Site) -> Json {
    let c = &site.config;
    let nav: Vec<Json> = c
        .nav
        .iter()
        .map(|n| {
            let url = match site.resolve_link(None, &n.url.value) {
                LinkTarget::Url(u) => u,
                _ => n.url.value.clone(),
            };
            json!({"title": n.title, "url": url})
        })
        .collect();
    json!({
        "title": c.title,
        "description": c.description,
        "base_url": c.base_url,
        "base_path": c.base_path,
        "language": c.language,
        "author": c.author,
        "feed": c.feed,
        "feed_url": c.feed.then(|| format!("{}atom.xml", c.base_path)),
        "nav": nav,
        "extra": c.extra,
        "has_tags": !site.tags.is_empty(),
        "search": cfg!(feature = "search"),
        "collections": site.collections.iter().map(|col| json!({"name": col.spec.name, "title": col.spec.title, "url": site.url(&format!("compare/{}/", col.spec.name))})).collect::<Vec<_>>(),
    })
}

/// A section for templates; `pages` is filled only when asked (listing pages is the costly
/// part, and a page only needs its section's title and URL).
fn section_view(shared: &Shared, s: usize, with_pages: bool) -> Value {
    let site = &shared.site;
    let sec = &site.sections[s];
    let doc = sec.doc.map(|d| &site.docs[d]);
    let path = if sec.dir.is_empty() {
        String::new()
    } else {
        format!("{}/", sec.dir)
    };
    let subsections: Vec<Json> = sec
        .subsections
        .iter()
        .map(|&ss| {
            let sub = &site.sections[ss];
            let title = sub
                .doc
                .and_then(|d| site.docs[d].front.title.clone())
                .unwrap_or_else(|| sub.dir.rsplit('/').next().unwrap_or("").to_string());
            json!({"title": title, "url": site.url(&format!("{}/", sub.dir)), "count": sub.pages.len()})
        })
        .collect();
    let mut view: BTreeMap<&str, Value> = BTreeMap::new();
    let opt = |v: Option<String>| v.map_or(Value::none(), Value::from);
    view.insert("title", opt(doc.and_then(|d| d.front.title.clone())));
    view.insert(
        "description",
        opt(doc.and_then(|d| d.front.description.clone())),
    );
    view.insert("url", Value::from(site.url(&path)));
    view.insert("path", Value::from(path));
    let pages: Vec<Value> = if with_pages {
        sec.pages
            .iter()
            .map(|&p| shared.page_views[p].clone())
            .collect()
    } else {
        Vec::new()
    };
    view.insert("pages", Value::from(pages));
    view.insert("subsections", Value::from_serializable(&subsections));
    view.insert(
        "extra",
        doc.map_or(Value::none(), |d| Value::from_serializable(&d.front.extra)),
    );
    view.insert(
        "collection",
        opt(sec
            .collection
            .map(|c| site.collections[c].spec.name.clone())),
    );
    Value::from(view)
}

/// Registers the functions templates can call.
fn register_functions(tera: &mut Tera, slot: &Arc<RwLock<Option<Arc<Shared>>>>) {
    fn get(slot: &RwLock<Option<Arc<Shared>>>) -> tera::TeraResult<Arc<Shared>> {
        slot.read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .ok_or_else(|| tera::Error::message("site data is not available while templates load"))
    }
    let slot_ = Arc::clone(slot);
    tera.register_function(
        "get_page",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
            let s = get(&slot_)?;
            let path: &str = kwargs.must_get("path")?;
            let path = path.trim_start_matches("@/");
            match s.site.doc_by_rel(path) {
                Some(d) => Ok(s.page_views[d].clone()),
                None => Err(tera::Error::message(format!(
                    "get_page: no content file `{path}`"
                ))),
            }
        },
    );
    let slot_ = Arc::clone(slot);
    tera.register_function(
        "get_section",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
            let s = get(&slot_)?;
            let path: &str = kwargs.must_get("path")?;
            let dir = path
                .trim_start_matches("@/")
                .trim_end_matches("_index.md")
                .trim_matches('/');
            match s.site.sections.iter().position(|sec| sec.dir == dir) {
                Some(i) => Ok(section_view(&s, i, true)),
                None => Err(tera::Error::message(format!(
                    "get_section: no section `{dir}`"
                ))),
            }
        },
    );
    let slot_ = Arc::clone(slot);
    tera.register_function(
        "get_collection",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
            let s = get(&slot_)?;
            let name: &str = kwargs.must_get("name")?;
            let Some(c) = s.site.collections.iter().position(|c| c.spec.name == name) else {
                return Err(tera::Error::message(format!(
                    "get_collection: no collection `{name}`"
                )));
            };
            let spec = &s.site.collections[c].spec;
            let mut entries: Vec<usize> = (0..s.site.collections[c].entries.len()).collect();
            if let Some(field) = kwargs.get::<&str>("filter_field")? {
                let fi = spec.field_index(field).ok_or_else(|| {
                    tera::Error::message(format!("get_collection: `{name}` has no field `{field}`"))
                })?;
                let want: &str = kwargs.must_get("filter_value")?;
                entries.retain(|&e| {
                    let raw = &s.views.keys[c][e][fi].0;
                    raw.as_str().map_or_else(
                        || raw.as_array().is_some_and(|a| a.iter().any(|v| v == want)),
                        |v| v == want,
                    )
                });
            }
            if let Some(field) = kwargs.get::<&str>("sort_by")? {
                let fi = spec.field_index(field).ok_or_else(|| {
                    tera::Error::message(format!("get_collection: `{name}` has no field `{field}`"))
                })?;
                let key = |e: usize| &s.views.keys[c][e][fi].1;
                let desc = kwargs.get::<&str>("order")? == Some("desc");
                // Missing values go last in either order.
                entries.sort_by(|&a, &b| {
                    let (ka, kb) = (key(a), key(b));
                    let ord = match (ka.is_null(), kb.is_null()) {
                        (false, false) if desc => compare_json(kb, ka),
                        _ => compare_json(ka, kb),
                    };
                    ord.then(a.cmp(&b))
                });
            }
            // Entry values are converted once per build; a list of them is a list of cheap clones.
            let list: Vec<Value> = entries
                .iter()
                .map(|&e| s.views.entries_tv[c][e].clone())
                .collect();
            Ok(Value::from(list))
        },
    );
    let slot_ = Arc::clone(slot);
    tera.register_function(
        "chart",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
            let s = get(&slot_)?;
            let name: &str = kwargs.must_get("collection")?;
            let id: &str = kwargs.must_get("id")?;
            let c = s
                .site
                .collections
                .iter()
                .position(|c| c.spec.name == name)
                .ok_or_else(|| tera::Error::message(format!("chart: no collection `{name}`")))?;
            let chart = s.site.collections[c]
                .spec
                .charts
                .iter()
                .find(|ch| ch.id == id)
                .ok_or_else(|| {
                    tera::Error::message(format!("chart: collection `{name}` has no chart `{id}`"))
                })?;
            Ok(Value::from_serializable(&crate::chart::chart_view(
                &s.site, c, chart,
            )))
        },
    );
    let slot_ = Arc::clone(slot);
    tera.register_function(
        "url",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
            let s = get(&slot_)?;
            let path: &str = kwargs.must_get("path")?;
            match s.site.resolve_link(None, path) {
                LinkTarget::Url(u) => Ok(Value::from(u)),
                LinkTarget::AsIs => Ok(Value::from(path)),
                LinkTarget::Missing { what, .. } => {
                    Err(tera::Error::message(format!("url: {what}")))
                }
            }
        },
    );
    tera.register_filter("fmt_number", |v: f64, _: Kwargs, _: &State| {
        crate::facts::format_number(v)
    });
}

fn compare_json(a: &Json, b: &Json) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => x
            .as_f64()
            .unwrap_or(0.0)
            .total_cmp(&y.as_f64().unwrap_or(0.0)),
        (Json::String(x), Json::String(y)) => x.cmp(y),
        (Json::Null, Json::Null) => Ordering::Equal,
        // Missing values sort last.
        (Json::Null, _) => Ordering::Greater,
        (_, Json::Null) => Ordering::Less,
        _ => Ordering::Equal,
    }
}

/// Checks that every template a page asks for exists, before rendering anything.
pub fn check_templates(site: &Site, templates: &Templates, diags: &mut Diagnostics) {
    for page in &site.pages {
        if page.template.is_empty()
            || templates
                .tera
                .get_template_names()
                .any(|n| n == page.template)
        {
            continue;
        }
        let names: Vec<&str> = templates.tera.get_template_names().collect();
        let mut d = Diagnostic::error(
            "template",
            format!("template `{}` not found", page.template),
        );
        let span = match &page.kind {
            PageKind::Doc(doc) => site.docs[*doc]
                .front
                .template
                .as_ref()
                .map(|t| Span::new(site.docs[*doc].source, t.span.clone())),
            PageKind::Section(s) => site.sections[*s].doc.and_then(|doc| {
                site.docs[doc]
                    .front
                    .template
                    .as_ref()
                    .map(|t| Span::new(site.docs[doc].source, t.span.clone()))
            }),
            _ => None,
        };
        d = match span {
            Some(span) => d.label(span, "no such template"),
            None => d.at_path(format!("templates/{}", page.template)),
        };
        diags.push(d.suggest(&page.template, names).help(format!(
            "add `templates/{}` or name an existing template",
            page.template
        )));
    }
}

/// Where each page goes as soon as it is rendered (a build writes it to its staging directory).
/// What `page` returns is kept, by output path; the HTML is not: the pages of a big site are
/// never all in memory.
pub trait PageSink: Sync {
    type Kept: Send;
    fn page(&self, page: &Page, path: &str, html: String) -> Result<Self::Kept, Diagnostic>;
}

/// Renders every page and generated file. Problems go to `diags`.
///
/// `pre` holds each doc's parse-time rendering, taken out of the site so that each is freed once
/// its page has used it (at 10,000 pages they weigh about 150 MB). With a `sink`, pages go to it
/// and their artifacts are `Written`; without, artifacts hold the bytes.
pub fn render_site<S: PageSink>(
    site: Arc<Site>,
    pre: Vec<std::sync::Mutex<Option<Arc<markdown::Prerendered>>>>,
    templates: Templates,
    sources: &SourceMap,
    sink: Option<&S>,
    diags: &mut Diagnostics,
) -> (Vec<Artifact>, HashMap<String, S::Kept>) {
    let shared = Arc::new(Shared::new(Arc::clone(&site)));
    templates.set_shared(Arc::clone(&shared));
    let template_ids = templates.ids();
    let fresh = |d: usize| {
        let taken = pre
            .get(d)
            .and_then(|p| p.lock().ok().and_then(|mut p| p.take()));
        Arc::new(render_markdown(&site, sources, d, taken.as_deref()))
    };
    type Rendered<K> = (Artifact, Option<K>);
    let results: Vec<Result<Rendered<S::Kept>, Diagnostic>> = site
        .pages
        .par_iter()
        .enumerate()
        .map(|(pi, page)| {
            let html = match page_context(&shared, page, &fresh) {
                None => redirect_page(&site, page),
                Some(ctx) => ctx.render(&templates.tera, page),
            }
            .map_err(|e| tera_diagnostic(&e, sources, &template_ids, None))?;
            let path = output_file(&page.path);
            let (content, kept) = match sink {
                Some(sink) => (
                    ArtifactContent::Written,
                    Some(sink.page(page, &path, html)?),
                ),
                None => (ArtifactContent::Bytes(html.into_bytes()), None),
            };
            Ok((
                Artifact {
                    path,
                    content,
                    page: Some(pi),
                },
                kept,
            ))
        })
        .collect();
    let mut out = Vec::with_capacity(results.len() + 16);
    let mut kept = HashMap::with_capacity(results.len());
    for r in results {
        match r {
            Ok((a, k)) => {
                if let Some(k) = k {
                    kept.insert(a.path.clone(), k);
                }
                out.push(a);
            }
            Err(d) => diags.push(d),
        }
    }
    out.extend(site_files(&site));
    (out, kept)
}

/// The files a site has besides its pages: data exports, feeds, the sitemap.
pub fn site_files(site: &Site) -> Vec<Artifact> {
    let mut out = Vec::new();
    for (c, coll) in site.collections.iter().enumerate() {
        out.push(bytes_artifact(
            format!("data/{}.json", coll.spec.name),
            compare::export_json(site, c),
        ));
        out.push(bytes_artifact(
            format!("data/{}.csv", coll.spec.name),
            compare::export_csv(site, c),
        ));
        out.push(bytes_artifact(
            compare::index_data_path(&coll.spec.name),
            compare::export_index(site, c),
        ));
        let mut partners: Vec<Vec<usize>> = vec![Vec::new(); coll.entries.len()];
        for &(a, b) in &site.pairs[c].pages {
            partners[a].push(b);
            partners[b].push(a);
        }
        let entries: Vec<Artifact> = (0..coll.entries.len())
            .into_par_iter()
            .map(|e| {
                bytes_artifact(
                    compare::entry_data_path(&coll.spec.name, &coll.entries[e].slug),
                    compare::export_entry(site, c, e, &partners[e]),
                )
            })
            .collect();
        out.extend(entries);
    }
    out.extend(crate::output::feeds(site));
    out
}

/// The HTML of a doc's (or section's) Markdown body, its links resolved against the site.
///
/// From `pre` or the doc's own parse-time rendering; a doc that has neither (its rendering was
/// taken and used already) is rendered again from its source.
pub fn render_markdown(
    site: &Site,
    sources: &SourceMap,
    d: usize,
    pre: Option<&markdown::Prerendered>,
) -> markdown::Rendered {
    let resolve = |dest: &str| match site.resolve_link(Some(d), dest) {
        LinkTarget::Url(u) => Some(u),
        _ => None,
    };
    let doc = &site.docs[d];
    match pre.or(doc.pre.as_deref()) {
        Some(p) => p.resolve(&resolve),
        None => {
            let ro = markdown::RenderOptions {
                markdown: &site.config.markdown,
                highlight_theme: &site.config.highlight_theme,
            };
            let body = &sources.text(doc.source)[doc.body.clone()];
            markdown::prerender(body, doc.body.start, &ro)
                .1
                .resolve(&resolve)
        }
    }
}

impl Templates {
    /// Template name → source, for mapping render errors back to files.
    pub fn ids(&self) -> BTreeMap<String, SourceId> {
        self.sources.iter().map(|(k, v)| (k.clone(), *v)).collect()
    }

    /// Renders a page whose context is ready, mapping errors to diagnostics.
    pub fn render_page(
        &self,
        site: &Site,
        page: &Page,
        ctx: Option<&PageContext>,
        sources: &SourceMap,
        ids: &BTreeMap<String, SourceId>,
    ) -> Result<String, Diagnostic> {
        match ctx {
            None => redirect_page(site, page),
            Some(ctx) => ctx.render(&self.tera, page),
        }
        .map_err(|e| tera_diagnostic(&e, sources, ids, None))
    }
}

fn redirect_page(site: &Site, page: &Page) -> tera::TeraResult<String> {
    match &page.kind {
        PageKind::Redirect(to) => Ok(redirect_html(to, &site.config.language)),
        _ => Err(tera::Error::message("a page without a context")),
    }
}

pub fn bytes_artifact(path: String, text: String) -> Artifact {
    Artifact {
        path,
        content: ArtifactContent::Bytes(text.into_bytes()),
        page: None,
    }
}

/// `models/x/` → `models/x/index.html`; `404.html` stays.
pub fn output_file(path: &str) -> String {
    if path.is_empty() {
        "index.html".into()
    } else if path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// The template context of a page (None for a redirect, which has no template). `md` gives
/// the rendered Markdown body of a doc.
pub fn page_context(
    shared: &Shared,
    page: &Page,
    md: &dyn Fn(usize) -> Arc<markdown::Rendered>,
) -> Option<PageContext> {
    let site = &shared.site;
    if let PageKind::Redirect(_) = &page.kind {
        return None;
    }
    let mut ctx = PageContext::default();
    ctx.insert_hashed("config", shared.config.clone(), shared.config_h);
    ctx.insert("current_path", &site.url(&page.path));
    ctx.insert("permalink", &site.absolute_url(&page.path));
    ctx.insert("title", &page.title);
    match &page.kind {
        PageKind::Doc(d) => {
            let doc = &site.docs[*d];
            let rendered = md(*d);
            ctx.insert_hashed(
                "page",
                shared.page_views[*d].clone(),
                shared.page_view_h[*d],
            );
            ctx.insert("content", &rendered.html);
            ctx.insert("summary", &rendered.summary);
            ctx.insert("description", &doc.front.description);
            let mentioned: Vec<Value> = site.backlinks[*d]
                .iter()
                .map(|&b| shared.page_views[b].clone())
                .collect();
            let mentioned = Value::from(mentioned);
            let mentioned_h = {
                // The list's hash from its items' hashes (always computed this way for this key).
                let mut h = xxhash_rust::xxh3::Xxh3::new();
                h.update(b"a");
                h.update(&(site.backlinks[*d].len() as u64).to_le_bytes());
                for &b in &site.backlinks[*d] {
                    h.update(&shared.page_view_h[b].to_le_bytes());
                }
                h.digest()
            };
            ctx.insert_hashed("mentioned_in", mentioned, mentioned_h);
            let parent = site.sections.iter().position(|s| s.dir == doc.dir);
            if let Some(p) = parent {
                ctx.insert_hashed("section", shared.section_tv[p].clone(), shared.section_h[p]);
            }
            if let Some((c, e)) = site.doc_entries[*d] {
                ctx.insert_value("entry", shared.views.entries_tv[c][e].clone());
                ctx.insert(
                    "collection",
                    &json!({
                        "name": site.collections[c].spec.name,
                        "title": site.collections[c].spec.title,
                        "singular": site.collections[c].spec.singular,
                        "url": site.url(&format!("compare/{}/", site.collections[c].spec.name)),
                    }),
                );
                ctx.insert_value("fields", shared.views.fields_tv[c].clone());
                ctx.insert("referrers", &referrers_view(shared, c, e));
                ctx.insert_value("related", shared.related_tv[c][e].clone());
                ctx.insert("pick_url", &pick_url(site, c, &[e]));
            }
        }
        PageKind::Section(s) => {
            let sec = &site.sections[*s];
            ctx.insert_value("section", section_view(shared, *s, true));
            ctx.insert(
                "description",
                &sec.doc.and_then(|d| site.docs[d].front.description.clone()),
            );
            let content = sec.doc.map(|d| md(d).html.clone());
            ctx.insert("content", &content.unwrap_or_default());
            if let Some(c) = sec.collection {
                ctx.insert_value("collection", shared.views.collections_tv[c].clone());
                ctx.insert_value("entries", shared.views.entry_lists_tv[c].clone());
                ctx.insert_value("fields", shared.views.fields_tv[c].clone());
            }
        }
        PageKind::TagList => {
            let tags: Vec<Json> = site
                .tags
                .iter()
                .map(|(slug, (name, pages))| json!({"name": name, "slug": slug, "url": site.url(&format!("tags/{slug}/")), "count": pages.len()}))
                .collect();
            ctx.insert("tags", &tags);
        }
        PageKind::Tag(slug) => {
            if let Some((name, pages)) = site.tags.get(slug) {
                let pages: Vec<Value> = pages
                    .iter()
                    .map(|&p| shared.page_views[p].clone())
                    .collect();
                ctx.insert("tag", &json!({"name": name, "slug": slug}));
                ctx.insert_value("pages", Value::from(pages));
            }
        }
        PageKind::NotFound | PageKind::Search => {}
        PageKind::Pair(c, a, b) => {
            let coll = &site.collections[*c];
            let mut differences = 0;
            let rows: Vec<Value> = coll
                .spec
                .fields
                .iter()
                .enumerate()
                .map(|(fi, f)| {
                    let (fa, fb) = (&coll.entries[*a].facts[fi], &coll.entries[*b].facts[fi]);
                    let differs = fa != fb && !compare::same_fact(fa.as_ref(), fb.as_ref());
                    differences += usize::from(differs);
                    let mut row: BTreeMap<&str, Value> = BTreeMap::new();
                    row.insert("field", Value::from(f.name.as_str()));
                    row.insert("label", Value::from(f.label.as_str()));
                    row.insert(
                        "description",
                        f.description.as_deref().map_or(Value::none(), Value::from),
                    );
                    row.insert("a", shared.views.cells_tv[*c][*a][fi].clone());
                    row.insert("b", shared.views.cells_tv[*c][*b][fi].clone());
                    row.insert("differs", Value::from(differs));
                    Value::from(row)
                })
                .collect();
            ctx.insert_value("collection", shared.views.collections_tv[*c].clone());
            ctx.insert_value("a", shared.views.entries_tv[*c][*a].clone());
            ctx.insert_value("b", shared.views.entries_tv[*c][*b].clone());
            ctx.insert_value("rows", Value::from(rows));
            ctx.insert("differences", &differences);
            ctx.insert_value("a_related", shared.related_tv[*c][*a].clone());
            ctx.insert_value("b_related", shared.related_tv[*c][*b].clone());
            ctx.insert("pick_url", &pick_url(site, *c, &[*a, *b]));
            ctx.insert("a_pick_url", &pick_url(site, *c, &[*a]));
            ctx.insert("b_pick_url", &pick_url(site, *c, &[*b]));
        }
        kind => {
            for (k, v) in compare::context(site, &shared.views, kind) {
                ctx.insert_value(k, v);
            }
        }
    }
    Some(ctx)
}

/// The compare-any page with these entries chosen.
fn pick_url(site: &Site, c: usize, entries: &[usize]) -> String {
    let coll = &site.collections[c];
    let mut url = site.url(&compare::pick_path(&coll.spec.name));
    for (slot, &e) in ["a", "b", "c"].iter().zip(entries) {
        url.push(if *slot == "a" { '?' } else { '&' });
        url.push_str(slot);
        url.push('=');
        url.push_str(&coll.entries[e].slug);
    }
    url
}

fn referrers_view(shared: &Shared, c: usize, e: usize) -> Vec<Json> {
    let site = &shared.site;
    let mut groups: BTreeMap<(usize, usize), Vec<Json>> = BTreeMap::new();
    for r in &site.referrers[c][e] {
        groups
            .entry((r.collection, r.field))
            .or_default()
            .push(json!({
                "title": compare::entry_title(site, r.collection, r.entry),
                "url": site.doc_url(site.collections[r.collection].docs[r.entry]),
            }));
    }
    groups
        .into_iter()
        .map(|((rc, rf), entries)| {
            let coll = &site.collections[rc];
            let field = &coll.spec.fields[rf];
            json!({
                "collection": coll.spec.title,
                "field": field.label,
                "heading": format!("{} with this {}", coll.spec.title, field.label.to_lowercase()),
                "facet_url": site.url(&format!("compare/{}/{}/{}/", coll.spec.name, field.name, site.collections[c].entries[e].slug)),
                "entries": entries,
            })
        })
        .collect()
}

/// A page that sends readers (and crawlers) on to `to`.
pub fn redirect_html(to: &str, lang: &str) -> String {
    let to = escape_attr(to);
    format!(
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>Redirecting…</title><link rel=\"canonical\" href=\"{to}\"><meta name=\"robots\" content=\"noindex\"><meta http-equiv=\"refresh\" content=\"0; url={to}\"></head><body><main><p>This page has moved to <a href=\"{to}\">{to}</a>.</p></main></body></html>\n",
        escape_attr(lang)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_follow_lines_and_columns() {
        let t = "ab\ncdé\nxyz";
        assert_eq!(offset_of(t, 1, 0), 0);
        assert_eq!(offset_of(t, 2, 2), 5);
        assert_eq!(offset_of(t, 3, 1), 9);
    }

    #[test]
    fn builtin_templates_parse() {
        let mut sources = SourceMap::default();
        let mut diags = Diagnostics::new();
        assert!(
            load_templates(&[], &mut sources, &mut diags).is_some(),
            "{:?}",
            diags.items()
        );
    }
}
