//! Search: the site's full-text index, built by Pagefind from the rendered pages.
//!
//! In: the `Site` and the HTML of its Markdown pages as they render (each page's `<main>`, with
//! its title and the facets of its front matter added as Pagefind filters: its section, its tags
//! and every enum and ref field of a fact sheet). Out: the files of the Pagefind bundle, as
//! `Artifact`s under `pagefind/`, which the browser loads from the search page (`/search/`).
//! Nothing is read from or written to disk here, and nothing reaches the network.
//!
//! Only the indexing needs Pagefind (the cargo feature `search`); choosing and preparing the
//! pages is plain Rust. Pagefind's API is async: it runs on a current-thread runtime made for
//! this stage only.

use std::collections::{BTreeMap, HashMap};

use crate::diag::Diagnostic;
use crate::facts::{Fact, FactValue};
use crate::markdown::{escape_attr, escape_text};
use crate::render::Artifact;
use crate::site::{Page, PageKind, Site};

/// Whether this build of factbook indexes sites (the cargo feature `search`).
pub const ENABLED: bool = cfg!(feature = "search");

/// Where the bundle goes in the output, and the search page's path.
pub const BUNDLE_DIR: &str = "pagefind";
pub const PAGE_PATH: &str = "search/";

/// One page as Pagefind is given it: a small HTML document holding the page's main content
/// (`data-pagefind-body`), its title, language and filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchDoc {
    /// The page's URL, with the site's base path.
    pub url: String,
    pub html: String,
}

/// The facets every indexed page can have, computed once per site.
pub struct Facets<'a> {
    site: &'a Site,
    /// Section directory → its title.
    section_titles: HashMap<&'a str, &'a str>,
}

impl<'a> Facets<'a> {
    pub fn new(site: &'a Site) -> Facets<'a> {
        let section_titles = site
            .pages
            .iter()
            .filter_map(|p| match p.kind {
                PageKind::Section(s) if !site.sections[s].dir.is_empty() => {
                    Some((site.sections[s].dir.as_str(), p.title.as_str()))
                }
                _ => None,
            })
            .collect();
        Facets {
            site,
            section_titles,
        }
    }

    /// Whether a page is indexed: the Markdown pages (articles, fact sheets, other pages).
    /// Generated pages (tables, pairs, facets, rankings, tag lists) repeat what the sheets
    /// say and would crowd the results.
    pub fn indexed(page: &Page) -> bool {
        matches!(page.kind, PageKind::Doc(_))
    }

    /// The filters of doc `d`: filter name → values, in a stable order.
    pub fn filters(&self, d: usize) -> BTreeMap<String, Vec<String>> {
        let site = self.site;
        let doc = &site.docs[d];
        let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
        if let Some(title) = self.section_titles.get(doc.dir.as_str()) {
            out.insert("Section".into(), vec![(*title).to_string()]);
        }
        if !doc.front.tags.is_empty() {
            out.insert("Tags".into(), doc.front.tags.clone());
        }
        if let Some((c, e)) = site.doc_entries[d] {
            let coll = &site.collections[c];
            for (f, field) in coll.spec.fields.iter().enumerate() {
                if !field.ty.is_facet() {
                    continue;
                }
                let Some(Some(Fact::Known { value, .. })) = coll.entries[e].facts.get(f) else {
                    continue;
                };
                let mut values = Vec::new();
                let mut push = |v: &FactValue| {
                    if let FactValue::Enum(s) | FactValue::Ref(s) = v {
                        values.push(crate::compare::facet_label(site, field, s));
                    }
                };
                match value {
                    FactValue::List(items) => items.iter().for_each(&mut push),
                    v => push(v),
                }
                if !values.is_empty() {
                    out.entry(field.label.clone()).or_default().extend(values);
                }
            }
        }
        out
    }

    /// What Pagefind is given for page `page` (a doc page) rendered as `html`.
    pub fn prepare(&self, page: &Page, html: &str) -> Option<SearchDoc> {
        let PageKind::Doc(d) = page.kind else {
            return None;
        };
        let site = self.site;
        let main = main_content(html);
        let mut out = String::with_capacity(main.len() + 512);
        out.push_str("<!doctype html><html lang=\"");
        out.push_str(&escape_attr(&site.config.language));
        out.push_str("\"><head><title>");
        out.push_str(&escape_text(&page.title));
        out.push_str("</title></head><body><div data-pagefind-body>");
        out.push_str("<span data-pagefind-meta=\"title\" data-pagefind-ignore hidden>");
        out.push_str(&escape_text(&page.title));
        out.push_str("</span>");
        for (name, values) in self.filters(d) {
            // Pagefind reads `name[content]`: a name may not hold the characters of that syntax.
            let name: String = name
                .chars()
                .map(|c| {
                    if matches!(c, ',' | ':' | '[' | ']') {
                        ' '
                    } else {
                        c
                    }
                })
                .collect();
            for v in values {
                out.push_str("<meta data-pagefind-filter=\"");
                out.push_str(&escape_attr(name.trim()));
                out.push_str("[content]\" content=\"");
                out.push_str(&escape_attr(&v));
                out.push_str("\">");
            }
        }
        out.push_str(main);
        out.push_str("</div></body></html>");
        Some(SearchDoc {
            url: site.url(&page.path),
            html: out,
        })
    }
}

/// The inside of a page's first `<main>` element (the theme's content, without the header,
/// navigation and footer); the whole page when it has none.
fn main_content(html: &str) -> &str {
    let Some(open) = html.find("<main") else {
        return html;
    };
    let Some(start) = html[open..].find('>').map(|i| open + i + 1) else {
        return html;
    };
    match html.rfind("</main>") {
        Some(end) if end >= start => &html[start..end],
        _ => &html[start..],
    }
}

/// Builds the index of `docs` and returns the bundle's files, under `pagefind/`.
///
/// The docs are indexed in URL order, so that the same site gives the same bytes.
#[cfg(feature = "search")]
pub fn index(mut docs: Vec<SearchDoc>) -> Result<Vec<Artifact>, Diagnostic> {
    use pagefind::api::PagefindIndex;
    use pagefind::options::PagefindServiceConfig;

    fn fail(what: &str, e: impl std::fmt::Display) -> Diagnostic {
        Diagnostic::error("search", format!("cannot build the search index: {what}: {e}"))
            .help("this is a bug in factbook or Pagefind; build factbook with `--no-default-features --features serve` to leave search out")
    }
    docs.sort_by(|a, b| a.url.cmp(&b.url));
    docs.dedup_by(|a, b| a.url == b.url);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| fail("no runtime", e))?;
    runtime.block_on(async move {
        let options = PagefindServiceConfig::builder().build();
        let mut index = PagefindIndex::new(Some(options)).map_err(|e| fail("options", e))?;
        for doc in docs {
            index
                .add_html_file(None, Some(doc.url.clone()), doc.html)
                .await
                .map_err(|e| fail(&doc.url, e))?;
        }
        let mut files = index.get_files().await.map_err(|e| fail("writing", e))?;
        files.sort_by(|a, b| a.filename.cmp(&b.filename));
        Ok(files
            .into_iter()
            .map(|f| Artifact {
                path: format!("{BUNDLE_DIR}/{}", f.filename.to_string_lossy()),
                content: crate::render::ArtifactContent::Bytes(f.contents),
                page: None,
            })
            .collect())
    })
}

/// Without the `search` feature there is no index.
#[cfg(not(feature = "search"))]
pub fn index(_docs: Vec<SearchDoc>) -> Result<Vec<Artifact>, Diagnostic> {
    Ok(Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn main_content_is_what_the_main_element_holds() {
        let page = "<header>nav</header><main id=\"main\" class=\"wrap\">\n<h1>T</h1>\n</main><footer>f</footer>";
        assert_eq!(main_content(page), "\n<h1>T</h1>\n");
        assert_eq!(main_content("<p>no main</p>"), "<p>no main</p>");
    }
}
