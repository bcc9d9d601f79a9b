//! Resolve: the one global step. Turns parsed `Doc`s into an immutable `Site`.
//!
//! In: `Config` and every `Doc`. Out: a `Site` with permalinks (collisions reported), sections
//! and their sorted pages, tags, typed collections with refs checked, backlinks, and the
//! generated comparison pages added as ordinary `Page`s so that rendering treats them alike.
//! Every Markdown link to content is resolved here or reported with a did-you-mean.

use std::collections::{BTreeMap, HashMap};

use crate::compare;
use crate::config::Config;
use crate::content::{Doc, SortBy, tag_slug};
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::facts::{Entry, type_entry};

/// Index of a `Page` in `Site::pages`.
pub type PageId = usize;

/// What a page shows. Generated pages carry indices into the site's collections.
#[derive(Debug, Clone, PartialEq)]
pub enum PageKind {
    /// A Markdown page (index into `Site::docs`).
    Doc(usize),
    /// A section listing (index into `Site::sections`).
    Section(usize),
    TagList,
    Tag(String),
    CompareIndex,
    /// `/compare/NAME/`: the table of collection `c`.
    Table(usize),
    /// `/compare/NAME/A-vs-B/`: entries `a` < `b` of collection `c`.
    Pair(usize, usize, usize),
    /// `/compare/NAME/pick/`: any two or three entries side by side, chosen in the browser.
    Pick(usize),
    /// `/compare/NAME/FIELD/`: the values of a facet field, with counts.
    FacetIndex(usize, usize),
    /// `/compare/NAME/FIELD/VALUE/`.
    Facet(usize, usize, String),
    /// `/compare/NAME/FIELD/` for a numeric field: entries ranked.
    Ranking(usize, usize),
    /// `/compare/NAME/charts/`.
    Charts(usize),
    /// A redirect to another URL (aliases, reversed pairs).
    Redirect(String),
    NotFound,
    /// `/search/`: the search page, which queries the site's index in the browser.
    Search,
}

/// One output page.
#[derive(Debug, Clone)]
pub struct Page {
    /// Site path without a leading slash, ending in `/` (or a file name like `404.html`).
    pub path: String,
    pub kind: PageKind,
    pub title: String,
    pub template: String,
}

/// A directory of content.
#[derive(Debug, Clone)]
pub struct Section {
    pub dir: String,
    /// Its `_index.md`, if any.
    pub doc: Option<usize>,
    /// Pages (doc indices), sorted by the section's `sort_by`.
    pub pages: Vec<usize>,
    pub subsections: Vec<usize>,
    /// The collection stored in this directory, if any.
    pub collection: Option<usize>,
}

/// A collection with its typed entries, sorted by slug.
#[derive(Debug, Clone)]
pub struct Collection {
    pub spec: crate::config::CollectionSpec,
    pub entries: Vec<Entry>,
    /// Doc index of each entry, aligned with `entries`.
    pub docs: Vec<usize>,
}

impl Collection {
    pub fn entry_index(&self, slug: &str) -> Option<usize> {
        self.entries
            .binary_search_by(|e| e.slug.as_str().cmp(slug))
            .ok()
    }
}

/// Who refers to an entry through a ref field.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Referrer {
    pub collection: usize,
    pub field: usize,
    pub entry: usize,
}

/// The resolved site. Immutable from here on.
pub struct Site {
    pub config: Config,
    pub docs: Vec<Doc>,
    /// Permalink path of each doc (aligned with `docs`).
    pub doc_paths: Vec<String>,
    /// For each doc in a collection: (collection, entry).
    pub doc_entries: Vec<Option<(usize, usize)>>,
    pub sections: Vec<Section>,
    pub collections: Vec<Collection>,
    /// Tag slug → (display name, doc indices sorted by date).
    pub tags: BTreeMap<String, (String, Vec<usize>)>,
    /// For each doc, the docs that link to it (sorted, unique).
    pub backlinks: Vec<Vec<usize>>,
    /// For each collection and entry, the entries that refer to it.
    pub referrers: Vec<Vec<Vec<Referrer>>>,
    /// For each collection, its pair pages and what each sheet offers to compare with.
    pub pairs: Vec<crate::pairs::Pairs>,
    pub pages: Vec<Page>,
    pub by_path: HashMap<String, PageId>,
    by_rel: HashMap<String, usize>,
}

/// What a link destination resolves to.
#[derive(Debug, PartialEq)]
pub enum LinkTarget {
    /// Leave as written (external, or a URL checked against the output later).
    AsIs,
    /// A URL to write instead.
    Url(String),
    /// Content or site path that does not exist.
    Missing {
        what: String,
        suggestion: Option<String>,
        /// What to do instead, when there is something better than a did-you-mean.
        help: Option<String>,
    },
}

impl Site {
    /// The URL of a site path, with the base path in front: `models/x/` → `/models/x/`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.config.base_path, path)
    }

    /// The absolute URL of a site path, for feeds, sitemaps and canonical links.
    pub fn absolute_url(&self, path: &str) -> String {
        format!("{}{}", self.config.base_url, path)
    }

    pub fn doc_by_rel(&self, rel: &str) -> Option<usize> {
        self.by_rel.get(rel).copied()
    }

    pub fn doc_url(&self, doc: usize) -> String {
        self.url(&self.doc_paths[doc])
    }

    /// Resolves a link written in the doc `from` (None: in config or a template).
    pub fn resolve_link(&self, from: Option<usize>, dest: &str) -> LinkTarget {
        if dest.is_empty() || dest.starts_with('#') || dest.starts_with('/') || has_scheme(dest) {
            return LinkTarget::AsIs;
        }
        let (path, frag) = match dest.find(['#', '?']) {
            Some(i) => (&dest[..i], &dest[i..]),
            None => (dest, ""),
        };
        let (content_path, is_content) = if let Some(rest) = path.strip_prefix("@/") {
            (rest.to_string(), rest.ends_with(".md"))
        } else if path.ends_with(".md") {
            let base = from.map(|d| self.docs[d].dir.as_str()).unwrap_or("");
            match normalize(base, path) {
                Some(p) => (p, true),
                None => {
                    return LinkTarget::Missing {
                        what: format!("`{path}` points outside `content/`"),
                        suggestion: None,
                        help: None,
                    };
                }
            }
        } else {
            return LinkTarget::AsIs;
        };
        if is_content {
            let content_path = content_path.trim_start_matches('/');
            match self.by_rel.get(content_path) {
                Some(&doc) => LinkTarget::Url(format!("{}{frag}", self.doc_url(doc))),
                None => LinkTarget::Missing {
                    what: format!("no content file `{content_path}`"),
                    suggestion: crate::diag::did_you_mean(
                        content_path,
                        self.by_rel.keys().map(String::as_str),
                    )
                    .map(str::to_string),
                    help: None,
                },
            }
        } else {
            let mut site_path = content_path.trim_matches('/').to_string();
            if !site_path.is_empty() && !site_path.contains('.') {
                site_path.push('/');
            }
            if self.by_path.contains_key(&site_path) {
                LinkTarget::Url(format!("{}{frag}", self.url(&site_path)))
            } else if let Some(missing) = self.missing_pair(&site_path) {
                missing
            } else {
                LinkTarget::Missing {
                    what: format!("no page at `/{site_path}`"),
                    suggestion: crate::diag::did_you_mean(
                        &site_path,
                        self.by_path.keys().map(String::as_str),
                    )
                    .map(|s| format!("@/{}", s.trim_end_matches('/'))),
                    help: None,
                }
            }
        }
    }

    /// A link to `compare/NAME/A-vs-B/` for two entries whose pair has no page: what to do.
    fn missing_pair(&self, site_path: &str) -> Option<LinkTarget> {
        let rest = site_path.strip_prefix("compare/")?.trim_end_matches('/');
        let (name, pair) = rest.split_once('/')?;
        let c = self.collections.iter().position(|c| c.spec.name == name)?;
        let coll = &self.collections[c];
        let (a, b) = crate::pairs::split_pair(pair, &|s| coll.entry_index(s))?;
        let (sa, sb) = (&coll.entries[a].slug, &coll.entries[b].slug);
        let file = self.docs[coll.docs[a]].rel.clone();
        Some(LinkTarget::Missing {
            what: format!(
                "no pair page for `{sa}` and `{sb}`: collection `{name}` has `pairs = \"{}\"`, which does not include this pair",
                coll.spec.pairs.name()
            ),
            suggestion: None,
            help: Some(format!(
                "add `compare_with = [\"{sb}\"]` to content/{file} to give the pair a page, or link to the compare-any page: `@/compare/{name}/pick/?a={sa}&b={sb}`"
            )),
        })
    }
}

fn has_scheme(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    match dest.find(':') {
        Some(i) => {
            dest[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.')
                && i > 0
        }
        None => false,
    }
}

/// Joins a relative path onto a directory, resolving `.` and `..`. None if it leaves the root.
pub fn normalize(base: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// The permalink path of a doc: `models/x.md` → `models/x/`, `a/_index.md` → `a/`.
fn doc_path(doc: &Doc) -> String {
    if doc.is_section {
        return if doc.dir.is_empty() {
            String::new()
        } else {
            format!("{}/", doc.dir)
        };
    }
    let stem = match &doc.front.slug {
        Some(s) => s.value.clone(),
        None => doc.stem().to_string(),
    };
    let prefix = if doc.dir.is_empty() {
        String::new()
    } else {
        format!("{}/", doc.dir)
    };
    if stem == "index" && doc.front.slug.is_none() {
        return prefix;
    }
    format!("{prefix}{stem}/")
}

/// Resolves everything. Pushes link, ref, permalink and schema problems.
pub fn resolve(
    config: Config,
    docs: Vec<Doc>,
    sources: &crate::source::SourceMap,
    diags: &mut Diagnostics,
) -> Site {
    let docs: Vec<Doc> = docs
        .into_iter()
        .filter(|d| config.drafts || !d.front.draft)
        .collect();
    let doc_paths: Vec<String> = docs.iter().map(doc_path).collect();
    let by_rel: HashMap<String, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.rel.clone(), i))
        .collect();

    // Sections: every directory holding content, and all its ancestors.
    let mut dirs: BTreeMap<String, Section> = BTreeMap::new();
    let ensure = |dirs: &mut BTreeMap<String, Section>, dir: &str| {
        let mut d = dir.to_string();
        loop {
            dirs.entry(d.clone()).or_insert_with(|| Section {
                dir: d.clone(),
                doc: None,
                pages: Vec::new(),
                subsections: Vec::new(),
                collection: None,
            });
            match d.rsplit_once('/') {
                Some((parent, _)) => d = parent.to_string(),
                None if !d.is_empty() => d = String::new(),
                None => break,
            }
        }
    };
    ensure(&mut dirs, "");
    for (i, doc) in docs.iter().enumerate() {
        ensure(&mut dirs, &doc.dir);
        let s = dirs.get_mut(&doc.dir).expect("ensured above");
        if doc.is_section {
            s.doc = Some(i);
        } else {
            s.pages.push(i);
        }
    }
    let mut sections: Vec<Section> = dirs.into_values().collect();
    let index_of: HashMap<String, usize> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| (s.dir.clone(), i))
        .collect();
    for i in 0..sections.len() {
        let dir = sections[i].dir.clone();
        if dir.is_empty() {
            continue;
        }
        let parent = dir.rsplit_once('/').map_or("", |(p, _)| p);
        if let Some(&p) = index_of.get(parent) {
            sections[p].subsections.push(i);
        }
    }
    let titles: Vec<String> = docs
        .iter()
        .map(|d| d.front.title.as_deref().unwrap_or_default().to_lowercase())
        .collect();
    for s in &mut sections {
        let sort_by = s
            .doc
            .and_then(|d| docs[d].front.sort_by)
            .unwrap_or(SortBy::Date);
        sort_pages(&mut s.pages, &docs, &titles, sort_by);
    }

    // Collections: type every entry against its schema.
    let mut collections = Vec::new();
    let mut doc_entries = vec![None; docs.len()];
    for (ci, spec) in config.collections.iter().enumerate() {
        let mut members: Vec<usize> = docs
            .iter()
            .enumerate()
            .filter(|(_, d)| !d.is_section && d.dir == spec.dir)
            .map(|(i, _)| i)
            .collect();
        members.sort_by(|&a, &b| docs[a].stem().cmp(docs[b].stem()));
        let mut entries = Vec::new();
        for &di in &members {
            let doc = &docs[di];
            let front_span = front_matter_span(doc);
            entries.push(type_entry(
                spec,
                doc.stem(),
                &doc.table,
                doc.source,
                front_span,
                doc.front.last_verified.as_ref(),
                diags,
            ));
        }
        for (ei, &di) in members.iter().enumerate() {
            doc_entries[di] = Some((ci, ei));
        }
        if let Some(&s) = index_of.get(&spec.dir) {
            sections[s].collection = Some(ci);
        }
        collections.push(Collection {
            spec: spec.clone(),
            entries,
            docs: members,
        });
    }
    check_staleness(&collections, &docs, diags);
    let referrers = resolve_refs(&collections, diags);
    let pairs = collections
        .iter()
        .map(|c| {
            let docs_of: Vec<&Doc> = c.docs.iter().map(|&d| &docs[d]).collect();
            crate::pairs::select(&c.spec, &c.entries, &docs_of, &docs, diags)
        })
        .collect();

    // Tags.
    let mut tags: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
    for (i, doc) in docs.iter().enumerate() {
        for t in &doc.front.tags {
            let slug = tag_slug(t);
            tags.entry(slug)
                .or_insert_with(|| (t.clone(), Vec::new()))
                .1
                .push(i);
        }
    }
    for (_, pages) in tags.values_mut() {
        sort_pages(pages, &docs, &titles, SortBy::Date);
    }

    let mut site = Site {
        config,
        docs,
        doc_paths,
        doc_entries,
        sections,
        collections,
        tags,
        backlinks: Vec::new(),
        referrers,
        pairs,
        pages: Vec::new(),
        by_path: HashMap::new(),
        by_rel,
    };
    let pages = plan_pages(&site);
    add_pages(&mut site, pages, sources, diags);
    site.backlinks = check_links(&site, diags);
    site
}

/// The opening fence: where "this front matter lacks X" points.
fn front_matter_span(_doc: &Doc) -> std::ops::Range<usize> {
    0..3
}

/// Sorts pages; ties by lowercased title, then path. `titles` holds each doc's lowercased title
/// (computed once: sorting compares often).
fn sort_pages(pages: &mut [usize], docs: &[Doc], titles: &[String], sort_by: SortBy) {
    let title = |i: usize| titles[i].as_str();
    match sort_by {
        SortBy::Date => pages.sort_by(|&a, &b| {
            docs[b]
                .front
                .date
                .cmp(&docs[a].front.date)
                .then_with(|| title(a).cmp(title(b)))
                .then(docs[a].rel.cmp(&docs[b].rel))
        }),
        SortBy::Weight => pages.sort_by(|&a, &b| {
            docs[a]
                .front
                .weight
                .unwrap_or(i64::MAX)
                .cmp(&docs[b].front.weight.unwrap_or(i64::MAX))
                .then_with(|| title(a).cmp(title(b)))
                .then(docs[a].rel.cmp(&docs[b].rel))
        }),
        SortBy::Title => {
            pages.sort_by(|&a, &b| title(a).cmp(title(b)).then(docs[a].rel.cmp(&docs[b].rel)))
        }
    }
}

fn check_staleness(collections: &[Collection], docs: &[Doc], diags: &mut Diagnostics) {
    let today = crate::date::today();
    for c in collections {
        let Some(max_age) = c.spec.stale_after_days else {
            continue;
        };
        for (e, &di) in c.entries.iter().zip(&c.docs) {
            let (Some(lv), Some(span)) = (e.last_verified, docs[di].front.last_verified.as_ref())
            else {
                continue;
            };
            let age = today.days_since_epoch() - lv.days_since_epoch();
            if age > max_age {
                diags.push(
                    Diagnostic::warning(
                        "stale",
                        format!(
                            "{} `{}` was last verified {age} days ago",
                            c.spec.singular, e.slug
                        ),
                    )
                    .label(
                        Span::new(docs[di].source, span.span.clone()),
                        format!("older than {max_age} days"),
                    )
                    .help(
                        "check its facts against their sources again, then update `last_verified`",
                    ),
                );
            }
        }
    }
}

fn resolve_refs(collections: &[Collection], diags: &mut Diagnostics) -> Vec<Vec<Vec<Referrer>>> {
    let mut referrers: Vec<Vec<Vec<Referrer>>> = collections
        .iter()
        .map(|c| vec![Vec::new(); c.entries.len()])
        .collect();
    let by_name: HashMap<&str, usize> = collections
        .iter()
        .enumerate()
        .map(|(i, c)| (c.spec.name.as_str(), i))
        .collect();
    for (ci, c) in collections.iter().enumerate() {
        for (ei, e) in c.entries.iter().enumerate() {
            for r in &e.refs {
                let field = &c.spec.fields[r.field];
                let Some(target) = field.ty.ref_target().and_then(|t| by_name.get(t).copied())
                else {
                    continue;
                };
                let tc = &collections[target];
                match tc.entry_index(&r.slug) {
                    Some(te) => referrers[target][te].push(Referrer {
                        collection: ci,
                        field: r.field,
                        entry: ei,
                    }),
                    None => diags.push(
                        Diagnostic::error(
                            "ref",
                            format!(
                                "`{}` refers to {} `{}`, which does not exist",
                                field.name, tc.spec.singular, r.slug
                            ),
                        )
                        .label(
                            r.span.clone(),
                            format!("no `content/{}/{}.md`", tc.spec.dir, r.slug),
                        )
                        .help(
                            match crate::diag::did_you_mean(&r.slug, tc.entries.iter().map(|e| e.slug.as_str())) {
                                Some(best) => format!("did you mean `{best}`?"),
                                None => format!(
                                    "the value must be the file name (without `.md`) of an entry in `content/{}/`",
                                    tc.spec.dir
                                ),
                            },
                        ),
                    ),
                }
            }
        }
    }
    for per_c in &mut referrers {
        for list in per_c {
            list.sort();
            list.dedup();
        }
    }
    referrers
}

fn plan_pages(site: &Site) -> Vec<Page> {
    let mut pages = Vec::new();
    for (i, doc) in site.docs.iter().enumerate() {
        if doc.is_section {
            continue;
        }
        let template = match &doc.front.template {
            Some(t) => t.value.clone(),
            None if site.doc_entries[i].is_some() => "sheet.html".into(),
            None => "page.html".into(),
        };
        pages.push(Page {
            path: site.doc_paths[i].clone(),
            kind: PageKind::Doc(i),
            title: doc
                .front
                .title
                .clone()
                .unwrap_or_else(|| doc.stem().to_string()),
            template,
        });
    }
    for (si, s) in site.sections.iter().enumerate() {
        let doc = s.doc.map(|d| &site.docs[d]);
        let path = if s.dir.is_empty() {
            String::new()
        } else {
            format!("{}/", s.dir)
        };
        let template = match doc.and_then(|d| d.front.template.as_ref()) {
            Some(t) => t.value.clone(),
            None if s.dir.is_empty() => "index.html".into(),
            None => "section.html".into(),
        };
        let title = doc
            .and_then(|d| d.front.title.clone())
            .or_else(|| s.collection.map(|c| site.collections[c].spec.title.clone()))
            .unwrap_or_else(|| {
                if s.dir.is_empty() {
                    site.config.title.clone()
                } else {
                    s.dir.rsplit('/').next().unwrap_or("").to_string()
                }
            });
        pages.push(Page {
            path,
            kind: PageKind::Section(si),
            title,
            template,
        });
    }
    if !site.tags.is_empty() {
        pages.push(Page {
            path: "tags/".into(),
            kind: PageKind::TagList,
            title: "Tags".into(),
            template: "tags.html".into(),
        });
        for (slug, (name, _)) in &site.tags {
            pages.push(Page {
                path: format!("tags/{slug}/"),
                kind: PageKind::Tag(slug.clone()),
                title: format!("Tagged “{name}”"),
                template: "tag.html".into(),
            });
        }
    }
    pages.extend(compare::plan(site));
    for (i, doc) in site.docs.iter().enumerate() {
        for alias in &doc.front.aliases {
            let mut path = alias.value.trim_start_matches('/').to_string();
            if !path.is_empty() && !path.ends_with('/') && !path.ends_with(".html") {
                path.push('/');
            }
            pages.push(Page {
                path,
                kind: PageKind::Redirect(site.doc_url(i)),
                title: doc.front.title.clone().unwrap_or_default(),
                template: String::new(),
            });
        }
    }
    if cfg!(feature = "search") {
        pages.push(Page {
            path: "search/".into(),
            kind: PageKind::Search,
            title: "Search".into(),
            template: "search.html".into(),
        });
    }
    pages.push(Page {
        path: "404.html".into(),
        kind: PageKind::NotFound,
        title: "Page not found".into(),
        template: "404.html".into(),
    });
    pages
}

/// Where a page came from, for collision messages.
fn page_origin(site: &Site, page: &Page) -> Option<Span> {
    match &page.kind {
        PageKind::Doc(d) => Some(Span::new(site.docs[*d].source, 0..3)),
        PageKind::Section(s) => site.sections[*s]
            .doc
            .map(|d| Span::new(site.docs[d].source, 0..3)),
        PageKind::Pair(c, a, _) => Some(Span::new(
            site.docs[site.collections[*c].docs[*a]].source,
            0..3,
        )),
        PageKind::FacetIndex(c, f) | PageKind::Facet(c, f, _) | PageKind::Ranking(c, f) => {
            Some(site.collections[*c].spec.fields[*f].span.clone())
        }
        PageKind::Table(c) | PageKind::Charts(c) | PageKind::Pick(c) => {
            Some(site.collections[*c].spec.span.clone())
        }
        PageKind::Redirect(_) => site.docs.iter().find_map(|d| {
            d.front
                .aliases
                .iter()
                .find(|a| a.value.trim_matches('/') == page.path.trim_matches('/'))
                .map(|a| Span::new(d.source, a.span.clone()))
        }),
        _ => None,
    }
}

fn add_pages(
    site: &mut Site,
    pages: Vec<Page>,
    sources: &crate::source::SourceMap,
    diags: &mut Diagnostics,
) {
    let mut by_path: HashMap<String, PageId> = HashMap::with_capacity(pages.len());
    let mut kept: Vec<Page> = Vec::with_capacity(pages.len());
    for page in pages {
        if let Some(&other) = by_path.get(&page.path) {
            let first = &kept[other];
            let describe = |p: &Page| match page_origin(site, p) {
                Some(span) => format!("`{}`", sources.path(span.source)),
                None => format!("the generated page “{}”", p.title),
            };
            let mut d = Diagnostic::error(
                "permalink",
                format!("two pages would be written to `/{}`", page.path),
            );
            if let Some(span) = page_origin(site, &page) {
                d = d.label(span, format!("this page collides with {}", describe(first)));
            } else if let Some(span) = page_origin(site, first) {
                d = d.label(span, format!("this page collides with {}", describe(&page)));
            } else {
                d = d.at_path("book.toml");
            }
            if let Some(span) = page_origin(site, first) {
                if page_origin(site, &page).is_some() {
                    d = d.label(span, "first defined here");
                }
            }
            diags.push(d.help("give one of them another `slug`, or move or rename the file"));
            continue;
        }
        by_path.insert(page.path.clone(), kept.len());
        kept.push(page);
    }
    site.pages = kept;
    site.by_path = by_path;
}

/// Checks every Markdown link to content and site paths; returns backlinks per doc.
fn check_links(site: &Site, diags: &mut Diagnostics) -> Vec<Vec<usize>> {
    use rayon::prelude::*;
    // Per doc, in parallel: its broken links, and the docs it links to.
    let found: Vec<(Vec<Diagnostic>, Vec<usize>)> = site
        .docs
        .par_iter()
        .enumerate()
        .map(|(i, doc)| {
            let mut broken = Vec::new();
            let mut targets = Vec::new();
            for link in &doc.scan.links {
                if let Some(scheme) = crate::url::unsafe_scheme(&link.dest) {
                    let what = if link.is_image { "image" } else { "link" };
                    broken.push(
                        Diagnostic::error("link", format!("{what} to a `{scheme}:` URL"))
                            .label(
                                Span::new(doc.source, link.span.clone()),
                                "would run code in the reader's browser",
                            )
                            .help("link to a page or to an `https://` address; `data:` is allowed for images only (`data:image/…`)"),
                    );
                    continue;
                }
                match site.resolve_link(Some(i), &link.dest) {
                    LinkTarget::Missing {
                        what,
                        suggestion,
                        help,
                    } => {
                        let d = Diagnostic::error("link", format!("broken link: {what}")).label(
                            Span::new(doc.source, link.span.clone()),
                            "no such file or page",
                        );
                        broken.push(match (help, suggestion) {
                            (Some(h), _) => d.help(h),
                            (None, Some(s)) => d.help(format!("did you mean `{s}`?")),
                            (None, None) => d.help("link to a file under `content/` (e.g. `@/models/x.md` or `../models/x.md`)"),
                        });
                    }
                    LinkTarget::Url(_) => {
                        if let Some(target) = content_target(site, i, &link.dest) {
                            if target != i {
                                targets.push(target);
                            }
                        }
                    }
                    LinkTarget::AsIs => {}
                }
            }
            (broken, targets)
        })
        .collect();
    let mut backlinks: Vec<Vec<usize>> = vec![Vec::new(); site.docs.len()];
    for (i, (broken, targets)) in found.into_iter().enumerate() {
        for d in broken {
            diags.push(d);
        }
        for t in targets {
            backlinks[t].push(i);
        }
    }
    for nav in &site.config.nav {
        if let Some(scheme) = crate::url::unsafe_scheme(&nav.url.value) {
            diags.push(
                Diagnostic::error("link", format!("nav link to a `{scheme}:` URL"))
                    .label(
                        Span::new(site.config.source, nav.url.span.clone()),
                        "would run code in the reader's browser",
                    )
                    .help("point `url` at a content file (`@/articles/_index.md`), a site path (`/compare/`) or an `https://` address"),
            );
            continue;
        }
        if let LinkTarget::Missing {
            what,
            suggestion,
            help,
        } = site.resolve_link(None, &nav.url.value)
        {
            let mut d = Diagnostic::error("link", format!("broken nav link: {what}"))
                .label(Span::new(site.config.source, nav.url.span.clone()), "");
            if let Some(s) = suggestion {
                d = d.help(format!("did you mean `{s}`?"));
            }
            if let Some(h) = help {
                d = d.help(h);
            }
            diags.push(d.help(
                "point `url` at a content file (`@/articles/_index.md`), a site path (`/compare/`) or a full address",
            ));
        }
    }
    for list in &mut backlinks {
        list.sort_by(|&a, &b| site.docs[a].rel.cmp(&site.docs[b].rel));
        list.dedup();
    }
    backlinks
}

fn content_target(site: &Site, from: usize, dest: &str) -> Option<usize> {
    let path = dest.split(['#', '?']).next().unwrap_or(dest);
    let rel = match path.strip_prefix("@/") {
        Some(r) => r.to_string(),
        None => normalize(&site.docs[from].dir, path)?,
    };
    site.doc_by_rel(&rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_resolves_dots_and_refuses_escapes() {
        assert_eq!(
            normalize("articles", "../models/x.md").as_deref(),
            Some("models/x.md")
        );
        assert_eq!(normalize("a/b", "./c.md").as_deref(), Some("a/b/c.md"));
        assert_eq!(normalize("", "../x.md"), None);
    }

    #[test]
    fn schemes_are_external() {
        assert!(has_scheme("https://x.org"));
        assert!(has_scheme("mailto:a@b"));
        assert!(has_scheme("//cdn.x"));
        assert!(!has_scheme("../a.md"));
        assert!(!has_scheme("a.md#x:y"));
    }
}
