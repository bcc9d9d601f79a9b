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

/// The drawing's size and margins. Each chart is drawn twice, wide and narrow, and the
/// stylesheet shows the one that fits the screen: scaling one drawing down to a phone would
/// shrink its text to 6 pixels.
struct Frame {
    w: f64,
    h: f64,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    /// The class of the `<svg>` and a suffix of its ids.
    variant: &'static str,
}

const WIDE: Frame = Frame {
    w: 960.0,
    h: 500.0,
    left: 86.0,
    right: 24.0,
    top: 20.0,
    bottom: 64.0,
    variant: "wide",
};

const NARROW: Frame = Frame {
    w: 400.0,
    h: 440.0,
    left: 62.0,
    right: 14.0,
    top: 16.0,
    bottom: 58.0,
    variant: "narrow",
};

/// Text width in the drawing's units, estimated from its length (no font metrics at build time).
fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.58
}

/// Direct labels beside the points where they fit: points far from others first, each label
/// tried right, left, above and below its point, and left out where it would cover another
/// label or point or leave the plot. Beyond a few hundred points no label is tried.
fn place_labels(
    frame: &Frame,
    at: &[(f64, f64)],
    names: &[String],
) -> Vec<Option<(f64, f64, &'static str)>> {
    const SIZE: f64 = 11.0;
    let mut out = vec![None; at.len()];
    if at.len() > 400 {
        return out;
    }
    let nearest: Vec<f64> = at
        .iter()
        .enumerate()
        .map(|(i, &(x, y))| {
            at.iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .map(|(_, &(u, v))| (u - x).hypot(v - y))
                .fold(f64::INFINITY, f64::min)
        })
        .collect();
    let mut order: Vec<usize> = (0..at.len()).collect();
    order.sort_by(|&a, &b| nearest[b].total_cmp(&nearest[a]).then(a.cmp(&b)));
    let boxes_overlap = |a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)| {
        a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
    };
    let mut taken: Vec<(f64, f64, f64, f64)> = at
        .iter()
        .map(|&(x, y)| (x - 7.0, y - 7.0, x + 7.0, y + 7.0))
        .collect();
    for i in order {
        let (x, y) = at[i];
        let w = text_width(&names[i], SIZE);
        let candidates = [
            (
                x + 10.0,
                y + 4.0,
                "start",
                (x + 9.0, y - 8.0, x + 11.0 + w, y + 6.0),
            ),
            (
                x - 10.0,
                y + 4.0,
                "end",
                (x - 11.0 - w, y - 8.0, x - 9.0, y + 6.0),
            ),
            (
                x,
                y - 11.0,
                "middle",
                (x - w / 2.0 - 1.0, y - 22.0, x + w / 2.0 + 1.0, y - 8.0),
            ),
            (
                x,
                y + 20.0,
                "middle",
                (x - w / 2.0 - 1.0, y + 9.0, x + w / 2.0 + 1.0, y + 23.0),
            ),
        ];
        for (tx, ty, anchor, b) in candidates {
            let inside = b.0 >= frame.left
                && b.2 <= frame.w - frame.right
                && b.1 >= frame.top
                && b.3 <= frame.h - frame.bottom;
            let own = (x - 7.0, y - 7.0, x + 7.0, y + 7.0);
            if inside && !taken.iter().any(|t| *t != own && boxes_overlap(*t, b)) {
                taken.push(b);
                out[i] = Some((tx, ty, anchor));
                break;
            }
        }
    }
    out
}

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
    let id = format!("chart-{}-{}", spec.name, chart.id);
    // Each point's name, values as text and sheet, once for both drawings and the data table.
    let value_text = |e: usize, fi: usize| match &coll.entries[e].facts[fi] {
        Some(f) => crate::compare::cell(site, c, fi, Some(f))["text"]
            .as_str()
            .unwrap_or("")
            .to_string(),
        None => String::new(),
    };
    let named: Vec<(String, String, String, String)> = points
        .iter()
        .map(|p| {
            (
                crate::compare::entry_title(site, c, p.entry),
                value_text(p.entry, xi),
                value_text(p.entry, yi),
                site.doc_url(coll.docs[p.entry]),
            )
        })
        .collect();
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
    let draw = |frame: &Frame| -> String {
        let (w, h, left, right, top, bottom) = (
            frame.w,
            frame.h,
            frame.left,
            frame.right,
            frame.top,
            frame.bottom,
        );
        let xs = Scale::new(points.iter().map(|p| p.x), chart.log_x, left, w - right);
        let ys = Scale::new(points.iter().map(|p| p.y), chart.log_y, h - bottom, top);
        let vid = format!("{id}-{}", frame.variant);
        let mut svg = String::with_capacity(8192);
        let _ = write!(
            svg,
            "<svg class=\"chart chart-{}\" viewBox=\"0 0 {w} {h}\" xmlns=\"http://www.w3.org/2000/svg\" role=\"group\" aria-labelledby=\"{vid}-title\" aria-describedby=\"{vid}-desc\">\
<title id=\"{vid}-title\">{}</title><desc id=\"{vid}-desc\">{}</desc>",
            frame.variant,
            escape_text(&chart.title),
            escape_text(&chart.description)
        );
        // Grid and ticks; labels thinned out where they would crowd each other.
        svg.push_str("<g class=\"axis\" font-size=\"12\" fill=\"#374151\">");
        let x_ticks = xs.ticks();
        let widest = x_ticks
            .iter()
            .map(|&t| text_width(&tick_label(t, x_is_date), 12.0))
            .fold(0.0, f64::max);
        let room = (w - left - right) / (x_ticks.len().max(1) as f64);
        let every = ((widest + 10.0) / room).ceil().max(1.0) as usize;
        for (i, t) in x_ticks.into_iter().enumerate() {
            let x = xs.px(t);
            let _ = write!(
                svg,
                "<line x1=\"{x:.1}\" y1=\"{top}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#e5e7eb\"/>",
                h - bottom
            );
            if i % every == 0 {
                let _ = write!(
                    svg,
                    "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                    h - bottom + 18.0,
                    escape_text(&tick_label(t, x_is_date))
                );
            }
        }
        let y_ticks = ys.ticks();
        let every = ((20.0 * y_ticks.len() as f64) / (h - top - bottom))
            .ceil()
            .max(1.0) as usize;
        for (i, t) in y_ticks.into_iter().enumerate() {
            let y = ys.px(t);
            let _ = write!(
                svg,
                "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#e5e7eb\"/>",
                w - right
            );
            if i % every == 0 {
                let _ = write!(
                    svg,
                    "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
                    left - 8.0,
                    y + 4.0,
                    escape_text(&tick_label(t, y_is_date))
                );
            }
        }
        let _ = write!(
            svg,
            "<line x1=\"{left}\" y1=\"{b:.1}\" x2=\"{r:.1}\" y2=\"{b:.1}\" stroke=\"#374151\"/><line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{b:.1}\" stroke=\"#374151\"/>\
<text x=\"{cx:.1}\" y=\"{ly:.1}\" text-anchor=\"middle\" font-size=\"13\">{xl}</text>\
<text transform=\"translate(16 {cy:.1}) rotate(-90)\" text-anchor=\"middle\" font-size=\"13\">{yl}</text></g>",
            b = h - bottom,
            r = w - right,
            cx = (left + w - right) / 2.0,
            ly = h - 14.0,
            cy = (top + h - bottom) / 2.0,
            xl = escape_text(&axis_label(xi, chart.log_x)),
            yl = escape_text(&axis_label(yi, chart.log_y)),
        );
        let at: Vec<(f64, f64)> = points.iter().map(|p| (xs.px(p.x), ys.px(p.y))).collect();
        let names: Vec<String> = named.iter().map(|n| n.0.clone()).collect();
        // Direct labels, under the points, for the eye only: each point's link names it.
        svg.push_str("<g class=\"labels\" font-size=\"11\" fill=\"#1f2937\" aria-hidden=\"true\">");
        for (i, l) in place_labels(frame, &at, &names).into_iter().enumerate() {
            if let Some((tx, ty, anchor)) = l {
                let _ = write!(
                    svg,
                    "<text x=\"{tx:.1}\" y=\"{ty:.1}\" text-anchor=\"{anchor}\">{}</text>",
                    escape_text(&names[i])
                );
            }
        }
        svg.push_str("</g>");
        // Points, each a link to its sheet named with its values, with a tooltip, and a label
        // of its values shown while it has the focus or the pointer.
        svg.push_str("<g class=\"points\">");
        for (i, p) in points.iter().enumerate() {
            let (color, shape) = style_of(p.category.as_deref());
            let (title, x_text, y_text, url) = &named[i];
            let label = format!(
                "{title}: {} {x_text}, {} {y_text}",
                spec.fields[xi].label, spec.fields[yi].label
            );
            let (x, y) = at[i];
            let values = format!("{x_text} · {y_text}");
            let bw = text_width(title, 12.0).max(text_width(&values, 12.0)) + 14.0;
            let bx = (x - bw / 2.0).clamp(left, (w - right - bw).max(left));
            let by = if y - 50.0 >= top { y - 50.0 } else { y + 12.0 };
            let _ = write!(
                svg,
                "<a href=\"{}\" aria-label=\"{}\"><title>{}</title>{}<g class=\"focus-label\" aria-hidden=\"true\"><rect x=\"{bx:.1}\" y=\"{by:.1}\" width=\"{bw:.1}\" height=\"38\" rx=\"4\" fill=\"#111827\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"#ffffff\"><tspan font-weight=\"700\">{}</tspan><tspan x=\"{:.1}\" dy=\"15\">{}</tspan></text></g></a>",
                escape_attr(url),
                escape_attr(&label),
                escape_text(&label),
                marker(shape, x, y, color),
                bx + 7.0,
                by + 16.0,
                escape_text(title),
                bx + 7.0,
                escape_text(&values)
            );
        }
        svg.push_str("</g></svg>");
        svg
    };
    let svg = draw(&WIDE) + &draw(&NARROW);
    let rows: Vec<Value> = named
        .iter()
        .map(|(title, x, y, url)| json!({ "title": title, "x": x, "y": y, "url": url }))
        .collect();
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
        "rows": rows,
        "x_label": axis_label(xi, false),
        "y_label": axis_label(yi, false),
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
    fn direct_labels_never_overlap_and_stay_in_the_plot() {
        // A crowd in one corner and a few points alone.
        let mut at: Vec<(f64, f64)> = (0..40)
            .map(|i| {
                (
                    300.0 + f64::from(i % 8) * 6.0,
                    100.0 + f64::from(i / 8) * 6.0,
                )
            })
            .collect();
        at.extend([(100.0, 300.0), (200.0, 200.0), (380.0, 360.0)]);
        let names: Vec<String> = (0..at.len()).map(|i| format!("Model number {i}")).collect();
        let placed = place_labels(&NARROW, &at, &names);
        let boxes: Vec<(f64, f64, f64, f64)> = placed
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                let (x, y, anchor) = (*p)?;
                let w = text_width(&names[i], 11.0);
                let x0 = match anchor {
                    "start" => x,
                    "end" => x - w,
                    _ => x - w / 2.0,
                };
                Some((x0, y - 11.0, x0 + w, y + 2.0))
            })
            .collect();
        assert!(boxes.len() >= 3, "the lone points are labelled: {placed:?}");
        assert!(boxes.len() < at.len(), "the crowd cannot all be labelled");
        for (i, a) in boxes.iter().enumerate() {
            assert!(
                a.0 >= NARROW.left && a.2 <= NARROW.w - NARROW.right,
                "{a:?}"
            );
            for b in &boxes[i + 1..] {
                let overlap = a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3;
                assert!(!overlap, "{a:?} overlaps {b:?}");
            }
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
