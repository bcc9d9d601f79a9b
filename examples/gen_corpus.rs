//! A deterministic synthetic corpus for the build benchmark (issue 2, point 12).
//!
//! ```text
//! cargo run --release --example gen_corpus -- OUT_DIR N_PAGES          # a factbook site
//! cargo run --release --example gen_corpus -- --hugo OUT_DIR N_PAGES   # the same pages as a Hugo site
//! cargo run --release --example gen_corpus -- --zola OUT_DIR N_PAGES   # shaped like a Zola site
//! ```
//!
//! With `--zola` the corpus is shaped like a typical Zola site instead: sections of 100 pages,
//! each with an `_index.md`, links between pages written as `@/sK/page-NNNNN.md`, custom fields
//! under `[extra]` in every page's front matter, and build-time highlighting off (Zola's default).
//!
//! Pages are `content/sK/page-NNNNN.md`, 250 to a section, each about 1,200 words: TOML front
//! matter (title, date, 2–3 tags), 3–6 `##`/`###` headings, paragraphs, a bullet list, a table, a
//! fenced Rust or Python block, 3–5 relative links to other pages of the corpus and one `#anchor`
//! link to a heading of the same page. The same N gives byte-identical output: everything comes
//! from one xorshift stream with a fixed seed, and nothing reads the clock or the environment.
//!
//! With `--hugo` the pages are the same, byte for byte, except that links to other pages are
//! written as relative URLs (`../page-00042/`, `../../s2/page-00042/`), which Hugo serves as is,
//! and the site gets a `hugo.toml` and minimal layouts (title, date, tags, table of contents,
//! content, section lists) so that Hugo does comparable work.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const PAGES_PER_SECTION: usize = 250;
const SEED: u64 = 0x9E37_79B9_7F4A_7C15;

/// xorshift64*: small, fast and plenty for prose.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// A number in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        ((self.next() >> 33) % n as u64) as usize
    }
    /// A number in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    /// True with probability `p` percent.
    fn percent(&mut self, p: usize) -> bool {
        self.below(100) < p
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "the",
    "a",
    "of",
    "and",
    "to",
    "in",
    "is",
    "that",
    "for",
    "it",
    "as",
    "with",
    "on",
    "by",
    "this",
    "be",
    "are",
    "from",
    "or",
    "an",
    "which",
    "at",
    "not",
    "but",
    "its",
    "can",
    "more",
    "than",
    "each",
    "when",
    "where",
    "while",
    "model",
    "models",
    "data",
    "training",
    "weights",
    "licence",
    "release",
    "parameter",
    "context",
    "window",
    "token",
    "tokens",
    "benchmark",
    "score",
    "evaluation",
    "dataset",
    "corpus",
    "language",
    "system",
    "network",
    "layer",
    "attention",
    "memory",
    "compute",
    "cluster",
    "budget",
    "cost",
    "latency",
    "throughput",
    "batch",
    "query",
    "answer",
    "question",
    "result",
    "results",
    "method",
    "approach",
    "paper",
    "report",
    "author",
    "team",
    "lab",
    "company",
    "research",
    "researchers",
    "open",
    "closed",
    "public",
    "private",
    "large",
    "small",
    "early",
    "later",
    "recent",
    "common",
    "careful",
    "simple",
    "robust",
    "sparse",
    "dense",
    "quiet",
    "steady",
    "broad",
    "narrow",
    "fast",
    "slow",
    "cheap",
    "expensive",
    "useful",
    "limited",
    "clear",
    "uncertain",
    "reported",
    "measured",
    "estimated",
    "published",
    "documented",
    "described",
    "released",
    "trained",
    "tuned",
    "aligned",
    "filtered",
    "deduplicated",
    "scaled",
    "compared",
    "tested",
    "shows",
    "suggests",
    "requires",
    "allows",
    "improves",
    "reduces",
    "increases",
    "matches",
    "exceeds",
    "follows",
    "depends",
    "changes",
    "remains",
    "becomes",
    "provides",
    "uses",
    "builds",
    "runs",
    "reads",
    "writes",
    "stores",
    "loads",
    "serves",
    "handles",
    "supports",
    "explains",
    "includes",
    "people",
    "users",
    "developers",
    "teams",
    "readers",
    "reviewers",
    "maintainers",
    "hardware",
    "software",
    "server",
    "device",
    "phone",
    "laptop",
    "accelerator",
    "chip",
    "rack",
    "region",
    "country",
    "market",
    "policy",
    "law",
    "rule",
    "term",
    "clause",
    "permission",
    "restriction",
    "threshold",
    "attribution",
    "access",
    "download",
    "api",
    "interface",
    "format",
    "file",
    "checkpoint",
    "version",
    "family",
    "generation",
    "architecture",
    "decoder",
    "encoder",
    "expert",
    "mixture",
    "router",
    "head",
    "embedding",
    "vocabulary",
    "tokenizer",
    "prompt",
    "reply",
    "instruction",
    "preference",
    "feedback",
    "reward",
    "signal",
    "loss",
    "gradient",
    "step",
    "epoch",
    "schedule",
    "warmup",
    "rate",
    "curve",
    "trend",
    "year",
    "month",
    "week",
    "day",
    "time",
    "history",
    "story",
    "question",
    "problem",
    "solution",
    "tradeoff",
    "difference",
    "detail",
    "example",
    "case",
    "pattern",
    "rule",
    "measure",
    "number",
    "figure",
    "table",
    "chart",
    "source",
    "citation",
    "claim",
    "evidence",
    "argument",
    "view",
    "reason",
    "often",
    "rarely",
    "usually",
    "mostly",
    "nearly",
    "roughly",
    "almost",
    "still",
    "also",
    "only",
    "even",
    "then",
    "now",
    "already",
    "again",
    "together",
    "apart",
    "instead",
    "however",
    "therefore",
    "meanwhile",
    "indeed",
    "river",
    "stone",
    "harbour",
    "garden",
    "lantern",
    "bridge",
    "valley",
    "signal",
    "compass",
    "ledger",
    "archive",
    "library",
    "workshop",
    "kitchen",
    "window",
    "mountain",
    "forest",
    "orchard",
    "meadow",
    "island",
    "coast",
];

const TAGS: &[&str] = &[
    "architecture",
    "benchmarks",
    "compute",
    "context",
    "data",
    "deployment",
    "efficiency",
    "evaluation",
    "fine-tuning",
    "governance",
    "hardware",
    "history",
    "inference",
    "licensing",
    "multilingual",
    "multimodal",
    "open-weights",
    "optimization",
    "privacy",
    "quantization",
    "reasoning",
    "research",
    "retrieval",
    "safety",
    "scaling",
    "security",
    "tokenization",
    "tooling",
    "training",
    "transparency",
];

const LANGS_RUST_IDENTS: &[&str] = &[
    "tokens", "weights", "batch", "scores", "layers", "budget", "window", "cache", "queue",
    "ledger", "shards", "experts", "samples", "vocab", "counts", "steps", "heads", "buffer",
    "index", "rows",
];

fn cap(word: &str) -> String {
    let mut c = word.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The heading ids factbook and Hugo both give plain-word headings.
fn slug(text: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    out
}

/// Pages per section in the Zola-shaped corpus.
const ZOLA_PAGES_PER_SECTION: usize = 100;

fn section_of(page: usize, per_section: usize) -> usize {
    page / per_section + 1
}

fn page_name(page: usize) -> String {
    format!("page-{page:05}")
}

struct Gen {
    rng: Rng,
    n_pages: usize,
    hugo: bool,
    zola: bool,
    per_section: usize,
}

impl Gen {
    fn words(&mut self, n: usize) -> Vec<&'static str> {
        (0..n).map(|_| self.rng.pick(WORDS)).collect()
    }

    /// Between `lo` and `hi` words, joined by spaces.
    fn phrase(&mut self, lo: usize, hi: usize) -> String {
        let n = self.rng.range(lo, hi);
        self.words(n).join(" ")
    }

    /// A sentence of plain words, sometimes with emphasis or inline code; returns it and its
    /// word count.
    fn sentence(&mut self, link: Option<String>) -> (String, usize) {
        let n = self.rng.range(7, 19);
        let words = self.words(n);
        let link_at = link.as_ref().map(|_| self.rng.range(1, n - 1));
        let mut s = String::new();
        for (i, w) in words.iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            if link_at == Some(i) {
                let text_len = self.rng.range(2, 4);
                let text = self.words(text_len).join(" ");
                let _ = write!(s, "[{text}]({})", link.as_deref().unwrap_or_default());
                s.push(' ');
            }
            let w = if i == 0 { cap(w) } else { (*w).to_string() };
            match self.rng.below(60) {
                0 => {
                    let _ = write!(s, "*{w}*");
                }
                1 => {
                    let _ = write!(s, "**{w}**");
                }
                2 if i > 0 => {
                    let _ = write!(s, "`{w}_{}`", self.rng.below(100));
                }
                _ => s.push_str(&w),
            }
        }
        s.push(if self.rng.percent(8) { '?' } else { '.' });
        (s, n)
    }

    /// A paragraph of about `target` words, carrying the given links.
    fn paragraph(&mut self, target: usize, mut links: Vec<String>) -> (String, usize) {
        let mut p = String::new();
        let mut count = 0;
        while count < target || !links.is_empty() {
            let link = if !links.is_empty() && (count + 20 >= target || self.rng.percent(40)) {
                links.pop()
            } else {
                None
            };
            let (s, n) = self.sentence(link);
            if !p.is_empty() {
                p.push(' ');
            }
            p.push_str(&s);
            count += n;
        }
        p.push_str("\n\n");
        (p, count)
    }

    fn heading_text(&mut self, seen: &mut HashSet<String>) -> String {
        loop {
            let n = self.rng.range(2, 5);
            let words = self.words(n);
            let text = format!("{} {}", cap(words[0]), words[1..].join(" "));
            if seen.insert(slug(&text)) {
                return text;
            }
        }
    }

    fn title(&mut self) -> String {
        let n = self.rng.range(3, 6);
        let words = self.words(n);
        words.iter().map(|w| cap(w)).collect::<Vec<_>>().join(" ")
    }

    fn link_to(&self, from: usize, to: usize) -> String {
        let (fs, ts) = (
            section_of(from, self.per_section),
            section_of(to, self.per_section),
        );
        if self.zola {
            return format!("@/s{ts}/{}.md", page_name(to));
        }
        match (self.hugo, fs == ts) {
            (false, true) => format!("{}.md", page_name(to)),
            (false, false) => format!("../s{ts}/{}.md", page_name(to)),
            (true, true) => format!("../{}/", page_name(to)),
            (true, false) => format!("../../s{ts}/{}/", page_name(to)),
        }
    }

    fn bullet_list(&mut self) -> String {
        let mut out = String::new();
        for _ in 0..self.rng.range(3, 7) {
            let n = self.rng.range(4, 12);
            let words = self.words(n);
            if self.rng.percent(30) {
                let _ = writeln!(out, "- **{}**: {}", cap(words[0]), words[1..].join(" "));
            } else {
                let _ = writeln!(out, "- {} {}", cap(words[0]), words[1..].join(" "));
            }
        }
        out.push('\n');
        out
    }

    fn table(&mut self) -> String {
        let mut out =
            String::from("| Name | Parameters | Tokens | Notes |\n| --- | ---: | ---: | --- |\n");
        for _ in 0..self.rng.range(3, 6) {
            let name = format!("{}-{}", cap(self.rng.pick(WORDS)), self.rng.range(1, 99));
            let params = self.rng.range(1, 4000) as f64 / 10.0;
            let tokens = self.rng.range(100, 20000);
            let notes = self.phrase(2, 5);
            let _ = writeln!(out, "| {name} | {params:.1}B | {tokens}B | {notes} |");
        }
        out.push('\n');
        out
    }

    fn ident(&mut self) -> &'static str {
        self.rng.pick(LANGS_RUST_IDENTS)
    }

    fn code_block(&mut self) -> String {
        let (a, b) = (self.ident(), self.ident());
        let (k, m) = (self.rng.range(2, 64), self.rng.range(100, 100_000));
        let comment = self.phrase(4, 9);
        let mut out = String::new();
        if self.rng.percent(50) {
            out.push_str("```rust\n");
            match self.rng.below(3) {
                0 => {
                    let _ = write!(
                        out,
                        "use std::collections::HashMap;\n\n/// {comment}\npub fn count_{a}({b}: &[&str]) -> HashMap<String, usize> {{\n    let mut seen = HashMap::new();\n    for item in {b}.iter().filter(|s| s.len() > {k}) {{\n        *seen.entry(item.to_lowercase()).or_insert(0) += 1;\n    }}\n    seen.retain(|_, n| *n < {m});\n    seen\n}}\n"
                    );
                }
                1 => {
                    let _ = write!(
                        out,
                        "/// {comment}\n#[derive(Debug, Clone, PartialEq)]\npub struct {A} {{\n    pub {b}: Vec<u64>,\n    pub limit: u64,\n}}\n\nimpl {A} {{\n    pub fn new(limit: u64) -> Self {{\n        Self {{ {b}: Vec::with_capacity({k}), limit }}\n    }}\n\n    pub fn push(&mut self, x: u64) -> Result<(), String> {{\n        if x > self.limit {{\n            return Err(format!(\"{{x}} exceeds {{}}\", self.limit));\n        }}\n        self.{b}.push(x * {m});\n        Ok(())\n    }}\n}}\n",
                        A = cap(a)
                    );
                }
                _ => {
                    let _ = write!(
                        out,
                        "// {comment}\nenum Step {{\n    Warmup(u32),\n    Train {{ lr: f64, batch: usize }},\n    Done,\n}}\n\nfn describe(step: &Step) -> String {{\n    match step {{\n        Step::Warmup(n) if *n > {k} => format!(\"long warmup of {{n}} steps\"),\n        Step::Warmup(n) => format!(\"warmup {{n}}\"),\n        Step::Train {{ lr, batch }} => format!(\"lr={{lr:.2e}} batch={{batch}}\"),\n        Step::Done => \"{a} done after {m} steps\".to_string(),\n    }}\n}}\n"
                    );
                }
            }
        } else {
            out.push_str("```python\n");
            match self.rng.below(3) {
                0 => {
                    let _ = write!(
                        out,
                        "import math\n\n\ndef mean_{a}({b}):\n    \"\"\"{comment}.\"\"\"\n    if not {b}:\n        return 0.0\n    total = sum(x for x in {b} if x < {m})\n    return round(total / len({b}), {k} % 7)\n\n\nprint(mean_{a}([math.sqrt(i) for i in range({k})]))\n"
                    );
                }
                1 => {
                    let _ = write!(
                        out,
                        "from dataclasses import dataclass, field\n\n\n@dataclass\nclass {A}:\n    \"\"\"{comment}.\"\"\"\n\n    limit: int = {m}\n    {b}: list[int] = field(default_factory=list)\n\n    def add(self, x: int) -> bool:\n        if x > self.limit:\n            raise ValueError(f\"{{x}} exceeds {{self.limit}}\")\n        self.{b}.append(x * {k})\n        return len(self.{b}) > {k}\n",
                        A = cap(a)
                    );
                }
                _ => {
                    let _ = write!(
                        out,
                        "# {comment}\nwith open(\"{a}.tsv\", encoding=\"utf-8\") as f:\n    rows = [line.rstrip(\"\\n\").split(\"\\t\") for line in f]\n\n{b} = {{name: int(value) for name, value in rows if int(value) % {k} == 0}}\nfor name, value in sorted({b}.items(), key=lambda kv: -kv[1])[:10]:\n    print(f\"{{name:<20}} {{value:>{k}}}\")  # top {m}\n"
                    );
                }
            }
        }
        out.push_str("```\n\n");
        out
    }

    fn page(&mut self, page: usize) -> String {
        let title = self.title();
        let (y, mo, d) = (
            self.rng.range(2015, 2024),
            self.rng.range(1, 12),
            self.rng.range(1, 28),
        );
        let n_tags = self.rng.range(2, 3);
        let mut tags: Vec<&str> = Vec::new();
        while tags.len() < n_tags {
            let t = self.rng.pick(TAGS);
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        tags.sort_unstable();
        let tags = tags
            .iter()
            .map(|t| format!("\"{t}\""))
            .collect::<Vec<_>>()
            .join(", ");

        let mut out = format!(
            "+++\ntitle = \"{title}\"\ndate = \"{y:04}-{mo:02}-{d:02}\"\ntags = [{tags}]\n"
        );
        if self.zola {
            let author = cap(self.rng.pick(WORDS));
            let minutes = self.rng.range(2, 14);
            let featured = self.rng.percent(10);
            let summary = self.phrase(6, 12);
            let _ = write!(
                out,
                "\n[extra]\nauthor = \"{author}\"\nreading_minutes = {minutes}\nfeatured = {featured}\nsummary = \"{summary}\"\n"
            );
        }
        out.push_str("+++\n\n");

        let mut seen = HashSet::new();
        let n_headings = self.rng.range(3, 6);
        let headings: Vec<(usize, String)> = (0..n_headings)
            .map(|i| {
                let level = if i == 0 || self.rng.percent(60) { 2 } else { 3 };
                (level, self.heading_text(&mut seen))
            })
            .collect();

        let n_links = self.rng.range(3, 5);
        let mut targets = Vec::new();
        while targets.len() < n_links.min(self.n_pages.saturating_sub(1)) {
            let t = self.rng.below(self.n_pages);
            if t != page && !targets.contains(&t) {
                targets.push(t);
            }
        }
        let mut links: Vec<String> = targets.iter().map(|&t| self.link_to(page, t)).collect();

        // One block per heading, plus the introduction; the page's links go into the first
        // paragraph of a block, one per block, the rest into the last.
        let budget = self.rng.range(960, 1080);
        let blocks = n_headings + 1;
        let per_block = budget / blocks;
        let mut block_links: Vec<Vec<String>> = vec![Vec::new(); blocks];
        let mut b = 1;
        while let Some(l) = links.pop() {
            block_links[b.min(blocks - 1)].push(l);
            b += 1;
        }
        let anchor = self.rng.below(n_headings);
        let (list_at, table_at, code_at) = (1, 2.min(n_headings), n_headings);

        for block in 0..blocks {
            if block > 0 {
                let (level, text) = &headings[block - 1];
                let _ = write!(out, "{} {text}\n\n", "#".repeat(*level));
            }
            let mut words = 0;
            if block == 0 {
                let (p, n) = self.paragraph(40, Vec::new());
                out.push_str(&p);
                let _ = write!(
                    out,
                    "This page covers {} and more; see [{}](#{}) below.\n\n",
                    self.words(3).join(" "),
                    headings[anchor].1.to_lowercase(),
                    slug(&headings[anchor].1)
                );
                words += n + 10;
            }
            let mut first = true;
            while words + 30 < per_block {
                let target = self.rng.range(50, 110).min(per_block - words);
                let links = if first {
                    std::mem::take(&mut block_links[block])
                } else {
                    Vec::new()
                };
                first = false;
                let (p, n) = self.paragraph(target, links);
                out.push_str(&p);
                words += n;
            }
            if !block_links[block].is_empty() {
                let (p, _) = self.paragraph(20, std::mem::take(&mut block_links[block]));
                out.push_str(&p);
            }
            if block == list_at {
                out.push_str(&self.bullet_list());
            }
            if block == table_at {
                out.push_str(&self.table());
            }
            if block == code_at {
                out.push_str(&self.code_block());
                let (p, _) = self.paragraph(30, Vec::new());
                out.push_str(&p);
            }
        }
        while out.ends_with("\n\n") {
            out.pop();
        }
        out
    }
}

const HUGO_CONFIG: &str = r#"baseURL = "https://bench.example.org/"
title = "Bench"
languageCode = "en"
enableRobotsTXT = true

[taxonomies]
tag = "tags"

[markup.tableOfContents]
startLevel = 2
endLevel = 3
"#;

const HUGO_BASEOF: &str = r#"<!doctype html>
<html lang="{{ .Site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ .Site.Title }}</title>
<link rel="canonical" href="{{ .Permalink }}">
{{ range .AlternativeOutputFormats }}<link rel="{{ .Rel }}" type="{{ .MediaType.Type }}" href="{{ .Permalink }}">{{ end }}
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header>
<main>
{{ block "main" . }}{{ end }}
</main>
<footer>{{ .Site.Title }}</footer>
</body>
</html>
"#;

const HUGO_SINGLE: &str = r#"{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p class="meta"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time> · {{ .ReadingTime }} min read
{{ with .GetTerms "tags" }} · {{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}{{ end }}</p>
<nav class="toc">{{ .TableOfContents }}</nav>
{{ .Content }}
</article>
{{ end }}
"#;

const HUGO_LIST: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ if not .Date.IsZero }} <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>{{ end }}</li>
{{ end }}</ul>
{{ end }}
"#;

/// What a corpus directory may hold: what this program writes, and what Hugo adds to its source.
const CORPUS_ENTRIES: &[&str] = &[
    "book.toml",
    "hugo.toml",
    "content",
    "layouts",
    "resources",
    ".hugo_build.lock",
];

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    fs::write(path, text)
}

fn generate(out: &Path, n_pages: usize, hugo: bool, zola: bool) -> std::io::Result<()> {
    // Refuse to write over anything that is not an earlier corpus (with what Hugo leaves in its
    // source directory); clear an earlier corpus so that a smaller N leaves no stale pages.
    if out.exists() {
        let mut other = Vec::new();
        for entry in fs::read_dir(out)? {
            let name = entry?.file_name().to_string_lossy().into_owned();
            if !CORPUS_ENTRIES.contains(&name.as_str()) {
                other.push(name);
            }
        }
        if !other.is_empty() {
            return Err(std::io::Error::other(format!(
                "{} exists and holds more than a corpus ({}); pick an empty or new directory",
                out.display(),
                other.join(", ")
            )));
        }
        for name in CORPUS_ENTRIES {
            let path = out.join(name);
            if path.is_dir() {
                fs::remove_dir_all(path)?;
            } else if path.exists() {
                fs::remove_file(path)?;
            }
        }
    }

    let content = out.join("content");
    if hugo {
        write(&out.join("hugo.toml"), HUGO_CONFIG)?;
        write(&out.join("layouts/_default/baseof.html"), HUGO_BASEOF)?;
        write(&out.join("layouts/_default/single.html"), HUGO_SINGLE)?;
        write(&out.join("layouts/_default/list.html"), HUGO_LIST)?;
    } else if zola {
        write(
            &out.join("book.toml"),
            "title = \"Bench\"\nbase_url = \"https://bench.example.org/\"\n\n[markdown]\nhighlight_code = false\n",
        )?;
    } else {
        write(
            &out.join("book.toml"),
            "title = \"Bench\"\nbase_url = \"https://bench.example.org/\"\n",
        )?;
    }
    let per_section = if zola {
        ZOLA_PAGES_PER_SECTION
    } else {
        PAGES_PER_SECTION
    };
    let mut g = Gen {
        rng: Rng(SEED),
        n_pages,
        hugo,
        zola,
        per_section,
    };
    let (intro, _) = g.paragraph(60, Vec::new());
    write(
        &content.join("_index.md"),
        &format!("+++\ntitle = \"Bench\"\n+++\n\n{}", intro.trim_end()),
    )?;
    let n_sections = n_pages.div_ceil(per_section);
    for s in 1..=n_sections {
        let (intro, _) = g.paragraph(40, Vec::new());
        let dir = content.join(format!("s{s}"));
        write(
            &dir.join("_index.md"),
            &format!(
                "+++\ntitle = \"Section {s}\"\n+++\n\n{}\n",
                intro.trim_end()
            ),
        )?;
    }
    for page in 0..n_pages {
        let text = g.page(page) + "\n";
        let dir = content.join(format!("s{}", section_of(page, per_section)));
        let path: PathBuf = dir.join(format!("{}.md", page_name(page)));
        write(&path, &text)?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let mut hugo = false;
    let mut zola = false;
    let mut positional = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--hugo" => hugo = true,
            "--zola" => zola = true,
            "-h" | "--help" => {
                println!("usage: gen_corpus [--hugo | --zola] OUT_DIR N_PAGES");
                return ExitCode::SUCCESS;
            }
            _ => positional.push(arg),
        }
    }
    let (out, n) = match positional.as_slice() {
        [out, n] => match n.parse::<usize>() {
            Ok(n) if n > 0 => (PathBuf::from(out), n),
            _ => {
                eprintln!("error: N_PAGES must be a positive integer, got `{n}`");
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("usage: gen_corpus [--hugo | --zola] OUT_DIR N_PAGES");
            return ExitCode::from(2);
        }
    };
    if hugo && zola {
        eprintln!("error: --hugo and --zola are two shapes; pick one");
        return ExitCode::from(2);
    }
    match generate(&out, n, hugo, zola) {
        Ok(()) => {
            println!(
                "wrote {n} pages to {}{}",
                out.display(),
                if hugo {
                    " (Hugo)"
                } else if zola {
                    " (Zola-shaped)"
                } else {
                    ""
                }
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
