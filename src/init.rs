//! `factbook init DIR`: a minimal working site, with one collection to show the schema.

use std::fs;
use std::io;
use std::path::Path;

const BOOK: &str = r#"title = "My factbook"
description = "Articles and fact sheets, built with factbook."
base_url = "https://example.org/"
language = "en"

[nav]
items = [
  { title = "Articles", url = "@/articles/_index.md" },
  { title = "Compare", url = "@/compare" },
]

# A collection: every file in content/tools/ is a fact sheet with these typed fields.
[collections.tools]
title = "Tools"
singular = "tool"
dir = "tools"

[collections.tools.fields]
language = { type = "enum", label = "Written in", required = true, sourced = true, values = { rust = "Rust", go = "Go" } }
first_release = { type = "date", label = "First release", required = true, sourced = true }
"#;

const HOME: &str = r#"+++
title = "My factbook"
+++
Welcome. Read the [first article](@/articles/first.md) or [compare the tools](@/compare/tools).
"#;

const ARTICLES: &str = r#"+++
title = "Articles"
sort_by = "date"
+++
"#;

const FIRST: &str = r#"+++
title = "A first article"
date = "2026-01-01"
tags = ["example"]
+++
This article links to a fact sheet: [Zola](@/tools/zola.md).

<!-- more -->

## A heading

Links to headings work too: [back to the heading](#a-heading).
"#;

const ZOLA: &str = r#"+++
title = "Zola"
description = "A static site generator in one binary."
last_verified = "2026-01-01"
language = { value = "rust", source = "https://github.com/getzola/zola" }
first_release = { value = "2017", source = "https://github.com/getzola/zola/releases" }
+++
Zola is a static site generator written in Rust.
"#;

const HUGO: &str = r#"+++
title = "Hugo"
description = "A static site generator in Go."
last_verified = "2026-01-01"
language = { value = "go", source = "https://github.com/gohugoio/hugo" }
first_release = { value = "2013", source = "https://github.com/gohugoio/hugo/releases" }
+++
Hugo is a static site generator written in Go.
"#;

/// Writes a new site into `dir`, which must be empty or not exist.
pub fn init_site(dir: &Path) -> io::Result<()> {
    if dir.exists() && fs::read_dir(dir)?.next().is_some() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("`{}` is not empty; choose a new directory", dir.display()),
        ));
    }
    let files: [(&str, &str); 6] = [
        ("book.toml", BOOK),
        ("content/_index.md", HOME),
        ("content/articles/_index.md", ARTICLES),
        ("content/articles/first.md", FIRST),
        ("content/tools/zola.md", ZOLA),
        ("content/tools/hugo.md", HUGO),
    ];
    for (path, text) in files {
        let p = dir.join(path);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(p, text)?;
    }
    fs::create_dir_all(dir.join("templates"))?;
    fs::create_dir_all(dir.join("static"))?;
    Ok(())
}
