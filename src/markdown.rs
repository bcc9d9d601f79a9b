//! Markdown: scanned once at parse time (links, headings, words), rendered to HTML at render
//! time with links rewritten to permalinks.
//!
//! Both passes assign heading ids with the same `HeadingIds`, so an anchor checked at resolve
//! time is the anchor rendered. Rendering never reads files; links are resolved by a closure the
//! caller gives, built over the resolved `Site`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd,
};
use serde::Serialize;

use crate::config::MarkdownOptions;

/// A link or image destination found in a body, with its span in the file.
#[derive(Debug, Clone)]
pub struct LinkRef {
    pub dest: String,
    pub span: Range<usize>,
    pub is_image: bool,
}

/// A heading and the id it renders with.
#[derive(Debug, Clone, Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// What the parse stage learns from a body.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    pub links: Vec<LinkRef>,
    pub headings: Vec<Heading>,
    pub words: usize,
    pub has_more: bool,
}

/// One entry of a table of contents, with its subheadings.
#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// A rendered body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    /// The HTML before `<!-- more -->`, if the body has that marker.
    pub summary: Option<String>,
}

pub fn parser_options(opts: &MarkdownOptions) -> Options {
    let mut o = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM;
    if opts.smart_punctuation {
        o |= Options::ENABLE_SMART_PUNCTUATION;
    }
    o
}

/// Gives each heading a unique id: its `{#custom}` id, or a slug of its text, with `-1`, `-2`…
/// appended to repeats.
#[derive(Default)]
struct HeadingIds {
    seen: HashMap<String, usize>,
}

impl HeadingIds {
    fn assign(&mut self, custom: Option<&str>, text: &str) -> String {
        let base = match custom {
            Some(id) => id.to_string(),
            None => {
                let s = slugify(text);
                if s.is_empty() {
                    "section".to_string()
                } else {
                    s
                }
            }
        };
        let n = self.seen.entry(base.clone()).or_insert(0);
        let id = if *n == 0 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        *n += 1;
        id
    }
}

/// Lowercase letters and digits, other runs turned into single `-`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else if c == '\'' || c == '’' {
            // "What's" reads better as "whats" than "what-s".
        } else {
            dash = true;
        }
    }
    out
}

/// The parse-stage pass: links, headings and word count, no HTML.
pub fn scan(body: &str, offset: usize, opts: &MarkdownOptions) -> Scan {
    let mut scan = Scan::default();
    let mut ids = HeadingIds::default();
    let mut heading: Option<(u8, Option<String>, String)> = None;
    let mut in_code = false;
    for (event, range) in Parser::new_ext(body, parser_options(opts)).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => scan.links.push(LinkRef {
                dest: dest_url.to_string(),
                span: offset + range.start..offset + range.end,
                is_image: false,
            }),
            Event::Start(Tag::Image { dest_url, .. }) => scan.links.push(LinkRef {
                dest: dest_url.to_string(),
                span: offset + range.start..offset + range.end,
                is_image: true,
            }),
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((level as u8, id.map(|i| i.to_string()), String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, custom, title)) = heading.take() {
                    let id = ids.assign(custom.as_deref(), &title);
                    scan.headings.push(Heading { level, id, title });
                }
            }
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, title)) = &mut heading {
                    title.push_str(&t);
                }
                if !in_code {
                    scan.words += count_words(&t);
                }
            }
            Event::Html(h) | Event::InlineHtml(h) if is_more_marker(&h) => scan.has_more = true,
            _ => {}
        }
    }
    scan
}

/// Words in a text run: starts of non-whitespace runs. Byte-wise, since this runs over every
/// word of every page; non-ASCII whitespace is rare enough in prose not to matter here.
fn count_words(text: &str) -> usize {
    let mut words = 0;
    let mut in_word = false;
    for &b in text.as_bytes() {
        let space = b.is_ascii_whitespace();
        if !space && !in_word {
            words += 1;
        }
        in_word = !space;
    }
    words
}

fn is_more_marker(html: &str) -> bool {
    html.trim() == "<!-- more -->"
}

/// Builds the nested table of contents from a flat heading list.
pub fn toc(headings: &[Heading]) -> Vec<TocEntry> {
    fn insert(list: &mut Vec<TocEntry>, e: TocEntry) {
        match list.last_mut() {
            Some(last) if last.level < e.level => insert(&mut last.children, e),
            _ => list.push(e),
        }
    }
    let mut out = Vec::new();
    for h in headings {
        insert(
            &mut out,
            TocEntry {
                level: h.level,
                id: h.id.clone(),
                title: h.title.clone(),
                children: Vec::new(),
            },
        );
    }
    out
}

/// A heading being collected: level, custom id, classes and its inner events.
type HeadingBuf<'a> = (
    HeadingLevel,
    Option<CowStr<'a>>,
    Vec<CowStr<'a>>,
    Vec<Event<'a>>,
);

/// Render settings for one body.
pub struct RenderOptions<'a> {
    pub markdown: &'a MarkdownOptions,
    pub highlight_theme: &'a str,
}

/// Renders a body to HTML. `resolve` maps a link destination to its URL (None: leave as is).
pub fn render(
    body: &str,
    ro: &RenderOptions<'_>,
    resolve: &dyn Fn(&str) -> Option<String>,
) -> Rendered {
    let opts = ro.markdown;
    let mut ids = HeadingIds::default();
    let mut out: Vec<Event<'_>> = Vec::new();
    let mut summary_at: Option<usize> = None;
    let mut heading_buf: Option<HeadingBuf<'_>> = None;
    let mut code: Option<(String, String)> = None;
    let mut alerts: Vec<bool> = Vec::new();

    for event in Parser::new_ext(body, parser_options(opts)) {
        if let Some((lang, text)) = &mut code {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let html = crate::highlight::code_block(
                        text,
                        lang,
                        ro.highlight_theme,
                        opts.highlight_code,
                    );
                    out.push(Event::Html(html.into()));
                    code = None;
                }
                _ => {}
            }
            continue;
        }
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = resolve(&dest_url).map(CowStr::from).unwrap_or(dest_url);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = resolve(&dest_url).map(CowStr::from).unwrap_or(dest_url);
                Event::Start(Tag::Image {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                })
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',', '{']).next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
                continue;
            }
            Event::Start(Tag::BlockQuote(kind)) => {
                alerts.push(kind.is_some());
                match kind {
                    Some(kind) => {
                        let (class, title) = alert_words(kind);
                        Event::Html(
                            format!("<div class=\"alert alert-{class}\" role=\"note\">\n<p class=\"alert-title\">{title}</p>\n").into(),
                        )
                    }
                    None => Event::Start(Tag::BlockQuote(None)),
                }
            }
            Event::End(TagEnd::BlockQuote(kind)) => {
                if alerts.pop().unwrap_or(false) {
                    Event::Html("</div>\n".into())
                } else {
                    Event::End(TagEnd::BlockQuote(kind))
                }
            }
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                heading_buf = Some((level, id, classes, Vec::new()));
                continue;
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, custom, classes, inner)) = heading_buf.take() {
                    let mut text = String::new();
                    for e in &inner {
                        if let Event::Text(t) | Event::Code(t) = e {
                            text.push_str(t);
                        }
                    }
                    let id = ids.assign(custom.as_deref(), &text);
                    let mut open = format!("<{level} id=\"{}\"", escape_attr(&id));
                    if !classes.is_empty() {
                        let _ = write!(open, " class=\"{}\"", escape_attr(&classes.join(" ")));
                    }
                    open.push('>');
                    out.push(Event::Html(open.into()));
                    out.extend(inner);
                    let mut close = String::new();
                    if opts.heading_anchors {
                        let _ = write!(
                            close,
                            " <a class=\"heading-anchor\" href=\"#{}\" aria-label=\"Link to section: {}\">#</a>",
                            escape_attr(&id),
                            escape_attr(&text)
                        );
                    }
                    let _ = writeln!(close, "</{level}>");
                    out.push(Event::Html(close.into()));
                }
                continue;
            }
            Event::Html(h) | Event::InlineHtml(h) if is_more_marker(&h) => {
                summary_at.get_or_insert(out.len());
                continue;
            }
            other => other,
        };
        match &mut heading_buf {
            Some((_, _, _, inner)) => inner.push(event),
            None => out.push(event),
        }
    }

    let mut html = String::with_capacity(body.len() * 3 / 2);
    let summary = match summary_at {
        Some(at) => {
            let rest = out.split_off(at);
            pulldown_cmark::html::push_html(&mut html, out.into_iter());
            let summary = html.clone();
            pulldown_cmark::html::push_html(&mut html, rest.into_iter());
            Some(summary)
        }
        None => {
            pulldown_cmark::html::push_html(&mut html, out.into_iter());
            None
        }
    };
    Rendered { html, summary }
}

fn alert_words(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// Escapes text for an HTML attribute value in double quotes.
pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes text for HTML element content.
pub fn escape_text(s: &str) -> String {
    escape_attr(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> MarkdownOptions {
        MarkdownOptions {
            smart_punctuation: true,
            heading_anchors: true,
            highlight_code: true,
        }
    }

    fn render_plain(md: &str) -> Rendered {
        let o = opts();
        render(
            md,
            &RenderOptions {
                markdown: &o,
                highlight_theme: "InspiredGitHub",
            },
            &|d| d.strip_suffix(".md").map(|s| format!("/{s}/")),
        )
    }

    #[test]
    fn slugs_are_lowercase_and_dashed() {
        assert_eq!(
            slugify("What “open source” means"),
            "what-open-source-means"
        );
        assert_eq!(slugify("Llama 3.1: 405B"), "llama-3-1-405b");
        assert_eq!(slugify("What's new?"), "whats-new");
    }

    #[test]
    fn scan_and_render_agree_on_heading_ids() {
        let md = "## Intro\n\n## Intro\n\n### Custom {#mine}\n";
        let s = scan(md, 0, &opts());
        let ids: Vec<_> = s.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["intro", "intro-1", "mine"]);
        let html = render_plain(md).html;
        assert!(
            html.contains("<h2 id=\"intro\">Intro <a class=\"heading-anchor\" href=\"#intro\"")
        );
        assert!(html.contains("<h2 id=\"intro-1\">"));
        assert!(html.contains("<h3 id=\"mine\">Custom"));
    }

    #[test]
    fn links_are_found_with_spans_and_rewritten() {
        let md = "See [x](other.md) and ![i](pic.png).";
        let s = scan(md, 10, &opts());
        assert_eq!(s.links[0].dest, "other.md");
        assert_eq!(s.links[0].span, 14..27);
        assert!(s.links[1].is_image);
        assert!(render_plain(md).html.contains("href=\"/other/\""));
    }

    #[test]
    fn summary_stops_at_the_more_marker() {
        let r = render_plain("First.\n\n<!-- more -->\n\nSecond.\n");
        assert_eq!(r.summary.as_deref(), Some("<p>First.</p>\n"));
        assert!(r.html.contains("Second."));
        assert!(scan("a\n\n<!-- more -->\n", 0, &opts()).has_more);
    }

    #[test]
    fn github_alerts_become_labelled_notes() {
        let html = render_plain("> [!WARNING]\n> Mind the gap.\n").html;
        assert!(html.contains("<div class=\"alert alert-warning\" role=\"note\">"));
        assert!(html.contains("<p class=\"alert-title\">Warning</p>"));
        assert!(html.contains("Mind the gap."));
    }

    #[test]
    fn extensions_render() {
        let html = render_plain("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ \"quoted\"\n\n- [x] done\n\nNote[^1].\n\n[^1]: Footnote.\n").html;
        assert!(html.contains("<table>"));
        assert!(html.contains("<del>old</del>"));
        assert!(html.contains("“quoted”"));
        assert!(html.contains("type=\"checkbox\""));
        assert!(html.contains("footnote-definition"));
    }

    #[test]
    fn words_are_counted_like_split_whitespace() {
        for t in ["", "one", " two  words ", "tabs\tand\nlines", "naïve café"] {
            assert_eq!(count_words(t), t.split_whitespace().count(), "{t:?}");
        }
    }

    #[test]
    fn toc_nests_by_level() {
        let s = scan("## A\n### A1\n### A2\n## B\n", 0, &opts());
        let t = toc(&s.headings);
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].children.len(), 2);
    }
}
