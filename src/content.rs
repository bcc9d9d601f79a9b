//! Content files: front matter split and typed, Markdown scanned for links and headings.
//!
//! In: a source file under `content/` (its text in the `SourceMap`). Out: a `Doc` with typed
//! front matter, the raw front-matter table (for collection fields, typed later against the
//! schema), and what the body links to. No HTML is produced here.

use std::ops::Range;

use crate::date::Date;
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::markdown::{self, Scan};
use crate::source::SourceId;
use crate::value::{Reader, Spanned, Table, parse_toml, parse_yaml};

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    /// Newest first.
    Date,
    /// Lowest weight first.
    Weight,
    Title,
}

/// The built-in front-matter keys of every page and section.
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub draft: bool,
    pub weight: Option<i64>,
    pub slug: Option<Spanned<String>>,
    pub aliases: Vec<Spanned<String>>,
    pub tags: Vec<String>,
    pub template: Option<Spanned<String>>,
    pub sort_by: Option<SortBy>,
    pub extra: serde_json::Value,
    /// `last_verified`, for fact sheets.
    pub last_verified: Option<Spanned<Date>>,
    /// `compare_with`, for fact sheets: entries of the same collection to give a pair page with.
    pub compare_with: Vec<Spanned<String>>,
}

/// A parsed content file.
#[derive(Debug, Clone)]
pub struct Doc {
    pub source: SourceId,
    /// Path relative to `content/`, e.g. `models/llama-3-70b.md`.
    pub rel: String,
    /// True for `_index.md`, which describes its directory's section.
    pub is_section: bool,
    /// The directory relative to `content/` (`""` at the root).
    pub dir: String,
    pub front: FrontMatter,
    /// The front matter's raw table, kept for collection fields.
    pub table: Table,
    /// Byte range of the Markdown body in the file.
    pub body: Range<usize>,
    pub scan: Scan,
    /// The body's HTML, its links not yet resolved (shared: docs are cloned in `serve`). A
    /// build takes it out once the site is resolved, to free each as its page is rendered.
    pub pre: Option<std::sync::Arc<markdown::Prerendered>>,
}

impl Doc {
    /// The file name without `.md`.
    pub fn stem(&self) -> &str {
        let name = self.rel.rsplit('/').next().unwrap_or(&self.rel);
        name.strip_suffix(".md").unwrap_or(name)
    }
}

/// The slug of a tag's page, `tags/SLUG/`: its words lowercased and joined by `-`, as Zola and
/// Hugo make them, but with the symbols that tell tags apart spelled out, so that `C++`
/// (`c-plus-plus`) and `C#` (`c-sharp`) do not merge with `C`. Tags that differ only in case,
/// spaces or other punctuation (`Open source`, `open-source`) share a page. Empty when the tag
/// has no letters or digits (front matter refuses such tags).
pub fn tag_slug(tag: &str) -> String {
    if !tag.contains(['+', '#', '&', '@']) {
        return markdown::slugify(tag);
    }
    let mut spelled = String::with_capacity(tag.len() + 16);
    for c in tag.chars() {
        match c {
            '+' => spelled.push_str(" plus "),
            '#' => spelled.push_str(" sharp "),
            '&' => spelled.push_str(" and "),
            '@' => spelled.push_str(" at "),
            c => spelled.push(c),
        }
    }
    markdown::slugify(&spelled)
}

/// Where the front matter is in a file.
#[derive(Debug, PartialEq)]
pub enum FrontMatterBlock {
    Toml(Range<usize>),
    Yaml(Range<usize>),
    None,
}

/// Splits a file into its front-matter block and body. An opening fence without a closing one
/// is an error pointing at the fence.
pub fn split_front_matter(
    text: &str,
    source: SourceId,
    diags: &mut Diagnostics,
) -> Option<(FrontMatterBlock, Range<usize>)> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    // Zola reads front matter after blank lines (128 of the 129 theme pages of its docs start
    // with one): so does factbook, when a fence follows them.
    let blank = text[bom..].len()
        - text[bom..]
            .trim_start_matches([' ', '\t', '\r', '\n'])
            .len();
    let text_start = if blank > 0
        && text[..bom + blank].ends_with('\n')
        && (text[bom + blank..].starts_with("+++") || text[bom + blank..].starts_with("---"))
    {
        bom + blank
    } else {
        bom
    };
    let rest = &text[text_start..];
    let fence = if rest.starts_with("+++") {
        "+++"
    } else if rest.starts_with("---") {
        "---"
    } else {
        return Some((FrontMatterBlock::None, text_start..text.len()));
    };
    let first_line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
    if rest[..first_line_end].trim_end() != fence {
        return Some((FrontMatterBlock::None, text_start..text.len()));
    }
    let inner_start = text_start + first_line_end;
    let mut pos = inner_start;
    while pos < text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if text[pos..line_end].trim_end() == fence {
            let block = inner_start..pos;
            let body = line_end..text.len();
            return Some((
                if fence == "+++" {
                    FrontMatterBlock::Toml(block)
                } else {
                    FrontMatterBlock::Yaml(block)
                },
                body,
            ));
        }
        pos = line_end;
    }
    if text_start > bom {
        // After blank lines a lone `---` is more likely a rule than front matter.
        return Some((FrontMatterBlock::None, bom..text.len()));
    }
    let kind = if fence == "+++" { "TOML" } else { "YAML" };
    diags.push(
        Diagnostic::error("front-matter", format!("unclosed {kind} front matter"))
            .label(
                Span::new(source, text_start..text_start + 3),
                format!("opened here, never closed by a `{fence}` line"),
            )
            .help(format!(
                "add a line containing only `{fence}` after the last front-matter key"
            )),
    );
    None
}

const PAGE_KEYS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "draft",
    "weight",
    "slug",
    "aliases",
    "tags",
    "template",
    "extra",
];

const SECTION_KEYS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "draft",
    "weight",
    "template",
    "sort_by",
    "extra",
    "aliases",
];

/// What the caller knows about where a file belongs.
pub struct DocContext<'a> {
    /// Field names of the file's collection, if it is a fact sheet.
    pub collection_fields: Option<Vec<&'a str>>,
    pub options: &'a crate::config::MarkdownOptions,
    pub highlight_theme: &'a str,
}

/// Parses one content file into a `Doc`, pushing every problem found.
pub fn parse_doc(
    source: SourceId,
    rel: &str,
    text: &str,
    ctx: &DocContext<'_>,
    diags: &mut Diagnostics,
) -> Option<Doc> {
    let (block, body) = split_front_matter(text, source, diags)?;
    let table = match &block {
        FrontMatterBlock::Toml(r) => parse_toml(&text[r.clone()], r.start, source, diags)?,
        FrontMatterBlock::Yaml(r) => parse_yaml(&text[r.clone()], r.start, source, diags)?,
        FrontMatterBlock::None => Table::default(),
    };
    let is_section = rel == "_index.md" || rel.ends_with("/_index.md");
    let dir = rel.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    let front = parse_front_matter(&table, source, is_section, ctx, diags);
    let ro = markdown::RenderOptions {
        markdown: ctx.options,
        highlight_theme: ctx.highlight_theme,
    };
    let (scan, pre) = markdown::prerender(&text[body.clone()], body.start, &ro);
    for f in &scan.foreign {
        diags.push(
            Diagnostic::warning(
                "syntax",
                format!("`{}` is {}: factbook does not run it", f.name, f.syntax),
            )
            .label(Span::new(source, f.span.clone()), "shown as written")
            .help(f.help),
        );
    }
    let mut front = front;
    if front.title.is_none() {
        front.title = fallback_title(&scan, rel, is_section);
    }
    Some(Doc {
        source,
        rel: rel.to_string(),
        is_section,
        dir,
        front,
        table,
        body,
        scan,
        pre: Some(std::sync::Arc::new(pre)),
    })
}

/// The title of a file whose front matter gives none (RFCs, mdBook chapters, READMEs): its
/// first `# ` heading, as mdBook shows it, else its file name as written (`0001-private-fields`),
/// which is how such files are known and cited; the directory's name for an `index.md`. A section
/// without either keeps none: its listing is titled by its directory.
fn fallback_title(scan: &Scan, rel: &str, is_section: bool) -> Option<String> {
    let heading = scan
        .headings
        .iter()
        .find(|h| h.level == 1)
        .map(|h| h.title.trim())
        .filter(|t| !t.is_empty());
    if let Some(h) = heading {
        return Some(h.to_string());
    }
    if is_section {
        return None;
    }
    let mut parts = rel.rsplit('/');
    let name = parts.next().unwrap_or(rel);
    let stem = name.strip_suffix(".md").unwrap_or(name);
    match (stem, parts.next()) {
        ("index", Some(dir)) => Some(dir.to_string()),
        _ => Some(stem.to_string()),
    }
}

fn parse_front_matter(
    table: &Table,
    source: SourceId,
    is_section: bool,
    ctx: &DocContext<'_>,
    diags: &mut Diagnostics,
) -> FrontMatter {
    let what = if is_section {
        "section front matter"
    } else {
        "front matter"
    };
    let mut r = Reader::new(table, source, what);
    let date_of =
        |r: &mut Reader<'_>, key: &str, diags: &mut Diagnostics| -> Option<Spanned<Date>> {
            let s = r.date_text(key, diags)?;
            match Date::parse(&s.value) {
                Some(d) => Some(Spanned {
                    value: d,
                    span: s.span,
                }),
                None => {
                    diags.push(
                        Diagnostic::error(
                            "front-matter",
                            format!("`{key}` is not a date: `{}`", s.value),
                        )
                        .label(
                            Span::new(source, s.span),
                            "expected YYYY, YYYY-MM or YYYY-MM-DD",
                        )
                        .help("write dates like \"2024-04-18\""),
                    );
                    None
                }
            }
        };
    let mut fm = FrontMatter {
        title: r.string("title", diags).map(|s| s.value),
        description: r.string("description", diags).map(|s| s.value),
        date: date_of(&mut r, "date", diags).map(|d| d.value),
        updated: date_of(&mut r, "updated", diags).map(|d| d.value),
        draft: r.bool("draft", diags).unwrap_or(false),
        weight: r.int("weight", diags),
        template: r.string("template", diags),
        aliases: r.strings("aliases", diags).unwrap_or_default(),
        extra: r
            .take("extra")
            .map(|n| n.value.to_json())
            .unwrap_or(serde_json::Value::Null),
        ..FrontMatter::default()
    };
    fm.aliases.retain(|alias| {
        let escapes = alias.value.contains(['\\', '\0'])
            || alias.value.split('/').any(|segment| segment == "..");
        if escapes {
            diags.push(
                Diagnostic::error(
                    "front-matter",
                    format!("alias `{}` would be written outside the site", alias.value),
                )
                .label(
                    Span::new(source, alias.span.clone()),
                    "`..` is not allowed in an alias",
                )
                .help(
                    "write the old address from the site's root, e.g. `/old/page/` or `/old.html`",
                ),
            );
        }
        !escapes
    });
    if is_section {
        if let Some(s) = r.string("sort_by", diags) {
            fm.sort_by = match s.value.as_str() {
                "date" => Some(SortBy::Date),
                "weight" => Some(SortBy::Weight),
                "title" => Some(SortBy::Title),
                other => {
                    diags.push(
                        Diagnostic::error(
                            "front-matter",
                            format!("unknown `sort_by` value `{other}`"),
                        )
                        .label(
                            Span::new(source, s.span),
                            "expected `date`, `weight` or `title`",
                        )
                        .suggest(other, ["date", "weight", "title"])
                        .help("sort a section's pages with `sort_by = \"date\"`, `\"weight\"` or `\"title\"`"),
                    );
                    None
                }
            };
        }
        r.finish(SECTION_KEYS, diags);
        return fm;
    }
    fm.slug = r.string("slug", diags);
    if let Some(slug) = &fm.slug {
        if slug.value.is_empty()
            || slug.value.contains(['/', '\\', '#', '?'])
            || slug.value == "."
            || slug.value == ".."
        {
            diags.push(
                Diagnostic::error(
                    "front-matter",
                    format!("`slug` must be one path segment, found `{}`", slug.value),
                )
                .label(Span::new(source, slug.span.clone()), "")
                .help("use letters, digits and `-`; move the file to change its directory"),
            );
            fm.slug = None;
        }
    }
    fm.tags = r
        .strings("tags", diags)
        .unwrap_or_default()
        .into_iter()
        .filter(|t| {
            // A tag without letters or digits would have an empty slug: its page would be
            // written over the list of tags, `/tags/`.
            let named = t.value.chars().any(char::is_alphanumeric);
            if !named {
                diags.push(
                    Diagnostic::error(
                        "front-matter",
                        format!("tag `{}` has no letters or digits", t.value),
                    )
                    .label(Span::new(source, t.span.clone()), "")
                    .help("a tag's page address is made from its letters and digits: name the tag, or remove it"),
                );
            }
            named
        })
        .map(|s| s.value)
        .collect();
    match &ctx.collection_fields {
        Some(fields) => {
            fm.last_verified = date_of(&mut r, "last_verified", diags);
            fm.compare_with = r.strings("compare_with", diags).unwrap_or_default();
            // Collection fields are typed later against the schema; here they are only "known".
            for f in fields {
                r.take(f);
            }
            let mut known: Vec<&str> = PAGE_KEYS.to_vec();
            known.push("last_verified");
            known.push("compare_with");
            known.extend(fields.iter().copied());
            r.finish(&known, diags);
        }
        None => r.finish(PAGE_KEYS, diags),
    }
    fm
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_toml_and_yaml_front_matter() {
        let mut d = Diagnostics::new();
        let (b, body) =
            split_front_matter("+++\na = 1\n+++\nbody", SourceId(0), &mut d).expect("ok");
        assert_eq!(b, FrontMatterBlock::Toml(4..10));
        assert_eq!(body, 14..18);
        let (b, _) = split_front_matter("---\na: 1\n---\n", SourceId(0), &mut d).expect("ok");
        assert_eq!(b, FrontMatterBlock::Yaml(4..9));
        let (b, _) = split_front_matter("# no front matter", SourceId(0), &mut d).expect("ok");
        assert_eq!(b, FrontMatterBlock::None);
    }

    #[test]
    fn front_matter_after_blank_lines_is_front_matter() {
        // Issue 13: Zola's docs start 128 of 129 theme pages with a blank line.
        let mut d = Diagnostics::new();
        let (b, body) =
            split_front_matter("\n+++\na = 1\n+++\nbody", SourceId(0), &mut d).expect("ok");
        assert_eq!(b, FrontMatterBlock::Toml(5..11));
        assert_eq!(body, 15..19);
        let (b, _) = split_front_matter("\r\n\n---\na: 1\n---\n", SourceId(0), &mut d).expect("ok");
        assert_eq!(b, FrontMatterBlock::Yaml(7..12));
        // A rule after blank lines, never closed, is a rule.
        let (b, body) = split_front_matter("\n---\ntext\n", SourceId(0), &mut d).expect("ok");
        assert_eq!((b, body), (FrontMatterBlock::None, 0..10));
        assert!(d.items().is_empty());
    }

    #[test]
    fn tag_slugs_keep_symbol_named_tags_apart() {
        // Issue 13: `C++` and `C` shared the page `tags/c/`.
        assert_eq!(tag_slug("C++"), "c-plus-plus");
        assert_eq!(tag_slug("C"), "c");
        assert_eq!(tag_slug("C#"), "c-sharp");
        assert_eq!(tag_slug("R&D"), "r-and-d");
        assert_eq!(tag_slug("Open source"), "open-source");
        assert_eq!(tag_slug("open-source"), "open-source");
        assert_eq!(tag_slug("What’s new"), "whats-new");
    }

    #[test]
    fn tags_without_letters_or_digits_are_errors_at_the_tag() {
        // Issue 13: `""`, `"  "` and `"+++"` were written over `/tags/index.html`.
        let text = "+++\ntags = [\"\", \"  \", \"+++\", \"ok\"]\n+++\n";
        let options = crate::config::MarkdownOptions {
            smart_punctuation: true,
            heading_anchors: true,
            highlight_code: true,
            heading_ids: Default::default(),
        };
        let ctx = DocContext {
            collection_fields: None,
            options: &options,
            highlight_theme: "InspiredGitHub",
        };
        let mut d = Diagnostics::new();
        let doc = parse_doc(SourceId(0), "a.md", text, &ctx, &mut d).expect("parsed");
        assert_eq!(doc.front.tags, ["ok"]);
        let messages: Vec<&str> = d.items().iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "tag `` has no letters or digits",
                "tag `  ` has no letters or digits",
                "tag `+++` has no letters or digits",
            ]
        );
        assert_eq!(d.items()[2].labels[0].0.range, 22..27);
    }

    #[test]
    fn unclosed_front_matter_is_an_error_at_the_fence() {
        let mut d = Diagnostics::new();
        assert!(split_front_matter("+++\ntitle = \"x\"\nbody", SourceId(0), &mut d).is_none());
        assert_eq!(d.items()[0].message, "unclosed TOML front matter");
        assert_eq!(d.items()[0].labels[0].0.range, 0..3);
    }
}
