//! URLs an author writes (nav items, Markdown links and images): which ones are refused.
//!
//! In: a URL as written. Out: why it is unsafe to publish, if it is. Knows nothing about pages.
//! Raw HTML in Markdown is not checked here: it is passed through as its author wrote it.

/// The scheme of `url` when following it would run code in the reader's browser: `javascript:`,
/// `vbscript:`, or `data:` other than an image (`data:image/png;base64,…` is allowed).
/// Browsers skip leading spaces and control characters and drop tabs and newlines anywhere, and
/// ignore case, so `" Java\tScript:"` counts too.
pub fn unsafe_scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(64)
        .collect::<String>()
        .to_ascii_lowercase();
    let (scheme, rest) = cleaned.split_once(':')?;
    match scheme {
        "javascript" | "vbscript" => Some(scheme.to_string()),
        "data" if !rest.trim_start().starts_with("image/") => Some(scheme.to_string()),
        _ => None,
    }
}

/// What is wrong with a `base_url`, if anything: it is written into every page's links and
/// feeds, so it must be `http://HOST/…`, `https://HOST/…` or a path starting with `/`, with no
/// spaces, quotes, `<`, `>` or backslashes.
pub fn base_url_problem(url: &str) -> Option<&'static str> {
    if url.starts_with("//") {
        return Some("`base_url` must not start with `//` (an address on another host)");
    }
    if url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "\"'<>\\`".contains(c))
    {
        return Some("`base_url` must not contain spaces, quotes, `<`, `>` or backslashes");
    }
    match url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => {
            Some("`base_url` has no host after `https://`")
        }
        Some(_) => None,
        None if url.starts_with('/') => None,
        None => Some("`base_url` must be an absolute URL or start with `/`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_with_quotes_spaces_or_another_host_are_refused() {
        for ok in [
            "https://example.org/",
            "http://127.0.0.1:1111/docs/",
            "/",
            "/docs/",
        ] {
            assert_eq!(base_url_problem(ok), None, "{ok}");
        }
        for bad in [
            "//evil.example/",
            "https://x.org/\"onmouseover=\"alert(1)",
            "https://x.org/a b/",
            "https://x.org/<script>/",
            "https:///path/",
            "example.org",
            "javascript:alert(1)//",
        ] {
            assert!(base_url_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn script_urls_are_unsafe_however_they_are_spelled() {
        for url in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " \u{1}java\tscript:alert(1)",
            "vbscript:msgbox",
            "data:text/html,<script>alert(1)</script>",
            "DATA:text/html;base64,PHNjcmlwdD4=",
        ] {
            assert!(unsafe_scheme(url).is_some(), "{url}");
        }
        for url in [
            "https://example.org/a?b=javascript:x",
            "../a.md",
            "@/models/x.md",
            "mailto:a@b.org",
            "data:image/png;base64,iVBORw0KGgo=",
            "/compare/",
            "#javascript:",
        ] {
            assert_eq!(unsafe_scheme(url), None, "{url}");
        }
    }
}
