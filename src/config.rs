//! `book.toml`: site settings and the typed schemas of collections.
//!
//! In: the text of `book.toml` (already in the `SourceMap`) and command-line overrides.
//! Out: a validated `Config`. Every unknown key, wrong type or dangling name is a diagnostic
//! pointing into `book.toml`.

use std::path::PathBuf;

use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::source::SourceId;
use crate::value::{Node, Reader, Spanned, Table, parse_toml};

/// Settings given on the command line, which win over `book.toml`.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub base_url: Option<String>,
    pub output_dir: Option<PathBuf>,
    pub drafts: bool,
    /// Replace the output directory even when factbook did not make it (`build --force`).
    pub force: bool,
}

/// Markdown rendering switches.
#[derive(Debug, Clone)]
pub struct MarkdownOptions {
    pub smart_punctuation: bool,
    pub heading_anchors: bool,
    pub highlight_code: bool,
    /// How headings without a `{#custom}` id get theirs (`heading_ids`).
    pub heading_ids: HeadingIdScheme,
}

/// How a heading's id is made from its text: `[markdown] heading_ids` in book.toml.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HeadingIdScheme {
    /// `"factbook"`: letters and digits lowercased, every other run one `-`
    /// (`Llama 3.1: 405B` → `llama-3-1-405b`).
    #[default]
    Factbook,
    /// `"github"`: as GitHub makes them, so that anchors written for GitHub work:
    /// lowercased, punctuation other than `-` and `_` dropped, each space a `-`
    /// (`Llama 3.1: 405B` → `llama-31-405b`).
    Github,
}

impl HeadingIdScheme {
    pub fn name(self) -> &'static str {
        match self {
            HeadingIdScheme::Factbook => "factbook",
            HeadingIdScheme::Github => "github",
        }
    }
}

/// A link in the site's navigation bar. `url` may be an `@/` content path.
#[derive(Debug, Clone)]
pub struct NavItem {
    pub title: String,
    pub url: Spanned<String>,
}

/// The whole site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub source: SourceId,
    pub title: String,
    pub description: String,
    /// Always ends with `/`.
    pub base_url: String,
    /// The path part of `base_url`, e.g. `/` or `/docs/`; prefixed to every root-relative URL.
    pub base_path: String,
    pub language: String,
    pub author: Option<String>,
    pub output_dir: PathBuf,
    /// Where book.toml sets `output_dir`, if it does and `--output` does not override it.
    pub output_dir_span: Option<std::ops::Range<usize>>,
    pub feed: bool,
    pub sitemap: bool,
    pub highlight_theme: String,
    pub markdown: MarkdownOptions,
    pub nav: Vec<NavItem>,
    pub drafts: bool,
    pub collections: Vec<CollectionSpec>,
    pub extra: serde_json::Value,
    /// Whether symbolic links under the site may point outside it (`allow_external_symlinks`).
    pub allow_external_symlinks: bool,
}

/// A typed collection of fact sheets: `[collections.NAME]`.
#[derive(Debug, Clone)]
pub struct CollectionSpec {
    pub name: String,
    pub title: String,
    pub singular: String,
    /// Directory under `content/`, without slashes at either end.
    pub dir: String,
    pub description: String,
    pub stale_after_days: Option<i64>,
    /// Fields shown in the comparison table by default (all when empty).
    pub columns: Vec<String>,
    /// Which pairs of entries get a static comparison page.
    pub pairs: PairMode,
    /// Where `pairs` is written, for errors about it (the collection's key otherwise).
    pub pairs_span: Span,
    /// How many related entries each entry is paired with (`pairs = "related"`) and shown
    /// beside on its sheet.
    pub related: usize,
    /// Fields that make two entries related (all comparable fields when empty).
    pub related_by: Vec<String>,
    /// The table's initial order: a field and whether descending.
    pub sort: Option<(String, bool)>,
    /// Whether every entry needs `last_verified`.
    pub require_last_verified: bool,
    pub fields: Vec<FieldSpec>,
    pub charts: Vec<ChartSpec>,
    pub span: Span,
}

impl CollectionSpec {
    pub fn field(&self, name: &str) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.name == name)
    }

    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }
}

/// Which pairs of a collection's entries get a static page (`pairs` in `[collections.NAME]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairMode {
    /// Every pair: n(n-1)/2 pages, allowed up to `ALL_PAIRS_LIMIT` entries.
    All,
    /// Each entry with its most related entries, and the pairs named in `compare_with`.
    Related,
    /// Only the pairs named in `compare_with` and the pairs that content links to.
    Listed,
    None,
}

impl PairMode {
    pub const NAMES: [&'static str; 4] = ["all", "related", "listed", "none"];

    pub fn name(self) -> &'static str {
        match self {
            PairMode::All => "all",
            PairMode::Related => "related",
            PairMode::Listed => "listed",
            PairMode::None => "none",
        }
    }
}

/// How many related entries each entry gets unless `related` says otherwise.
pub const DEFAULT_RELATED: usize = 5;

/// The most entries a collection may have with `pairs = "all"` (1,770 pair pages).
pub const ALL_PAIRS_LIMIT: usize = 60;

/// The type of a collection field.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldType {
    String,
    Text,
    Integer,
    Number,
    Date,
    Bool,
    Url,
    /// Allowed values with their labels, in declaration order.
    Enum(Vec<(String, String)>),
    /// Slug of an entry in the named collection.
    Ref(String),
    List(Box<FieldType>),
}

impl FieldType {
    pub fn name(&self) -> String {
        match self {
            FieldType::String => "string".into(),
            FieldType::Text => "text".into(),
            FieldType::Integer => "integer".into(),
            FieldType::Number => "number".into(),
            FieldType::Date => "date".into(),
            FieldType::Bool => "bool".into(),
            FieldType::Url => "url".into(),
            FieldType::Enum(_) => "enum".into(),
            FieldType::Ref(to) => format!("ref to `{to}`"),
            FieldType::List(of) => format!("list of {}", of.name()),
        }
    }

    pub fn is_numeric(&self) -> bool {
        matches!(self, FieldType::Integer | FieldType::Number)
    }

    /// Enum and ref fields (and lists of them) get facet pages and table filters.
    pub fn is_facet(&self) -> bool {
        match self {
            FieldType::Enum(_) | FieldType::Ref(_) => true,
            FieldType::List(of) => of.is_facet(),
            _ => false,
        }
    }

    pub fn enum_values(&self) -> Option<&[(String, String)]> {
        match self {
            FieldType::Enum(values) => Some(values),
            FieldType::List(of) => of.enum_values(),
            _ => None,
        }
    }

    pub fn ref_target(&self) -> Option<&str> {
        match self {
            FieldType::Ref(to) => Some(to),
            FieldType::List(of) => of.ref_target(),
            _ => None,
        }
    }
}

/// One field of a collection's schema.
#[derive(Debug, Clone)]
pub struct FieldSpec {
    pub name: String,
    pub label: String,
    pub description: Option<String>,
    pub ty: FieldType,
    pub unit: Option<String>,
    pub required: bool,
    pub sourced: bool,
    /// Significant digits to show (number fields); all that are needed when `None`.
    pub precision: Option<u32>,
    /// Whether a numeric field gets a ranking page (not for identifiers such as a catalogue
    /// number).
    pub rank: bool,
    pub span: Span,
}

/// A chart declared in `[[collections.NAME.charts]]`, drawn as inline SVG at build time.
#[derive(Debug, Clone)]
pub struct ChartSpec {
    pub id: String,
    pub title: String,
    pub description: String,
    pub x: String,
    pub y: String,
    pub color: Option<String>,
    pub log_x: bool,
    pub log_y: bool,
}

const TOP_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "author",
    "output_dir",
    "feed",
    "sitemap",
    "highlight_theme",
    "markdown",
    "nav",
    "collections",
    "extra",
    "allow_external_symlinks",
];

/// Parses and validates `book.toml`. Returns `None` only when the file cannot be read as TOML;
/// other problems are pushed and a best-effort config is returned so later checks still run.
pub fn parse_config(
    text: &str,
    source: SourceId,
    overrides: &Overrides,
    diags: &mut Diagnostics,
) -> Option<Config> {
    let table = parse_toml(text, 0, source, diags)?;
    let mut r = Reader::new(&table, source, "book.toml");
    let title = r
        .string("title", diags)
        .map(|s| s.value)
        .unwrap_or_else(|| {
            // A `title` of the wrong type has been reported already.
            if r.key_span("title").is_none() {
                diags.push(
                    Diagnostic::error("config", "`title` is missing from book.toml")
                        .label(Span::new(source, 0..0), "")
                        .help("add `title = \"My site\"` at the top of book.toml"),
                );
            }
            String::new()
        });
    let description = r
        .string("description", diags)
        .map(|s| s.value)
        .unwrap_or_default();
    let base_url_node = r.string("base_url", diags);
    let mut base_url = overrides
        .base_url
        .clone()
        .or(base_url_node.as_ref().map(|s| s.value.clone()))
        .unwrap_or_else(|| "/".to_string());
    if !base_url.ends_with('/') {
        base_url.push('/');
    }
    let base_path = base_path_of(&base_url);
    if let Some(url) = &overrides.base_url {
        if let Some(why) = crate::url::base_url_problem(url) {
            diags.push(
                Diagnostic::error("config", format!("{why} (`--base-url {url}`)"))
                    .at_path("--base-url")
                    .help("pass e.g. `--base-url https://example.org/`"),
            );
        }
    } else if let Some(node) = &base_url_node {
        if let Some(why) = crate::url::base_url_problem(&node.value) {
            diags.push(
                Diagnostic::error("config", why)
                    .label(r.span(&node.span), "")
                    .help("write e.g. `base_url = \"https://example.org/\"`"),
            );
        }
    }
    let language = r
        .string("language", diags)
        .map(|s| s.value)
        .unwrap_or_else(|| "en".into());
    let author = r.string("author", diags).map(|s| s.value);
    let output_from_book = r.string("output_dir", diags);
    let output_dir_span = output_from_book
        .as_ref()
        .filter(|_| overrides.output_dir.is_none())
        .map(|s| s.span.clone());
    let output_dir = overrides
        .output_dir
        .clone()
        .or(output_from_book.map(|s| PathBuf::from(s.value)))
        .unwrap_or_else(|| PathBuf::from("public"));
    let feed = r.bool("feed", diags).unwrap_or(true);
    let sitemap = r.bool("sitemap", diags).unwrap_or(true);
    let highlight_theme = match r.string("highlight_theme", diags) {
        Some(theme) => {
            let known = crate::highlight::THEMES;
            if !known.contains(&theme.value.as_str()) {
                diags.push(
                    Diagnostic::error(
                        "config",
                        format!("unknown highlighting theme `{}`", theme.value),
                    )
                    .label(r.span(&theme.span), "")
                    .suggest(&theme.value, known.iter().copied())
                    .help(format!("available themes: {}", known.join(", "))),
                );
            }
            theme.value
        }
        None => "InspiredGitHub".into(),
    };
    let markdown = match r.table("markdown", diags) {
        Some(t) => {
            let mut m = Reader::new(t, source, "`[markdown]`");
            let opts = MarkdownOptions {
                smart_punctuation: m.bool("smart_punctuation", diags).unwrap_or(true),
                heading_anchors: m.bool("heading_anchors", diags).unwrap_or(true),
                highlight_code: m.bool("highlight_code", diags).unwrap_or(true),
                heading_ids: match m.string("heading_ids", diags) {
                    None => HeadingIdScheme::Factbook,
                    Some(s) => match s.value.as_str() {
                        "factbook" => HeadingIdScheme::Factbook,
                        "github" => HeadingIdScheme::Github,
                        other => {
                            diags.push(
                                Diagnostic::error(
                                    "config",
                                    format!("unknown `heading_ids` value `{other}`"),
                                )
                                .label(
                                    Span::new(source, s.span),
                                    "expected `factbook` or `github`",
                                )
                                .suggest(other, ["factbook", "github"])
                                .help("`github` makes heading ids as GitHub does, so anchors written for GitHub work"),
                            );
                            HeadingIdScheme::Factbook
                        }
                    },
                },
            };
            m.finish(
                &[
                    "smart_punctuation",
                    "heading_anchors",
                    "highlight_code",
                    "heading_ids",
                ],
                diags,
            );
            opts
        }
        None => MarkdownOptions {
            smart_punctuation: true,
            heading_anchors: true,
            highlight_code: true,
            heading_ids: HeadingIdScheme::Factbook,
        },
    };
    let nav = match r.table("nav", diags) {
        Some(t) => parse_nav(t, source, diags),
        None => Vec::new(),
    };
    let collections = match r.table("collections", diags) {
        Some(t) => parse_collections(t, source, diags),
        None => Vec::new(),
    };
    let extra = r
        .take("extra")
        .map(|n| n.value.to_json())
        .unwrap_or(serde_json::Value::Null);
    let allow_external_symlinks = r.bool("allow_external_symlinks", diags).unwrap_or(false);
    r.finish(TOP_KEYS, diags);
    Some(Config {
        source,
        title,
        description,
        base_url,
        base_path,
        language,
        author,
        output_dir,
        output_dir_span,
        feed,
        sitemap,
        highlight_theme,
        markdown,
        nav,
        drafts: overrides.drafts,
        collections,
        extra,
        allow_external_symlinks,
    })
}

/// `https://x.org/docs/` → `/docs/`; `/` → `/`.
pub fn base_path_of(base_url: &str) -> String {
    let rest = base_url
        .strip_prefix("https://")
        .or_else(|| base_url.strip_prefix("http://"))
        .map(|r| r.find('/').map_or("/", |i| &r[i..]))
        .unwrap_or(base_url);
    let mut p = rest.to_string();
    if !p.starts_with('/') {
        p.insert(0, '/');
    }
    if !p.ends_with('/') {
        p.push('/');
    }
    p
}

fn parse_nav(t: &Table, source: SourceId, diags: &mut Diagnostics) -> Vec<NavItem> {
    let mut r = Reader::new(t, source, "`[nav]`");
    let mut items = Vec::new();
    if let Some(node) = r.take("items") {
        match &node.value {
            Node::Array(list) => {
                for item in list {
                    let Node::Table(it) = &item.value else {
                        diags.push(
                            Diagnostic::error("type", "each nav item must be a table")
                                .label(Span::new(source, item.span.clone()), "")
                                .help(
                                    "write `{ title = \"Models\", url = \"@/models/_index.md\" }`",
                                ),
                        );
                        continue;
                    };
                    let mut ir = Reader::new(it, source, "a nav item");
                    let title = ir.string("title", diags);
                    let url = ir.string("url", diags);
                    ir.finish(&["title", "url"], diags);
                    match (title, url) {
                        (Some(title), Some(url)) => items.push(NavItem {
                            title: title.value,
                            url,
                        }),
                        _ => diags.push(
                            Diagnostic::error("config", "a nav item needs `title` and `url`")
                                .label(Span::new(source, item.span.clone()), "")
                                .help("write it as `{ title = \"Articles\", url = \"@/articles/_index.md\" }`"),
                        ),
                    }
                }
            }
            _ => diags.push(
                Diagnostic::error("type", "`items` in `[nav]` must be a list of tables")
                    .label(Span::new(source, node.span.clone()), "")
                    .help("write `items = [{ title = \"…\", url = \"…\" }, …]`"),
            ),
        }
    }
    r.finish(&["items"], diags);
    items
}

const COLLECTION_KEYS: &[&str] = &[
    "title",
    "singular",
    "dir",
    "description",
    "stale_after_days",
    "columns",
    "pairs",
    "related",
    "related_by",
    "sort_by",
    "order",
    "require_last_verified",
    "fields",
    "charts",
];

const FIELD_KEYS: &[&str] = &[
    "type",
    "label",
    "description",
    "required",
    "sourced",
    "unit",
    "values",
    "to",
    "of",
    "precision",
    "rank",
];

const FIELD_TYPES: &[&str] = &[
    "string", "text", "integer", "number", "date", "bool", "url", "enum", "ref", "list",
];

/// Field names an entry has whatever its schema says.
pub const RESERVED_FIELDS: &[&str] = &[
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
    "last_verified",
    "compare_with",
];

fn parse_collections(t: &Table, source: SourceId, diags: &mut Diagnostics) -> Vec<CollectionSpec> {
    let mut out: Vec<CollectionSpec> = Vec::new();
    for (name, node) in &t.entries {
        let Node::Table(ct) = &node.value else {
            diags.push(
                Diagnostic::error(
                    "type",
                    format!("`collections.{}` must be a table", name.value),
                )
                .label(Span::new(source, node.span.clone()), "")
                .help(format!(
                    "declare it as `[collections.{}]` with `title` and `dir`, and its fields under `[collections.{}.fields]`",
                    name.value, name.value
                )),
            );
            continue;
        };
        let what = format!("`[collections.{}]`", name.value);
        let mut r = Reader::new(ct, source, &what);
        let title = r
            .string("title", diags)
            .map(|s| s.value)
            .unwrap_or_else(|| name.value.clone());
        let singular = r
            .string("singular", diags)
            .map(|s| s.value)
            .unwrap_or_else(|| name.value.clone());
        let dir = r
            .string("dir", diags)
            .map(|s| s.value.trim_matches('/').to_string())
            .unwrap_or_else(|| name.value.clone());
        let description = r
            .string("description", diags)
            .map(|s| s.value)
            .unwrap_or_default();
        let stale_after_days = r.int("stale_after_days", diags);
        let columns_nodes = r.strings("columns", diags).unwrap_or_default();
        let coll_span = Span::new(source, name.span.clone());
        let pairs_node = r.string("pairs", diags);
        let pairs = match &pairs_node {
            None => PairMode::Related,
            Some(p) => match p.value.as_str() {
                "all" => PairMode::All,
                "related" => PairMode::Related,
                "listed" => PairMode::Listed,
                "none" => PairMode::None,
                other => {
                    diags.push(
                        Diagnostic::error("schema", format!("unknown `pairs` value `{other}`"))
                            .label(r.span(&p.span), "expected `all`, `related`, `listed` or `none`")
                            .suggest(other, PairMode::NAMES)
                            .help("`related` pairs each entry with its most related entries (the default); `listed` only the pairs named in `compare_with` or linked from content; `all` every pair (up to 60 entries); `none` no pair pages"),
                    );
                    PairMode::Related
                }
            },
        };
        let pairs_span = pairs_node
            .as_ref()
            .map_or_else(|| coll_span.clone(), |p| r.span(&p.span));
        let related = match r.int("related", diags) {
            None => DEFAULT_RELATED,
            Some(k) if (1..=50).contains(&k) => k as usize,
            Some(k) => {
                diags.push(
                    Diagnostic::error("schema", format!("`related = {k}` is out of range"))
                        .label(
                            r.key_span("related").unwrap_or_else(|| coll_span.clone()),
                            "",
                        )
                        .help("give a number of related entries from 1 to 50 (the default is 5)"),
                );
                DEFAULT_RELATED
            }
        };
        let related_by_nodes = r.strings("related_by", diags).unwrap_or_default();
        let sort_node = r.string("sort_by", diags);
        let order_node = r.string("order", diags);
        let require_last_verified = r.bool("require_last_verified", diags).unwrap_or(true);
        let fields = match r.table("fields", diags) {
            Some(ft) => parse_fields(ft, source, &name.value, diags),
            None => Vec::new(),
        };
        let charts_node = r.take("charts");
        r.finish(COLLECTION_KEYS, diags);
        let field_names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
        let mut columns = Vec::new();
        for c in columns_nodes {
            if field_names.contains(&c.value.as_str()) {
                columns.push(c.value);
            } else {
                diags.push(
                    Diagnostic::error(
                        "schema",
                        format!(
                            "column `{}` is not a field of collection `{}`",
                            c.value, name.value
                        ),
                    )
                    .label(Span::new(source, c.span), "no such field")
                    .suggest(&c.value, field_names.iter().copied())
                    .help(format!(
                        "columns name fields declared under `[collections.{}.fields]`",
                        name.value
                    )),
                );
            }
        }
        let charts = match charts_node {
            Some(node) => parse_charts(node, source, &name.value, &fields, diags),
            None => Vec::new(),
        };
        let known_field = |n: &Spanned<String>, key: &str, diags: &mut Diagnostics| -> bool {
            if field_names.contains(&n.value.as_str()) {
                return true;
            }
            diags.push(
                Diagnostic::error(
                    "schema",
                    format!(
                        "`{key}` names `{}`, which is not a field of collection `{}`",
                        n.value, name.value
                    ),
                )
                .label(Span::new(source, n.span.clone()), "no such field")
                .suggest(&n.value, field_names.iter().copied())
                .help(format!(
                    "name a field declared under `[collections.{}.fields]`",
                    name.value
                )),
            );
            false
        };
        let related_by: Vec<String> = related_by_nodes
            .into_iter()
            .filter(|n| known_field(n, "related_by", diags))
            .map(|n| n.value)
            .collect();
        let descending = match &order_node {
            None => false,
            Some(o) if o.value == "asc" => false,
            Some(o) if o.value == "desc" => true,
            Some(o) => {
                diags.push(
                    Diagnostic::error("schema", format!("unknown `order` value `{}`", o.value))
                        .label(Span::new(source, o.span.clone()), "expected `asc` or `desc`")
                        .suggest(&o.value, ["asc", "desc"])
                        .help("write `order = \"asc\"` (smallest or earliest first) or `order = \"desc\"`"),
                );
                false
            }
        };
        let sort = match sort_node {
            Some(n) if known_field(&n, "sort_by", diags) => Some((n.value, descending)),
            Some(_) => None,
            None => {
                if let Some(o) = &order_node {
                    diags.push(
                        Diagnostic::error("schema", "`order` without `sort_by`")
                            .label(Span::new(source, o.span.clone()), "")
                            .help(
                                "add `sort_by = \"FIELD\"`, the field the table is first sorted by",
                            ),
                    );
                }
                None
            }
        };
        if let Some(other) = out.iter().find(|c| c.dir == dir) {
            diags.push(
                Diagnostic::error(
                    "schema",
                    format!(
                        "collections `{}` and `{}` both use directory `{dir}`",
                        other.name, name.value
                    ),
                )
                .label(Span::new(source, name.span.clone()), "")
                .help("give each collection its own `dir`"),
            );
        }
        out.push(CollectionSpec {
            name: name.value.clone(),
            title,
            singular,
            dir,
            description,
            stale_after_days,
            columns,
            pairs,
            pairs_span,
            related,
            related_by,
            sort,
            require_last_verified,
            fields,
            charts,
            span: coll_span,
        });
    }
    // Refs must name a declared collection.
    let names: Vec<String> = out.iter().map(|c| c.name.clone()).collect();
    for c in &out {
        for f in &c.fields {
            if let Some(to) = f.ty.ref_target() {
                if !names.iter().any(|n| n == to) {
                    diags.push(
                        Diagnostic::error(
                            "schema",
                            format!(
                                "field `{}` refers to collection `{to}`, which is not declared",
                                f.name
                            ),
                        )
                        .label(f.span.clone(), "")
                        .suggest(to, names.iter().map(String::as_str))
                        .help("declare it as `[collections.NAME]` or fix `to`"),
                    );
                }
            }
        }
    }
    out
}

fn parse_fields(
    t: &Table,
    source: SourceId,
    collection: &str,
    diags: &mut Diagnostics,
) -> Vec<FieldSpec> {
    let mut out = Vec::new();
    for (name, node) in &t.entries {
        let span = Span::new(source, name.span.clone());
        if RESERVED_FIELDS.contains(&name.value.as_str()) {
            diags.push(
                Diagnostic::error(
                    "schema",
                    format!(
                        "`{}` is a built-in front-matter key and cannot be a field",
                        name.value
                    ),
                )
                .label(span.clone(), "")
                .help("choose another name for this field"),
            );
            continue;
        }
        let Node::Table(ft) = &node.value else {
            diags.push(
                Diagnostic::error(
                    "type",
                    format!(
                        "field `{}` must be a table like `{{ type = \"string\" }}`",
                        name.value
                    ),
                )
                .label(Span::new(source, node.span.clone()), "")
                .help(format!(
                    "declare it as `{} = {{ type = \"string\", label = \"…\" }}`, with the type it needs",
                    name.value
                )),
            );
            continue;
        };
        let what = format!("field `{collection}.{}`", name.value);
        let mut r = Reader::new(ft, source, &what);
        let Some(ty) = parse_field_type(&mut r, &name.value, diags) else {
            r.finish(FIELD_KEYS, diags);
            continue;
        };
        let label = r
            .string("label", diags)
            .map(|s| s.value)
            .unwrap_or_else(|| name.value.replace('_', " "));
        let description = r.string("description", diags).map(|s| s.value);
        let required = r.bool("required", diags).unwrap_or(false);
        let sourced = r.bool("sourced", diags).unwrap_or(false);
        let unit = r.string("unit", diags).map(|s| s.value);
        let numeric = matches!(&ty, FieldType::Integer | FieldType::Number);
        let precision = match r.int("precision", diags) {
            None => None,
            Some(p) if numeric && (1..=15).contains(&p) => Some(p as u32),
            Some(p) => {
                let span = r.key_span("precision").unwrap_or_else(|| span.clone());
                diags.push(if numeric {
                    Diagnostic::error("schema", format!("`precision = {p}` is out of range"))
                        .label(span, "")
                        .help("give the significant digits to show, from 1 to 15")
                } else {
                    Diagnostic::error(
                        "schema",
                        format!(
                            "`precision` is for number and integer fields, and `{}` is {}",
                            name.value,
                            ty.name()
                        ),
                    )
                    .label(span, "")
                    .help("remove `precision` from this field")
                });
                None
            }
        };
        let rank = match r.bool("rank", diags) {
            Some(false) => false,
            Some(true) if !numeric => {
                diags.push(
                    Diagnostic::error(
                        "schema",
                        format!(
                            "`rank` is for number and integer fields, and `{}` is {}",
                            name.value,
                            ty.name()
                        ),
                    )
                    .label(r.key_span("rank").unwrap_or_else(|| span.clone()), "")
                    .help("remove `rank` from this field: only numeric fields get ranking pages"),
                );
                false
            }
            _ => numeric,
        };
        r.finish(FIELD_KEYS, diags);
        out.push(FieldSpec {
            name: name.value.clone(),
            label,
            description,
            ty,
            unit,
            required,
            sourced,
            precision,
            rank,
            span,
        });
    }
    out
}

fn parse_field_type(r: &mut Reader<'_>, field: &str, diags: &mut Diagnostics) -> Option<FieldType> {
    let Some(ty) = r.string("type", diags) else {
        diags.push(
            Diagnostic::error("schema", format!("field `{field}` has no `type`"))
                .label(
                    r.key_span("label")
                        .unwrap_or_else(|| Span::new(r.source, 0..0)),
                    "",
                )
                .help(format!(
                    "add `type = \"…\"`, one of: {}",
                    FIELD_TYPES.join(", ")
                )),
        );
        return None;
    };
    let base = if ty.value == "list" {
        match r.string("of", diags) {
            Some(of) => of,
            None => {
                diags.push(
                    Diagnostic::error(
                        "schema",
                        format!("list field `{field}` needs `of`, the type of its items"),
                    )
                    .label(r.span(&ty.span), "")
                    .help("add e.g. `of = \"enum\"`"),
                );
                return None;
            }
        }
    } else {
        ty.clone()
    };
    let scalar = match base.value.as_str() {
        "string" => FieldType::String,
        "text" => FieldType::Text,
        "integer" => FieldType::Integer,
        "number" => FieldType::Number,
        "date" => FieldType::Date,
        "bool" => FieldType::Bool,
        "url" => FieldType::Url,
        "enum" => {
            let Some(values) = r.table("values", diags) else {
                diags.push(
                    Diagnostic::error("schema", format!("enum field `{field}` needs `values`"))
                        .label(r.span(&base.span), "")
                        .help("add `values = { open = \"Open\", closed = \"Closed\" }`"),
                );
                return None;
            };
            let mut vals = Vec::new();
            for (k, v) in &values.entries {
                match &v.value {
                    Node::Str(label) => vals.push((k.value.clone(), label.clone())),
                    _ => diags.push(
                        Diagnostic::error("type", "an enum value's label must be a string")
                            .label(r.span(&v.span), "")
                            .help("write `values = { key = \"Label shown on pages\", … }`"),
                    ),
                }
            }
            FieldType::Enum(vals)
        }
        "ref" => match r.string("to", diags) {
            Some(to) => FieldType::Ref(to.value),
            None => {
                diags.push(
                    Diagnostic::error(
                        "schema",
                        format!("ref field `{field}` needs `to`, the collection it refers to"),
                    )
                    .label(r.span(&base.span), "")
                    .help("add e.g. `to = \"organizations\"`"),
                );
                return None;
            }
        },
        "list" => {
            diags.push(
                Diagnostic::error("schema", "lists of lists are not supported")
                    .label(r.span(&base.span), "")
                    .help(format!(
                        "give `of` the type of one item: {}",
                        FIELD_TYPES
                            .iter()
                            .filter(|t| **t != "list")
                            .copied()
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
            );
            return None;
        }
        other => {
            diags.push(
                Diagnostic::error("schema", format!("unknown field type `{other}`"))
                    .label(r.span(&base.span), "")
                    .suggest(other, FIELD_TYPES.iter().copied())
                    .help(format!("types: {}", FIELD_TYPES.join(", "))),
            );
            return None;
        }
    };
    Some(if ty.value == "list" {
        FieldType::List(Box::new(scalar))
    } else {
        scalar
    })
}

const CHART_KEYS: &[&str] = &[
    "id",
    "title",
    "description",
    "x",
    "y",
    "color",
    "log_x",
    "log_y",
];

fn parse_charts(
    node: &Spanned<Node>,
    source: SourceId,
    collection: &str,
    fields: &[FieldSpec],
    diags: &mut Diagnostics,
) -> Vec<ChartSpec> {
    let Node::Array(items) = &node.value else {
        diags.push(
            Diagnostic::error(
                "type",
                "`charts` must be an array of tables (`[[collections.NAME.charts]]`)",
            )
            .label(Span::new(source, node.span.clone()), "")
            .help(format!(
                "write each chart as a `[[collections.{collection}.charts]]` table with `id`, `x` and `y`"
            )),
        );
        return Vec::new();
    };
    let mut out: Vec<ChartSpec> = Vec::new();
    for item in items {
        let Node::Table(t) = &item.value else {
            diags.push(
                Diagnostic::error("type", format!("a chart must be a table, found {}", item.value.type_name()))
                    .label(Span::new(source, item.span.clone()), "")
                    .help(format!(
                        "write each chart as a `[[collections.{collection}.charts]]` table with `id`, `x` and `y`"
                    )),
            );
            continue;
        };
        let mut r = Reader::new(t, source, "a chart");
        let missing: Vec<&str> = ["id", "x", "y"]
            .into_iter()
            .filter(|k| r.key_span(k).is_none())
            .collect();
        let id = r.string("id", diags);
        let title = r.string("title", diags).map(|s| s.value);
        let description = r
            .string("description", diags)
            .map(|s| s.value)
            .unwrap_or_default();
        let mut axis = |r: &mut Reader<'_>, key: &str, numeric: bool| -> Option<String> {
            let v = r.string(key, diags)?;
            match fields.iter().find(|f| f.name == v.value) {
                Some(f) if !numeric || f.ty.is_numeric() || f.ty == FieldType::Date => {
                    Some(v.value)
                }
                Some(f) => {
                    diags.push(
                        Diagnostic::error(
                            "schema",
                            format!(
                                "chart axis `{key}` needs a number or date field, but `{}` is {}",
                                f.name,
                                f.ty.name()
                            ),
                        )
                        .label(r.span(&v.span), "")
                        .help(format!(
                            "name a field of `{collection}` whose type is a number, an integer or a date"
                        )),
                    );
                    None
                }
                None => {
                    diags.push(
                        Diagnostic::error("schema", format!("chart axis `{key}` names `{}`, which is not a field of `{collection}`", v.value))
                            .label(r.span(&v.span), "no such field")
                            .suggest(&v.value, fields.iter().map(|f| f.name.as_str()))
                            .help(format!("axes name fields declared under `[collections.{collection}.fields]`")),
                    );
                    None
                }
            }
        };
        let x = axis(&mut r, "x", true);
        let y = axis(&mut r, "y", true);
        let color = if r.key_span("color").is_some() {
            axis(&mut r, "color", false)
        } else {
            None
        };
        let log_x = r.bool("log_x", diags).unwrap_or(false);
        let log_y = r.bool("log_y", diags).unwrap_or(false);
        r.finish(CHART_KEYS, diags);
        if !missing.is_empty() {
            let list: Vec<String> = missing.iter().map(|k| format!("`{k}`")).collect();
            diags.push(
                Diagnostic::error("schema", "a chart needs `id`, `x` and `y`")
                    .label(Span::new(source, item.span.clone()), format!("no {}", list.join(", ")))
                    .help("add e.g. `id = \"size-vs-date\"`, `x = \"release\"` and `y = \"params_b\"`"),
            );
        }
        // A missing or unusable key has been reported.
        let (Some(id), Some(x), Some(y)) = (id, x, y) else {
            continue;
        };
        if out.iter().any(|c| c.id == id.value) {
            diags.push(
                Diagnostic::error(
                    "schema",
                    format!("two charts of `{collection}` have id `{}`", id.value),
                )
                .label(Span::new(source, id.span.clone()), "")
                .help("chart ids must be unique within a collection"),
            );
        }
        out.push(ChartSpec {
            title: title.unwrap_or_else(|| id.value.clone()),
            id: id.value,
            description,
            x,
            y,
            color,
            log_x,
            log_y,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceMap;

    fn parse(text: &str) -> (Option<Config>, Diagnostics) {
        let mut sources = SourceMap::default();
        let id = sources.add("book.toml", text.to_string());
        let mut diags = Diagnostics::new();
        let c = parse_config(text, id, &Overrides::default(), &mut diags);
        (c, diags)
    }

    #[test]
    fn base_path_is_taken_from_base_url() {
        assert_eq!(base_path_of("https://x.org/"), "/");
        assert_eq!(base_path_of("https://x.org/docs/"), "/docs/");
        assert_eq!(base_path_of("/"), "/");
    }

    #[test]
    fn every_config_error_points_at_its_line_and_says_what_to_do() {
        let head = "title = \"x\"\n";
        let fields = "[collections.m]\ntitle = \"M\"\ndir = \"m\"\n[collections.m.fields]\nsize = { type = \"number\" }\nname = { type = \"string\" }\n";
        let cases: &[(&str, String)] = &[
            (
                "nav item without url",
                format!("{head}[nav]\nitems = [{{ title = \"A\" }}]\n"),
            ),
            ("nav items not a list", format!("{head}[nav]\nitems = 3\n")),
            (
                "collection not a table",
                format!("{head}collections = {{ m = 3 }}\n"),
            ),
            (
                "field not a table",
                format!("{head}[collections.m]\ndir = \"m\"\n[collections.m.fields]\nsize = 1\n"),
            ),
            (
                "unknown field type",
                format!(
                    "{head}[collections.m]\ndir = \"m\"\n[collections.m.fields]\nsize = {{ type = \"nubmer\" }}\n"
                ),
            ),
            (
                "list of lists",
                format!(
                    "{head}[collections.m]\ndir = \"m\"\n[collections.m.fields]\nx = {{ type = \"list\", of = \"list\" }}\n"
                ),
            ),
            (
                "enum label not a string",
                format!(
                    "{head}[collections.m]\ndir = \"m\"\n[collections.m.fields]\nx = {{ type = \"enum\", values = {{ a = 1 }} }}\n"
                ),
            ),
            (
                "column not a field",
                format!("{head}{fields}[collections.m.table]\ncolumns = [\"sise\"]\n"),
            ),
            (
                "charts not an array",
                format!("{head}{fields}[collections.m.charts]\nid = \"c\"\n"),
            ),
            (
                "chart not a table",
                format!(
                    "{head}[collections.m]\ndir = \"m\"\ncharts = [1]\n[collections.m.fields]\nsize = {{ type = \"number\" }}\n"
                ),
            ),
            (
                "chart without y",
                format!("{head}{fields}[[collections.m.charts]]\nid = \"c\"\nx = \"size\"\n"),
            ),
            (
                "chart axis not numeric",
                format!(
                    "{head}{fields}[[collections.m.charts]]\nid = \"c\"\nx = \"size\"\ny = \"name\"\n"
                ),
            ),
            (
                "chart axis not a field",
                format!(
                    "{head}{fields}[[collections.m.charts]]\nid = \"c\"\nx = \"size\"\ny = \"zzz\"\n"
                ),
            ),
            ("wrong type of a setting", "title = 3\n".to_string()),
            ("no title", "description = \"d\"\n".to_string()),
        ];
        for (what, text) in cases {
            let (_, diags) = parse(text);
            assert!(diags.has_errors(), "{what}: no error for\n{text}");
            for d in diags.items() {
                assert!(
                    !d.labels.is_empty(),
                    "{what}: `{}` points at no line",
                    d.message
                );
                assert!(
                    d.help.is_some(),
                    "{what}: `{}` says nothing about what to do",
                    d.message
                );
            }
        }
        // A chart that lacks `y`, and a title that is not a string, are one problem each.
        for case in [&cases[10].1, &cases[13].1] {
            let (_, diags) = parse(case);
            assert_eq!(diags.items().len(), 1, "{:?}", diags.items());
        }
    }

    #[test]
    fn unknown_keys_get_a_did_you_mean() {
        let (_, diags) = parse("title = \"x\"\nbase_ulr = \"/\"\n");
        let d = &diags.items()[0];
        assert_eq!(d.message, "unknown key `base_ulr` in book.toml");
        assert_eq!(d.help.as_deref(), Some("did you mean `base_url`?"));
    }

    #[test]
    fn collection_fields_keep_their_order_and_types() {
        let (c, diags) = parse(
            "title = \"x\"\n[collections.cams]\n[collections.cams.fields]\nmaker = { type = \"string\" }\nmp = { type = \"number\", unit = \"MP\", sourced = true }\nmount = { type = \"list\", of = \"enum\", values = { ef = \"EF\", rf = \"RF\" } }\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        let c = c.expect("config");
        let f = &c.collections[0].fields;
        assert_eq!(
            f.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(),
            ["maker", "mp", "mount"]
        );
        assert!(f[1].sourced);
        assert_eq!(f[1].unit.as_deref(), Some("MP"));
        assert!(f[2].ty.is_facet());
    }

    #[test]
    fn refs_to_undeclared_collections_are_errors() {
        let (_, diags) = parse(
            "title = \"x\"\n[collections.a.fields]\nmaker = { type = \"ref\", to = \"orgs\" }\n[collections.org]\n",
        );
        assert!(
            diags
                .items()
                .iter()
                .any(|d| d.message.contains("`orgs`, which is not declared"))
        );
    }
}
