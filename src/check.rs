//! Check: every internal link and `#anchor` in the rendered HTML, including links that
//! templates emit, against the files and ids of the output.
//!
//! In: the `Site` and the rendered `Artifact`s. Out: diagnostics. A broken link is mapped back
//! to the Markdown link that produced it when there is one (file:line:col of the source), else
//! to the template that rendered the page.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use crate::config::HeadingIdScheme;
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::render::{Artifact, ArtifactContent};
use crate::site::{LinkTarget, PageKind, Site};
use crate::source::SourceMap;

/// Links (`href`, `src`) and anchors (`id`, `name`) of one HTML page, found in one pass.
#[derive(Default)]
struct Scanned<'a> {
    links: Vec<&'a str>,
    ids: Vec<&'a str>,
}

/// Scans for `NAME="value"` attributes preceded by a space; one pass over the bytes, from one
/// `"` to the next (memchr-fast), an attribute wherever a `"` follows `=`.
fn scan_attributes(html: &str) -> Scanned<'_> {
    let bytes = html.as_bytes();
    let mut out = Scanned::default();
    let mut from = 0;
    while let Some(i) = html[from..].find('"') {
        let quote = from + i;
        from = quote + 1;
        if quote == 0 || bytes[quote - 1] != b'=' {
            continue;
        }
        let eq = quote - 1;
        let start = quote + 1;
        let Some(len) = html[start..].find('"') else {
            break;
        };
        let name_start = bytes[..eq]
            .iter()
            .rposition(|b| !b.is_ascii_alphabetic())
            .map_or(0, |p| p + 1);
        if name_start > 0 && bytes[name_start - 1].is_ascii_whitespace() {
            let value = &html[start..start + len];
            match &bytes[name_start..eq] {
                b"href" | b"src" => out.links.push(value),
                b"id" | b"name" => out.ids.push(value),
                _ => {}
            }
        }
        from = start + len + 1;
    }
    out
}

/// Values of one attribute, for tests.
#[cfg(test)]
fn attr_values<'a>(html: &'a str, attr: &str, out: &mut Vec<&'a str>) {
    let s = scan_attributes(html);
    match attr {
        "href" | "src" => out.extend(s.links),
        _ => out.extend(s.ids),
    }
}

/// Ids of an HTML page (also `<a name>`).
#[cfg(test)]
fn ids(html: &str) -> HashSet<String> {
    scan_attributes(html)
        .ids
        .into_iter()
        .map(|i| decode_entities(i).into_owned())
        .collect()
}

fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&#39;", "'")
            .replace("&amp;", "&"),
    )
}

/// `%XX` escapes decoded (bytes, so a `%` before a multi-byte character is left as it is).
fn percent_decode(s: &str) -> Cow<'_, str> {
    if !s.contains('%') {
        return Cow::Borrowed(s);
    }
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(hi * 16 + lo);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

/// Where an output path points on disk: `a/b/` → `a/b/index.html`.
fn target_file(path: &str, files: &HashSet<&str>) -> Option<String> {
    if path.is_empty() || path.ends_with('/') {
        let f = format!("{path}index.html");
        return files.contains(f.as_str()).then_some(f);
    }
    if files.contains(path) {
        return Some(path.to_string());
    }
    let f = format!("{path}/index.html");
    files.contains(f.as_str()).then_some(f)
}

/// What the check keeps of one page: its links (one string, each link ended by a NUL, which an
/// attribute value cannot hold: one allocation a page, not one a link) and its ids (entities
/// decoded).
/// A link the check does not follow: to another site, or not to a place at all. (A `&#58;`
/// spelled scheme is decoded before this is asked.)
fn leaves_the_site(link: &str) -> bool {
    link.starts_with("data:")
        || link.starts_with("//")
        || link.contains("://")
        || link.starts_with("mailto:")
        || link.starts_with("tel:")
        || link.starts_with("javascript:")
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageScan {
    links: String,
    pub ids: HashSet<String>,
}

impl PageScan {
    /// The page's link values, in order.
    pub fn links(&self) -> impl Iterator<Item = &str> {
        self.links.split_terminator('\0')
    }
}

/// Scans one page's HTML.
pub fn scan_page(html: &str) -> PageScan {
    let sc = scan_attributes(html);
    // Only what the check reads is kept, once per page: at 10,000 fact sheets, every source
    // address of every table row (never checked: they lead off the site) and every repeat of
    // the same facet link were most of the build's memory.
    let mut seen: HashSet<&str> = HashSet::with_capacity(sc.links.len());
    let mut links = String::new();
    for l in &sc.links {
        if leaves_the_site(l) || !seen.insert(l) {
            continue;
        }
        links.push_str(l);
        links.push('\0');
    }
    links.shrink_to_fit();
    PageScan {
        links,
        ids: sc
            .ids
            .iter()
            .map(|i| decode_entities(i).into_owned())
            .collect(),
    }
}

/// Checks every internal link of every HTML artifact. `written` holds the pages scanned as they
/// were written; the HTML artifacts still in memory are scanned here.
pub fn check_output(
    site: &Site,
    artifacts: &[Artifact],
    written: &HashMap<String, PageScan>,
    sources: &SourceMap,
    templates: &HashMap<String, crate::source::SourceId>,
    diags: &mut Diagnostics,
) {
    let files: HashSet<&str> = artifacts.iter().map(|a| a.path.as_str()).collect();
    let more: Vec<(String, PageScan)> = artifacts
        .par_iter()
        .filter(|a| a.path.ends_with(".html") && !written.contains_key(&a.path))
        .filter_map(|a| match &a.content {
            ArtifactContent::Bytes(b) => std::str::from_utf8(b)
                .ok()
                .map(|s| (a.path.clone(), scan_page(s))),
            ArtifactContent::Copy(_) | ArtifactContent::Written => None,
        })
        .collect();
    let more: HashMap<String, PageScan> = more.into_iter().collect();
    let scan_of = |p: &str| written.get(p).or_else(|| more.get(p));

    let problems: Vec<Diagnostic> = artifacts
        .par_iter()
        .filter(|a| a.path.ends_with(".html"))
        .flat_map_iter(|a| {
            let Some(sc) = scan_of(&a.path) else {
                return Vec::new();
            };
            check_page(
                site,
                &a.path,
                a.page,
                sc.links(),
                &files,
                &|t| scan_of(t).map(|s| &s.ids),
                sources,
                templates,
            )
        })
        .collect();
    for d in problems {
        diags.push(d);
    }
}

/// Checks the links of one HTML page (output path `path`, from site page `page`) against the
/// output files and their ids.
#[allow(clippy::too_many_arguments)]
pub fn check_page<'l, 's>(
    site: &Site,
    path: &str,
    page: Option<usize>,
    links: impl Iterator<Item = &'l str>,
    files: &HashSet<&str>,
    id_set: &dyn Fn(&str) -> Option<&'s HashSet<String>>,
    sources: &SourceMap,
    templates: &HashMap<String, crate::source::SourceId>,
) -> Vec<Diagnostic> {
    let base = site.config.base_path.as_str();
    let mut found = Vec::new();
    let page_dir = match path.rfind('/') {
        Some(i) => &path[..=i],
        None => "",
    };
    let mut seen = HashSet::new();
    for raw in links {
        if !seen.insert(raw) {
            continue;
        }
        let link = decode_entities(raw);
        if link.is_empty() || leaves_the_site(&link) {
            continue;
        }
        let (path_part, frag) = match link.find('#') {
            Some(i) => (&link[..i], Some(percent_decode(&link[i + 1..]))),
            None => (link.as_ref(), None),
        };
        let path_part = path_part.split('?').next().unwrap_or("");
        let path_part = percent_decode(path_part);
        let target = if path_part.is_empty() {
            Some(path.to_string())
        } else if let Some(rooted) = path_part.strip_prefix(base) {
            target_file(rooted, files)
        } else if path_part.starts_with('/') {
            None
        } else {
            crate::site::normalize(page_dir.trim_end_matches('/'), &path_part)
                .map(|p| {
                    if path_part.ends_with('/') && !p.is_empty() {
                        format!("{p}/")
                    } else {
                        p
                    }
                })
                .and_then(|p| target_file(&p, files))
        };
        let problem = match (&target, &frag) {
            (None, _) => Some(format!(
                "broken link `{link}`: nothing is built at that address"
            )),
            (Some(t), Some(f)) if !f.is_empty() && t.ends_with(".html") => match id_set(t.as_str())
            {
                Some(set) if set.contains(f.as_ref()) || f == "top" => None,
                Some(_) => Some(format!(
                    "broken anchor `{link}`: `{}` has no element with id `{f}`",
                    if t == path {
                        "this page".to_string()
                    } else {
                        format!("/{t}")
                    }
                )),
                None => None,
            },
            _ => None,
        };
        if let Some(message) = problem {
            found.push(locate(
                site, path, page, raw, &link, message, sources, templates,
            ));
        }
    }
    found
}

/// The output path a link of page `path` points to, if it is a file of the output (for
/// knowing which pages a changed page's ids matter to).
pub fn link_target(site: &Site, path: &str, raw: &str, files: &HashSet<&str>) -> Option<String> {
    let link = decode_entities(raw);
    let path_part = link.split('#').next().unwrap_or("");
    let path_part = percent_decode(path_part.split('?').next().unwrap_or(""));
    if path_part.is_empty() {
        return Some(path.to_string());
    }
    if let Some(rooted) = path_part.strip_prefix(site.config.base_path.as_str()) {
        return target_file(rooted, files);
    }
    if path_part.starts_with('/') || link.contains("://") {
        return None;
    }
    let page_dir = path.rfind('/').map_or("", |i| &path[..i]);
    crate::site::normalize(page_dir, &path_part)
        .map(|p| {
            if path_part.ends_with('/') && !p.is_empty() {
                format!("{p}/")
            } else {
                p
            }
        })
        .and_then(|p| target_file(&p, files))
}

/// Finds where a broken link was written: the Markdown link that renders to it, the literal
/// in the page's source, or the template of the page.
#[allow(clippy::too_many_arguments)]
fn locate(
    site: &Site,
    a_path: &str,
    a_page: Option<usize>,
    raw: &str,
    link: &str,
    message: String,
    sources: &SourceMap,
    templates: &HashMap<String, crate::source::SourceId>,
) -> Diagnostic {
    let page = a_page.map(|p| &site.pages[p]);
    let doc = page.and_then(|p| match p.kind {
        PageKind::Doc(d) => Some(d),
        PageKind::Section(s) => site.sections[s].doc,
        _ => None,
    });
    let d = Diagnostic::error("link", message);
    if let Some(di) = doc {
        let docu = &site.docs[di];
        for l in &docu.scan.links {
            let rendered = match site.resolve_link(Some(di), &l.dest) {
                LinkTarget::Url(u) => u,
                _ => l.dest.clone(),
            };
            if rendered == link || rendered == raw {
                let path = l.dest.split(['#', '?']).next().unwrap_or("");
                let help = match site.colocated_file(di, path) {
                    Some(file) if !link.contains('#') => format!(
                        "there is no file `content/{file}`: a relative link to a file is read from the directory of the Markdown file that holds it"
                    ),
                    _ => anchor_help(site, &rendered),
                };
                return d
                    .label(Span::new(docu.source, l.span.clone()), "this link")
                    .help(help);
            }
        }
        if let Some(at) = sources.text(docu.source).find(raw) {
            return d
                .label(Span::new(docu.source, at..at + raw.len()), "")
                .help(anchor_help(site, link));
        }
    }
    if let Some(p) = page {
        if let Some(&id) = templates.get(&p.template) {
            if let Some(at) = sources.text(id).find(raw) {
                return d
                    .label(Span::new(id, at..at + raw.len()), format!("in /{a_path}"))
                    .help("fix the link in this template");
            }
            return d
                .label(Span::new(id, 0..0), format!("rendered into /{a_path}"))
                .help("a link this template builds points nowhere; check the values it uses");
        }
    }
    d.at_path(a_path.to_string())
        .help("check the generated link")
}

fn anchor_help(site: &Site, link: &str) -> String {
    let base = site.config.base_path.as_str();
    if link.starts_with('/') && !link.starts_with(base) {
        // Written for a site at the host's root, but this one lives under its base path.
        let path = link.split(['#', '?']).next().unwrap_or("");
        let under_base = format!("{base}{}", &path[1..]);
        return match (0..site.docs.len()).find(|&d| site.doc_url(d) == under_base) {
            Some(d) => format!(
                "the site lives under `{base}` (its `base_url`): write `@/{}`, which resolves wherever the site is served",
                site.docs[d].rel
            ),
            None => format!(
                "the site lives under `{base}` (its `base_url`): link with `@/` and the page's file, or a relative path"
            ),
        };
    }
    let Some(i) = link.find('#') else {
        return "link to a page that exists".into();
    };
    let path = &link[..i];
    let frag = &link[i + 1..];
    let headings: Vec<&crate::markdown::Heading> = site
        .docs
        .iter()
        .enumerate()
        .filter(|(d, _)| path.is_empty() || site.doc_url(*d) == path)
        .flat_map(|(_, doc)| doc.scan.headings.iter())
        .collect();
    if let Some(h) = headings.iter().find(|h| h.id.eq_ignore_ascii_case(frag)) {
        return format!(
            "ids are case-sensitive: the heading “{}” has the id `#{}`; write that",
            h.title, h.id
        );
    }
    let (other, other_name) = match site.config.markdown.heading_ids {
        HeadingIdScheme::Factbook => (HeadingIdScheme::Github, "GitHub's"),
        HeadingIdScheme::Github => (HeadingIdScheme::Factbook, "factbook's default"),
    };
    if let Some(h) = headings
        .iter()
        .find(|h| crate::markdown::heading_slug(other, &h.title) == frag)
    {
        return format!(
            "`#{frag}` is {other_name} id for the heading “{}”, which has the id `#{}` here: write that, or set `heading_ids = \"{}\"` under `[markdown]` in book.toml",
            h.title,
            h.id,
            other.name()
        );
    }
    let ids = headings.iter().map(|h| h.id.as_str());
    match crate::diag::did_you_mean(frag, ids) {
        Some(best) => format!("did you mean `#{best}`?"),
        None => {
            "anchors are heading ids: the heading text in lowercase, with `-` between words".into()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_values_and_ids_are_found() {
        let html =
            r#"<a href="/a/">x</a><h2 id="intro">i</h2><a name="old"></a><img src="/p.png">"#;
        let mut v = Vec::new();
        attr_values(html, "href", &mut v);
        assert_eq!(v, ["/a/", "/p.png"], "href and src, in document order");
        let set = ids(html);
        assert!(set.contains("intro") && set.contains("old"));
    }

    #[test]
    fn directory_links_need_an_index() {
        let files: HashSet<&str> = ["a/index.html", "x.css"].into_iter().collect();
        assert_eq!(target_file("a/", &files).as_deref(), Some("a/index.html"));
        assert_eq!(target_file("a", &files).as_deref(), Some("a/index.html"));
        assert_eq!(target_file("x.css", &files).as_deref(), Some("x.css"));
        assert_eq!(target_file("b/", &files), None);
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b"), "a b");
        assert_eq!(percent_decode("100%"), "100%");
        // A `%` before a multi-byte character is not an escape (this used to panic).
        assert_eq!(percent_decode("%aé"), "%aé");
        assert_eq!(percent_decode("#%é%C3%A9"), "#%éé");
    }
}
