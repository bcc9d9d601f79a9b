#!/usr/bin/env bash
# Save-to-browser latency of `factbook serve` (issue 5, point 7).
#
#   bash bench/serve_latency.sh
#
# Environment:
#   BENCH_RUNS   timed edits per row (default 30, after 3 warm-up edits)
#   BENCH_SIZES  generated corpus sizes (default "10000"; empty for the bundled site only)
#   BENCH_DIR    where the site copies and corpora go (default /tmp/factbook-serve-bench)
#   BENCH_HUGO   0 to skip `hugo server` on the generated corpora (run when hugo is installed)
#
# For the bundled site (a copy: the repository is never edited) and for each generated corpus,
# it starts `factbook serve`, writes a file in place as an editor does, and times the arrival of
# the `change` event on the live event stream (the message that reloads the browser): p50, p95
# and max per kind of edit. Rows:
#   bundled  body edit       a word added to an article's body
#   bundled  fact sheet      a model's `context_window_tokens` value changed (tables, pairs,
#                            facets, charts and exports read it)
#   corpus   body edit       a word added to a page's body
#   corpus   title edit      a page's front-matter title changed (its section lists it); the
#                            generated corpus has no collections, so it has no fact-sheet edit
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${BENCH_DIR:-/tmp/factbook-serve-bench}"
SIZES="${BENCH_SIZES-10000}"
export RUNS="${BENCH_RUNS:-30}"
# `hugo server` on the same corpus, beside factbook, when Hugo is installed (BENCH_HUGO=0: skip).
HUGO=""
if [ "${BENCH_HUGO:-1}" != 0 ] && command -v hugo >/dev/null; then HUGO="$(command -v hugo)"; fi

cd "$ROOT"
cargo build --release --bin factbook --example serve_latency --example gen_corpus
export FACTBOOK_BIN="$ROOT/target/release/factbook"
LATENCY="$ROOT/target/release/examples/serve_latency"
mkdir -p "$WORK"

echo "factbook serve: save-to-event latency, $RUNS edits each ($(nproc) cores; $(date -u +%Y-%m-%d))"

echo "bundled site ($(find "$ROOT/content" -name '*.md' | wc -l) source pages):"
rm -rf "$WORK/bundled"
mkdir -p "$WORK/bundled"
for item in book.toml content templates static; do
    [ -e "$ROOT/$item" ] && cp -r "$ROOT/$item" "$WORK/bundled/"
done
"$LATENCY" "$WORK/bundled" \
    "body edit=body:content/articles/benchmarking.md" \
    "fact-sheet data edit=replace/context_window_tokens = { value = 512,/context_window_tokens = { value = 513,:content/models/bert-large.md"

for n in $SIZES; do
    corpus="$WORK/corpus-$n"
    if [ ! -f "$corpus/content/s1/page-00000.md" ] || [ "$(find "$corpus/content" -name 'page-*.md' | wc -l)" -ne "$n" ]; then
        "$ROOT/target/release/examples/gen_corpus" "$corpus" "$n" >/dev/null
    fi
    echo "generated corpus ($n pages):"
    "$LATENCY" "$corpus" \
        "body edit=body:content/s1/page-00000.md" \
        "title edit=title:content/s1/page-00000.md"
    if [ -n "$HUGO" ]; then
        hugo_corpus="$WORK/hugo-corpus-$n"
        "$ROOT/target/release/examples/gen_corpus" --hugo "$hugo_corpus" "$n" >/dev/null
        echo "generated corpus ($n pages), hugo server ($("$HUGO" version | cut -d' ' -f2)):"
        HUGO_BIN="$HUGO" "$LATENCY" --hugo "$hugo_corpus" \
            "body edit=body:content/s1/page-00000.md" \
            "title edit=title:content/s1/page-00000.md" ||
            echo "  hugo server could not be measured"
    fi
done
