//! Charts: inline SVG scatter plots drawn at build time from a collection's fields.
//!
//! In: a `ChartSpec` and the collection's typed entries. Out: an SVG string (title, description,
//! labelled axes, a legend, each point a link to its sheet) and the entries that could not be
//! plotted (undisclosed or unknown values), which templates list beside the chart.

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::config::{ChartSpec, FieldType};
use crate::facts::{Disclosure, Fact, FactValue, format_number};
use crate::markdown::{escape_attr, escape_text};
use crate::site::Site;

const W: f64 = 760.0;
const H: f64 = 440.0;
const LEFT: f64 = 86.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 20.0;
const BOTTOM: f64 = 64.0;

/// Colours chosen for contrast on white (≥ 3:1 against the background, WCAG 1.4.11), each
/// paired with its own marker shape so colour is never the only cue.
const PALETTE: &[(&str, Shape)] = &[
    ("#1b6ac9", Shape::Circle),
    ("#c2410c", Shape::Square),
    ("#15803d", Shape::Triangle),
    ("#7e22ce", Shape::Diamond),
    ("#b91c1c", Shape::Circle),
    ("#0f766e", Shape::Square),
    ("#a16207", Shape::Triangle),
    ("#4b5563", Shape::Diamond),
];

#[derive(Clone, Copy)]
enum Shape {
    Circle,
    Square,
    Triangle,
    Diamond,
}

fn marker(shape: Shape, x: f64, y: f64, color: &str) -> String {
    let r = 6.0;
    match shape {
        Shape::Circle => {
            format!("<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r}\" fill=\"{color}\"/>")
        }
        Shape::Square => format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{}\" height=\"{}\" fill=\"{color}\"/>",
            x - r,
            y - r,
            2.0 * r,
            2.0 * r
        ),
        Shape::Triangle => format!(
            "<path d=\"M{x:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}Z\" fill=\"{color}\"/>",
            y - r - 1.0,
            x + r + 1.0,
            y + r,
            x - r - 1.0,
            y + r
        ),
        Shape::Diamond => format!(
            "<path d=\"M{x:.1} {:.1}L{:.1} {y:.1}L{x:.1} {:.1}L{:.1} {y:.1}Z\" fill=\"{color}\"/>",
            y - r - 1.0,
            x + r + 1.0,
            y + r + 1.0,
            x - r - 1.0
        ),
    }
}

/// A point to plot.
struct Point {
    entry: usize,
    x: f64,
    y: f64,
    category: Option<String>,
}

fn numeric(v: &FactValue) -> Option<f64> {
    match v {
        FactValue::Int(i) => Some(*i as f64),
        FactValue::Num(n) => Some(*n),
        FactValue::Date(d) => Some(d.as_year_fraction()),
        _ => None,
    }
}

/// An axis scale: maps data values to pixels.
struct Scale {
    min: f64,
    max: f64,
    log: bool,
    from: f64,
    to: f64,
}

impl Scale {
    fn new(values: impl Iterator<Item = f64>, log: bool, from: f64, to: f64) -> Scale {
        let (mut min, mut max) = (f64::INFINITY, f64::NEG_INFINITY);
        for v in values {
            if !v.is_finite() || (log && v <= 0.0) {
                continue;
            }
            min = min.min(v);
            max = max.max(v);
        }
        if !min.is_finite() {
            (min, max) = if log { (1.0, 10.0) } else { (0.0, 1.0) };
        }
        if log {
            min = 10f64.powf(min.log10().floor());
            max = 10f64.powf(max.log10().ceil()).min(f64::MAX);
            if min == max {
                max *= 10.0;
            }
        } else {
            // A range of ±1e308 overflows to infinity: the largest finite span stands for it.
            let span = if max > min {
                (max - min).min(f64::MAX)
            } else {
                1.0
            };
            // A step finer than the values' own precision (equal values at 1e15, or close ones
            // at 1e16) could not move from one tick to the next: widen such a range to a
            // billionth of the values' magnitude.
            let resolution = min.abs().max(max.abs()) * 1e-9;
            let step = nice_step((span / 5.0).max(resolution));
            min = ((min / step).floor() * step).max(-f64::MAX);
            max = ((max / step).ceil() * step).min(f64::MAX);
            if min == max {
                max = min + step;
            }
        }
        Scale {
            min,
            max,
            log,
            from,
            to,
        }
    }

    fn px(&self, v: f64) -> f64 {
        let t = if self.log {
            (v.log10() - self.min.log10()) / (self.max.log10() - self.min.log10())
        } else {
            let range = self.max - self.min;
            if range.is_finite() {
                (v - self.min) / range
            } else {
                // Halved (exactly, in binary) so that a range of ±1e308 does not overflow.
                (v / 2.0 - self.min / 2.0) / (self.max / 2.0 - self.min / 2.0)
            }
        };
        self.from + t * (self.to - self.from)
    }

    fn ticks(&self) -> Vec<f64> {
        if self.log {
            let (a, b) = (
                self.min.log10().round() as i32,
                self.max.log10().round() as i32,
            );
            (a..=b.min(a + MAX_TICKS)).map(|e| 10f64.powi(e)).collect()
        } else {
            let range = self.max - self.min;
            let step = nice_step(if range.is_finite() {
                range / 5.0
            } else {
                self.max / 5.0 - self.min / 5.0
            });
            // Counted, not accumulated: adding a step too small for the values' precision
            // would never reach the end.
            let first = (self.min / step).round();
            let count = ((self.max / step - self.min / step) + 1e-9).floor();
            let count = if count.is_finite() {
                count.max(0.0)
            } else {
                0.0
            };
            (0..=(count as i32).min(MAX_TICKS))
                .map(|i| (first + f64::from(i)) * step)
                .filter(|t| t.is_finite())
                .collect()
        }
    }
}

/// More ticks than any axis can show; a bound on the tick loop whatever the range.
const MAX_TICKS: i32 = 50;

fn nice_step(raw: f64) -> f64 {
    if raw <= 0.0 || !raw.is_finite() {
        return 1.0;
    }
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    (nice * mag).min(f64::MAX)
}

fn tick_label(v: f64, is_date: bool) -> String {
    if is_date {
        return format!("{}", v.round() as i64);
    }
    format_number(v)
}

/// Draws one chart; returns the template view: `svg`, `title`, `description`, `missing`.
pub fn chart_view(site: &Site, c: usize, chart: &ChartSpec) -> Value {
    let coll = &site.collections[c];
    let spec = &coll.spec;
    let (Some(xi), Some(yi)) = (spec.field_index(&chart.x), spec.field_index(&chart.y)) else {
        return Value::Null;
    };
    let ci = chart.color.as_ref().and_then(|c| spec.field_index(c));
    let mut points = Vec::new();
    let mut missing = Vec::new();
    for (ei, e) in coll.entries.iter().enumerate() {
        let get = |fi: usize| -> Result<f64, &'static str> {
            match &e.facts[fi] {
                Some(Fact::Known { value, .. }) => numeric(value).ok_or("not a number"),
                Some(Fact::Withheld {
                    disclosure: Disclosure::Undisclosed,
                    ..
                }) => Err("undisclosed"),
                Some(Fact::Withheld {
                    disclosure: Disclosure::Unknown,
                    ..
                }) => Err("unknown"),
                Some(Fact::Withheld {
                    disclosure: Disclosure::NotApplicable,
                    ..
                })
                | None => Err("not applicable"),
            }
        };
        match (get(xi), get(yi)) {
            (Ok(x), Ok(y))
                if x.is_finite()
                    && y.is_finite()
                    && (!chart.log_x || x > 0.0)
                    && (!chart.log_y || y > 0.0) =>
            {
                let category = ci.and_then(|ci| match e.facts[ci].as_ref().and_then(Fact::value) {
                    Some(FactValue::Enum(s) | FactValue::Ref(s)) => Some(s.clone()),
                    _ => None,
                });
                points.push(Point {
                    entry: ei,
                    x,
                    y,
                    category,
                });
            }
            (x, y) => {
                let why = match (x, y) {
                    (Err(why), _) => format!("{}: {why}", spec.fields[xi].label),
                    (_, Err(why)) => format!("{}: {why}", spec.fields[yi].label),
                    (Ok(x), Ok(y)) if !x.is_finite() || !y.is_finite() => {
                        "not a finite number".to_string()
                    }
                    _ => "zero on a log scale".to_string(),
                };
                missing.push(json!({
                    "title": crate::compare::entry_title(site, c, ei),
                    "url": site.doc_url(coll.docs[ei]),
                    "reason": why,
                }));
            }
        }
    }
    let categories: Vec<(String, String)> = match ci.map(|ci| &spec.fields[ci]) {
        Some(f) => match &f.ty {
            FieldType::Enum(values) => values
                .iter()
                .filter(|(k, _)| points.iter().any(|p| p.category.as_deref() == Some(k)))
                .cloned()
                .collect(),
            _ => {
                let mut keys: Vec<String> =
                    points.iter().filter_map(|p| p.category.clone()).collect();
                keys.sort();
                keys.dedup();
                keys.into_iter().map(|k| (k.clone(), k)).collect()
            }
        },
        None => Vec::new(),
    };
    let style_of = |cat: Option<&str>| -> (&'static str, Shape) {
        let i = cat
            .and_then(|c| categories.iter().position(|(k, _)| k == c))
            .unwrap_or(0);
        PALETTE[i % PALETTE.len()]
    };
    let x_is_date = spec.fields[xi].ty == FieldType::Date;
    let y_is_date = spec.fields[yi].ty == FieldType::Date;
    let xs = Scale::new(points.iter().map(|p| p.x), chart.log_x, LEFT, W - RIGHT);
    let ys = Scale::new(points.iter().map(|p| p.y), chart.log_y, H - BOTTOM, TOP);
    let id = format!("chart-{}-{}", spec.name, chart.id);
    let mut svg = String::with_capacity(8192);
    let _ = write!(
        svg,
        "<svg class=\"chart\" viewBox=\"0 0 {W} {H}\" xmlns=\"http://www.w3.org/2000/svg\" role=\"group\" aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\">\
<title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape_text(&chart.title),
        escape_text(&chart.description)
    );
    // Grid and ticks.
    svg.push_str("<g class=\"axis\" font-size=\"12\" fill=\"#374151\">");
    for t in xs.ticks() {
        let x = xs.px(t);
        let _ = write!(
            svg,
            "<line x1=\"{x:.1}\" y1=\"{TOP}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#e5e7eb\"/><text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            H - BOTTOM,
            H - BOTTOM + 18.0,
            escape_text(&tick_label(t, x_is_date))
        );
    }
    for t in ys.ticks() {
        let y = ys.px(t);
        let _ = write!(
            svg,
            "<line x1=\"{LEFT}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#e5e7eb\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            W - RIGHT,
            LEFT - 8.0,
            y + 4.0,
            escape_text(&tick_label(t, y_is_date))
        );
    }
    let axis_label = |fi: usize, log: bool| {
        let f = &spec.fields[fi];
        let mut s = f.label.clone();
        if let Some(u) = &f.unit {
            s.push_str(&format!(" ({u})"));
        }
        if log {
            s.push_str(", log scale");
        }
        s
    };
    let _ = write!(
        svg,
        "<line x1=\"{LEFT}\" y1=\"{b:.1}\" x2=\"{r:.1}\" y2=\"{b:.1}\" stroke=\"#374151\"/><line x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{b:.1}\" stroke=\"#374151\"/>\
<text x=\"{cx:.1}\" y=\"{ly:.1}\" text-anchor=\"middle\" font-size=\"13\">{xl}</text>\
<text transform=\"translate(18 {cy:.1}) rotate(-90)\" text-anchor=\"middle\" font-size=\"13\">{yl}</text></g>",
        b = H - BOTTOM,
        r = W - RIGHT,
        cx = (LEFT + W - RIGHT) / 2.0,
        ly = H - 14.0,
        cy = (TOP + H - BOTTOM) / 2.0,
        xl = escape_text(&axis_label(xi, chart.log_x)),
        yl = escape_text(&axis_label(yi, chart.log_y)),
    );
    // Points, each a link to its sheet, with a tooltip that names it and its values.
    svg.push_str("<g class=\"points\">");
    for p in &points {
        let (color, shape) = style_of(p.category.as_deref());
        let title = crate::compare::entry_title(site, c, p.entry);
        let x_text = match &coll.entries[p.entry].facts[xi] {
            Some(f) => crate::compare::cell(site, c, xi, Some(f))["text"]
                .as_str()
                .unwrap_or("")
                .to_string(),
            None => String::new(),
        };
        let y_text = match &coll.entries[p.entry].facts[yi] {
            Some(f) => crate::compare::cell(site, c, yi, Some(f))["text"]
                .as_str()
                .unwrap_or("")
                .to_string(),
            None => String::new(),
        };
        let label = format!(
            "{title}: {} {x_text}, {} {y_text}",
            spec.fields[xi].label, spec.fields[yi].label
        );
        let _ = write!(
            svg,
            "<a href=\"{}\" aria-label=\"{}\"><title>{}</title>{}</a>",
            escape_attr(&site.doc_url(coll.docs[p.entry])),
            escape_attr(&label),
            escape_text(&label),
            marker(shape, xs.px(p.x), ys.px(p.y), color)
        );
    }
    svg.push_str("</g></svg>");
    let legend: Vec<Value> = categories
        .iter()
        .map(|(k, label)| {
            let (color, shape) = style_of(Some(k));
            let swatch = format!(
                "<svg class=\"swatch\" width=\"14\" height=\"14\" viewBox=\"0 0 14 14\" aria-hidden=\"true\">{}</svg>",
                marker(shape, 7.0, 7.5, color).replace("r=\"6\"", "r=\"5.5\"")
            );
            json!({ "key": k, "label": label, "swatch": swatch })
        })
        .collect();
    json!({
        "id": id,
        "title": chart.title,
        "description": chart.description,
        "svg": svg,
        "legend": legend,
        "legend_title": ci.map(|ci| spec.fields[ci].label.clone()),
        "plotted": points.len(),
        "missing": missing,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_scales_snap_to_powers_of_ten() {
        let s = Scale::new([3.0, 450.0].into_iter(), true, 0.0, 100.0);
        assert_eq!((s.min, s.max), (1.0, 1000.0));
        assert_eq!(s.ticks(), vec![1.0, 10.0, 100.0, 1000.0]);
        assert!((s.px(10.0) - 100.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn linear_scale_of_huge_or_equal_values_ends() {
        // Issue 13: equal values at ≥ 1e15 and a range of ±1e308 looped forever.
        for values in [
            vec![1e15, 1e15],
            vec![3e17, 3e17],
            vec![1e16, 1e16 + 2.0],
            vec![-1e308, 1e308],
            vec![f64::MAX, -f64::MAX],
            vec![f64::MAX],
            vec![5e-324, 5e-324],
            vec![f64::NAN, f64::INFINITY, 2.0],
        ] {
            let s = Scale::new(values.iter().copied(), false, 0.0, 100.0);
            let ticks = s.ticks();
            assert!(
                !ticks.is_empty() && ticks.len() <= 51,
                "{values:?}: {ticks:?}"
            );
            assert!(ticks.iter().all(|t| t.is_finite()), "{values:?}: {ticks:?}");
            for v in values.iter().filter(|v| v.is_finite()) {
                let px = s.px(*v);
                assert!((0.0..=100.0).contains(&px), "{values:?}: {v} at {px}");
            }
            let log = Scale::new(values.iter().copied(), true, 0.0, 100.0);
            assert!(log.ticks().len() <= 51, "{values:?}");
        }
    }

    #[test]
    fn linear_scales_use_round_steps() {
        let s = Scale::new([2018.3, 2024.9].into_iter(), false, 0.0, 1.0);
        assert_eq!(s.min, 2018.0);
        assert_eq!(s.max, 2026.0);
        assert_eq!(nice_step(0.37), 0.5);
    }
}
