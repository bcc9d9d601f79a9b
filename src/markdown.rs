//! Markdown: one pulldown-cmark pass per body, at parse time, gives both what the site needs to
//! know (links, headings, words: `Scan`) and the HTML (`Prerendered`), with the place of every
//! link and image destination in it. Once the site is resolved, `Prerendered::resolve` splices
//! each destination's permalink into those places: the body is never parsed twice.
//!
//! Rendering never reads files; links are resolved by a closure the caller gives, built over the
//! resolved `Site`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::rc::Rc;

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag,
    TagEnd,
};
use serde::Serialize;

use crate::config::{HeadingIdScheme, MarkdownOptions};

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
    /// Other generators' shortcodes and directives, which come out as written.
    pub foreign: Vec<ForeignSyntax>,
}

/// A shortcode or directive of another generator found in a body (`{{ resize_image(…) }}`,
/// `{{#include …}}`): factbook does not run it, so it is shown as written.
#[derive(Debug, Clone, PartialEq)]
pub struct ForeignSyntax {
    /// Its span in the file.
    pub span: Range<usize>,
    /// What it is, e.g. "a Zola shortcode".
    pub syntax: &'static str,
    /// How it starts, e.g. `{{ resize_image(…) }}`.
    pub name: String,
    /// What to write instead.
    pub help: &'static str,
}

/// Finds other generators' shortcodes that start in `text[..within]` (a text event; the
/// shortcode may run on past it, into text that smart punctuation split off), `text` starting
/// at `offset` in the file. In code
/// (`in_code`), only mdBook's `{{#…}}` directives count: Zola's and Hugo's shortcodes are often
/// shown there as examples, mdBook's `{{#include}}` is used there.
fn find_foreign(
    text: &str,
    within: usize,
    offset: usize,
    in_code: bool,
    out: &mut Vec<ForeignSyntax>,
) {
    const SHORTCODE_HELP: &str = "write the Markdown or HTML it stands for (an image is `![alt](file.png)`), or put it in backticks to show it as code";
    const INCLUDE_HELP: &str =
        "paste the text it includes, or put it in backticks to show it as code";
    let mut from = 0;
    while let Some(i) = text[from..within].find('{') {
        let at = from + i;
        from = at + 1;
        let rest = &text[at..];
        let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
        let word = |s: &str| -> String {
            s.trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
                .collect()
        };
        let (syntax, name, close, help) = if let Some(r) = line.strip_prefix("{{#") {
            let w = word(r);
            if w.is_empty() {
                continue;
            }
            (
                "an mdBook directive",
                format!("{{{{#{w} …}}}}"),
                "}}",
                INCLUDE_HELP,
            )
        } else if in_code {
            continue;
        } else if let Some(r) = line
            .strip_prefix("{{<")
            .or_else(|| line.strip_prefix("{{%"))
        {
            let w = word(r.trim_start_matches('/'));
            if w.is_empty() {
                continue;
            }
            let c = if line.starts_with("{{<") {
                ">}}"
            } else {
                "%}}"
            };
            let name = format!("{}{w} …{c}", &line[..3]);
            ("a Hugo shortcode", name, c, SHORTCODE_HELP)
        } else if let Some(r) = line.strip_prefix("{{").or_else(|| line.strip_prefix("{%")) {
            let w = word(r);
            let after = r.trim_start()[w.len()..].trim_start();
            if w.is_empty() || !after.starts_with('(') {
                continue;
            }
            let (open, c) = if line.starts_with("{{") {
                ("{{", "}}")
            } else {
                ("{%", "%}")
            };
            (
                "a Zola shortcode",
                format!("{open} {w}(…) {c}"),
                c,
                SHORTCODE_HELP,
            )
        } else {
            continue;
        };
        let Some(end) = line.find(close) else {
            continue;
        };
        let len = end + close.len();
        out.push(ForeignSyntax {
            span: offset + at..offset + at + len,
            syntax,
            name,
            help,
        });
        from = (at + len).min(within);
    }
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
    scheme: HeadingIdScheme,
    seen: HashMap<String, usize>,
}

impl HeadingIds {
    fn assign(&mut self, custom: Option<&str>, text: &str) -> String {
        let base = match custom {
            Some(id) => id.to_string(),
            None => {
                let s = heading_slug(self.scheme, text);
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

/// The id a heading's text gets under `scheme`, before repeats are numbered.
pub fn heading_slug(scheme: HeadingIdScheme, text: &str) -> String {
    match scheme {
        HeadingIdScheme::Factbook => slugify(text),
        HeadingIdScheme::Github => github_slug(text),
    }
}

/// GitHub's heading ids (as its `github-slugger` makes them): lowercase, letters, digits, `-`
/// and `_` kept, each space a `-`, everything else dropped. Runs of `-` are not merged.
pub fn github_slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            out.extend(c.to_lowercase());
        } else if c == ' ' {
            out.push('-');
        }
    }
    out
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

/// Words in a text run: starts of non-whitespace runs. Byte-wise, since this runs over every
/// word of every page; non-ASCII whitespace is rare enough in prose not to matter here.
fn count_words(text: &str) -> usize {
    // A word starts at each non-space byte after a space (or at the start): counted over byte
    // pairs without branches, which the compiler vectorizes.
    fn space(b: u8) -> bool {
        b == b' ' || (b'\t'..=b'\r').contains(&b) && b != 0x0b
    }
    let bytes = text.as_bytes();
    let Some(&first) = bytes.first() else {
        return 0;
    };
    let starts: usize = bytes
        .iter()
        .zip(&bytes[1..])
        .map(|(&prev, &b)| usize::from(space(prev) & !space(b)))
        .sum();
    starts + usize::from(!space(first))
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

/// A body rendered before its links could be resolved.
#[derive(Debug, Clone, Default)]
pub struct Prerendered {
    html: String,
    /// Where the summary (the HTML before `<!-- more -->`) ends, if the body has that marker.
    summary_len: Option<usize>,
    /// Each link and image destination as written, in order of `at`.
    slots: Vec<Slot>,
}

/// A destination in `Prerendered::html`: `html[at..at + len]` is the escaped `dest`.
#[derive(Debug, Clone)]
struct Slot {
    at: usize,
    len: usize,
    dest: String,
}

impl Prerendered {
    /// The HTML with every destination that `resolve` maps replaced by its URL.
    pub fn resolve(&self, resolve: &dyn Fn(&str) -> Option<String>) -> Rendered {
        let mut html = String::with_capacity(self.html.len() + self.slots.len() * 16);
        let mut last = 0;
        let mut summary_end = None;
        for slot in &self.slots {
            let Some(url) = resolve(&slot.dest) else {
                continue;
            };
            if let Some(end) = self.summary_len.filter(|&e| e <= slot.at) {
                summary_end.get_or_insert_with(|| html.len() + (end - last));
            }
            html.push_str(&self.html[last..slot.at]);
            let _ = pulldown_cmark_escape::escape_href(&mut html, &url);
            last = slot.at + slot.len;
        }
        if let Some(end) = self.summary_len {
            summary_end.get_or_insert_with(|| html.len() + (end - last));
        }
        html.push_str(&self.html[last..]);
        let summary = summary_end.map(|e| html[..e].to_string());
        Rendered { html, summary }
    }
}

/// A `fmt::Write` into a buffer that the event iterator can also read, to learn where each
/// event's HTML starts.
struct SharedBuf(Rc<RefCell<String>>);

impl std::fmt::Write for SharedBuf {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.borrow_mut().push_str(s);
        Ok(())
    }
}

/// Writes `events` as HTML after what `buf` holds, and returns the destinations of the links
/// and images written, as slots. pulldown-cmark writes an event's HTML before it takes the next
/// one, so the buffer's length when a link starts is where its `<a href="` starts.
fn write_html(buf: &Rc<RefCell<String>>, events: Vec<Event<'_>>) -> Vec<Slot> {
    // (where the tag starts, the tag's text up to the destination, the destination)
    let starts: RefCell<Vec<(usize, &'static str, String)>> = RefCell::new(Vec::new());
    let tracked = events.into_iter().inspect(|e| {
        let found = match e {
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                dest_url,
                ..
            }) => Some(("<a href=\"mailto:", dest_url)),
            Event::Start(Tag::Link { dest_url, .. }) => Some(("<a href=\"", dest_url)),
            Event::Start(Tag::Image { dest_url, .. }) => Some(("<img src=\"", dest_url)),
            _ => None,
        };
        if let Some((prefix, dest)) = found {
            let at = buf.borrow().len();
            starts.borrow_mut().push((at, prefix, dest.to_string()));
        }
    });
    let _ = pulldown_cmark::html::write_html_fmt(SharedBuf(Rc::clone(buf)), tracked);
    let html = buf.borrow();
    starts
        .into_inner()
        .into_iter()
        .filter_map(|(at, prefix, dest)| {
            let mut escaped = String::new();
            let _ = pulldown_cmark_escape::escape_href(&mut escaped, &dest);
            let rest = html.get(at..)?.strip_prefix(prefix)?;
            // A link inside an image's alt text is written as text only: no slot.
            rest.starts_with(escaped.as_str()).then(|| Slot {
                at: at + prefix.len(),
                len: escaped.len(),
                dest,
            })
        })
        .collect()
}

thread_local! {
    /// Each parsing thread's buffer for a body's HTML, grown once to the largest body.
    static HTML_BUF: std::cell::Cell<String> = const { std::cell::Cell::new(String::new()) };
}

/// The parse-time pass over a body: links (with their spans in the file, the body starting at
/// `offset`), headings, words, and the HTML with its destinations still to resolve.
pub fn prerender(body: &str, offset: usize, ro: &RenderOptions<'_>) -> (Scan, Prerendered) {
    let opts = ro.markdown;
    let mut scan = Scan::default();
    let mut ids = HeadingIds {
        scheme: opts.heading_ids,
        ..HeadingIds::default()
    };
    // About one event per 16 bytes of prose: sized once, not grown by copying.
    let mut out: Vec<Event<'_>> = Vec::with_capacity(body.len() / 16 + 16);
    let mut summary_at: Option<usize> = None;
    let mut heading_buf: Option<HeadingBuf<'_>> = None;
    let mut code: Option<(String, String)> = None;
    let mut alerts: Vec<bool> = Vec::new();

    for (event, range) in Parser::new_ext(body, parser_options(opts)).into_offset_iter() {
        if let Some((lang, text)) = &mut code {
            match event {
                Event::Text(t) => {
                    if t.contains("{{#") {
                        find_foreign(
                            &body[range.start..],
                            range.len(),
                            offset + range.start,
                            true,
                            &mut scan.foreign,
                        );
                    }
                    text.push_str(&t)
                }
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
            Event::Start(Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. }) => {
                scan.links.push(LinkRef {
                    dest: dest_url.to_string(),
                    span: offset + range.start..offset + range.end,
                    is_image: matches!(event, Event::Start(Tag::Image { .. })),
                });
                event
            }
            Event::Text(ref t) => {
                scan.words += count_words(t);
                if t.contains('{') {
                    find_foreign(
                        &body[range.start..],
                        range.len(),
                        offset + range.start,
                        false,
                        &mut scan.foreign,
                    );
                }
                event
            }
            Event::Code(ref t) => {
                scan.words += count_words(t);
                event
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
                    scan.headings.push(Heading {
                        level: level as u8,
                        id,
                        title: text,
                    });
                }
                continue;
            }
            Event::Html(ref h) | Event::InlineHtml(ref h) if is_more_marker(h) => {
                scan.has_more = true;
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

    let mut start = HTML_BUF.take();
    start.reserve(body.len() * 3 / 2);
    let buf = Rc::new(RefCell::new(start));
    let (mut slots, summary_len) = match summary_at {
        Some(at) => {
            let rest = out.split_off(at);
            let mut slots = write_html(&buf, out);
            let summary_len = buf.borrow().len();
            slots.extend(write_html(&buf, rest));
            (slots, Some(summary_len))
        }
        None => (write_html(&buf, out), None),
    };
    slots.sort_by_key(|s| s.at);
    let mut written = Rc::try_unwrap(buf).map_or_else(|b| b.borrow().clone(), RefCell::into_inner);
    // Kept until the page renders, so allocated at its exact size; the buffer is used again.
    let html = written.as_str().to_owned();
    written.clear();
    HTML_BUF.set(written);
    (
        scan,
        Prerendered {
            html,
            summary_len,
            slots,
        },
    )
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
            heading_ids: Default::default(),
        }
    }

    fn scan(md: &str, offset: usize, o: &MarkdownOptions) -> Scan {
        let ro = RenderOptions {
            markdown: o,
            highlight_theme: "InspiredGitHub",
        };
        prerender(md, offset, &ro).0
    }

    fn render_plain(md: &str) -> Rendered {
        let o = opts();
        let ro = RenderOptions {
            markdown: &o,
            highlight_theme: "InspiredGitHub",
        };
        prerender(md, 0, &ro)
            .1
            .resolve(&|d| d.strip_suffix(".md").map(|s| format!("/{s}/")))
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
    fn github_heading_ids_match_githubs() {
        // Issue 13: anchors written for GitHub (`#llama-31-405b`) were reported broken.
        let o = MarkdownOptions {
            heading_ids: HeadingIdScheme::Github,
            ..opts()
        };
        let md = "## Llama 3.1: 405B\n\n## Llama 3.1: 405B\n\n## `a_b.c/d` - e\n\n## What's new?\n\n## Ünïcode Straße\n";
        let ids: Vec<String> = scan(md, 0, &o).headings.into_iter().map(|h| h.id).collect();
        assert_eq!(
            ids,
            [
                "llama-31-405b",
                "llama-31-405b-1",
                "a_bcd---e",
                "whats-new",
                "ünïcode-straße"
            ]
        );
        // The default is unchanged.
        let ids: Vec<String> = scan(md, 0, &opts())
            .headings
            .into_iter()
            .map(|h| h.id)
            .collect();
        assert_eq!(ids[0], "llama-3-1-405b");
    }

    #[test]
    fn other_generators_shortcodes_are_found_where_they_are_run() {
        // Issue 13: these came out as literal text with no warning.
        let md = "Intro.\n\n{{ resize_image(path=\"a.png\", width=200) }}\n\n{% note(kind=\"tip\") %}\nHi\n{% end %}\n\n{{< figure src=\"x.png\" >}}\n\n```rust\n{{#include ../src/main.rs:2:5}}\n```\n\n`{{ youtube(id=\"x\") }}` and {{ page.title }} and {{/* escaped() */}}\n\n```\n{{ gist(url=\"x\") }}\n```\n";
        let found = scan(md, 100, &opts()).foreign;
        let names: Vec<(&str, &str)> = found.iter().map(|f| (f.syntax, f.name.as_str())).collect();
        assert_eq!(
            names,
            [
                ("a Zola shortcode", "{{ resize_image(…) }}"),
                ("a Zola shortcode", "{% note(…) %}"),
                ("a Hugo shortcode", "{{<figure …>}}"),
                ("an mdBook directive", "{{#include …}}"),
            ]
        );
        let first = &found[0].span;
        assert_eq!(
            &md[first.start - 100..first.end - 100],
            "{{ resize_image(path=\"a.png\", width=200) }}"
        );
        let include = &found[3].span;
        assert_eq!(
            &md[include.start - 100..include.end - 100],
            "{{#include ../src/main.rs:2:5}}"
        );
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

    /// Splicing resolved destinations into the parse-time HTML gives what rendering with the
    /// destinations replaced in the events gives (plain pulldown-cmark, for bodies without the
    /// headings, alerts and code blocks this module renders itself).
    #[test]
    fn spliced_links_match_rendering_with_resolved_destinations() {
        let resolve = |d: &str| -> Option<String> {
            match d {
                "a.md" => Some("/a-much-longer-permalink/".into()),
                "b.md#x" => Some("/b/#x".into()),
                "q&a.md" => Some("/q&a/?x='1'".into()),
                "me@example.org" => Some("someone@example.org".into()),
                _ => None,
            }
        };
        let o = MarkdownOptions {
            smart_punctuation: false,
            heading_anchors: false,
            highlight_code: false,
            heading_ids: Default::default(),
        };
        let ro = RenderOptions {
            markdown: &o,
            highlight_theme: "InspiredGitHub",
        };
        for md in [
            "[one](a.md) and [two](b.md#x \"title\") and [three](c.md).\n",
            "[![pic](a.md \"t\")](b.md#x)\n",
            "![alt with [a link](a.md) inside](q&a.md)\n",
            "<me@example.org> and <https://example.org/a.md>\n",
            "[ref][r] then [q](q&a.md)\n\n[r]: a.md\n",
            "Intro [a](a.md).\n\n<!-- more -->\n\nAfter [b](b.md#x) and [c](c.md).\n",
            "[before](a.md)\n\n<!-- more -->\n",
            "| [t](a.md) | x |\n|---|---|\n| [u](b.md#x) | ![i](a.md) |\n\nNote[^1].\n\n[^1]: See [a](a.md).\n",
        ] {
            let got = prerender(md, 0, &ro).1.resolve(&resolve);
            let events = |text: &'static str| {
                Parser::new_ext(text, parser_options(&o)).map(move |mut e| {
                    if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) =
                        &mut e
                    {
                        if let Some(u) = resolve(dest_url) {
                            *dest_url = u.into();
                        }
                    }
                    e
                })
            };
            let (before, after) = md.split_once("<!-- more -->\n").unwrap_or((md, ""));
            let mut want = String::new();
            pulldown_cmark::html::push_html(&mut want, events(before));
            let summary = (!after.is_empty() || md.contains("<!-- more -->")).then(|| want.clone());
            pulldown_cmark::html::push_html(&mut want, events(after));
            assert_eq!(got.html, want, "{md:?}");
            assert_eq!(got.summary, summary, "{md:?}");
        }
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
        for t in [
            "",
            " ",
            "one",
            " two  words ",
            "tabs\tand\nlines",
            "a\r\nb\x0cc",
            "trail ",
            "naïve café",
        ] {
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
