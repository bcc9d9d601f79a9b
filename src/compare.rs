//! The comparison engine: pages generated from fact-sheet front matter.
//!
//! In: the `Site`'s typed collections. Out: the pages to add (`plan`), the template context of
//! each generated page (`context`), and the data exports. Nothing here knows about any domain:
//! everything follows from the schema in `book.toml`.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use tera::Value as TValue;

use crate::config::{FieldSpec, FieldType};
use crate::facts::{Disclosure, Fact, FactValue, format_field_number};
use crate::markdown::{escape_attr, escape_text};
use crate::site::{Page, PageKind, Site};

/// Every generated page for every collection.
pub fn plan(site: &Site) -> Vec<Page> {
    let mut pages = Vec::new();
    if site.collections.is_empty() {
        return pages;
    }
    pages.push(Page {
        path: "compare/".into(),
        kind: PageKind::CompareIndex,
        title: "Compare".into(),
        template: "compare/index.html".into(),
    });
    for (ci, c) in site.collections.iter().enumerate() {
        let name = &c.spec.name;
        pages.push(Page {
            path: format!("compare/{name}/"),
            kind: PageKind::Table(ci),
            title: format!("Compare {}", c.spec.title.to_lowercase()),
            template: "compare/table.html".into(),
        });
        pages.push(Page {
            path: pick_path(name),
            kind: PageKind::Pick(ci),
            title: format!("Compare any {}", c.spec.title.to_lowercase()),
            template: "compare/pick.html".into(),
        });
        for &(a, b) in &site.pairs[ci].pages {
            let (sa, sb) = (&c.entries[a].slug, &c.entries[b].slug);
            let title = format!(
                "{} vs {}",
                entry_title(site, ci, a),
                entry_title(site, ci, b)
            );
            pages.push(Page {
                path: pair_path(name, sa, sb),
                kind: PageKind::Pair(ci, a, b),
                title: title.clone(),
                template: "compare/pair.html".into(),
            });
            pages.push(Page {
                path: format!("compare/{name}/{sb}-vs-{sa}/"),
                kind: PageKind::Redirect(site.url(&pair_path(name, sa, sb))),
                title,
                template: String::new(),
            });
        }
        for (fi, f) in c.spec.fields.iter().enumerate() {
            if f.ty.is_facet() {
                pages.push(Page {
                    path: format!("compare/{name}/{}/", f.name),
                    kind: PageKind::FacetIndex(ci, fi),
                    title: format!("{} by {}", c.spec.title, f.label.to_lowercase()),
                    template: "compare/facet_index.html".into(),
                });
                for (value, _) in facet_values(site, ci, fi) {
                    let label = facet_label(site, f, &value);
                    pages.push(Page {
                        path: format!("compare/{name}/{}/{value}/", f.name),
                        kind: PageKind::Facet(ci, fi, value),
                        title: format!("{}: {} — {}", c.spec.title, f.label, label),
                        template: "compare/facet.html".into(),
                    });
                }
            } else if f.ty.is_numeric() && f.rank {
                pages.push(Page {
                    path: format!("compare/{name}/{}/", f.name),
                    kind: PageKind::Ranking(ci, fi),
                    title: format!("{} ranked by {}", c.spec.title, f.label.to_lowercase()),
                    template: "compare/ranking.html".into(),
                });
            }
        }
        if !c.spec.charts.is_empty() {
            pages.push(Page {
                path: format!("compare/{name}/charts/"),
                kind: PageKind::Charts(ci),
                title: format!("{} in charts", c.spec.title),
                template: "compare/charts.html".into(),
            });
        }
    }
    pages
}

/// The compare-any page of a collection.
pub fn pick_path(collection: &str) -> String {
    format!("compare/{collection}/pick/")
}

/// A sheet's data for the compare-any page: `data/NAME/SLUG.json`.
pub fn entry_data_path(collection: &str, slug: &str) -> String {
    format!("data/{collection}/{slug}.json")
}

/// The type-ahead index of the compare-any page: `data/NAME/index.json`.
pub fn index_data_path(collection: &str) -> String {
    format!("data/{collection}/index.json")
}

pub fn pair_path(collection: &str, a: &str, b: &str) -> String {
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    format!("compare/{collection}/{a}-vs-{b}/")
}

pub fn entry_title(site: &Site, c: usize, e: usize) -> String {
    let doc = &site.docs[site.collections[c].docs[e]];
    doc.front
        .title
        .clone()
        .unwrap_or_else(|| doc.stem().to_string())
}

fn entry_url(site: &Site, c: usize, e: usize) -> String {
    site.doc_url(site.collections[c].docs[e])
}

/// Values of a facet field that at least one entry has, with the entries having each, sorted
/// in declaration order for enums and by slug for refs.
pub fn facet_values(site: &Site, c: usize, f: usize) -> Vec<(String, Vec<usize>)> {
    let coll = &site.collections[c];
    let field = &coll.spec.fields[f];
    let mut map: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (ei, e) in coll.entries.iter().enumerate() {
        let Some(Some(Fact::Known { value, .. })) = e.facts.get(f) else {
            continue;
        };
        let mut push = |v: &FactValue| {
            if let FactValue::Enum(s) | FactValue::Ref(s) = v {
                map.entry(s.clone()).or_default().push(ei);
            }
        };
        match value {
            FactValue::List(items) => items.iter().for_each(&mut push),
            v => push(v),
        }
    }
    match field.ty.enum_values() {
        Some(values) => values
            .iter()
            .filter_map(|(k, _)| map.remove_entry(k))
            .collect(),
        None => map.into_iter().collect(),
    }
}

pub(crate) fn facet_label(site: &Site, field: &FieldSpec, value: &str) -> String {
    if let Some(values) = field.ty.enum_values() {
        if let Some((_, label)) = values.iter().find(|(k, _)| k == value) {
            return label.clone();
        }
    }
    if let Some(target) = field.ty.ref_target() {
        if let Some(tc) = site.collections.iter().position(|c| c.spec.name == target) {
            if let Some(te) = site.collections[tc].entry_index(value) {
                return entry_title(site, tc, te);
            }
        }
    }
    value.to_string()
}

/// A value as plain text for people (no source).
pub fn value_text(site: &Site, field: &FieldSpec, ty: &FieldType, v: &FactValue) -> String {
    let unit = |s: String| match &field.unit {
        Some(u) => format!("{s} {u}"),
        None => s,
    };
    match v {
        FactValue::Str(s) | FactValue::Url(s) => s.clone(),
        FactValue::Int(i) => unit(format_field_number(*i as f64, field.precision)),
        FactValue::Num(n) => unit(format_field_number(*n, field.precision)),
        FactValue::Date(d) => d.to_string(),
        FactValue::Bool(b) => if *b { "Yes" } else { "No" }.into(),
        FactValue::Enum(s) | FactValue::Ref(s) => facet_label(site, field, s),
        FactValue::List(items) => {
            let of = match ty {
                FieldType::List(of) => of.as_ref(),
                t => t,
            };
            if items.is_empty() {
                "none".into()
            } else {
                items
                    .iter()
                    .map(|i| value_text(site, field, of, i))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        }
    }
}

/// A value as HTML: refs link to their entry, enums to their facet page, URLs are links.
fn value_html(site: &Site, c: usize, field: &FieldSpec, ty: &FieldType, v: &FactValue) -> String {
    match (ty, v) {
        (FieldType::List(of), FactValue::List(items)) => {
            if items.is_empty() {
                "none".into()
            } else {
                items
                    .iter()
                    .map(|i| value_html(site, c, field, of, i))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        }
        (FieldType::Ref(target), FactValue::Ref(slug)) => {
            let label = escape_text(&facet_label(site, field, slug));
            match site
                .collections
                .iter()
                .position(|c| &c.spec.name == target)
                .and_then(|tc| Some((tc, site.collections[tc].entry_index(slug)?)))
            {
                Some((tc, te)) => format!(
                    "<a href=\"{}\">{label}</a>",
                    escape_attr(&entry_url(site, tc, te))
                ),
                None => label,
            }
        }
        (FieldType::Enum(_), FactValue::Enum(key)) => {
            let path = format!(
                "compare/{}/{}/{key}/",
                site.collections[c].spec.name, field.name
            );
            let label = escape_text(&facet_label(site, field, key));
            if site.by_path.contains_key(&path) {
                format!("<a href=\"{}\">{label}</a>", escape_attr(&site.url(&path)))
            } else {
                label
            }
        }
        (FieldType::Url, FactValue::Url(u)) => {
            format!(
                "<a href=\"{}\">{}</a>",
                escape_attr(u),
                escape_text(&short_url(u))
            )
        }
        _ => escape_text(&value_text(site, field, ty, v)),
    }
}

fn short_url(u: &str) -> String {
    let s = u
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_start_matches("www.");
    if s.chars().count() > 48 {
        let cut: String = s.chars().take(45).collect();
        format!("{cut}…")
    } else {
        s.to_string()
    }
}

/// A sortable key: numbers as numbers, dates as days, text lowercased.
fn sort_key(site: &Site, field: &FieldSpec, v: &FactValue) -> Value {
    match v {
        FactValue::Int(i) => json!(i),
        FactValue::Num(n) => json!(n),
        FactValue::Date(d) => json!(d.days_since_epoch()),
        FactValue::Bool(b) => json!(if *b { 1 } else { 0 }),
        FactValue::List(items) => json!(items.len()),
        _ => json!(value_text(site, field, &field.ty, v).to_lowercase()),
    }
}

/// One field of one entry, everything a template needs to show it.
pub fn cell(site: &Site, c: usize, fi: usize, fact: Option<&Fact>) -> Value {
    let field = &site.collections[c].spec.fields[fi];
    let (state, text, html, sort) = match fact {
        None => (
            "absent",
            "—".to_string(),
            "<span class=\"absent\">—</span>".to_string(),
            Value::Null,
        ),
        Some(Fact::Known { value, .. }) => (
            "value",
            value_text(site, field, &field.ty, value),
            value_html(site, c, field, &field.ty, value),
            sort_key(site, field, value),
        ),
        Some(Fact::Withheld {
            disclosure: Disclosure::Undisclosed,
            ..
        }) => (
            "undisclosed",
            "undisclosed".to_string(),
            "<span class=\"undisclosed\">undisclosed</span>".to_string(),
            Value::Null,
        ),
        Some(Fact::Withheld {
            disclosure: Disclosure::Unknown,
            ..
        }) => (
            "unknown",
            "unknown".to_string(),
            "<span class=\"unknown\">not yet researched</span>".to_string(),
            Value::Null,
        ),
        Some(Fact::Withheld {
            disclosure: Disclosure::NotApplicable,
            ..
        }) => (
            "not-applicable",
            "not applicable".to_string(),
            "<span class=\"not-applicable\">not applicable</span>".to_string(),
            Value::Null,
        ),
    };
    let source = fact.and_then(Fact::source);
    let note = fact.and_then(Fact::note);
    let as_of = match fact {
        Some(Fact::Known { as_of: Some(d), .. }) => Some(d.to_string()),
        _ => None,
    };
    let mut full = html.clone();
    if let Some(src) = source {
        full.push_str(&format!(
            " <a class=\"src\" href=\"{}\" title=\"Source: {}\">source</a>",
            escape_attr(src),
            escape_attr(&short_url(src))
        ));
    }
    // The whole cell as pair pages, sheets and the compare-any page show it: one string, so that
    // the three agree byte for byte.
    let mut cell_html = full.clone();
    if let Some(n) = note {
        cell_html.push_str("<div class=\"note\">");
        cell_html.push_str(&escape_text(n));
        cell_html.push_str("</div>");
    }
    if let Some(d) = &as_of {
        cell_html.push_str(&format!("<div class=\"note\">As of {d}.</div>"));
    }
    json!({
        "field": field.name,
        "label": field.label,
        "state": state,
        "cell_html": cell_html,
        "key": fact.map(fact_identity),
        "text": text,
        "html": html,
        "full_html": full,
        "sort": sort,
        "source": source,
        "note": note,
        "as_of": as_of,
        "raw": fact.and_then(Fact::value).map(raw_json),
        "year": match fact.and_then(Fact::value) {
            Some(FactValue::Date(d)) => Some(d.year),
            _ => None,
        },
    })
}

fn raw_json(v: &FactValue) -> Value {
    match v {
        FactValue::Str(s) | FactValue::Url(s) | FactValue::Enum(s) | FactValue::Ref(s) => json!(s),
        FactValue::Int(i) => json!(i),
        FactValue::Num(n) => json!(n),
        FactValue::Date(d) => json!(d.to_string()),
        FactValue::Bool(b) => json!(b),
        FactValue::List(items) => Value::Array(items.iter().map(raw_json).collect()),
    }
}

/// Schema of a collection for templates.
pub fn fields_view(site: &Site, c: usize) -> Value {
    let spec = &site.collections[c].spec;
    Value::Array(
        spec.fields
            .iter()
            .map(|f| {
                let facet_url =
                    f.ty.is_facet()
                        .then(|| site.url(&format!("compare/{}/{}/", spec.name, f.name)));
                let ranking_url = (f.ty.is_numeric() && f.rank)
                    .then(|| site.url(&format!("compare/{}/{}/", spec.name, f.name)));
                json!({
                    "name": f.name,
                    "label": f.label,
                    "description": f.description,
                    "type": f.ty.name(),
                    "unit": f.unit,
                    "sourced": f.sourced,
                    "numeric": f.ty.is_numeric() || f.ty == FieldType::Date,
                    "facet": f.ty.is_facet(),
                    "default_column": spec.columns.is_empty() || spec.columns.contains(&f.name),
                    "facet_url": facet_url,
                    "ranking_url": ranking_url,
                })
            })
            .collect(),
    )
}

/// An entry's view without its cells: slug, title, description, URL, `last_verified` and the
/// facet keys the table filters by.
fn entry_base(site: &Site, c: usize, e: usize) -> Value {
    let coll = &site.collections[c];
    let entry = &coll.entries[e];
    let doc = &site.docs[coll.docs[e]];
    let mut facets = serde_json::Map::new();
    for (fi, f) in coll.spec.fields.iter().enumerate() {
        if !f.ty.is_facet() {
            continue;
        }
        let keys: Vec<String> = match entry.facts[fi].as_ref().and_then(Fact::value) {
            Some(FactValue::List(items)) => items.iter().filter_map(key_of).collect(),
            Some(v) => key_of(v).into_iter().collect(),
            None => Vec::new(),
        };
        facets.insert(f.name.clone(), json!(keys.join(" ")));
    }
    json!({
        "slug": entry.slug,
        "title": entry_title(site, c, e),
        "description": doc.front.description,
        "url": entry_url(site, c, e),
        "last_verified": entry.last_verified.map(|d| d.to_string()),
        "facets": facets,
    })
}

fn key_of(v: &FactValue) -> Option<String> {
    match v {
        FactValue::Enum(s) | FactValue::Ref(s) => Some(s.clone()),
        _ => None,
    }
}

/// Precomputed entry views, built once per build and shared by every generated page. Each cell
/// is converted to a template value once; an entry's `cells` and `f` hold clones of those, and
/// template arrays and maps are reference-counted, so a cell's strings exist once however many
/// pages show it (at 10,000 entries, five copies of every cell were 2 GB).
pub struct Views {
    /// Per collection, entry and field: the raw value and the sort key (for `get_collection`).
    pub keys: Vec<Vec<Vec<(Value, Value)>>>,
    /// Per collection and entry: the entry view.
    pub entries_tv: Vec<Vec<TValue>>,
    /// Per collection: every entry view, in entry order.
    pub entry_lists_tv: Vec<TValue>,
    /// Per collection, entry and field: the entry's cell.
    pub cells_tv: Vec<Vec<Vec<TValue>>>,
    /// Per collection: the list of fields, and each field.
    pub fields_tv: Vec<TValue>,
    pub field_tv: Vec<Vec<TValue>>,
    /// Per collection: `collection_view`.
    pub collections_tv: Vec<TValue>,
}

/// One entry's parts of `Views`.
type EntryParts = (Vec<(Value, Value)>, TValue, Vec<TValue>);

impl Views {
    pub fn new(site: &Site) -> Views {
        use rayon::prelude::*;
        let n = site.collections.len();
        let parts: Vec<Vec<EntryParts>> = (0..n)
            .map(|c| {
                let coll = &site.collections[c];
                (0..coll.entries.len())
                    .into_par_iter()
                    .map(|e| {
                        let mut keys = Vec::with_capacity(coll.spec.fields.len());
                        let cells: Vec<TValue> = (0..coll.spec.fields.len())
                            .map(|fi| {
                                let v = cell(site, c, fi, coll.entries[e].facts[fi].as_ref());
                                keys.push((v["raw"].clone(), v["sort"].clone()));
                                TValue::from_serializable(&v)
                            })
                            .collect();
                        let base = TValue::from_serializable(&entry_base(site, c, e));
                        let mut map: BTreeMap<String, TValue> = base
                            .as_map()
                            .map(|m| {
                                m.iter()
                                    .map(|(k, v)| {
                                        (k.as_str().unwrap_or_default().to_string(), v.clone())
                                    })
                                    .collect()
                            })
                            .unwrap_or_default();
                        let by_name: BTreeMap<String, TValue> = coll
                            .spec
                            .fields
                            .iter()
                            .zip(&cells)
                            .map(|(f, v)| (f.name.clone(), v.clone()))
                            .collect();
                        map.insert("f".into(), TValue::from(by_name));
                        map.insert("cells".into(), TValue::from(cells.clone()));
                        (keys, TValue::from(map), cells)
                    })
                    .collect()
            })
            .collect();
        let mut keys = Vec::with_capacity(n);
        let mut entries_tv = Vec::with_capacity(n);
        let mut cells_tv = Vec::with_capacity(n);
        for coll in parts {
            let (mut k, mut e, mut cl) = (Vec::new(), Vec::new(), Vec::new());
            for (a, b, c) in coll {
                k.push(a);
                e.push(b);
                cl.push(c);
            }
            keys.push(k);
            entries_tv.push(e);
            cells_tv.push(cl);
        }
        let entry_lists_tv = entries_tv
            .iter()
            .map(|es: &Vec<TValue>| TValue::from(es.clone()))
            .collect();
        let fields_tv: Vec<TValue> = (0..n)
            .map(|c| TValue::from_serializable(&fields_view(site, c)))
            .collect();
        let field_tv = fields_tv
            .iter()
            .map(|f| f.as_array().map(<[TValue]>::to_vec).unwrap_or_default())
            .collect();
        let collections_tv = (0..n)
            .map(|c| TValue::from_serializable(&collection_view(site, c)))
            .collect();
        Views {
            keys,
            entries_tv,
            entry_lists_tv,
            cells_tv,
            fields_tv,
            field_tv,
            collections_tv,
        }
    }
}

/// A collection's name, title, counts and the URLs of its table, charts and exports.
pub fn collection_view(site: &Site, c: usize) -> Value {
    let spec = &site.collections[c].spec;
    json!({
        "name": spec.name,
        "title": spec.title,
        "singular": spec.singular,
        "description": spec.description,
        "url": site.url(&format!("compare/{}/", spec.name)),
        "section_url": site.by_path.contains_key(&format!("{}/", spec.dir)).then(|| site.url(&format!("{}/", spec.dir))),
        "charts_url": (!spec.charts.is_empty()).then(|| site.url(&format!("compare/{}/charts/", spec.name))),
        "json_url": site.url(&format!("data/{}.json", spec.name)),
        "csv_url": site.url(&format!("data/{}.csv", spec.name)),
        "count": site.collections[c].entries.len(),
    })
}

/// The table's rows: in slug order, or by the collection's `sort_by` (entries without a value
/// last, ties by slug), so that the page reads in that order without JavaScript.
fn table_entries(site: &Site, views: &Views, c: usize) -> TValue {
    let coll = &site.collections[c];
    let Some((field, desc)) = &coll.spec.sort else {
        return views.entry_lists_tv[c].clone();
    };
    let Some(fi) = coll.spec.field_index(field) else {
        return views.entry_lists_tv[c].clone();
    };
    let f = &coll.spec.fields[fi];
    let keys: Vec<Option<Value>> = coll
        .entries
        .iter()
        .map(|e| match &e.facts[fi] {
            Some(Fact::Known { value, .. }) => Some(sort_key(site, f, value)),
            _ => None,
        })
        .collect();
    let mut order: Vec<usize> = (0..coll.entries.len()).collect();
    order.sort_by(|&a, &b| {
        use std::cmp::Ordering;
        let by = match (&keys[a], &keys[b]) {
            (Some(x), Some(y)) => {
                let o = match (x.as_f64(), y.as_f64()) {
                    (Some(x), Some(y)) => x.total_cmp(&y),
                    _ => x.as_str().unwrap_or("").cmp(y.as_str().unwrap_or("")),
                };
                if *desc { o.reverse() } else { o }
            }
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        by.then(a.cmp(&b))
    });
    TValue::from(
        order
            .into_iter()
            .map(|e| views.entries_tv[c][e].clone())
            .collect::<Vec<_>>(),
    )
}

/// Filters for the table: every facet field with its values and counts.
fn filters_view(site: &Site, c: usize) -> Value {
    let spec = &site.collections[c].spec;
    Value::Array(
        spec.fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.ty.is_facet())
            .map(|(fi, f)| {
                let values: Vec<Value> = facet_values(site, c, fi)
                    .into_iter()
                    .map(|(k, entries)| {
                        json!({
                            "key": k,
                            "label": facet_label(site, f, &k),
                            "count": entries.len(),
                            "url": site.url(&format!("compare/{}/{}/{k}/", spec.name, f.name)),
                        })
                    })
                    .collect();
                json!({ "field": f.name, "label": f.label, "values": values })
            })
            .collect(),
    )
}

/// The template context of a generated page (beyond what every page gets), made of the views'
/// template values.
pub fn context(site: &Site, views: &Views, kind: &PageKind) -> Vec<(&'static str, TValue)> {
    match kind {
        PageKind::CompareIndex => vec![("collections", TValue::from(views.collections_tv.clone()))],
        PageKind::Table(c) => vec![
            ("collection", views.collections_tv[*c].clone()),
            ("fields", views.fields_tv[*c].clone()),
            ("entries", table_entries(site, views, *c)),
            (
                "filters",
                TValue::from_serializable(&filters_view(site, *c)),
            ),
            (
                "sort",
                TValue::from_serializable(&site.collections[*c].spec.sort.as_ref().map(
                    |(f, desc)| json!({ "field": f, "dir": if *desc { "desc" } else { "asc" } }),
                )),
            ),
        ],
        PageKind::Pick(c) => {
            let name = &site.collections[*c].spec.name;
            vec![
                ("collection", views.collections_tv[*c].clone()),
                ("fields", views.fields_tv[*c].clone()),
                ("index_url", TValue::from(site.url(&index_data_path(name)))),
                ("data_url", TValue::from(site.url(&format!("data/{name}/")))),
            ]
        }
        // Pair pages are built in `render` from the same values: there are n² of them.
        PageKind::FacetIndex(c, fi) => {
            let f = &site.collections[*c].spec.fields[*fi];
            let values: Vec<Value> = facet_values(site, *c, *fi)
                .into_iter()
                .map(|(k, entries)| {
                    json!({
                        "key": k,
                        "label": facet_label(site, f, &k),
                        "count": entries.len(),
                        "url": site.url(&format!("compare/{}/{}/{k}/", site.collections[*c].spec.name, f.name)),
                        "entries": entries.iter().map(|&e| json!({"title": entry_title(site, *c, e), "url": entry_url(site, *c, e)})).collect::<Vec<_>>(),
                    })
                })
                .collect();
            vec![
                ("collection", views.collections_tv[*c].clone()),
                ("field", views.field_tv[*c][*fi].clone()),
                ("values", TValue::from_serializable(&values)),
            ]
        }
        PageKind::Facet(c, fi, value) => {
            let f = &site.collections[*c].spec.fields[*fi];
            let entries: Vec<TValue> = facet_values(site, *c, *fi)
                .into_iter()
                .find(|(k, _)| k == value)
                .map(|(_, es)| {
                    es.iter()
                        .map(|&e| views.entries_tv[*c][e].clone())
                        .collect()
                })
                .unwrap_or_default();
            let value_url = f.ty.ref_target().and_then(|t| {
                let tc = site.collections.iter().position(|c| c.spec.name == t)?;
                let te = site.collections[tc].entry_index(value)?;
                Some(entry_url(site, tc, te))
            });
            vec![
                ("collection", views.collections_tv[*c].clone()),
                ("field", views.field_tv[*c][*fi].clone()),
                (
                    "value",
                    TValue::from_serializable(
                        &json!({ "key": value, "label": facet_label(site, f, value), "url": value_url }),
                    ),
                ),
                ("fields", views.fields_tv[*c].clone()),
                ("entries", TValue::from(entries)),
            ]
        }
        PageKind::Ranking(c, fi) => ranking_context(site, views, *c, *fi),
        PageKind::Charts(c) => {
            let charts: Vec<Value> = site.collections[*c]
                .spec
                .charts
                .iter()
                .map(|ch| crate::chart::chart_view(site, *c, ch))
                .collect();
            vec![
                ("collection", views.collections_tv[*c].clone()),
                ("charts", TValue::from_serializable(&charts)),
            ]
        }
        _ => Vec::new(),
    }
}

/// Whether two facts say the same thing (sources and notes aside), for "differs" marks.
pub fn same_fact(a: Option<&Fact>, b: Option<&Fact>) -> bool {
    a.map(fact_identity) == b.map(fact_identity)
}

fn fact_identity(f: &Fact) -> String {
    match f {
        Fact::Known { value, .. } => format!("{value:?}"),
        Fact::Withheld { disclosure, .. } => format!("{disclosure:?}"),
    }
}

fn ranking_context(site: &Site, views: &Views, c: usize, fi: usize) -> Vec<(&'static str, TValue)> {
    let coll = &site.collections[c];
    let mut ranked: Vec<(f64, usize)> = Vec::new();
    let mut undisclosed = Vec::new();
    let mut unknown = Vec::new();
    let mut absent = Vec::new();
    for (ei, e) in coll.entries.iter().enumerate() {
        match &e.facts[fi] {
            Some(Fact::Known {
                value: FactValue::Int(i),
                ..
            }) => ranked.push((*i as f64, ei)),
            Some(Fact::Known {
                value: FactValue::Num(n),
                ..
            }) => ranked.push((*n, ei)),
            Some(Fact::Withheld {
                disclosure: Disclosure::Undisclosed,
                ..
            }) => undisclosed.push(ei),
            Some(Fact::Withheld {
                disclosure: Disclosure::Unknown,
                ..
            }) => unknown.push(ei),
            Some(Fact::Withheld {
                disclosure: Disclosure::NotApplicable,
                ..
            })
            | None
            | Some(Fact::Known { .. }) => absent.push(ei),
        }
    }
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let max = ranked.first().map_or(1.0, |r| r.0).max(f64::MIN_POSITIVE);
    let mut rank = 0;
    let mut prev: Option<f64> = None;
    let rows: Vec<TValue> = ranked
        .iter()
        .enumerate()
        .map(|(i, (v, e))| {
            if prev != Some(*v) {
                rank = i + 1;
                prev = Some(*v);
            }
            let mut row: BTreeMap<&str, TValue> = BTreeMap::new();
            row.insert("rank", TValue::from(rank));
            row.insert("entry", views.entries_tv[c][*e].clone());
            row.insert("cell", views.cells_tv[c][*e][fi].clone());
            row.insert("share", TValue::from(((v / max) * 1000.0).round() / 10.0));
            TValue::from(row)
        })
        .collect();
    let list = |ids: &[usize]| -> TValue {
        TValue::from(
            ids.iter()
                .map(|&e| views.entries_tv[c][e].clone())
                .collect::<Vec<_>>(),
        )
    };
    vec![
        ("collection", views.collections_tv[c].clone()),
        ("field", views.field_tv[c][fi].clone()),
        ("field_index", TValue::from(fi)),
        ("rows", TValue::from(rows)),
        ("undisclosed", list(&undisclosed)),
        ("unknown", list(&unknown)),
        ("absent", list(&absent)),
    ]
}

/// `/data/NAME.json`: every entry with values, units and sources.
pub fn export_json(site: &Site, c: usize) -> String {
    use serde::ser::{SerializeSeq, SerializeStruct};
    let coll = &site.collections[c];
    let entry = |ei: usize| -> Value {
        let e = &coll.entries[ei];
        let mut fields = serde_json::Map::new();
        for (fi, f) in coll.spec.fields.iter().enumerate() {
            let v = match &e.facts[fi] {
                None => continue,
                Some(Fact::Known {
                    value,
                    source,
                    note,
                    as_of,
                }) => json!({
                    "value": raw_json(value),
                    "unit": f.unit,
                    "source": source,
                    "note": note,
                    "as_of": as_of.map(|d| d.to_string()),
                }),
                Some(Fact::Withheld {
                    disclosure,
                    source,
                    note,
                }) => json!({
                    "disclosure": disclosure,
                    "source": source,
                    "note": note,
                }),
            };
            fields.insert(f.name.clone(), v);
        }
        json!({
            "slug": e.slug,
            "title": entry_title(site, c, ei),
            "url": site.absolute_url(&site.doc_paths[coll.docs[ei]]),
            "last_verified": e.last_verified.map(|d| d.to_string()),
            "fields": fields,
        })
    };
    let schema: Vec<Value> = coll
        .spec
        .fields
        .iter()
        .map(|f| json!({"name": f.name, "label": f.label, "type": f.ty.name(), "unit": f.unit, "sourced": f.sourced, "values": f.ty.enum_values().map(|v| v.iter().map(|(k, l)| json!({"key": k, "label": l})).collect::<Vec<_>>())}))
        .collect();
    // Serialized entry by entry, so that the whole document never exists as one JSON tree (at
    // 1,000 entries that tree was the largest thing in memory); keys in the sorted order a JSON
    // object would give.
    struct Entries<'a, F: Fn(usize) -> Value>(usize, &'a F);
    impl<F: Fn(usize) -> Value> serde::Serialize for Entries<'_, F> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut seq = s.serialize_seq(Some(self.0))?;
            for ei in 0..self.0 {
                seq.serialize_element(&(self.1)(ei))?;
            }
            seq.end()
        }
    }
    struct Doc<'a, F: Fn(usize) -> Value> {
        name: &'a str,
        title: &'a str,
        fields: &'a [Value],
        entries: Entries<'a, F>,
    }
    impl<F: Fn(usize) -> Value> serde::Serialize for Doc<'_, F> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut st = s.serialize_struct("Doc", 4)?;
            st.serialize_field("collection", self.name)?;
            st.serialize_field("entries", &self.entries)?;
            st.serialize_field("fields", self.fields)?;
            st.serialize_field("title", self.title)?;
            st.end()
        }
    }
    let doc = Doc {
        name: &coll.spec.name,
        title: &coll.spec.title,
        fields: &schema,
        entries: Entries(coll.entries.len(), &entry),
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// `/data/NAME/index.json`: every entry's slug and title, for the compare-any page's type-ahead.
pub fn export_index(site: &Site, c: usize) -> String {
    let coll = &site.collections[c];
    let entries: Vec<Value> = (0..coll.entries.len())
        .map(|e| json!([coll.entries[e].slug, entry_title(site, c, e)]))
        .collect();
    let mut s = serde_json::to_string(&json!({
        "collection": coll.spec.name,
        "entries": entries,
    }))
    .unwrap_or_default();
    s.push('\n');
    s
}

/// `/data/NAME/SLUG.json`: one entry as the compare-any page shows it: each field's cell exactly
/// as on pair pages, the key that decides whether two cells differ, and the pair pages it has.
pub fn export_entry(site: &Site, c: usize, e: usize, partners: &[usize]) -> String {
    let coll = &site.collections[c];
    let entry = &coll.entries[e];
    let cells: Vec<Value> = (0..coll.spec.fields.len())
        .map(|fi| {
            let v = cell(site, c, fi, entry.facts[fi].as_ref());
            json!({ "state": v["state"], "html": v["cell_html"], "key": v["key"] })
        })
        .collect();
    let mut pairs = serde_json::Map::new();
    let mut sorted: Vec<usize> = partners.to_vec();
    sorted.sort_unstable();
    for o in sorted {
        let other = &coll.entries[o].slug;
        pairs.insert(
            other.clone(),
            json!(site.url(&pair_path(&coll.spec.name, &entry.slug, other))),
        );
    }
    let mut s = serde_json::to_string(&json!({
        "slug": entry.slug,
        "title": entry_title(site, c, e),
        "url": entry_url(site, c, e),
        "cells": cells,
        "pairs": pairs,
    }))
    .unwrap_or_default();
    s.push('\n');
    s
}

/// `/data/NAME.csv`: one row per entry; each field gives value, source and note columns.
pub fn export_csv(site: &Site, c: usize) -> String {
    let coll = &site.collections[c];
    let mut header = vec!["slug".to_string(), "title".to_string()];
    for f in &coll.spec.fields {
        let unit = f
            .unit
            .as_ref()
            .map(|u| format!(" ({u})"))
            .unwrap_or_default();
        header.push(format!("{}{unit}", f.name));
        if f.sourced {
            header.push(format!("{}_source", f.name));
            header.push(format!("{}_note", f.name));
        }
    }
    header.push("last_verified".into());
    let mut out = String::new();
    out.push_str(
        &header
            .iter()
            .map(|h| csv_field(h))
            .collect::<Vec<_>>()
            .join(","),
    );
    out.push_str("\r\n");
    for (ei, e) in coll.entries.iter().enumerate() {
        let mut row = vec![e.slug.clone(), entry_title(site, c, ei)];
        for (fi, f) in coll.spec.fields.iter().enumerate() {
            let fact = e.facts[fi].as_ref();
            row.push(match fact {
                None => String::new(),
                Some(Fact::Known { value, .. }) => match raw_json(value) {
                    Value::String(s) => s,
                    Value::Array(items) => items
                        .iter()
                        .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
                        .collect::<Vec<_>>()
                        .join(";"),
                    other => other.to_string(),
                },
                Some(Fact::Withheld {
                    disclosure: Disclosure::Undisclosed,
                    ..
                }) => "undisclosed".into(),
                Some(Fact::Withheld {
                    disclosure: Disclosure::Unknown,
                    ..
                }) => "unknown".into(),
                Some(Fact::Withheld {
                    disclosure: Disclosure::NotApplicable,
                    ..
                }) => "not-applicable".into(),
            });
            if f.sourced {
                row.push(fact.and_then(Fact::source).unwrap_or("").to_string());
                row.push(fact.and_then(Fact::note).unwrap_or("").to_string());
            }
        }
        row.push(e.last_verified.map(|d| d.to_string()).unwrap_or_default());
        out.push_str(
            &row.iter()
                .map(|h| csv_field(h))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    out
}

fn csv_field(s: &str) -> String {
    // A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage
    // return before one) as a formula: such text gets a leading `'`, as OWASP recommends, so it
    // opens as text. A number (`-3.5`) cannot be a formula and stays a number.
    let formula_like = s.starts_with(['=', '+', '-', '@', '\t', '\r'])
        && !s.parse::<f64>().is_ok_and(f64::is_finite);
    let neutralised;
    let s = if formula_like {
        neutralised = format!("'{s}");
        neutralised.as_str()
    } else {
        s
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pair_paths_are_alphabetical() {
        assert_eq!(pair_path("models", "b", "a"), "compare/models/a-vs-b/");
        assert_eq!(pair_path("models", "a", "b"), "compare/models/a-vs-b/");
    }

    #[test]
    fn csv_quotes_only_when_needed() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn csv_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised() {
        // Issue 13: values starting with `=`, `+`, `-`, `@`, tab or CR were exported as they are.
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
        assert_eq!(csv_field("-2+3"), "'-2+3");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("\t=1"), "'\t=1");
        assert_eq!(csv_field("\r=1"), "\"'\r=1\"");
        // Numbers stay numbers; text that merely contains the characters is left alone.
        assert_eq!(csv_field("-3.5"), "-3.5");
        assert_eq!(csv_field("+7"), "+7");
        assert_eq!(csv_field("a=b"), "a=b");
        assert_eq!(csv_field("-inf"), "'-inf");
    }
}
