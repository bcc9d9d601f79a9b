//! Build-time syntax highlighting of fenced code blocks (no client JavaScript).
//!
//! In: code text, its language tag and a theme name. Out: a `<pre>` with inline-styled spans.
//! Syntax and theme sets load once per process, on first use.

use std::sync::OnceLock;

use syntect::easy::HighlightLines;
use syntect::highlighting::{Theme, ThemeSet};
use syntect::html::{IncludeBackground, styled_line_to_highlighted_html};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use crate::markdown::{escape_attr, escape_text};

/// Themes bundled with the binary.
pub const THEMES: &[&str] = &[
    "InspiredGitHub",
    "Solarized (light)",
    "Solarized (dark)",
    "base16-ocean.dark",
    "base16-ocean.light",
    "base16-eighties.dark",
    "base16-mocha.dark",
];

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

fn theme(name: &str) -> Option<&'static Theme> {
    static SET: OnceLock<ThemeSet> = OnceLock::new();
    SET.get_or_init(ThemeSet::load_defaults).themes.get(name)
}

/// Renders a code block. Unknown languages and `highlight = false` give plain escaped code.
pub fn code_block(code: &str, lang: &str, theme_name: &str, highlight: bool) -> String {
    let lang_attr = if lang.is_empty() {
        String::new()
    } else {
        format!(
            " class=\"language-{}\" data-lang=\"{}\"",
            escape_attr(lang),
            escape_attr(lang)
        )
    };
    // tabindex lets keyboard users scroll wide code (WCAG 2.1.1).
    let open = format!("<pre class=\"code\" tabindex=\"0\"><code{lang_attr}>");
    let syntax = if highlight && !lang.is_empty() {
        syntaxes().find_syntax_by_token(lang)
    } else {
        None
    };
    let (Some(syntax), Some(theme)) = (syntax, theme(theme_name)) else {
        return format!("{open}{}</code></pre>\n", escape_text(code));
    };
    let mut h = HighlightLines::new(syntax, theme);
    let mut html = open;
    for line in LinesWithEndings::from(code) {
        match h
            .highlight_line(line, syntaxes())
            .ok()
            .and_then(|ranges| styled_line_to_highlighted_html(&ranges, IncludeBackground::No).ok())
        {
            Some(s) => html.push_str(&s),
            None => html.push_str(&escape_text(line)),
        }
    }
    html.push_str("</code></pre>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_languages_get_styled_spans_and_unknown_stay_plain() {
        let rust = code_block("fn main() {}\n", "rust", "InspiredGitHub", true);
        assert!(
            rust.starts_with("<pre class=\"code\" tabindex=\"0\"><code class=\"language-rust\"")
        );
        assert!(rust.contains("<span style="));
        let plain = code_block("a < b\n", "nosuchlang", "InspiredGitHub", true);
        assert!(plain.contains("a &lt; b"));
        assert!(!plain.contains("<span"));
    }

    #[test]
    fn every_listed_theme_exists() {
        for t in THEMES {
            assert!(theme(t).is_some(), "{t}");
        }
    }
}
