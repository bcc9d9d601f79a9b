#!/usr/bin/env bash
# The build benchmark of issue 2, point 12: factbook beside Hugo and the floor.
#
#   bash bench/run.sh            # 1,000 and 10,000 pages, 3 runs each, about 5 minutes
#
# Environment:
#   BENCH_SIZES  page counts to generate and build        (default "1000 10000")
#   BENCH_RUNS   timed runs per row; the median is shown   (default 3)
#   BENCH_DIR    corpora and on-disk output                (default /tmp/factbook-bench)
#   BENCH_SHM    tmpfs output                              (default /dev/shm/factbook-bench)
#   BENCH_TOOLS  tools to run                              (default "factbook hugo floor")
#   BENCH_OUTPUTS  where the output goes                   (default "disk tmpfs")
#   BENCH_RESULTS  where the table is written             (default bench/results.md)
#   BENCH_FACTBOOK  a factbook binary to time instead of building target/release/factbook
#
# For each corpus and tool it times a whole-process build, output first on disk (BENCH_DIR) and
# then on tmpfs (BENCH_SHM): wall time as the median of BENCH_RUNS runs, peak RSS (the largest of
# the runs) from /usr/bin/time. It prints a Markdown table and writes it to bench/results.md. A
# tool that cannot be built or installed, or whose build of a corpus fails, is skipped with a
# message; the other rows still run.
#
# Every run writes into a directory that does not exist yet. On disk, outputs are not deleted
# until the end: this machine's root is ext4 without a journal, where the inode allocator skips
# (and rereads) every inode freed in the last ~35 s (fs/ext4/ialloc.c, recently_deleted), so
# creating 10,000 files right after deleting 10,000 costs seconds of kernel time. The script
# waits that long after a large delete before the first timed disk run. The "other CPU" column
# is the CPU time other processes used during the worst run, as a share of the machine: above a
# few percent, the row was measured on a busy machine and is not to be trusted.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${BENCH_DIR:-/tmp/factbook-bench}"
SHM="${BENCH_SHM:-/dev/shm/factbook-bench}"
SIZES="${BENCH_SIZES:-1000 10000}"
RUNS="${BENCH_RUNS:-3}"
TOOLS="${BENCH_TOOLS:-factbook hugo floor}"
OUTPUTS="${BENCH_OUTPUTS:-disk tmpfs}"
RESULTS="${BENCH_RESULTS:-$ROOT/bench/results.md}"

say() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'bench: %s\n' "$*" >&2; }

mkdir -p "$WORK" "$SHM"
LOGS="$WORK/logs"
mkdir -p "$LOGS"
SKIPPED=()

# ---------------------------------------------------------------- tools from Debian
APT_UPDATED=0
apt_install() {
    if ! command -v apt-get >/dev/null; then
        return 1
    fi
    if [ "$APT_UPDATED" = 0 ]; then
        say "apt-get update"
        apt-get update -qq >"$LOGS/apt-update.log" 2>&1 || true
        APT_UPDATED=1
    fi
    say "apt-get install -y $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >"$LOGS/apt-install-$1.log" 2>&1
}

if [ ! -x /usr/bin/time ]; then
    apt_install time || { warn "cannot install the 'time' package; it is needed for peak memory"; exit 2; }
fi

HAVE_HUGO=1
case " $TOOLS " in
*" hugo "*)
    if ! command -v hugo >/dev/null; then
        apt_install hugo || true
    fi
    if ! command -v hugo >/dev/null; then
        warn "skipping hugo: not installed and 'apt-get install -y hugo' failed (see $LOGS/apt-install-hugo.log)"
        HAVE_HUGO=0
        SKIPPED+=("hugo (not installed)")
    fi
    ;;
*) HAVE_HUGO=0 ;;
esac

# ---------------------------------------------------------------- build
cd "$ROOT" || exit 2
# Honours CARGO_TARGET_DIR and .cargo/config.
TARGET="$(cargo metadata --format-version 1 --no-deps 2>/dev/null | grep -o '"target_directory":"[^"]*"' | cut -d'"' -f4)"
TARGET="${TARGET:-$ROOT/target}"
GEN=""
FLOOR=""
FACTBOOK=""

say "cargo build --release --example gen_corpus --example floor"
if cargo build --release --example gen_corpus --example floor >"$LOGS/build-examples.log" 2>&1; then
    GEN="$TARGET/release/examples/gen_corpus"
    FLOOR="$TARGET/release/examples/floor"
else
    # The examples link the factbook library, so a library that does not compile (yet) takes
    # them down too. They need nothing from it: build them alone, against the same
    # pulldown-cmark version as Cargo.lock and the same release profile.
    warn "the examples do not build inside the package (see $LOGS/build-examples.log);"
    warn "building them standalone in $WORK/tools instead"
    PCM_VERSION="$(awk '/^name = "pulldown-cmark"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' "$ROOT/Cargo.lock")"
    mkdir -p "$WORK/tools"
    cat >"$WORK/tools/Cargo.toml" <<EOF
[package]
name = "factbook-bench-tools"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[[bin]]
name = "gen_corpus"
path = "$ROOT/examples/gen_corpus.rs"

[[bin]]
name = "floor"
path = "$ROOT/examples/floor.rs"

[dependencies]
pulldown-cmark = { version = "=${PCM_VERSION:-0.13.6}", default-features = false, features = ["html"] }
walkdir = "2.5"

[profile.release]
codegen-units = 4
lto = "thin"
EOF
    if (cd "$WORK/tools" && CARGO_TARGET_DIR="$WORK/tools/target" cargo build --release) >"$LOGS/build-tools.log" 2>&1; then
        GEN="$WORK/tools/target/release/gen_corpus"
        FLOOR="$WORK/tools/target/release/floor"
    else
        warn "cannot build the corpus generator (see $LOGS/build-tools.log); nothing to benchmark"
        exit 2
    fi
fi

case " $TOOLS " in
*" factbook "*)
    if [ -n "${BENCH_FACTBOOK:-}" ]; then
        FACTBOOK="$BENCH_FACTBOOK"
        say "using factbook binary $FACTBOOK"
    elif say "cargo build --release --bin factbook" &&
        cargo build --release --bin factbook >"$LOGS/build-factbook.log" 2>&1; then
        FACTBOOK="$TARGET/release/factbook"
    else
        warn "skipping factbook: 'cargo build --release --bin factbook' failed:"
        grep -E '^error' "$LOGS/build-factbook.log" | head -5 >&2
        warn "(full log: $LOGS/build-factbook.log)"
        SKIPPED+=("factbook (did not compile)")
    fi
    ;;
esac

# ---------------------------------------------------------------- timing
now_ns() { date +%s%N; }
# CPU time of the whole machine so far, in jiffies (USER_HZ).
busy_jiffies() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }
HZ=$(getconf CLK_TCK)
NCPU=$(nproc)

# Large deletes on disk, and when the last one was.
DELETED_AT=0
rm_disk() {
    if [ -e "$1" ]; then
        rm -rf "$1"
        DELETED_AT=$(date +%s)
    fi
}
settle_disk() {
    sync
    local wait=$((DELETED_AT + 36 - $(date +%s)))
    if ((wait > 0)); then
        say "waiting ${wait}s for ext4 to stop skipping recently deleted inodes"
        sleep "$wait"
    fi
}

# set_cmd TOOL CORPUS_DIR OUT_DIR: the build command, in CMD.
set_cmd() {
    local tool="$1" corpus="$2" out="$3"
    case "$tool" in
    factbook) CMD=("$FACTBOOK" build --root "$corpus" --output "$out") ;;
    hugo) CMD=(hugo --source "$corpus" --destination "$out" --quiet) ;;
    floor) CMD=("$FLOOR" "$corpus/content" "$out") ;;
    esac
}

ROWS=()

# bench_row TOOL PAGES CORPUS LOCATION OUT_BASE
bench_row() {
    local tool="$1" pages="$2" corpus="$3" where="$4" base="$5"
    local log="$LOGS/$tool-$pages-$where.log"
    local times=() peak=0 other_max=0 i out start end b0 b1 wall_ms kb cpu other html=0
    : >"$log"
    [ "$where" = disk ] && settle_disk
    for ((i = 1; i <= RUNS; i++)); do
        out="$base/out/$tool-$pages-$i"
        rm -rf "$out"
        [ "$where" = tmpfs ] && rm -rf "$base/out/$tool-$pages-$((i - 1))"
        set_cmd "$tool" "$corpus" "$out"
        echo "\$ ${CMD[*]}" >>"$log"
        sync
        b0=$(busy_jiffies)
        start=$(now_ns)
        if ! /usr/bin/time -f "%M %U %S" -o "$LOGS/time.out" "${CMD[@]}" >>"$log" 2>&1 </dev/null; then
            warn "skipping $tool, $pages pages, $where: the build failed (run $i); last lines of $log:"
            tail -n 8 "$log" | sed 's/^/    /' >&2
            ROWS+=("| $tool | $pages | $where | failed | – | – | – | – |")
            return
        fi
        end=$(now_ns)
        b1=$(busy_jiffies)
        if [ "$i" = 1 ]; then
            html=$(find "$out" -name '*.html' 2>/dev/null | wc -l)
            if [ "$html" = 0 ]; then
                warn "skipping $tool, $pages pages, $where: it exited 0 but wrote no HTML into $out"
                ROWS+=("| $tool | $pages | $where | no output | – | – | – | 0 |")
                return
            fi
        fi
        wall_ms=$(((end - start) / 1000000))
        times+=("$wall_ms")
        read -r kb cpu < <(tail -n 1 "$LOGS/time.out" | awk '{ print $1, $2 + $3 }')
        ((kb > peak)) && peak=$kb
        # Other processes' share of the machine during this run, in percent.
        other=$(awk -v b="$((b1 - b0))" -v hz="$HZ" -v cpu="$cpu" -v ms="$wall_ms" -v n="$NCPU" \
            'BEGIN { o = (b / hz - cpu) / (ms / 1000 * n) * 100; if (o < 0) o = 0; if (o > 100) o = 100; printf "%.0f", o }')
        ((other > other_max)) && other_max=$other
        echo "run $i: ${wall_ms} ms wall, ${cpu} s CPU, ${kb} KiB peak RSS, other processes ${other}% of the machine" >>"$log"
    done
    [ "$where" = tmpfs ] && rm -rf "$base/out/$tool-$pages-$RUNS"
    local median_ms row
    median_ms=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    row=$(awk -v t="$tool" -v n="$pages" -v w="$where" -v ms="$median_ms" -v kb="$peak" -v h="$html" -v o="$other_max" \
        'BEGIN { printf "| %s | %d | %s | %.3f | %.0f | %.0f | %d%% | %d |", t, n, w, ms / 1000, n / (ms / 1000), kb / 1024, o, h }')
    ROWS+=("$row")
    say "$row   (runs, ms: ${times[*]})"
    if ((other_max > 5)); then
        warn "other processes used up to ${other_max}% of the machine during $tool, $pages pages, $where: a noisy figure"
    fi
}

# Outputs of an earlier run of this script.
rm_disk "$WORK/out"
rm -rf "$SHM/out"
mkdir -p "$WORK/out" "$SHM/out"

# gen_once MODE DIR PAGES: (re)generates a corpus unless the same generator already made it.
gen_once() {
    local mode="$1" dir="$2" pages="$3" stamp
    stamp="$(sha256sum "$GEN" | cut -d' ' -f1) $mode $pages"
    if [ -f "$dir.stamp" ] && [ "$(cat "$dir.stamp")" = "$stamp" ] && [ -d "$dir/content" ]; then
        return 0
    fi
    say "generating $pages pages ($mode) in $dir"
    rm -f "$dir.stamp"
    [ -e "$dir" ] && DELETED_AT=$(date +%s)
    if [ "$mode" = hugo ]; then
        "$GEN" --hugo "$dir" "$pages" >/dev/null
    else
        "$GEN" "$dir" "$pages" >/dev/null
    fi || return 1
    echo "$stamp" >"$dir.stamp"
}

for pages in $SIZES; do
    corpus="$WORK/corpus-$pages"
    hcorpus="$WORK/hugo-$pages"
    gen_once factbook "$corpus" "$pages" || { warn "gen_corpus failed for $pages pages"; exit 2; }
    if [ "$HAVE_HUGO" = 1 ]; then
        gen_once hugo "$hcorpus" "$pages" || { warn "gen_corpus --hugo failed for $pages pages"; exit 2; }
    fi
done

for pages in $SIZES; do
    corpus="$WORK/corpus-$pages"
    hcorpus="$WORK/hugo-$pages"
    for tool in $TOOLS; do
        case "$tool" in
        factbook) [ -n "$FACTBOOK" ] || continue; src="$corpus" ;;
        hugo) [ "$HAVE_HUGO" = 1 ] || continue; src="$hcorpus" ;;
        floor) src="$corpus" ;;
        *) warn "unknown tool '$tool'"; continue ;;
        esac
        for where in $OUTPUTS; do
            case "$where" in
            disk) bench_row "$tool" "$pages" "$src" disk "$WORK" ;;
            tmpfs) bench_row "$tool" "$pages" "$src" tmpfs "$SHM" ;;
            *) warn "unknown output '$where' (disk or tmpfs)" ;;
            esac
        done
    done
done
rm -rf "$WORK/out" "$SHM/out"

# ---------------------------------------------------------------- report
{
    echo "# Build benchmark"
    echo
    echo "Generated by \`bash bench/run.sh\` on $(date -u +%Y-%m-%d) ($(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/^Mem:/ { print $2 }') GiB)."
    echo "Disk output: $WORK ($(df -T "$WORK" | awk 'NR == 2 { print $2 }')); tmpfs output: $SHM ($(df -T "$SHM" | awk 'NR == 2 { print $2 }'))."
    echo "Versions: $(rustc --version 2>/dev/null); $( [ "$HAVE_HUGO" = 1 ] && hugo version | cut -d' ' -f1-2 ); pulldown-cmark $(awk '/^name = "pulldown-cmark"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' "$ROOT/Cargo.lock")."
    echo "Median wall time of $RUNS whole-process runs; peak RSS is the largest of the runs; other CPU is the largest share of the machine that other processes used during a run (above a few percent the figure is noisy); HTML files counts what the build wrote."
    echo
    echo "| tool | pages | output | median s | pages/s | peak MiB | other CPU | HTML files |"
    echo "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |"
    printf '%s\n' "${ROWS[@]}"
    if [ "${#SKIPPED[@]}" -gt 0 ]; then
        echo
        echo "Not measured: $(IFS=,; echo "${SKIPPED[*]}" | sed 's/,/, /g')."
    fi
} >"$RESULTS"

echo
cat "$RESULTS"
