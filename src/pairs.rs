//! The pair set: which pairs of a collection's entries get a static comparison page, and which
//! entries each fact sheet offers to compare with.
//!
//! In: a collection's typed entries, its `pairs` mode, the `compare_with` lists of its sheets and
//! the links that content writes to pair pages. Out: `Pairs`, linear in the number of entries for
//! every mode but `all` (which is capped at `ALL_PAIRS_LIMIT` entries), plus diagnostics at the
//! `pairs` setting, a `compare_with` item or nothing.
//!
//! "Related" is computed from the declared fields (`related_by`, or every comparable field):
//! sharing a value counts by how rare it is (sharing a family of three counts far more than
//! sharing "open weights" with half the collection), and numbers and dates count by how near two
//! entries are in that field's order. Candidates come only from shared values and from the
//! neighbours in each numeric order, so a collection of 10,000 entries costs a few hundred
//! comparisons per entry, not 10,000.

use std::collections::{BTreeSet, HashMap};

use crate::config::{ALL_PAIRS_LIMIT, CollectionSpec, FieldType, PairMode};
use crate::content::Doc;
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::facts::{Entry, Fact, FactValue};

/// A collection's pair pages and what each sheet offers to compare with.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pairs {
    /// Entry index pairs `(a, b)` with `a < b`, sorted: one static page each.
    pub pages: Vec<(usize, usize)>,
    /// Per entry, most related first: the entries shown as "compare with", each of which has a
    /// pair page with it.
    pub shown: Vec<Vec<usize>>,
}

impl Pairs {
    pub fn has(&self, a: usize, b: usize) -> bool {
        let key = if a < b { (a, b) } else { (b, a) };
        self.pages.binary_search(&key).is_ok()
    }
}

/// The most entries a sheet lists as "compare with" beyond its `compare_with`.
const SHOWN_MAX: usize = 8;

/// Chooses the pair pages of one collection.
///
/// `entries` are sorted by slug and aligned with `docs_of` (each entry's doc); `all_docs` are every
/// doc of the site, whose links to `@/compare/NAME/A-vs-B` count for `pairs = "listed"`.
pub fn select(
    spec: &CollectionSpec,
    entries: &[Entry],
    docs_of: &[&Doc],
    all_docs: &[Doc],
    diags: &mut Diagnostics,
) -> Pairs {
    let n = entries.len();
    let index = |slug: &str| entries.binary_search_by(|e| e.slug.as_str().cmp(slug)).ok();
    let mut mode = spec.pairs;
    if mode == PairMode::All && n > ALL_PAIRS_LIMIT {
        diags.push(
            Diagnostic::error(
                "schema",
                format!(
                    "`pairs = \"all\"` would write {} pair pages for the {n} entries of `{}`",
                    n * (n - 1) / 2,
                    spec.name
                ),
            )
            .label(
                spec.pairs_span.clone(),
                format!("allowed up to {ALL_PAIRS_LIMIT} entries"),
            )
            .help(format!(
                "use `pairs = \"related\"` (each entry with its {} most related entries) or `pairs = \"listed\"` (only the pairs named in `compare_with` or linked from content); readers compare any other two on /compare/{}/pick/",
                spec.related, spec.name
            )),
        );
        mode = PairMode::Related;
    }

    // compare_with: checked in every mode; in `none` it has nothing to add to.
    let mut wanted: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (e, doc) in docs_of.iter().enumerate() {
        for item in &doc.front.compare_with {
            let span = Span::new(doc.source, item.span.clone());
            match index(&item.value) {
                Some(o) if o == e => diags.push(
                    Diagnostic::error("schema", "an entry cannot be compared with itself")
                        .label(span, "")
                        .help("remove this item from `compare_with`"),
                ),
                Some(o) => {
                    if mode == PairMode::None {
                        diags.push(
                            Diagnostic::error(
                                "schema",
                                format!(
                                    "`compare_with` has no effect: collection `{}` has `pairs = \"none\"`",
                                    spec.name
                                ),
                            )
                            .label(span, "")
                            .help(format!(
                                "remove `compare_with`, or set `pairs = \"listed\"` or `\"related\"` under `[collections.{}]`",
                                spec.name
                            )),
                        );
                    } else if !wanted[e].contains(&o) {
                        wanted[e].push(o);
                    }
                }
                None => diags.push(
                    Diagnostic::error(
                        "schema",
                        format!(
                            "`compare_with` names `{}`, which is not a {} of this collection",
                            item.value, spec.singular
                        ),
                    )
                    .label(span, "no such entry")
                    .suggest(&item.value, entries.iter().map(|e| e.slug.as_str()))
                    .help(format!(
                        "name the file of another entry of `{}`, without `.md`",
                        spec.name
                    )),
                ),
            }
        }
    }

    let related = match mode {
        PairMode::None => vec![Vec::new(); n],
        _ => related(spec, entries, spec.related),
    };
    let mut pages: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut add = |a: usize, b: usize| {
        if a != b {
            pages.insert((a.min(b), a.max(b)));
        }
    };
    match mode {
        PairMode::All => {
            for a in 0..n {
                for b in a + 1..n {
                    add(a, b);
                }
            }
        }
        PairMode::Related => {
            for (e, rs) in related.iter().enumerate() {
                for &o in rs {
                    add(e, o);
                }
            }
        }
        PairMode::Listed => {
            for (a, b) in linked_pairs(&spec.name, all_docs, &index) {
                add(a, b);
            }
        }
        PairMode::None => {}
    }
    for (e, ws) in wanted.iter().enumerate() {
        for &o in ws {
            add(e, o);
        }
    }
    let pages: Vec<(usize, usize)> = pages.into_iter().collect();
    let mut result = Pairs {
        pages,
        shown: Vec::with_capacity(n),
    };
    // Shown: the sheet's own compare_with, then its related entries, then (listed) its other
    // pairs; only entries it has a page with.
    let mut partners: Vec<Vec<usize>> = vec![Vec::new(); n];
    if mode == PairMode::Listed {
        for &(a, b) in &result.pages {
            partners[a].push(b);
            partners[b].push(a);
        }
    }
    for e in 0..n {
        let mut shown: Vec<usize> = wanted[e].clone();
        let cap = shown.len() + SHOWN_MAX.max(spec.related);
        for &o in related[e].iter().chain(&partners[e]) {
            if shown.len() >= cap {
                break;
            }
            if !shown.contains(&o) && result.has(e, o) {
                shown.push(o);
            }
        }
        result.shown.push(shown);
    }
    result
}

/// Pairs of this collection that content links to as `@/compare/NAME/A-vs-B`.
fn linked_pairs(
    name: &str,
    docs: &[Doc],
    index: &dyn Fn(&str) -> Option<usize>,
) -> Vec<(usize, usize)> {
    let prefix = format!("@/compare/{name}/");
    let mut out = Vec::new();
    for doc in docs {
        for link in &doc.scan.links {
            let Some(rest) = link.dest.strip_prefix(&prefix) else {
                continue;
            };
            let path = rest.split(['#', '?']).next().unwrap_or(rest);
            if let Some(pair) = split_pair(path.trim_end_matches('/'), index) {
                out.push(pair);
            }
        }
    }
    out
}

/// `a-vs-b` as two entry indices, trying every `-vs-` (slugs may contain one).
pub fn split_pair(path: &str, index: &dyn Fn(&str) -> Option<usize>) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(i) = path[from..].find("-vs-") {
        let at = from + i;
        if let (Some(a), Some(b)) = (index(&path[..at]), index(&path[at + 4..])) {
            return Some((a, b));
        }
        from = at + 1;
    }
    None
}

/// How a field makes two entries related.
enum Feature {
    /// Shared values, each worth `ln(n / how many entries have it)`: value ids per entry.
    Shared {
        tokens: Vec<Vec<u32>>,
        weight: Vec<f64>,
    },
    /// Nearness in the field's order: each entry's rank (`None` without a value), and the
    /// entries in that order.
    Near {
        rank: Vec<Option<u32>>,
        order: Vec<usize>,
    },
}

/// For every entry, up to `k` most related entries, most related first (ties: nearest in slug
/// order, then first in slug order). Only entries with something in common are listed.
pub fn related(spec: &CollectionSpec, entries: &[Entry], k: usize) -> Vec<Vec<usize>> {
    use rayon::prelude::*;
    let n = entries.len();
    let fields: Vec<usize> = if spec.related_by.is_empty() {
        (0..spec.fields.len())
            .filter(|&f| comparable(&spec.fields[f].ty))
            .collect()
    } else {
        spec.related_by
            .iter()
            .filter_map(|name| spec.field_index(name))
            .collect()
    };
    let features: Vec<Feature> = fields
        .iter()
        .filter_map(|&f| feature(entries, f, &spec.fields[f].ty))
        .collect();
    // Buckets: for each shared-value feature and value id, the entries having it (in order).
    let buckets: Vec<Vec<Vec<usize>>> = features
        .iter()
        .map(|feat| match feat {
            Feature::Shared { tokens, weight } => {
                let mut b = vec![Vec::new(); weight.len()];
                for (e, ts) in tokens.iter().enumerate() {
                    for &t in ts {
                        b[t as usize].push(e);
                    }
                }
                b
            }
            Feature::Near { .. } => Vec::new(),
        })
        .collect();
    let window = (2 * k).max(8);
    let cap = 4 * k + 16;
    (0..n)
        .into_par_iter()
        .map(|e| {
            let mut cand: Vec<usize> = Vec::new();
            for (fi, feat) in features.iter().enumerate() {
                match feat {
                    Feature::Shared { tokens, .. } => {
                        for &t in &tokens[e] {
                            let b = &buckets[fi][t as usize];
                            if b.len() <= cap {
                                cand.extend_from_slice(b);
                            } else {
                                let at = b.binary_search(&e).unwrap_or_else(|i| i);
                                let lo = at.saturating_sub(cap / 2);
                                let hi = (lo + cap).min(b.len());
                                cand.extend_from_slice(&b[lo..hi]);
                            }
                        }
                    }
                    Feature::Near { rank, order } => {
                        if let Some(r) = rank[e] {
                            let r = r as usize;
                            let lo = r.saturating_sub(window);
                            let hi = (r + window + 1).min(order.len());
                            cand.extend_from_slice(&order[lo..hi]);
                        }
                    }
                }
            }
            cand.sort_unstable();
            cand.dedup();
            let mut scored: Vec<(f64, usize)> = cand
                .into_iter()
                .filter(|&o| o != e)
                .map(|o| (score(&features, window, e, o), o))
                .filter(|(s, _)| *s > 1e-9)
                .collect();
            scored.sort_by(|x, y| {
                y.0.total_cmp(&x.0)
                    .then(x.1.abs_diff(e).cmp(&y.1.abs_diff(e)))
                    .then(x.1.cmp(&y.1))
            });
            scored.truncate(k);
            scored.into_iter().map(|(_, o)| o).collect()
        })
        .collect()
}

/// Whether a field type can make two entries related.
fn comparable(ty: &FieldType) -> bool {
    match ty {
        FieldType::Text | FieldType::Url => false,
        FieldType::List(of) => of.is_facet(),
        _ => true,
    }
}

fn feature(entries: &[Entry], f: usize, ty: &FieldType) -> Option<Feature> {
    let n = entries.len();
    fn value(e: &Entry, f: usize) -> Option<&FactValue> {
        match &e.facts[f] {
            Some(Fact::Known { value, .. }) => Some(value),
            _ => None,
        }
    }
    match ty {
        FieldType::Integer | FieldType::Number | FieldType::Date => {
            let mut keyed: Vec<(f64, usize)> = entries
                .iter()
                .enumerate()
                .filter_map(|(e, entry)| {
                    let v = match value(entry, f)? {
                        FactValue::Int(i) => *i as f64,
                        FactValue::Num(x) => *x,
                        FactValue::Date(d) => d.days_since_epoch() as f64,
                        _ => return None,
                    };
                    v.is_finite().then_some((v, e))
                })
                .collect();
            if keyed.len() < 2 {
                return None;
            }
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let mut rank = vec![None; n];
            for (r, &(_, e)) in keyed.iter().enumerate() {
                rank[e] = Some(r as u32);
            }
            Some(Feature::Near {
                rank,
                order: keyed.into_iter().map(|(_, e)| e).collect(),
            })
        }
        _ => {
            let mut ids: HashMap<String, u32> = HashMap::new();
            let mut counts: Vec<usize> = Vec::new();
            let mut tokens = Vec::with_capacity(n);
            for entry in entries {
                let mut ts: Vec<u32> = Vec::new();
                let mut push = |key: String| {
                    let next = ids.len() as u32;
                    let id = *ids.entry(key).or_insert(next);
                    if id as usize == counts.len() {
                        counts.push(0);
                    }
                    if !ts.contains(&id) {
                        ts.push(id);
                        counts[id as usize] += 1;
                    }
                };
                match value(entry, f) {
                    Some(FactValue::List(items)) => {
                        items.iter().filter_map(token).for_each(&mut push)
                    }
                    Some(v) => token(v).into_iter().for_each(&mut push),
                    None => {}
                }
                tokens.push(ts);
            }
            let weight = counts.iter().map(|&c| (n as f64 / c as f64).ln()).collect();
            Some(Feature::Shared { tokens, weight })
        }
    }
}

fn token(v: &FactValue) -> Option<String> {
    match v {
        FactValue::Str(s) => Some(s.to_lowercase()),
        FactValue::Enum(s) | FactValue::Ref(s) | FactValue::Url(s) => Some(s.clone()),
        FactValue::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn score(features: &[Feature], window: usize, a: usize, b: usize) -> f64 {
    let mut s = 0.0;
    for feat in features {
        match feat {
            Feature::Shared { tokens, weight } => {
                let (ta, tb) = (&tokens[a], &tokens[b]);
                if ta.is_empty() || tb.is_empty() {
                    continue;
                }
                let shared: f64 = ta
                    .iter()
                    .filter(|t| tb.contains(t))
                    .map(|&t| weight[t as usize])
                    .sum();
                s += shared / ta.len().max(tb.len()) as f64;
            }
            Feature::Near { rank, .. } => {
                if let (Some(x), Some(y)) = (rank[a], rank[b]) {
                    let d = x.abs_diff(y) as usize;
                    if d <= window {
                        s += 1.0 - d as f64 / (window + 1) as f64;
                    }
                }
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::FieldSpec;

    fn field(name: &str, ty: FieldType) -> FieldSpec {
        FieldSpec {
            name: name.into(),
            label: name.into(),
            description: None,
            ty,
            unit: None,
            required: false,
            sourced: false,
            precision: None,
            rank: true,
            span: Span::new(crate::source::SourceId(0), 0..0),
        }
    }

    fn spec(fields: Vec<FieldSpec>) -> CollectionSpec {
        CollectionSpec {
            name: "things".into(),
            title: "Things".into(),
            singular: "thing".into(),
            dir: "things".into(),
            description: String::new(),
            stale_after_days: None,
            columns: Vec::new(),
            pairs: PairMode::Related,
            pairs_span: Span::new(crate::source::SourceId(0), 0..0),
            related: 2,
            related_by: Vec::new(),
            sort: None,
            require_last_verified: false,
            fields,
            charts: Vec::new(),
            span: Span::new(crate::source::SourceId(0), 0..0),
        }
    }

    fn entry(slug: &str, family: &str, size: f64) -> Entry {
        let known = |value| {
            Some(Fact::Known {
                value,
                source: None,
                note: None,
                as_of: None,
            })
        };
        Entry {
            slug: slug.into(),
            facts: vec![
                known(FactValue::Str(family.into())),
                known(FactValue::Num(size)),
            ],
            refs: Vec::new(),
            last_verified: None,
        }
    }

    #[test]
    fn a_rare_shared_value_outweighs_a_near_number() {
        let s = spec(vec![
            field("family", FieldType::String),
            field("size", FieldType::Number),
        ]);
        // a1 and a2 share a family but differ in size; b1..b3 are near a1 in size.
        let entries = vec![
            entry("a1", "a", 10.0),
            entry("a2", "a", 500.0),
            entry("b1", "b", 11.0),
            entry("b2", "b", 12.0),
            entry("b3", "b", 9.0),
        ];
        let r = related(&s, &entries, 2);
        assert_eq!(r[0][0], 1, "a1's most related is a2 (same family): {r:?}");
        assert_eq!(r[1][0], 0);
        // b1's nearest: its family (b2, b3), not a2.
        assert!(r[2].iter().all(|&o| o == 3 || o == 4), "{r:?}");
    }

    #[test]
    fn related_stays_linear_at_ten_thousand_entries() {
        let s = spec(vec![
            field("family", FieldType::String),
            field("size", FieldType::Number),
        ]);
        let entries: Vec<Entry> = (0..10_000)
            .map(|i| {
                entry(
                    &format!("e{i:05}"),
                    &format!("f{}", i % 7),
                    (i * 37 % 1000) as f64,
                )
            })
            .collect();
        let r = related(&s, &entries, 5);
        assert!(r.iter().all(|rs| rs.len() == 5));
        assert!(r.iter().enumerate().all(|(e, rs)| !rs.contains(&e)));
    }

    #[test]
    fn split_pair_tries_every_vs() {
        let slugs = ["a", "b-vs-c", "c", "a-vs-b"];
        let index = |s: &str| slugs.iter().position(|x| *x == s);
        assert_eq!(split_pair("a-vs-b-vs-c", &index), Some((0, 1)));
        assert_eq!(split_pair("a-vs-c", &index), Some((0, 2)));
        assert_eq!(split_pair("x-vs-y", &index), None);
    }
}
