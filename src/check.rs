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

/// Scans the tags of an HTML page for link (`href`, `src`) and anchor (`id`, `name`)
/// attributes, as a browser's tokenizer reads them: text between tags (inline code showing
/// `<a href="…">` as `&lt;a href=…`) and comments are skipped, the content of `script`,
/// `style`, `textarea` and `title` is text, and values may be double-quoted, single-quoted or
/// unquoted. Values are returned as written (entities not decoded). One pass from one `<` to the
/// next (memchr-fast); the text between tags is never looked at byte by byte.
fn scan_attributes(html: &str) -> Scanned<'_> {
    let bytes = html.as_bytes();
    let mut out = Scanned::default();
    let mut at = 0;
    while let Some(lt) = find_byte(html, at, b'<') {
        at = lt + 1;
        let rest = &bytes[lt + 1..];
        match rest.first() {
            Some(b'!') => {
                at = if rest.starts_with(b"!--") {
                    // `<!-->` and `<!--->` close at once, as browsers read them.
                    let body = lt + 4;
                    if html[body..].starts_with('>') {
                        body + 1
                    } else if html[body..].starts_with("->") {
                        body + 2
                    } else {
                        html[body..]
                            .find("-->")
                            .map_or(html.len(), |e| body + e + 3)
                    }
                } else {
                    skip_to_gt(html, lt + 1)
                };
            }
            Some(b'?' | b'/') => at = skip_to_gt(html, lt + 1),
            Some(c) if c.is_ascii_alphabetic() => {
                let (end, name_end) = scan_tag(html, lt + 1, &mut out);
                at = end;
                let name = &bytes[lt + 1..name_end];
                if matches!(name.len(), 5 | 6 | 8) && matches!(name[0] | 0x20, b's' | b't') {
                    for raw_text in [&b"script"[..], b"style", b"textarea", b"title"] {
                        if name.eq_ignore_ascii_case(raw_text) {
                            at = skip_raw_text(html, at, raw_text);
                            break;
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Where the next `b` is from `from`. Many gaps in HTML (end tags, attribute values, between
/// tags) are short, where a byte loop beats memchr's setup; long ones (prose) go to memchr.
#[inline(always)]
fn find_byte(html: &str, from: usize, b: u8) -> Option<usize> {
    let bytes = html.as_bytes();
    let mut near = bytes.len().min(from + 64);
    if let Some(i) = bytes[from..near].iter().position(|&x| x == b) {
        return Some(from + i);
    }
    // `b` is ASCII, so it cannot be inside the character that `near` may split.
    while !html.is_char_boundary(near) {
        near += 1;
    }
    html[near..].find(b as char).map(|i| near + i)
}

/// The byte after the next `>` from `from` (the end of the input if none).
fn skip_to_gt(html: &str, from: usize) -> usize {
    find_byte(html, from, b'>').map_or(html.len(), |i| i + 1)
}

/// Past the end tag `</name` of a raw-text element's content that starts at `from`.
fn skip_raw_text(html: &str, from: usize, name: &[u8]) -> usize {
    let bytes = html.as_bytes();
    let mut at = from;
    while let Some(i) = html[at..].find("</") {
        let start = at + i + 2;
        let end = start + name.len();
        if end <= bytes.len() && bytes[start..end].eq_ignore_ascii_case(name) {
            return skip_to_gt(html, end);
        }
        at = start;
    }
    html.len()
}

/// Reads a start tag whose name starts at `from`, pushing its link and anchor attributes;
/// returns where the tag ends (after its `>`) and where its name ends.
fn scan_tag<'a>(html: &'a str, from: usize, out: &mut Scanned<'a>) -> (usize, usize) {
    let bytes = html.as_bytes();
    let len = bytes.len();
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
    let mut i = from;
    while i < len && !is_space(bytes[i]) && bytes[i] != b'/' && bytes[i] != b'>' {
        i += 1;
    }
    let name_end = i;
    loop {
        while i < len && (is_space(bytes[i]) || bytes[i] == b'/') {
            i += 1;
        }
        if i >= len {
            return (len, name_end);
        }
        if bytes[i] == b'>' {
            return (i + 1, name_end);
        }
        // An attribute name runs to a space, `/`, `>` or `=` (a leading `=` belongs to it).
        let name_start = i;
        i += 1;
        while i < len && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let name = &bytes[name_start..i];
        while i < len && is_space(bytes[i]) {
            i += 1;
        }
        if i >= len || bytes[i] != b'=' {
            continue;
        }
        i += 1;
        while i < len && is_space(bytes[i]) {
            i += 1;
        }
        let value = match bytes.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let start = i + 1;
                // memchr-fast: values (class lists, SVG paths, styles) are most of a tag.
                let end = find_byte(html, start, q).unwrap_or(len);
                i = (end + 1).min(len);
                &html[start..end]
            }
            Some(_) => {
                let start = i;
                while i < len && !is_space(bytes[i]) && bytes[i] != b'>' {
                    i += 1;
                }
                &html[start..i]
            }
            None => return (len, name_end),
        };
        if !(2..=4).contains(&name.len()) {
            continue;
        }
        if name.eq_ignore_ascii_case(b"href") || name.eq_ignore_ascii_case(b"src") {
            out.links.push(value);
        } else if name.eq_ignore_ascii_case(b"id") || name.eq_ignore_ascii_case(b"name") {
            out.ids.push(value);
        }
    }
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

/// Character references decoded: numeric ones (`&#x2F;`, `&#47;`) and the named ones that
/// matter in URLs and ids. Others are left as written.
fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match character_reference(after) {
            Some((c, used)) => {
                out.push(c);
                rest = &after[used..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The character a reference after `&` stands for, and how many bytes it takes.
fn character_reference(s: &str) -> Option<(char, usize)> {
    if let Some(num) = s.strip_prefix('#') {
        let (digits, radix, skip) = match num.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 2),
            None => (num, 10, 1),
        };
        let len = digits
            .bytes()
            .take_while(|b| (*b as char).is_digit(radix))
            .count();
        if len == 0 || len > 8 {
            return None;
        }
        let n = u32::from_str_radix(&digits[..len], radix).ok()?;
        let c = char::from_u32(n)
            .filter(|&c| c != '\0')
            .unwrap_or('\u{fffd}');
        let semi = usize::from(digits[len..].starts_with(';'));
        return Some((c, skip + len + semi));
    }
    const NAMED: &[(&str, char)] = &[
        ("amp;", '&'),
        ("lt;", '<'),
        ("gt;", '>'),
        ("quot;", '"'),
        ("apos;", '\''),
        ("sol;", '/'),
        ("colon;", ':'),
        ("num;", '#'),
        ("quest;", '?'),
        ("equals;", '='),
        ("period;", '.'),
        ("percnt;", '%'),
        ("nbsp;", '\u{a0}'),
    ];
    NAMED
        .iter()
        .find(|(name, _)| s.starts_with(name))
        .map(|&(name, c)| (c, name.len()))
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
        if leaves_the_site(&decode_entities(l)) || !seen.insert(l) {
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
                    _ => anchor_help(site, Some(di), &rendered),
                };
                return d
                    .label(Span::new(docu.source, l.span.clone()), "this link")
                    .help(help);
            }
        }
        if let Some(at) = sources.text(docu.source).find(raw) {
            return d
                .label(Span::new(docu.source, at..at + raw.len()), "")
                .help(anchor_help(site, Some(di), link));
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

/// What to do about a broken link written in the doc `from`.
fn anchor_help(site: &Site, from: Option<usize>, link: &str) -> String {
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
        .filter(|(d, _)| {
            // A same-page `#anchor` is one of this page's ids, never another page's.
            if path.is_empty() {
                Some(*d) == from
            } else {
                site.doc_url(*d) == path
            }
        })
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
    fn attributes_are_read_from_tags_only_with_any_quoting() {
        // Issue 13: inline code showing a link was checked as one, single-quoted and unquoted
        // values were never checked, and comments were read.
        let html = concat!(
            "<p><code>&lt;a href=\"/x/\"&gt;</code> a=\"b\" href=\"/text/\"</p>",
            "<!-- <a href=\"/commented/\"> --><!--><a href='/single/' data-x=\"1\">s</a>",
            "<a class=x href=/unquoted/>u</a><A HREF = \"/upper/\">",
            "<script>var s = '<a href=\"/in-script/\">';</script><style>a[href=\"/css/\"]{}</style>",
            "<img alt='it\"s' src=\"/p.png\"/><h2 id='sq'>x</h2><br/><input name=q disabled>",
            "<a data-href=\"/not-a-link/\" title='a > b' href=\"/after-gt/\">",
        );
        let s = scan_attributes(html);
        assert_eq!(
            s.links,
            ["/single/", "/unquoted/", "/upper/", "/p.png", "/after-gt/"]
        );
        assert_eq!(s.ids, ["sq", "q"]);
    }

    #[test]
    fn entity_encoded_urls_are_decoded_before_deciding_where_they_lead() {
        assert_eq!(
            decode_entities("https:&#x2F;&#x2F;example.org&#47;a?b=1&amp;c=2"),
            "https://example.org/a?b=1&c=2"
        );
        assert_eq!(decode_entities("javascript&colon;x"), "javascript:x");
        assert_eq!(
            decode_entities("a&b &unknown; &#xZZ;"),
            "a&b &unknown; &#xZZ;"
        );
        let page = scan_page(
            "<a href=\"https:&#x2F;&#x2F;example.org&#x2F;\">e</a><a href=\"&#x2F;in&#x2F;\">i</a>",
        );
        assert_eq!(page.links().collect::<Vec<_>>(), ["&#x2F;in&#x2F;"]);
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
