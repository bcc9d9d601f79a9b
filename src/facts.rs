//! Fact sheets: a collection entry's front matter typed against its schema.
//!
//! In: a `Doc` that lives in a collection's directory and the collection's `CollectionSpec`.
//! Out: an `Entry` whose fields are `Fact`s (a sourced value, an undisclosed figure with the
//! source that says so, or not yet researched). Every violation points inside the front matter.
//! Refs between entries are checked later, in `site`, once every collection is loaded.

use std::ops::Range;

use serde::Serialize;

use crate::config::{CollectionSpec, FieldSpec, FieldType};
use crate::date::Date;
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::source::SourceId;
use crate::value::{Node, Reader, Spanned, Table};

/// A typed value of a field.
#[derive(Debug, Clone, PartialEq)]
pub enum FactValue {
    Str(String),
    Int(i64),
    Num(f64),
    Date(Date),
    Bool(bool),
    Enum(String),
    Url(String),
    /// Slug of an entry in the field's target collection.
    Ref(String),
    List(Vec<FactValue>),
}

/// Whether the maker disclosed a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Disclosure {
    /// The maker declines to disclose it; a source says so.
    Undisclosed,
    /// Not researched yet.
    Unknown,
    /// The field does not apply to this entry (a melting point of a gas that sublimes, the
    /// active parameters of a dense model).
    #[serde(rename = "not-applicable")]
    NotApplicable,
}

impl Disclosure {
    pub const NAMES: [&'static str; 3] = ["undisclosed", "unknown", "not-applicable"];
}

/// One field of one entry.
#[derive(Debug, Clone, PartialEq)]
pub enum Fact {
    Known {
        value: FactValue,
        source: Option<String>,
        note: Option<String>,
        as_of: Option<Date>,
    },
    Withheld {
        disclosure: Disclosure,
        source: Option<String>,
        note: Option<String>,
    },
}

impl Fact {
    pub fn value(&self) -> Option<&FactValue> {
        match self {
            Fact::Known { value, .. } => Some(value),
            Fact::Withheld { .. } => None,
        }
    }

    pub fn source(&self) -> Option<&str> {
        match self {
            Fact::Known { source, .. } | Fact::Withheld { source, .. } => source.as_deref(),
        }
    }

    pub fn note(&self) -> Option<&str> {
        match self {
            Fact::Known { note, .. } | Fact::Withheld { note, .. } => note.as_deref(),
        }
    }
}

/// A ref value and where it was written, for checking once all entries are known.
#[derive(Debug, Clone)]
pub struct RefUse {
    pub field: usize,
    pub slug: String,
    pub span: Span,
}

/// A typed fact sheet.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The file name without `.md`.
    pub slug: String,
    /// Aligned with the collection's `fields`; `None` where an optional field is absent.
    pub facts: Vec<Option<Fact>>,
    pub refs: Vec<RefUse>,
    pub last_verified: Option<Date>,
}

/// Types an entry's fields, pushing every violation.
pub fn type_entry(
    spec: &CollectionSpec,
    slug: &str,
    table: &Table,
    source: SourceId,
    front_span: Range<usize>,
    last_verified: Option<&Spanned<Date>>,
    diags: &mut Diagnostics,
) -> Entry {
    let mut r = Reader::new(table, source, "front matter");
    let mut facts = Vec::with_capacity(spec.fields.len());
    let mut refs = Vec::new();
    for (i, field) in spec.fields.iter().enumerate() {
        match r.take(&field.name) {
            Some(node) => {
                let fact = type_field(field, node, source, diags);
                if let Some(Fact::Known { value, .. }) = &fact {
                    collect_refs(i, value, node, source, &mut refs);
                }
                facts.push(fact);
            }
            None => {
                if field.required {
                    let example = if field.sourced {
                        format!("{} = {{ value = …, source = \"https://…\" }}", field.name)
                    } else {
                        format!("{} = …", field.name)
                    };
                    diags.push(
                        Diagnostic::error("schema", format!("required field `{}` is missing from {} `{slug}`", field.name, spec.singular))
                            .label(Span::new(source, front_span.clone()), format!("no `{}` in this front matter", field.name))
                            .help(format!(
                                "add `{example}`{}",
                                if field.sourced { ", or `{ disclosure = \"undisclosed\", source = \"…\" }` if the maker does not disclose it" } else { "" }
                            )),
                    );
                }
                facts.push(None);
            }
        }
    }
    if last_verified.is_none() && spec.require_last_verified {
        diags.push(
            Diagnostic::error("schema", format!("{} `{slug}` has no `last_verified` date", spec.singular))
                .label(Span::new(source, front_span), "")
                .help(format!("add `last_verified = \"YYYY-MM-DD\"`, the day its facts were last checked against their sources, or set `require_last_verified = false` under `[collections.{}]`", spec.name)),
        );
    }
    Entry {
        slug: slug.to_string(),
        facts,
        refs,
        last_verified: last_verified.map(|d| d.value),
    }
}

fn collect_refs(
    field: usize,
    value: &FactValue,
    node: &Spanned<Node>,
    source: SourceId,
    out: &mut Vec<RefUse>,
) {
    // The span of the ref string itself: inside `{ value = … }` for sourced fields.
    let value_node = match &node.value {
        Node::Table(t) => t.get("value").unwrap_or(node),
        _ => node,
    };
    match (value, &value_node.value) {
        (FactValue::Ref(slug), _) => out.push(RefUse {
            field,
            slug: slug.clone(),
            span: Span::new(source, value_node.span.clone()),
        }),
        (FactValue::List(items), Node::Array(nodes)) => {
            for (item, n) in items.iter().zip(nodes) {
                if let FactValue::Ref(slug) = item {
                    out.push(RefUse {
                        field,
                        slug: slug.clone(),
                        span: Span::new(source, n.span.clone()),
                    });
                }
            }
        }
        _ => {}
    }
}

const SOURCED_KEYS: &[&str] = &["value", "source", "note", "as_of", "disclosure"];

fn type_field(
    field: &FieldSpec,
    node: &Spanned<Node>,
    source: SourceId,
    diags: &mut Diagnostics,
) -> Option<Fact> {
    let span = |r: &Range<usize>| Span::new(source, r.clone());
    let table = match &node.value {
        Node::Table(t)
            if t.get("value").is_some()
                || t.get("disclosure").is_some()
                || t.get("source").is_some() =>
        {
            Some(t)
        }
        _ => None,
    };
    let Some(t) = table else {
        if field.sourced {
            diags.push(
                Diagnostic::error("source", format!("`{}` is a sourced field but has no source", field.name))
                    .label(span(&node.span), "a bare value")
                    .help(format!(
                        "write `{} = {{ value = …, source = \"https://…\" }}` with the URL where you found it",
                        field.name
                    )),
            );
            return None;
        }
        let value = type_value(field, &field.ty, node, source, diags)?;
        return Some(Fact::Known {
            value,
            source: None,
            note: None,
            as_of: None,
        });
    };
    let mut r = Reader::new(t, source, "a sourced value");
    let source_url = r.string("source", diags);
    let note = r.string("note", diags).map(|s| s.value);
    let as_of = match r.date_text("as_of", diags) {
        Some(s) => match Date::parse(&s.value) {
            Some(d) => Some(d),
            None => {
                diags.push(
                    Diagnostic::error("type", format!("`as_of` is not a date: `{}`", s.value))
                        .label(span(&s.span), "expected YYYY, YYYY-MM or YYYY-MM-DD")
                        .help("write the date the source was read as e.g. `as_of = \"2024-05\"`"),
                );
                None
            }
        },
        None => None,
    };
    let disclosure = r.string("disclosure", diags);
    let value_node = r.take("value");
    r.finish(SOURCED_KEYS, diags);
    if let Some(src) = &source_url {
        if !is_http_url(&src.value) {
            diags.push(
                Diagnostic::error(
                    "source",
                    format!(
                        "source of `{}` is not a web address: `{}`",
                        field.name, src.value
                    ),
                )
                .label(span(&src.span), "expected https://…")
                .help("give the URL of the paper, model card, licence text or announcement"),
            );
        }
    }
    if !field.sourced && (source_url.is_some() || disclosure.is_some()) {
        diags.push(
            Diagnostic::error("schema", format!("`{}` is not a sourced field", field.name))
                .label(span(&node.span), "")
                .help(format!(
                    "write the value directly (`{} = …`), or mark the field `sourced = true` in book.toml",
                    field.name
                )),
        );
        return None;
    }
    match (value_node, disclosure) {
        (Some(v), None) => {
            let value = type_value(field, &field.ty, v, source, diags)?;
            if field.sourced && source_url.is_none() {
                diags.push(
                    Diagnostic::error(
                        "source",
                        format!("`{}` has a value but no source", field.name),
                    )
                    .label(span(&node.span), "no `source` here")
                    .help("add `source = \"https://…\"`: the URL where this value is stated"),
                );
            }
            Some(Fact::Known {
                value,
                source: source_url.map(|s| s.value),
                note,
                as_of,
            })
        }
        (None, Some(d)) => {
            let disclosure = match d.value.as_str() {
                "undisclosed" => Disclosure::Undisclosed,
                "unknown" => Disclosure::Unknown,
                "not-applicable" => Disclosure::NotApplicable,
                other => {
                    diags.push(
                        Diagnostic::error("schema", format!("unknown disclosure `{other}`"))
                            .label(span(&d.span), "expected `undisclosed`, `unknown` or `not-applicable`")
                            .suggest(other, Disclosure::NAMES)
                            .help("`undisclosed`: the source declines to say (cite where); `unknown`: not researched yet; `not-applicable`: the field does not apply to this entry"),
                    );
                    return None;
                }
            };
            if disclosure == Disclosure::Undisclosed && source_url.is_none() {
                diags.push(
                    Diagnostic::error(
                        "source",
                        format!("`{}` is marked undisclosed without a source", field.name),
                    )
                    .label(span(&node.span), "")
                    .help("add `source = \"https://…\"`: where the maker declines or omits it"),
                );
            }
            Some(Fact::Withheld {
                disclosure,
                source: source_url.map(|s| s.value),
                note,
            })
        }
        (Some(_), Some(d)) => {
            diags.push(
                Diagnostic::error(
                    "schema",
                    format!("`{}` has both a `value` and a `disclosure`", field.name),
                )
                .label(span(&d.span), "")
                .help("keep `value` if it is known, or `disclosure` if it is not"),
            );
            None
        }
        (None, None) => {
            diags.push(
                Diagnostic::error(
                    "schema",
                    format!("`{}` has neither `value` nor `disclosure`", field.name),
                )
                .label(span(&node.span), "")
                .help("add `value = …`, or `disclosure = \"undisclosed\"` / `\"unknown\"`"),
            );
            None
        }
    }
}

fn is_http_url(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://"))
        && s.len() > 10
        && !s.contains(char::is_whitespace)
}

fn type_value(
    field: &FieldSpec,
    ty: &FieldType,
    node: &Spanned<Node>,
    source: SourceId,
    diags: &mut Diagnostics,
) -> Option<FactValue> {
    let mismatch = |diags: &mut Diagnostics, expected: &str| {
        diags.push(
            Diagnostic::error(
                "type",
                format!(
                    "`{}` must be {expected}, found {}",
                    field.name,
                    node.value.type_name()
                ),
            )
            .label(
                Span::new(source, node.span.clone()),
                format!("expected {expected}"),
            )
            .help(format!(
                "`{}` is declared as {} in book.toml",
                field.name,
                ty.name()
            )),
        );
    };
    match (ty, &node.value) {
        (FieldType::String | FieldType::Text, Node::Str(s)) => Some(FactValue::Str(s.clone())),
        (FieldType::Integer, Node::Int(i)) => Some(FactValue::Int(*i)),
        (FieldType::Number, Node::Int(i)) => Some(FactValue::Num(*i as f64)),
        (FieldType::Number, Node::Float(f)) if f.is_finite() => Some(FactValue::Num(*f)),
        (FieldType::Bool, Node::Bool(b)) => Some(FactValue::Bool(*b)),
        (FieldType::Date, Node::Str(s) | Node::Datetime(s)) => match Date::parse(s) {
            Some(d) => Some(FactValue::Date(d)),
            None => {
                diags.push(
                    Diagnostic::error("type", format!("`{}` is not a date: `{s}`", field.name))
                        .label(
                            Span::new(source, node.span.clone()),
                            "expected YYYY, YYYY-MM or YYYY-MM-DD",
                        )
                        .help("write e.g. \"2024-04-18\" or \"2024-04\""),
                );
                None
            }
        },
        (FieldType::Url, Node::Str(s)) => {
            if is_http_url(s) {
                Some(FactValue::Url(s.clone()))
            } else {
                diags.push(
                    Diagnostic::error(
                        "type",
                        format!("`{}` must be a web address, found `{s}`", field.name),
                    )
                    .label(Span::new(source, node.span.clone()), "expected https://…")
                    .help("write the full address, starting with `https://` or `http://`"),
                );
                None
            }
        }
        (FieldType::Enum(values), Node::Str(s)) => {
            if values.iter().any(|(k, _)| k == s) {
                Some(FactValue::Enum(s.clone()))
            } else {
                let allowed = values
                    .iter()
                    .map(|(k, _)| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let d = Diagnostic::error(
                    "enum",
                    format!("`{s}` is not an allowed value of `{}`", field.name),
                )
                .label(
                    Span::new(source, node.span.clone()),
                    format!("allowed: {allowed}"),
                );
                let d = match crate::diag::did_you_mean(s, values.iter().map(|(k, _)| k.as_str())) {
                    Some(best) => d.help(format!("did you mean `{best}`?")),
                    None => d.help(format!(
                        "use one of {allowed}, or add `{s}` to the field's `values` in book.toml"
                    )),
                };
                diags.push(d);
                None
            }
        }
        (FieldType::Ref(_), Node::Str(s)) => Some(FactValue::Ref(s.clone())),
        (FieldType::List(of), Node::Array(items)) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                out.push(type_value(field, of, item, source, diags)?);
            }
            Some(FactValue::List(out))
        }
        (
            FieldType::String
            | FieldType::Text
            | FieldType::Url
            | FieldType::Enum(_)
            | FieldType::Ref(_),
            _,
        ) => {
            mismatch(diags, "a string");
            None
        }
        (FieldType::Integer, _) => {
            mismatch(diags, "an integer");
            None
        }
        (FieldType::Number, _) => {
            mismatch(diags, "a number");
            None
        }
        (FieldType::Bool, _) => {
            mismatch(diags, "`true` or `false`");
            None
        }
        (FieldType::Date, _) => {
            mismatch(diags, "a date string");
            None
        }
        (FieldType::List(_), _) => {
            mismatch(diags, "a list");
            None
        }
    }
}

/// Formats a number for people: thousands separators, no trailing zeros, up to three decimals
/// (and three significant digits for magnitudes under 1, so 0.00008988 does not read as 0).
pub fn format_number(n: f64) -> String {
    if n != 0.0 && n.abs() < 1.0 {
        return format_significant(n, 3);
    }
    format_decimals(n, 3)
}

/// Formats a number rounded to `digits` significant digits (a field's `precision`).
pub fn format_significant(n: f64, digits: u32) -> String {
    if !n.is_finite() || n == 0.0 {
        return format_decimals(n, 0);
    }
    let magnitude = n.abs().log10().floor() as i32;
    let decimals = (digits as i32 - 1 - magnitude).clamp(0, 17) as u32;
    if decimals == 0 {
        let scale = 10f64.powi(magnitude + 1 - digits as i32);
        return format_decimals((n / scale).round() * scale, 0);
    }
    format_decimals(n, decimals)
}

/// Formats with at most `decimals` decimals, trailing zeros dropped, thousands grouped.
pub fn format_decimals(n: f64, decimals: u32) -> String {
    if !n.is_finite() {
        return n.to_string();
    }
    let fixed = format!("{:.*}", decimals as usize, n.abs());
    let (int, frac) = fixed.split_once('.').unwrap_or((&fixed, ""));
    let frac = frac.trim_end_matches('0');
    let mut s = match int.parse::<u64>() {
        Ok(i) => group_thousands(i),
        Err(_) => int.to_string(),
    };
    if !frac.is_empty() {
        s.push('.');
        s.push_str(frac);
    }
    if n < 0.0 && s.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
        format!("-{s}")
    } else {
        s
    }
}

/// Formats a field's number: with its `precision` if it has one.
pub fn format_field_number(n: f64, precision: Option<u32>) -> String {
    match precision {
        Some(p) => format_significant(n, p),
        None => format_number(n),
    }
}

fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_like_people_write_them() {
        assert_eq!(format_number(15000.0), "15,000");
        assert_eq!(format_number(70.6), "70.6");
        assert_eq!(format_number(0.125), "0.125");
        assert_eq!(format_number(1_048_576.0), "1,048,576");
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(-2.5), "-2.5");
        assert_eq!(format_number(-0.0001), "-0.0001");
    }

    #[test]
    fn small_numbers_keep_their_significant_digits() {
        // Hydrogen's density in g/cm³: the old format showed "0".
        assert_eq!(format_number(0.00008988), "0.0000899");
        assert_eq!(format_number(0.5), "0.5");
        assert_eq!(format_number(0.125), "0.125");
        assert_eq!(format_number(0.1234), "0.123");
    }

    #[test]
    fn precision_rounds_to_significant_digits() {
        assert_eq!(format_significant(0.00008988, 4), "0.00008988");
        assert_eq!(format_significant(0.00008988, 2), "0.00009");
        assert_eq!(format_significant(1234.5678, 3), "1,230");
        assert_eq!(format_significant(7.874, 2), "7.9");
        assert_eq!(format_significant(19.32, 4), "19.32");
        assert_eq!(format_significant(100.0, 2), "100");
        assert_eq!(format_field_number(3.0, None), "3");
    }
}
