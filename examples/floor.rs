//! The benchmark's floor (issue 2, point 12): the least a Markdown site build can do.
//!
//! ```text
//! cargo run --release --example floor -- CONTENT_DIR OUT_DIR
//! ```
//!
//! Walks CONTENT_DIR, strips each `.md` file's front matter (`+++` TOML or `---` YAML), renders
//! the body with pulldown-cmark (the version factbook uses, with the same extensions) into a
//! trivial HTML shell and writes `OUT_DIR/<path>/index.html` (`_index.md` becomes its directory's
//! `index.html`). Files are rendered in parallel on every core (rayon, as the build does), so the
//! floor is the strongest fair reference; no templates, no link checking: a lower bound for
//! `factbook build` on the same content, not a competitor. `FLOOR_THREADS=1` gives the old
//! one-thread floor.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use pulldown_cmark::{Options, Parser, html};

/// Splits `text` into (front matter, body); no front matter gives an empty one.
fn split_front_matter(text: &str) -> (&str, &str) {
    for fence in ["+++", "---"] {
        let Some(rest) = text.strip_prefix(fence) else {
            continue;
        };
        let Some(rest) = rest
            .strip_prefix('\n')
            .or_else(|| rest.strip_prefix("\r\n"))
        else {
            continue;
        };
        let mut at = 0;
        for line in rest.split_inclusive('\n') {
            if line.trim_end() == fence {
                return (&rest[..at], &rest[at + line.len()..]);
            }
            at += line.len();
        }
    }
    ("", text)
}

/// The `title = "…"` or `title: …` line of the front matter, if any.
fn title_of(front: &str) -> &str {
    for line in front.lines() {
        if let Some(v) = line.strip_prefix("title") {
            let v = v.trim_start().trim_start_matches(['=', ':']).trim();
            return v.trim_matches('"').trim_matches('\'');
        }
    }
    ""
}

fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

fn run(content: &Path, out_dir: &Path) -> std::io::Result<usize> {
    use rayon::prelude::*;
    let files = markdown_files(content);
    files
        .par_iter()
        .map_init(String::new, |page, path| {
            render_one(content, out_dir, path, page)
        })
        .collect::<std::io::Result<Vec<()>>>()
        .map(|v| v.len())
}

fn render_one(
    content: &Path,
    out_dir: &Path,
    path: &Path,
    page: &mut String,
) -> std::io::Result<()> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    {
        let text = fs::read_to_string(path)?;
        let (front, body) = split_front_matter(&text);
        let rel = path
            .strip_prefix(content)
            .unwrap_or(path)
            .with_extension("");
        let dir = if rel.file_name().is_some_and(|f| f == "_index") {
            out_dir.join(rel.parent().unwrap_or(Path::new("")))
        } else {
            out_dir.join(&rel)
        };
        page.clear();
        page.push_str(
            "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>",
        );
        escape(title_of(front), page);
        page.push_str("</title>\n</head>\n<body>\n<main>\n");
        html::push_html(page, Parser::new_ext(body, options));
        page.push_str("</main>\n</body>\n</html>\n");
        fs::create_dir_all(&dir)?;
        fs::write(dir.join("index.html"), &*page)?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [content, out] = args.as_slice() else {
        eprintln!("usage: floor CONTENT_DIR OUT_DIR");
        return ExitCode::from(2);
    };
    if let Some(n) = std::env::var("FLOOR_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global();
    }
    let start = Instant::now();
    match run(Path::new(content), Path::new(out)) {
        Ok(n) => {
            println!(
                "rendered {n} files in {:.3} s",
                start.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
