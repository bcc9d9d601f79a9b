#!/usr/bin/env bash
# The comparison engine at the size of the field (issue 10): generated collections of 100, 1,000
# and 10,000 fact sheets of 15 fields (examples/gen_factsheets.rs, with one article per 20 sheets
# linking into them), built and checked as whole processes.
#
#   bash bench/scale.sh            # about 2 minutes
#
# Environment:
#   SCALE_SIZES  entry counts          (default "100 1000 10000")
#   SCALE_RUNS   runs per row; median  (default 3)
#   SCALE_DIR    corpora               (default /tmp/factbook-scale)
#   SCALE_SHM    tmpfs output          (default /dev/shm/factbook-scale)
#   BENCH_FACTBOOK  a factbook binary to time instead of building target/release/factbook
#
# For each size it prints: wall time (median) and peak RSS (largest run) of `build` (output on
# tmpfs) and of `check`; the output's files and bytes; and at the end a least-squares line
# through (entries, files) and (entries, bytes) with the largest relative deviation from it,
# which is how "output grows linearly with entries" is shown.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${SCALE_DIR:-/tmp/factbook-scale}"
SHM="${SCALE_SHM:-/dev/shm/factbook-scale}"
SIZES="${SCALE_SIZES:-100 1000 10000}"
RUNS="${SCALE_RUNS:-3}"

cd "$ROOT"
cargo build --release --bin factbook --example gen_factsheets >/dev/null 2>&1
FACTBOOK="${BENCH_FACTBOOK:-$ROOT/target/release/factbook}"
GEN="$ROOT/target/release/examples/gen_factsheets"
mkdir -p "$WORK" "$SHM"
[ -x /usr/bin/time ] || { echo "bench/scale.sh needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

# measure CMD...: runs CMD under /usr/bin/time; prints "wall_seconds max_rss_kib"; fails loudly.
measure() {
    local log="$WORK/time.log"
    if ! /usr/bin/time -f '%e %M' -o "$log" "$@" >"$WORK/out.log" 2>&1 </dev/null; then
        echo "failed: $*" >&2
        tail -20 "$WORK/out.log" >&2
        exit 1
    fi
    cat "$log"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

printf '| entries | pages | files | output MB | build s | build peak MiB | check s | check peak MiB |\n'
printf '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n'
POINTS=()
for n in $SIZES; do
    corpus="$WORK/corpus-$n"
    [ -f "$corpus/book.toml" ] || "$GEN" "$corpus" "$n"
    bw=(); bm=0; cw=(); cm=0
    for r in $(seq 1 "$RUNS"); do
        out="$SHM/out-$n-$r"
        rm -rf "$out"
        read -r w m < <(measure "$FACTBOOK" build --root "$corpus" --output "$out")
        bw+=("$w"); [ "$m" -gt "$bm" ] && bm=$m
        read -r w m < <(measure "$FACTBOOK" check --root "$corpus")
        cw+=("$w"); [ "$m" -gt "$cm" ] && cm=$m
    done
    out="$SHM/out-$n-1"
    pages=$(find "$out" -name '*.html' | wc -l)
    files=$(find "$out" -type f | wc -l)
    bytes=$(du -sb "$out" | cut -f1)
    printf '| %s | %s | %s | %.1f | %s | %d | %s | %d |\n' "$n" "$pages" "$files" \
        "$(echo "$bytes / 1000000" | bc -l)" \
        "$(printf '%s\n' "${bw[@]}" | median)" $((bm / 1024)) \
        "$(printf '%s\n' "${cw[@]}" | median)" $((cm / 1024))
    POINTS+=("$n $files $bytes")
    for r in $(seq 1 "$RUNS"); do rm -rf "$SHM/out-$n-$r"; done
done

# Least-squares fit y = a + b·n for files and bytes; the largest deviation of a point from it.
printf '%s\n' "${POINTS[@]}" | awk '
{ n[NR]=$1; f[NR]=$2; y[NR]=$3 }
function fit(v, name, unit,   i, sx, sy, sxx, sxy, b, a, dev, d) {
    sx=sy=sxx=sxy=0
    for (i=1; i<=NR; i++) { sx+=n[i]; sy+=v[i]; sxx+=n[i]*n[i]; sxy+=n[i]*v[i] }
    b=(NR*sxy-sx*sy)/(NR*sxx-sx*sx); a=(sy-b*sx)/NR; dev=0
    for (i=1; i<=NR; i++) { d=(v[i]-(a+b*n[i]))/v[i]; if (d<0) d=-d; if (d>dev) dev=d }
    printf "%s = %.0f + %.1f × entries %s (largest deviation from the line: %.1f %%)\n", name, a, b, unit, dev*100
}
END { print ""; fit(f, "files", ""); fit(y, "bytes", "") }'
