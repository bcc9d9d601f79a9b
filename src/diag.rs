//! Diagnostics: the one way any stage reports a problem to a person or a tool.
//!
//! In: `Diagnostic`s pushed by every stage into a `Diagnostics` sink, with spans into the
//! `SourceMap`. Out: text rendered rustc-style (file:line:col, the line, a caret, a help line),
//! GitHub Actions annotations, or JSON lines. Nothing here reads files or knows about pages.

use std::fmt::Write as _;
use std::ops::Range;

use crate::source::{SourceId, SourceMap};

/// How bad a problem is. Errors fail the build; warnings fail it only with `--deny-warnings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A byte range in one source file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Span {
    pub source: SourceId,
    pub range: Range<usize>,
}

impl Span {
    pub fn new(source: SourceId, range: Range<usize>) -> Self {
        Span { source, range }
    }
}

/// One problem: what, where, and what to do about it.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Short stable code, e.g. `link`, `front-matter`, `schema`.
    pub code: &'static str,
    pub message: String,
    /// Where: the first label is the primary location.
    pub labels: Vec<(Span, String)>,
    /// A file the problem is about when there is no span to point at.
    pub path: Option<String>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            labels: Vec::new(),
            path: None,
            help: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn label(mut self, span: Span, text: impl Into<String>) -> Self {
        self.labels.push((span, text.into()));
        self
    }

    pub fn at_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Adds a line of help; a diagnostic can carry several (a `did you mean`, then what to do).
    pub fn help(mut self, help: impl Into<String>) -> Self {
        let help = help.into();
        self.help = Some(match self.help.take() {
            Some(first) => format!("{first}\n{help}"),
            None => help,
        });
        self
    }

    /// Adds a `did you mean` help when a close candidate exists.
    pub fn suggest<'a>(self, wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Self {
        match did_you_mean(wrong, candidates) {
            Some(best) => self.help(format!("did you mean `{best}`?")),
            None => self,
        }
    }
}

/// The closest candidate by Jaro-Winkler similarity, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    // A shared extension (`.html`, `.md`) would make any two names look alike: compare stems.
    let ext = wrong.rfind('.').map_or("", |i| &wrong[i..]);
    let stem = |s: &str| -> String {
        let s = if ext.len() > 1 {
            s.strip_suffix(ext).unwrap_or(s)
        } else {
            s
        };
        s.to_lowercase()
    };
    let wrong_lower = stem(wrong);
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        let score = strsim::jaro_winkler(&wrong_lower, &stem(candidate));
        if score > 0.8 && best.is_none_or(|(s, c)| score > s || (score == s && candidate < c)) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// The sink every stage pushes into. Stages carry on after a problem; the pipeline stops
/// between stages when `has_errors()`.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn items(&self) -> &[Diagnostic] {
        &self.items
    }

    /// Turns every warning into an error (`--deny-warnings`).
    pub fn deny_warnings(&mut self) {
        for d in &mut self.items {
            d.severity = Severity::Error;
        }
    }

    /// Sorts into a stable order (by file, then position) so output does not depend on
    /// thread scheduling, and drops exact duplicates.
    pub fn sort(&mut self, sources: &SourceMap) {
        let key = |d: &Diagnostic| {
            let (file, start) = match d.labels.first() {
                Some((span, _)) => (sources.path(span.source).to_string(), span.range.start),
                None => (d.path.clone().unwrap_or_default(), 0),
            };
            (file, start, d.severity, d.code, d.message.clone())
        };
        self.items.sort_by_cached_key(key);
        self.items.dedup_by(|a, b| {
            a.code == b.code && a.message == b.message && a.labels == b.labels && a.path == b.path
        });
    }
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageFormat {
    Human,
    Github,
    Json,
}

/// A position for people: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    pub line: usize,
    pub col: usize,
}

/// Renders every diagnostic in the chosen format, one after another.
pub fn render_all(diags: &Diagnostics, sources: &SourceMap, format: MessageFormat) -> String {
    render_all_in(diags, sources, format, "")
}

/// `render_all` for a site in `site_dir` (`site`, or `""` for the current directory): GitHub
/// places an annotation by the file's path from the workspace, where factbook runs, while
/// sources are named from the site's directory, so annotations name `site/content/a.md`.
pub fn render_all_in(
    diags: &Diagnostics,
    sources: &SourceMap,
    format: MessageFormat,
    site_dir: &str,
) -> String {
    let mut out = String::new();
    for d in diags.items() {
        match format {
            MessageFormat::Human => {
                out.push_str(&render_human(d, sources));
                out.push('\n');
            }
            MessageFormat::Github => {
                out.push_str(&render_github_in(d, sources, site_dir));
                out.push('\n');
            }
            MessageFormat::Json => {
                out.push_str(&render_json(d, sources));
                out.push('\n');
            }
        }
    }
    out
}

const MAX_SHOWN_LINE: usize = 100;

/// rustc-style text: header, `--> file:line:col`, the source line, a caret, help.
pub fn render_human(d: &Diagnostic, sources: &SourceMap) -> String {
    let mut out = format!("{}[{}]: {}\n", d.severity.as_str(), d.code, d.message);
    let gutter = d
        .labels
        .iter()
        .map(|(span, _)| sources.line_col(span.source, span.range.start).line)
        .max()
        .unwrap_or(1)
        .to_string()
        .len();
    let pad = " ".repeat(gutter);
    if d.labels.is_empty() {
        if let Some(path) = &d.path {
            let _ = writeln!(out, "{pad}--> {path}");
        }
    }
    for (i, (span, text)) in d.labels.iter().enumerate() {
        let start = sources.line_col(span.source, span.range.start);
        let arrow = if i == 0 { "-->" } else { ":::" };
        let _ = writeln!(
            out,
            "{pad}{arrow} {}:{}:{}",
            sources.path(span.source),
            start.line,
            start.col
        );
        let line_text = sources.line_text(span.source, start.line);
        // Control characters (a bare `\r` inside a line) would move the terminal's cursor:
        // each is shown as one space, so columns stay those of the shown line.
        let line_chars: Vec<char> = line_text
            .chars()
            .map(|c| if c.is_control() && c != '\t' { ' ' } else { c })
            .collect();
        // The caret covers the span on its first line only. The shown line is trimmed of its
        // ending (`\r`s included), so a span there points just past the shown text.
        let end = sources.line_col(span.source, span.range.end);
        let caret_start = (start.col - 1).min(line_chars.len());
        let caret_len = if end.line == start.line {
            end.col.saturating_sub(start.col).max(1)
        } else {
            (line_chars.len().saturating_sub(caret_start)).max(1)
        };
        let caret_len = caret_len.min((line_chars.len() - caret_start).max(1));
        let (shown, offset) = window(&line_chars, caret_start, caret_len);
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{:>gutter$} | {}", start.line, shown);
        let caret_len = caret_len.min(MAX_SHOWN_LINE);
        let _ = write!(
            out,
            "{pad} | {}{}",
            " ".repeat(caret_start.saturating_sub(offset)),
            "^".repeat(caret_len)
        );
        if !text.is_empty() {
            let _ = write!(out, " {text}");
        }
        out.push('\n');
    }
    for help in d.help.iter().flat_map(|h| h.lines()) {
        let _ = writeln!(out, "{pad} = help: {help}");
    }
    out
}

/// Cuts a long line to a window around the caret, marking cuts with `…`.
/// Returns the shown text and how many columns the caret must shift left.
fn window(line: &[char], caret_start: usize, caret_len: usize) -> (String, usize) {
    if line.len() <= MAX_SHOWN_LINE {
        return (line.iter().collect(), 0);
    }
    let context = 30;
    let caret_start = caret_start.min(line.len());
    let from = caret_start.saturating_sub(context);
    let to = (caret_start + caret_len.min(MAX_SHOWN_LINE - context) + context).min(line.len());
    let mut shown = String::new();
    let mut offset = from;
    if from > 0 {
        shown.push('…');
        offset -= 1;
    }
    shown.extend(&line[from..to]);
    if to < line.len() {
        shown.push('…');
    }
    (shown, offset)
}

fn primary_location(d: &Diagnostic, sources: &SourceMap) -> (Option<String>, Option<LineCol>) {
    match d.labels.first() {
        Some((span, _)) => (
            Some(sources.path(span.source).to_string()),
            Some(sources.line_col(span.source, span.range.start)),
        ),
        None => (d.path.clone(), None),
    }
}

/// A GitHub Actions workflow command: `::error file=…,line=…,col=…::message`.
pub fn render_github(d: &Diagnostic, sources: &SourceMap) -> String {
    render_github_in(d, sources, "")
}

/// `render_github` with a source file named from `site_dir` on (see `render_all_in`).
fn render_github_in(d: &Diagnostic, sources: &SourceMap, site_dir: &str) -> String {
    let (mut file, pos) = primary_location(d, sources);
    if let (Some(f), Some(_), false) = (&file, pos, site_dir.is_empty()) {
        file = Some(format!("{}/{f}", site_dir.trim_end_matches('/')));
    }
    let mut props = Vec::new();
    if let Some(file) = file {
        props.push(format!("file={}", escape_github_property(&file)));
    }
    if let Some(pos) = pos {
        props.push(format!("line={}", pos.line));
        props.push(format!("col={}", pos.col));
    }
    props.push(format!(
        "title={}",
        escape_github_property(&format!("{}[{}]", d.severity.as_str(), d.code))
    ));
    let mut message = d.message.clone();
    if let Some((_, label)) = d.labels.first() {
        if !label.is_empty() {
            message.push_str(": ");
            message.push_str(label);
        }
    }
    for help in d.help.iter().flat_map(|h| h.lines()) {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!(
        "::{} {}::{}",
        d.severity.as_str(),
        props.join(","),
        escape_github_data(&message)
    )
}

fn escape_github_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_github_property(s: &str) -> String {
    escape_github_data(s)
        .replace(':', "%3A")
        .replace(',', "%2C")
}

/// One JSON object per diagnostic, for tools.
pub fn render_json(d: &Diagnostic, sources: &SourceMap) -> String {
    let (file, pos) = primary_location(d, sources);
    let labels: Vec<serde_json::Value> = d
        .labels
        .iter()
        .map(|(span, text)| {
            let start = sources.line_col(span.source, span.range.start);
            let end = sources.line_col(span.source, span.range.end);
            serde_json::json!({
                "file": sources.path(span.source),
                "line": start.line,
                "column": start.col,
                "end_line": end.line,
                "end_column": end.col,
                "byte_start": span.range.start,
                "byte_end": span.range.end,
                "label": text,
            })
        })
        .collect();
    serde_json::json!({
        "severity": d.severity.as_str(),
        "code": d.code,
        "message": d.message,
        "file": file,
        "line": pos.map(|p| p.line),
        "column": pos.map(|p| p.col),
        "labels": labels,
        "help": d.help,
        "rendered": render_human(d, sources),
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean_finds_close_typos_only() {
        let fields = ["params_total_b", "params_active_b", "release"];
        assert_eq!(
            did_you_mean("params_totl_b", fields),
            Some("params_total_b")
        );
        assert_eq!(did_you_mean("relase", fields), Some("release"));
        assert_eq!(did_you_mean("colour", fields), None);
    }

    #[test]
    fn human_rendering_points_at_line_and_column() {
        let mut sources = SourceMap::default();
        let id = sources.add("content/a.md", "title\nsee [x](b.md) here\n".to_string());
        let d = Diagnostic::error("link", "no page at `b.md`")
            .label(Span::new(id, 10..18), "no such file")
            .help("did you mean `c.md`?");
        let text = render_human(&d, &sources);
        assert_eq!(
            text,
            "error[link]: no page at `b.md`\n --> content/a.md:2:5\n  |\n2 | see [x](b.md) here\n  |     ^^^^^^^^ no such file\n  = help: did you mean `c.md`?\n"
        );
    }

    #[test]
    fn github_annotation_escapes_and_locates() {
        let mut sources = SourceMap::default();
        let id = sources.add("content/a,b.md", "x\ny\n".to_string());
        let d = Diagnostic::error("link", "bad: link").label(Span::new(id, 2..3), "");
        assert_eq!(
            render_github(&d, &sources),
            "::error file=content/a%2Cb.md,line=2,col=1,title=error[link]::bad: link"
        );
    }

    #[test]
    fn caret_after_a_long_line_of_bare_carriage_returns_stays_on_the_shown_line() {
        // Issue 13: a 120-character front-matter line followed by 40 bare `\r` made the caret
        // renderer slice past the end of the (trimmed) line and panic.
        let mut sources = SourceMap::default();
        let line = format!("title = \"{}\"", "x".repeat(120));
        let text = format!("+++\n{line}{}\n+++\n", "\r".repeat(40));
        let id = sources.add("content/a.md", text.clone());
        let at = 4 + line.len() + 26;
        let d = Diagnostic::error("toml", "invalid TOML").label(Span::new(id, at..at + 1), "");
        let rendered = render_human(&d, &sources);
        let lines: Vec<&str> = rendered.lines().collect();
        assert_eq!(lines[1], " --> content/a.md:2:157");
        let shown = lines[3].strip_prefix("2 | ").expect("the source line");
        let caret = lines[4].strip_prefix("  | ").expect("the caret line");
        // The caret sits just past the shown text (where the invisible `\r`s are).
        assert_eq!(
            caret.chars().count(),
            shown.chars().count() + 1,
            "{rendered}"
        );
        assert!(caret.ends_with('^') && !shown.contains('\r'), "{rendered}");

        // No span into any text panics, reversed and out-of-range ones included.
        let len = text.len();
        for start in (0..len + 3).step_by(7) {
            for end in [
                0,
                start.saturating_sub(5),
                start,
                start + 1,
                start + 90,
                len + 10,
            ] {
                let d = Diagnostic::error("x", "y").label(Span::new(id, start..end), "z");
                let _ = render_human(&d, &sources);
            }
        }
    }

    #[test]
    fn github_annotations_name_files_from_the_workspace() {
        let mut sources = SourceMap::default();
        let id = sources.add("content/a.md", "x\n".to_string());
        let mut diags = Diagnostics::default();
        diags.push(Diagnostic::error("link", "bad").label(Span::new(id, 0..1), ""));
        assert!(
            render_all_in(&diags, &sources, MessageFormat::Github, "docs/site/")
                .starts_with("::error file=docs/site/content/a.md,line=1,col=1,")
        );
    }

    #[test]
    fn long_lines_are_windowed_around_the_caret() {
        let line: Vec<char> = "a".repeat(300).chars().collect();
        let (shown, offset) = window(&line, 200, 5);
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(offset, 169);
    }
}
