//! Microbenchmark of build-time code highlighting: `factbook::highlight::code_block` (its own
//! lexers for the common languages) against syntect alone, on the same snippets, one thread.
//!
//! ```text
//! cargo run --release --example highlight_bench [-- ROUNDS [new|old|both] [LANG]]
//! cargo run --release --example highlight_bench -- --corpus DIR
//! ```
//!
//! `new` or `old` times only one side, and LANG only that snippet (for a profiler). With
//! `--corpus`, every fenced block of the `.md` files under DIR (say a `gen_corpus` site) is
//! highlighted once each way, in file order, which is closer to a build than repeating one
//! snippet: the caches are colder and the languages alternate.
//!
//! Prints, per language, the wall time of the first block (theme and syntax loading), then
//! microseconds (of thread CPU time on Linux) per block for both and the speed-up. The syntect
//! column reproduces what `code_block` did at first: `HighlightLines` line by line into
//! inline-styled spans.

use std::hint::black_box;
use std::process::ExitCode;
use std::time::Instant;

use syntect::easy::HighlightLines;
use syntect::highlighting::ThemeSet;
use syntect::html::{IncludeBackground, styled_line_to_highlighted_html};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const THEME: &str = "InspiredGitHub";

/// (fence tag, ~15-line snippet) — the first two are blocks of the benchmark corpus.
const SNIPPETS: &[(&str, &str)] = &[
    (
        "rust",
        "/// Counts the steps.\n#[derive(Debug, Clone, PartialEq)]\npub struct Tally {\n    pub seen: Vec<u64>,\n    pub limit: u64,\n}\n\nimpl Tally {\n    pub fn new(limit: u64) -> Self {\n        Self { seen: Vec::with_capacity(8), limit }\n    }\n\n    pub fn push(&mut self, x: u64) -> Result<(), String> {\n        if x > self.limit {\n            return Err(format!(\"{x} exceeds {}\", self.limit));\n        }\n        self.seen.push(x * 3);\n        Ok(())\n    }\n}\n",
    ),
    (
        "python",
        "from dataclasses import dataclass, field\n\n\n@dataclass\nclass Tally:\n    \"\"\"Counts the steps.\"\"\"\n\n    limit: int = 40\n    seen: list[int] = field(default_factory=list)\n\n    def add(self, x: int) -> bool:\n        if x > self.limit:\n            raise ValueError(f\"{x} exceeds {self.limit}\")\n        self.seen.append(x * 3)\n        return len(self.seen) > 3\n",
    ),
    (
        "js",
        "// Counts the steps.\nexport class Tally {\n  constructor(limit = 40) {\n    this.limit = limit;\n    this.seen = [];\n  }\n\n  add(x) {\n    if (x > this.limit) {\n      throw new Error(`${x} exceeds ${this.limit}`);\n    }\n    this.seen.push(x * 3);\n    return this.seen.length > 3;\n  }\n}\n",
    ),
    (
        "bash",
        "#!/usr/bin/env bash\nset -euo pipefail\n# Builds every site under $1.\nroot=\"${1:-.}\"\nfor dir in \"$root\"/*/; do\n  if [ -f \"$dir/book.toml\" ]; then\n    echo \"building $dir\"\n    factbook build --root \"$dir\" -o \"/tmp/out/$(basename \"$dir\")\" || exit 1\n  fi\ndone\ncount=$(ls /tmp/out | wc -l)\necho \"built $count sites\"\n",
    ),
    (
        "json",
        "{\n  \"name\": \"factbook\",\n  \"version\": \"0.1.0\",\n  \"private\": true,\n  \"scripts\": {\n    \"build\": \"factbook build\",\n    \"serve\": \"factbook serve --port 8080\"\n  },\n  \"limits\": [1, 2.5, -3e4, null],\n  \"tags\": [\"a\", \"b\\n\"]\n}\n",
    ),
    (
        "yaml",
        "# Site settings\ntitle: The LLM Factbook\nbase_url: https://example.org/\nfeed: true\nlimits:\n  - 1\n  - 2.5\nnav:\n  - title: Models\n    url: \"@/compare/models\"\n  - title: Articles\n    url: '@/articles/_index.md'\nempty: null\n",
    ),
    (
        "go",
        "package main\n\nimport (\n\t\"fmt\"\n\t\"strings\"\n)\n\n// Tally counts the steps.\ntype Tally struct {\n\tSeen  []uint64\n\tLimit uint64\n}\n\nfunc (t *Tally) Push(x uint64) error {\n\tif x > t.Limit {\n\t\treturn fmt.Errorf(\"%d exceeds %d\", x, t.Limit)\n\t}\n\tt.Seen = append(t.Seen, x*3)\n\treturn nil\n}\n\nfunc main() { fmt.Println(strings.Repeat(\"=\", 3)) }\n",
    ),
    (
        "cpp",
        "#include <vector>\n#include <stdexcept>\n\n// Counts the steps.\nclass Tally {\n public:\n  explicit Tally(unsigned long limit) : limit_(limit) {}\n\n  void push(unsigned long x) {\n    if (x > limit_) {\n      throw std::out_of_range(\"too big\");\n    }\n    seen_.push_back(x * 3);\n  }\n\n private:\n  std::vector<unsigned long> seen_;\n  unsigned long limit_;\n};\n",
    ),
];

fn syntect_block(code: &str, lang: &str, syntaxes: &SyntaxSet, themes: &ThemeSet) -> String {
    let syntax = syntaxes
        .find_syntax_by_token(lang)
        .unwrap_or_else(|| syntaxes.find_syntax_plain_text());
    let mut h = HighlightLines::new(syntax, &themes.themes[THEME]);
    let mut html = String::new();
    for line in LinesWithEndings::from(code) {
        let ranges = h.highlight_line(line, syntaxes).unwrap_or_default();
        html.push_str(
            &styled_line_to_highlighted_html(&ranges, IncludeBackground::No).unwrap_or_default(),
        );
    }
    html
}

/// CPU time of this thread in seconds, from `/proc/thread-self/schedstat` (Linux): unlike wall
/// time it does not count the time other processes on a busy machine take.
fn thread_cpu_secs() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns as f64 / 1e9)
}

/// Microseconds per call of `f`, in CPU time where the platform tells it, else in wall time.
fn per_block_us(rounds: usize, mut f: impl FnMut() -> usize) -> f64 {
    let mut bytes = 0;
    for _ in 0..rounds.min(20) {
        bytes += f(); // warm up: grammar loading, caches
    }
    let (wall, cpu) = (Instant::now(), thread_cpu_secs());
    for _ in 0..rounds {
        bytes += f();
    }
    black_box(bytes);
    let secs = match (cpu, thread_cpu_secs()) {
        (Some(a), Some(b)) => b - a,
        _ => wall.elapsed().as_secs_f64(),
    };
    secs * 1e6 / rounds as f64
}

/// The fenced blocks (language, code) of the `.md` files under `dir`, in path order.
fn corpus_blocks(dir: &str) -> Vec<(String, String)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    let mut blocks = Vec::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let mut open: Option<(String, String)> = None;
        for line in text.lines() {
            let fence = line.trim_start().strip_prefix("```");
            match (&mut open, fence) {
                (None, Some(info)) => {
                    let lang = info.split([' ', ',', '{']).next().unwrap_or("");
                    open = Some((lang.to_string(), String::new()));
                }
                (Some(_), Some(_)) => blocks.extend(open.take()),
                (Some((_, code)), None) => {
                    code.push_str(line);
                    code.push('\n');
                }
                (None, None) => {}
            }
        }
    }
    blocks
}

/// Highlights every block of a corpus once each way and prints the CPU time per block.
fn corpus(dir: &str) -> ExitCode {
    let blocks = corpus_blocks(dir);
    if blocks.is_empty() {
        eprintln!("no fenced code blocks under {dir}");
        return ExitCode::FAILURE;
    }
    let syntaxes = SyntaxSet::load_defaults_newlines();
    let themes = ThemeSet::load_defaults();
    let mut i = 0;
    let new = per_block_us(blocks.len(), || {
        let (lang, code) = &blocks[i % blocks.len()];
        i += 1;
        factbook::highlight::code_block(code, lang, THEME, true).len()
    });
    let mut i = 0;
    let old = per_block_us(blocks.len(), || {
        let (lang, code) = &blocks[i % blocks.len()];
        i += 1;
        syntect_block(code, lang, &syntaxes, &themes).len()
    });
    println!(
        "{} blocks: code_block {new:.1} µs, syntect {old:.1} µs per block: {:.1}x",
        blocks.len(),
        old / new
    );
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|a| a == "--corpus") {
        return match args.get(1) {
            Some(dir) => corpus(dir),
            None => {
                eprintln!("usage: highlight_bench --corpus DIR");
                ExitCode::FAILURE
            }
        };
    }
    let rounds = match args.first().map(|a| a.parse::<usize>()) {
        None => 500,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            eprintln!("usage: highlight_bench [ROUNDS [new|old|both] [LANG]]");
            return ExitCode::FAILURE;
        }
    };
    let side = args.get(1).map_or("both", String::as_str);
    let (run_new, run_old) = (side != "old", side != "new");
    let only = args.get(2).map(String::as_str);
    let load = Instant::now();
    let syntaxes = SyntaxSet::load_defaults_newlines();
    let themes = ThemeSet::load_defaults();
    println!(
        "loading syntect's syntax and theme sets: {:.1} ms",
        load.elapsed().as_secs_f64() * 1e3
    );
    println!(
        "{:<8} {:>6} {:>10} {:>14} {:>14} {:>8}",
        "lang", "lines", "1st ms", "code_block µs", "syntect µs", "speed-up"
    );
    let (mut total_new, mut total_old) = (0.0, 0.0);
    for (lang, code) in SNIPPETS {
        if only.is_some_and(|o| o != *lang) {
            continue;
        }
        // The first block of a language pays for loading its grammar and compiling its queries.
        let first = Instant::now();
        black_box(factbook::highlight::code_block(code, lang, THEME, true));
        let first_ms = first.elapsed().as_secs_f64() * 1e3;
        let new = if run_new {
            per_block_us(rounds, || {
                factbook::highlight::code_block(black_box(code), lang, THEME, true).len()
            })
        } else {
            f64::NAN
        };
        let old = if run_old {
            per_block_us(rounds, || {
                syntect_block(black_box(code), lang, &syntaxes, &themes).len()
            })
        } else {
            f64::NAN
        };
        total_new += new;
        total_old += old;
        println!(
            "{lang:<8} {:>6} {first_ms:>10.1} {new:>14.1} {old:>14.1} {:>7.1}x",
            code.lines().count(),
            old / new
        );
    }
    println!(
        "{:<8} {:>6} {:>10} {total_new:>14.1} {total_old:>14.1} {:>7.1}x",
        "all",
        "",
        "",
        total_old / total_new
    );
    ExitCode::SUCCESS
}
