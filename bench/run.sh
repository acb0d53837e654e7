#!/usr/bin/env bash
# Benchmark of `rapor build` on synthetic provinces (SPEC §8, issue 5).
#
#   bash bench/run.sh
#
# Builds the release binary and the `synth` example, generates three sites in
# a temporary folder (10 districts x 5 years, 50 x 10 and 500 x 10: 50, 500
# and 5,000 district pages), checks each with `rapor check`, then measures
# `rapor build --root SITE` on each: the median wall time with hyperfine
# (1 warm-up, RUNS runs) and the peak memory with /usr/bin/time -v, and prints
# a table with the phase times rapor reports itself.
#
# Environment:
#   RUNS=N         timed runs per size (default 5, at least 5)
#   SIZES="D:Y .." districts:years per site (default "10:5 50:10 500:10")
#   KEEP=1         keep the generated sites and outputs (path printed at the end)
#   BENCH_TMP=DIR  where to put them. Default: /dev/shm when it is a tmpfs
#                  with 2 GB free (stable figures, no disk contention), else
#                  $TMPDIR or /tmp. BENCH_TMP=/tmp measures on the disk.
#   RAPOR=FILE     measure this rapor binary instead of building one (to
#                  compare a saved "before" binary with the current one)
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
SIZES=${SIZES:-"10:5 50:10 500:10"}
if [ "$RUNS" -lt 5 ]; then RUNS=5; fi

# --- tools ---------------------------------------------------------------
apt_install() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "bench: please install $*" >&2
      exit 1
    fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "bench: please install $* (no apt-get here)" >&2
    exit 1
  fi
  echo "bench: installing $* ..." >&2
  $sudo apt-get install -y -qq "$@" >/dev/null 2>&1 ||
    { $sudo apt-get update -qq >/dev/null && $sudo apt-get install -y -qq "$@" >/dev/null; }
}
command -v hyperfine >/dev/null 2>&1 || apt_install hyperfine
[ -x /usr/bin/time ] || apt_install time

# --- build ---------------------------------------------------------------
if [ -n "${RAPOR:-}" ]; then
  RAPOR=$(cd "$(dirname "$RAPOR")" && pwd)/$(basename "$RAPOR")
  echo "bench: building the synth example; measuring $RAPOR ..." >&2
  cargo build --release --quiet --example synth
else
  echo "bench: building target/release/rapor and the synth example ..." >&2
  cargo build --release --quiet --bin rapor --example synth
  RAPOR=$PWD/target/release/rapor
fi
SYNTH=$PWD/target/release/examples/synth

if [ -z "${BENCH_TMP:-}" ]; then
  BENCH_TMP=${TMPDIR:-/tmp}
  # The 5,000-page site, its output, the staged rebuild and a copy need ~1 GB.
  if [ "$(df -P /dev/shm 2>/dev/null | awk 'NR == 2 { print $1 }')" = tmpfs ] &&
    [ "$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')" -gt 2000000 ] && [ -w /dev/shm ]; then
    BENCH_TMP=/dev/shm
  fi
fi
WORK=$(mktemp -d "$BENCH_TMP/rapor-bench.XXXXXX")
if [ "${KEEP:-}" = 1 ]; then
  echo "bench: keeping the sites in $WORK" >&2
else
  trap 'rm -rf "$WORK"' EXIT
fi

# Under pipefail a `head` that stops reading can kill the command before it
# with SIGPIPE and end the script without a word: first lines are taken with
# `sed -n 1p`, which reads to the end.

# median of numbers, one per line
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print a[(NR + 1) / 2]; else printf "%.1f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

ROWS=()
for size in $SIZES; do
  districts=${size%%:*}
  years=${size##*:}
  pages=$((districts * years))
  site=$WORK/site-$pages
  echo >&2
  echo "bench: == $pages district pages ($districts districts x $years years) ==" >&2
  "$SYNTH" --districts "$districts" --years "$years" "$site"
  if ! "$RAPOR" check --root "$site" >"$WORK/check.log" 2>&1; then
    echo "bench: rapor check failed on the generated site:" >&2
    head -n 40 "$WORK/check.log" >&2
    exit 1
  fi
  cat "$WORK/check.log" >&2

  # Wall time: hyperfine, 1 warm-up run, then RUNS runs, each into an empty
  # folder (the output and the record of the last build removed first).
  fresh="rm -rf '$site/output' '$site'/.output.rapor-*"
  hyperfine --warmup 1 --runs "$RUNS" --style basic --prepare "$fresh" \
    --export-json "$WORK/hyperfine-$pages.json" \
    "'$RAPOR' build --root '$site'" >&2
  median_s=$(grep -o '"median": *[0-9.eE+-]*' "$WORK/hyperfine-$pages.json" | sed -n 1p | sed 's/.*: *//')
  median_ms=$(awk -v s="$median_s" 'BEGIN { printf "%.0f", s * 1000 }')

  # Rebuilds over the existing output: with no change, and with one district
  # file changed between runs (its first numeric indicator cycled through
  # 0, 1, 2, so every run sees a real change of score, and one the spare
  # kept from two builds back does not already hold).
  hyperfine --warmup 1 --runs "$RUNS" --style basic \
    --export-json "$WORK/same-$pages.json" "'$RAPOR' build --root '$site'" >&2
  same_ms=$(grep -o '"median": *[0-9.eE+-]*' "$WORK/same-$pages.json" | sed -n 1p |
    sed 's/.*: *//' | awk '{ printf "%.0f", $1 * 1000 }')
  last=$(ls "$site/content" | grep -E '^[0-9]+$' | sort -n | tail -n 1)
  district=$(ls "$site/content/$last/districts" | grep '\.yaml$' | sed -n 1p)
  file="$site/content/$last/districts/$district"
  cp "$file" "$WORK/orig.yaml"
  cat >"$WORK/next.awk" <<'AWK'
done != 1 && /^  "[^"]*": [0-9]+$/ { v = $NF; sub(/[0-9]+$/, (v + 1) % 3); done = 1 }
{ print }
AWK
  toggle="awk -f '$WORK/next.awk' '$file' >'$WORK/next.yaml' && cp '$WORK/next.yaml' '$file'"
  hyperfine --warmup 1 --runs "$RUNS" --style basic --prepare "$toggle" \
    --export-json "$WORK/one-$pages.json" "'$RAPOR' build --root '$site'" >&2
  one_ms=$(grep -o '"median": *[0-9.eE+-]*' "$WORK/one-$pages.json" | sed -n 1p |
    sed 's/.*: *//' | awk '{ printf "%.0f", $1 * 1000 }')
  cp "$WORK/orig.yaml" "$file"
  "$RAPOR" build --root "$site" >/dev/null

  # Peak memory and rapor's own phase times: 3 more runs under /usr/bin/time -v.
  : >"$WORK/rss" && : >"$WORK/load" && : >"$WORK/render" && : >"$WORK/total"
  built=""
  for _ in 1 2 3; do
    rm -rf "$site/output" "$site"/.output.rapor-*
    if ! /usr/bin/time -v "$RAPOR" build --root "$site" >"$WORK/out.log" 2>"$WORK/time.log"; then
      echo "bench: rapor build failed:" >&2
      cat "$WORK/out.log" "$WORK/time.log" >&2
      exit 1
    fi
    grep 'Maximum resident set size' "$WORK/time.log" | awk '{ print $NF }' >>"$WORK/rss"
    built=$(grep '^Built ' "$WORK/out.log" || true)
    if [ -n "$built" ]; then
      sed -n 's/.* in \([0-9]*\) ms (.*/\1/p' <<<"$built" >>"$WORK/total"
      sed -n 's/.*load and score \([0-9]*\) ms.*/\1/p' <<<"$built" >>"$WORK/load"
      sed -n 's/.*render and write \([0-9]*\) ms.*/\1/p' <<<"$built" >>"$WORK/render"
    fi
  done
  echo "bench: rapor says: ${built:-(no \"Built\" line)}" >&2

  # Baseline for the disk: `cp -r` of the finished output (the same files and
  # folders, written by one thread), median of 3.
  : >"$WORK/copy"
  for _ in 1 2 3; do
    rm -rf "$WORK/copy-out"
    t0=$(date +%s%N)
    cp -r "$site/output" "$WORK/copy-out"
    t1=$(date +%s%N)
    echo $(((t1 - t0) / 1000000)) >>"$WORK/copy"
  done
  rm -rf "$WORK/copy-out"
  rss_mb=$(sort -n "$WORK/rss" | tail -n 1 | awk '{ printf "%.1f", $1 / 1024 }')
  ROWS+=("$(printf '%7d  %6s x %-3s  %9s  %9s  %13s  %15s  %15s  %12s  %11s  %11s' \
    "$pages" "$districts" "$years" "$median_ms" "$rss_mb" \
    "$(median <"$WORK/total")" "$(median <"$WORK/load")" "$(median <"$WORK/render")" \
    "$(median <"$WORK/copy")" \
    "$same_ms ($((100 * same_ms / median_ms))%)" "$one_ms ($((100 * one_ms / median_ms))%)")")
  # Free the disk before the next size unless asked to keep it.
  if [ "${KEEP:-}" != 1 ]; then rm -rf "$site"; fi
done

echo
echo "rapor build, $(nproc) CPUs, median of $RUNS runs (hyperfine, 1 warm-up); peak RSS: max of 3 runs (/usr/bin/time -v)"
echo "phase columns: median of rapor's own \"Built ... in X ms (load and score Y ms, render and write Z ms)\" over those 3 runs"
echo "wall ms: into an empty folder; no change / one changed: median wall ms of a rebuild over the previous output (and % of wall ms)"
echo "cp -r ms: median of 3 single-threaded copies of the built output/ on the same disk ($(df -P "$WORK" | awk 'NR == 2 { print $1 }'), $WORK): what writing those files costs here"
echo
printf '%7s  %12s  %9s  %9s  %13s  %15s  %15s  %12s  %11s  %11s\n' \
  "pages" "districts" "wall ms" "peak MB" "rapor says ms" "load+score ms" "render+write ms" "cp -r ms" "no change" "one changed"
printf '%7s  %12s  %9s  %9s  %13s  %15s  %15s  %12s  %11s  %11s\n' \
  "-------" "------------" "---------" "---------" "-------------" "---------------" "---------------" "------------" "-----------" "-----------"
for row in "${ROWS[@]}"; do echo "$row"; done
