//! A spanned value tree shared by TOML and YAML, and a reader that takes typed values out of it
//! with diagnostics.
//!
//! In: the text of `book.toml` or of a front-matter block and its byte offset in the file.
//! Out: `Node`s whose spans are byte ranges in the whole file, so every later error about a key
//! or value can point at it. Unknown keys are reported with a did-you-mean.

use std::ops::Range;

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::source::SourceId;

/// A value with the byte range it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Range<usize>,
}

/// A parsed TOML or YAML value.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    /// A TOML date or datetime literal, kept as written.
    Datetime(String),
    Array(Vec<Spanned<Node>>),
    Table(Table),
}

/// An ordered table: keys in source order, with their spans.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub entries: Vec<(Spanned<String>, Spanned<Node>)>,
}

impl Table {
    pub fn get(&self, key: &str) -> Option<&Spanned<Node>> {
        self.entries
            .iter()
            .find(|(k, _)| k.value == key)
            .map(|(_, v)| v)
    }
}

impl Node {
    /// The word used in `expected X, found Y` messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Bool(_) => "a boolean",
            Node::Int(_) => "an integer",
            Node::Float(_) => "a number",
            Node::Str(_) => "a string",
            Node::Datetime(_) => "a date",
            Node::Array(_) => "a list",
            Node::Table(_) => "a table",
        }
    }

    /// Plain JSON for `extra` tables and templates.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Node::Null => serde_json::Value::Null,
            Node::Bool(b) => (*b).into(),
            Node::Int(i) => (*i).into(),
            Node::Float(f) => {
                serde_json::Number::from_f64(*f).map_or(serde_json::Value::Null, Into::into)
            }
            Node::Str(s) | Node::Datetime(s) => s.clone().into(),
            Node::Array(items) => items.iter().map(|i| i.value.to_json()).collect(),
            Node::Table(t) => serde_json::Value::Object(
                t.entries
                    .iter()
                    .map(|(k, v)| (k.value.clone(), v.value.to_json()))
                    .collect(),
            ),
        }
    }
}

/// Parses TOML into a table. `offset` is where `text` starts in its file.
/// Syntax errors are pushed (all of them, where the parser can recover) and `None` returned.
pub fn parse_toml(
    text: &str,
    offset: usize,
    source: SourceId,
    diags: &mut Diagnostics,
) -> Option<Table> {
    let (doc, errors) = toml::de::DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        for err in errors {
            let range = err.span().unwrap_or(0..0);
            let message = err.message().trim().trim_end_matches('.').to_string();
            diags.push(
                Diagnostic::error("toml", format!("invalid TOML: {}", lowercase_first(&message)))
                    .label(Span::new(source, offset + range.start..offset + range.end.max(range.start + 1)), "")
                    .help("fix the TOML syntax here; strings need double quotes, and each key appears once"),
            );
        }
        return None;
    }
    Some(toml_table(doc.get_ref(), offset))
}

fn toml_table(table: &toml::de::DeTable<'_>, offset: usize) -> Table {
    Table {
        entries: table
            .iter()
            .map(|(k, v)| {
                let ks = k.span();
                (
                    Spanned {
                        value: k.get_ref().to_string(),
                        span: offset + ks.start..offset + ks.end,
                    },
                    toml_node(v, offset),
                )
            })
            .collect(),
    }
}

fn toml_node(v: &toml::Spanned<toml::de::DeValue<'_>>, offset: usize) -> Spanned<Node> {
    use toml::de::DeValue;
    let s = v.span();
    let span = offset + s.start..offset + s.end;
    let value = match v.get_ref() {
        DeValue::String(s) => Node::Str(s.to_string()),
        DeValue::Integer(i) => {
            let digits = i.as_str().replace('_', "");
            let digits = digits
                .trim_start_matches("0x")
                .trim_start_matches("0o")
                .trim_start_matches("0b");
            match i64::from_str_radix(digits, i.radix()) {
                Ok(n) => Node::Int(n),
                Err(_) => Node::Float(digits.parse().unwrap_or(f64::NAN)),
            }
        }
        DeValue::Float(f) => Node::Float(f.as_str().replace('_', "").parse().unwrap_or(f64::NAN)),
        DeValue::Boolean(b) => Node::Bool(*b),
        DeValue::Datetime(d) => Node::Datetime(d.to_string()),
        DeValue::Array(items) => Node::Array(items.iter().map(|i| toml_node(i, offset)).collect()),
        DeValue::Table(t) => Node::Table(toml_table(t, offset)),
    };
    Spanned { value, span }
}

/// Parses YAML into a table. `offset` is where `text` starts in its file.
pub fn parse_yaml(
    text: &str,
    offset: usize,
    source: SourceId,
    diags: &mut Diagnostics,
) -> Option<Table> {
    let chars = CharToByte::new(text);
    if let Some(at) = yaml_too_deep(text) {
        let at = offset + chars.byte(at);
        diags.push(
            Diagnostic::error(
                "yaml",
                format!("front matter nested more than {MAX_YAML_DEPTH} levels deep"),
            )
            .label(Span::new(source, at..at + 1), "this level is too deep")
            .help("front matter is a few keys with values: flatten the nested lists and mappings"),
        );
        return None;
    }
    let docs = match MarkedYaml::load_from_str(text) {
        Ok(docs) => docs,
        Err(err) => {
            let at = offset + chars.byte(err.marker().index());
            diags.push(
                Diagnostic::error("yaml", format!("invalid YAML: {}", err.info()))
                    .label(Span::new(source, at..at + 1), "")
                    .help("fix the YAML syntax here; indentation must be consistent and `key: value` needs a space after the colon"),
            );
            return None;
        }
    };
    let Some(doc) = docs.into_iter().next() else {
        return Some(Table::default());
    };
    let node = yaml_node(&doc, offset, &chars);
    match node.value {
        Node::Table(t) => Some(t),
        Node::Null => Some(Table::default()),
        other => {
            diags.push(
                Diagnostic::error(
                    "yaml",
                    format!(
                        "front matter must be a mapping of keys to values, found {}",
                        other.type_name()
                    ),
                )
                .label(Span::new(source, node.span), "")
                .help("write `key: value` lines"),
            );
            None
        }
    }
}

/// More levels of nested mappings and lists than any front matter needs. Loading and walking
/// the tree recurse once per level, and a few thousand levels overflow the stack.
const MAX_YAML_DEPTH: usize = 64;

/// Where YAML nests deeper than `MAX_YAML_DEPTH` (a character index), found with the event
/// parser, which keeps its own stack. Syntax errors are left to the loader to report.
fn yaml_too_deep(text: &str) -> Option<usize> {
    use saphyr_parser::{Event, Parser};
    let mut depth = 0usize;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.ok()?;
        match event {
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                depth += 1;
                if depth > MAX_YAML_DEPTH {
                    return Some(span.start.index());
                }
            }
            Event::SequenceEnd | Event::MappingEnd => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// saphyr reports character indices; spans here are bytes.
struct CharToByte {
    ascii: bool,
    bytes: Vec<usize>,
}

impl CharToByte {
    fn new(text: &str) -> Self {
        if text.is_ascii() {
            CharToByte {
                ascii: true,
                bytes: Vec::new(),
            }
        } else {
            let mut bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
            bytes.push(text.len());
            CharToByte {
                ascii: false,
                bytes,
            }
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.ascii {
            char_index
        } else {
            self.bytes[char_index.min(self.bytes.len() - 1)]
        }
    }
}

fn yaml_node(y: &MarkedYaml<'_>, offset: usize, chars: &CharToByte) -> Spanned<Node> {
    let start = offset + chars.byte(y.span.start.index());
    let end = offset
        + chars
            .byte(y.span.end.index())
            .max(chars.byte(y.span.start.index()));
    let value = match &y.data {
        YamlData::Value(s) => scalar(s),
        YamlData::Representation(raw, _, _) => Node::Str(raw.to_string()),
        YamlData::Sequence(items) => {
            Node::Array(items.iter().map(|i| yaml_node(i, offset, chars)).collect())
        }
        YamlData::Mapping(map) => Node::Table(Table {
            entries: map
                .iter()
                .map(|(k, v)| {
                    let key = yaml_node(k, offset, chars);
                    let key_text = match key.value {
                        Node::Str(s) => s,
                        Node::Int(i) => i.to_string(),
                        Node::Bool(b) => b.to_string(),
                        Node::Float(f) => f.to_string(),
                        _ => String::new(),
                    };
                    (
                        Spanned {
                            value: key_text,
                            span: key.span,
                        },
                        yaml_node(v, offset, chars),
                    )
                })
                .collect(),
        }),
        YamlData::Tagged(_, inner) => return yaml_node(inner, offset, chars),
        YamlData::Alias(_) | YamlData::BadValue => Node::Null,
    };
    Spanned {
        value,
        span: start..end,
    }
}

fn scalar(s: &Scalar<'_>) -> Node {
    match s {
        Scalar::Null => Node::Null,
        Scalar::Boolean(b) => Node::Bool(*b),
        Scalar::Integer(i) => Node::Int(*i),
        Scalar::FloatingPoint(f) => Node::Float(f.into_inner()),
        Scalar::String(s) => Node::Str(s.to_string()),
    }
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if !s.starts_with("TOML") => c.to_lowercase().chain(chars).collect(),
        _ => s.to_string(),
    }
}

/// Takes typed values out of a table, remembering which keys were read so that the rest can be
/// reported as unknown.
pub struct Reader<'a> {
    pub table: &'a Table,
    pub source: SourceId,
    /// What the table is, for messages: "book.toml", "front matter", "`[markdown]`".
    pub what: &'a str,
    used: Vec<bool>,
}

impl<'a> Reader<'a> {
    pub fn new(table: &'a Table, source: SourceId, what: &'a str) -> Self {
        Reader {
            table,
            source,
            what,
            used: vec![false; table.entries.len()],
        }
    }

    pub fn span(&self, range: &Range<usize>) -> Span {
        Span::new(self.source, range.clone())
    }

    /// The raw node for `key`, marking it read.
    pub fn take(&mut self, key: &str) -> Option<&'a Spanned<Node>> {
        let i = self
            .table
            .entries
            .iter()
            .position(|(k, _)| k.value == key)?;
        self.used[i] = true;
        Some(&self.table.entries[i].1)
    }

    /// The key's own span, for "missing" or "unknown" messages.
    pub fn key_span(&self, key: &str) -> Option<Span> {
        self.table
            .entries
            .iter()
            .find(|(k, _)| k.value == key)
            .map(|(k, _)| self.span(&k.span))
    }

    fn type_error(&self, key: &str, node: &Spanned<Node>, expected: &str, diags: &mut Diagnostics) {
        diags.push(
            Diagnostic::error(
                "type",
                format!(
                    "`{key}` in {} must be {expected}, found {}",
                    self.what,
                    node.value.type_name()
                ),
            )
            .label(self.span(&node.span), format!("expected {expected}"))
            .help(match example(expected) {
                Some(e) => format!("write `{key}` as {expected}, e.g. `{e}`"),
                None => format!("write `{key}` as {expected}"),
            }),
        );
    }

    pub fn string(&mut self, key: &str, diags: &mut Diagnostics) -> Option<Spanned<String>> {
        let node = self.take(key)?;
        match &node.value {
            Node::Str(s) => Some(Spanned {
                value: s.clone(),
                span: node.span.clone(),
            }),
            _ => {
                self.type_error(key, node, "a string", diags);
                None
            }
        }
    }

    pub fn bool(&mut self, key: &str, diags: &mut Diagnostics) -> Option<bool> {
        let node = self.take(key)?;
        match node.value {
            Node::Bool(b) => Some(b),
            _ => {
                self.type_error(key, node, "`true` or `false`", diags);
                None
            }
        }
    }

    pub fn int(&mut self, key: &str, diags: &mut Diagnostics) -> Option<i64> {
        let node = self.take(key)?;
        match node.value {
            Node::Int(i) => Some(i),
            _ => {
                self.type_error(key, node, "an integer", diags);
                None
            }
        }
    }

    /// A string or a TOML date literal (`date = 2024-01-02` or `date = "2024-01-02"`).
    pub fn date_text(&mut self, key: &str, diags: &mut Diagnostics) -> Option<Spanned<String>> {
        let node = self.take(key)?;
        match &node.value {
            Node::Str(s) | Node::Datetime(s) => Some(Spanned {
                value: s.clone(),
                span: node.span.clone(),
            }),
            Node::Int(i) => Some(Spanned {
                value: i.to_string(),
                span: node.span.clone(),
            }),
            _ => {
                self.type_error(key, node, "a date (\"YYYY-MM-DD\")", diags);
                None
            }
        }
    }

    pub fn strings(&mut self, key: &str, diags: &mut Diagnostics) -> Option<Vec<Spanned<String>>> {
        let node = self.take(key)?;
        match &node.value {
            Node::Array(items) => {
                let mut out = Vec::new();
                for item in items {
                    match &item.value {
                        Node::Str(s) => out.push(Spanned {
                            value: s.clone(),
                            span: item.span.clone(),
                        }),
                        _ => self.type_error(key, item, "a string", diags),
                    }
                }
                Some(out)
            }
            _ => {
                self.type_error(key, node, "a list of strings", diags);
                None
            }
        }
    }

    pub fn table(&mut self, key: &str, diags: &mut Diagnostics) -> Option<&'a Table> {
        let node = self.take(key)?;
        match &node.value {
            Node::Table(t) => Some(t),
            _ => {
                self.type_error(key, node, "a table", diags);
                None
            }
        }
    }

    /// Keys not read yet, in source order.
    pub fn unread(&self) -> impl Iterator<Item = &'a (Spanned<String>, Spanned<Node>)> + '_ {
        self.table
            .entries
            .iter()
            .zip(&self.used)
            .filter(|(_, used)| !**used)
            .map(|(e, _)| e)
    }

    /// Reports every key that was not read as unknown, suggesting the closest known key.
    pub fn finish(self, known: &[&str], diags: &mut Diagnostics) {
        for (key, _) in self.unread() {
            let d = Diagnostic::error(
                "unknown-key",
                format!("unknown key `{}` in {}", key.value, self.what),
            )
            .label(self.span(&key.span), "not a known key");
            let d = match crate::diag::did_you_mean(&key.value, known.iter().copied()) {
                Some(best) => d.help(format!("did you mean `{best}`?")),
                None => d.help(format!(
                    "known keys here: {}",
                    known
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            };
            diags.push(d);
        }
    }
}

/// A value of the kind a type error expected, shown in its help.
fn example(expected: &str) -> Option<&'static str> {
    Some(match expected {
        "a string" => "\"…\"",
        "`true` or `false`" => "true",
        "an integer" => "10",
        "a date (\"YYYY-MM-DD\")" => "2024-05-13",
        "a list of strings" => "[\"a\", \"b\"]",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_spans_are_offset_into_the_file() {
        let mut diags = Diagnostics::new();
        let t = parse_toml("title = \"x\"\n", 4, SourceId(0), &mut diags).expect("valid");
        let (k, v) = &t.entries[0];
        assert_eq!(k.span, 4..9);
        assert_eq!(v.span, 12..15);
    }

    #[test]
    fn deeply_nested_yaml_is_an_error_not_a_stack_overflow() {
        // Issue 13: about 2,000 nested mappings overflowed the YAML loader's stack.
        for text in [
            (0..5000)
                .map(|i| format!("{}k:\n", " ".repeat(i)))
                .collect::<String>(),
            format!("a: {}{}\n", "[".repeat(5000), "]".repeat(5000)),
            format!("a: {}\n", "{b: ".repeat(5000) + &"}".repeat(5000)),
        ] {
            let mut diags = Diagnostics::new();
            assert!(parse_yaml(&text, 4, SourceId(0), &mut diags).is_none());
            let d = &diags.items()[0];
            // saphyr's parser refuses deep flow collections itself (`recursion limit exceeded`).
            assert!(
                d.message == "front matter nested more than 64 levels deep"
                    || d.message == "invalid YAML: recursion limit exceeded",
                "{}",
                d.message
            );
            assert!(d.labels[0].0.range.start > 4, "located in the file");
        }
        let mut diags = Diagnostics::new();
        let nested = (0..60)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect::<String>();
        assert!(parse_yaml(&nested, 0, SourceId(0), &mut diags).is_some());
    }

    #[test]
    fn yaml_keeps_order_and_types() {
        let mut diags = Diagnostics::new();
        let t =
            parse_yaml("b: 1\na: [x, 2.5]\nc: true\n", 0, SourceId(0), &mut diags).expect("valid");
        let keys: Vec<_> = t.entries.iter().map(|(k, _)| k.value.as_str()).collect();
        assert_eq!(keys, ["b", "a", "c"]);
        assert_eq!(t.get("b").map(|n| &n.value), Some(&Node::Int(1)));
        assert_eq!(t.get("c").map(|n| &n.value), Some(&Node::Bool(true)));
        assert_eq!(t.get("b").map(|n| n.span.clone()), Some(3..4));
    }

    #[test]
    fn toml_errors_are_all_reported() {
        let mut diags = Diagnostics::new();
        assert!(parse_toml("a = \nb = = 2\n", 0, SourceId(0), &mut diags).is_none());
        assert!(diags.count(crate::diag::Severity::Error) >= 1);
    }
}
