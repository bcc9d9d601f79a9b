#!/usr/bin/env bash
# factbook against the floor, interleaved: the 2× goal of issue 2 measured so that both sides
# see the same machine.
#
#   bash bench/ratio.sh            # after bench/run.sh has generated the 10,000-page corpus
#
# Environment:
#   BENCH_ROUNDS  rounds (default 9), after one untimed warm-up run of each; each round runs
#                 factbook once, then the floor once
#   BENCH_PAGES   corpus size (default 10000; the corpus of bench/run.sh in BENCH_DIR)
#   BENCH_DIR     where bench/run.sh put the corpora (default /tmp/factbook-bench)
#   BENCH_SHM     tmpfs output (default /dev/shm/factbook-ratio)
#   BENCH_SHAPE   "factbook" (the corpus of bench/run.sh) or "zola" (gen_corpus --zola: 100-page
#                 sections, @/ links, [extra] fields, highlighting off; generated here if missing)
#
# The floor renders in parallel on every core, as the build does (examples/floor.rs).
#
# bench/run.sh times each tool's runs back to back, minutes apart from the other tools' runs;
# on a machine whose speed drifts from minute to minute (this one: ±15 %), the ratio of two such
# medians moves with the drift. Here each round runs factbook and then the floor on the same
# corpus, output on tmpfs, so both see the same state of the machine. It prints each round's
# wall times and ratio, then the medians.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${BENCH_DIR:-/tmp/factbook-bench}"
SHM="${BENCH_SHM:-/dev/shm/factbook-ratio}"
PAGES="${BENCH_PAGES:-10000}"
ROUNDS="${BENCH_ROUNDS:-9}"
SHAPE="${BENCH_SHAPE:-factbook}"
cd "$ROOT"
cargo build --release --bin factbook --example floor --example gen_corpus >/dev/null 2>&1
if [ "$SHAPE" = zola ]; then
    CORPUS="$WORK/zola-corpus-$PAGES"
    [ -d "$CORPUS/content" ] || "$ROOT/target/release/examples/gen_corpus" --zola "$CORPUS" "$PAGES" >/dev/null
else
    CORPUS="$WORK/corpus-$PAGES"
    [ -d "$CORPUS/content" ] || "$ROOT/target/release/examples/gen_corpus" "$CORPUS" "$PAGES" >/dev/null
fi
FACTBOOK="$ROOT/target/release/factbook"
FLOOR="$ROOT/target/release/examples/floor"
mkdir -p "$SHM"

# wall_ms CMD...: runs CMD with output discarded, prints its wall time in milliseconds.
wall_ms() {
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 </dev/null
    end=$(date +%s%N)
    echo $(((end - start) / 1000000))
}

# One untimed run of each first: the first run after `cargo build` reads the corpus from a cold
# page cache (seen: round 1 at 2.3x while the others were at 1.5-1.8x).
"$FACTBOOK" build --root "$CORPUS" --output "$SHM/fb" >/dev/null 2>&1 </dev/null
"$FLOOR" "$CORPUS/content" "$SHM/floor" >/dev/null 2>&1 </dev/null

fb=() fl=() ratios=()
for ((i = 1; i <= ROUNDS; i++)); do
    rm -rf "$SHM/fb" "$SHM/floor"
    a=$(wall_ms "$FACTBOOK" build --root "$CORPUS" --output "$SHM/fb")
    b=$(wall_ms "$FLOOR" "$CORPUS/content" "$SHM/floor")
    r=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')
    echo "round $i: factbook $a ms, floor $b ms, ratio $r"
    fb+=("$a") fl+=("$b") ratios+=("$r")
done
rm -rf "$SHM"
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
echo "median of $ROUNDS rounds, $PAGES pages ($SHAPE-shaped), tmpfs: factbook $(median "${fb[@]}") ms, floor $(median "${fl[@]}") ms, ratio $(median "${ratios[@]}") (range $(printf '%s\n' "${ratios[@]}" | sort -n | head -1)–$(printf '%s\n' "${ratios[@]}" | sort -n | tail -1))"
