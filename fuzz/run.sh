#!/usr/bin/env bash
# Runs blatt's fuzz targets (fuzz/README.md). Seeds each corpus from the
# repository's own example inputs, then fuzzes each target for RUNS
# executions or SECONDS seconds, whichever ends first.
#
#   fuzz/run.sh                          every target, 10 million runs each
#   RUNS=100000 fuzz/run.sh slug         one target, briefly
#   JOBS=2 fuzz/run.sh import_text       two processes on one target
#   FLAGS=--no-trace-compares fuzz/run.sh import_text   faster, coarser feedback
set -euo pipefail
cd "$(dirname "$0")"
RUNS=${RUNS:-10000000}
SECONDS_MAX=${SECONDS_MAX:-0}
JOBS=${JOBS:-1}
FLAGS=${FLAGS:-}
MAX_LEN=${MAX_LEN:-8192}
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(slug front_matter markdown_roundtrip import_text import_json)

seed() {
  local target=$1 dir=corpus/$1
  mkdir -p "$dir"
  case $target in
    import_text | markdown_roundtrip | slug) cp ../tests/fixtures/raw/*.txt "$dir/" ;;
    front_matter) find ../content -name '*.md' -exec cp {} "$dir/" \; ;;
    import_json)
      # A leading byte chooses JSON (even) or JSON Lines (odd).
      printf '\0{"title": "Neue Bäume im Park", "text": "Im Stadtpark werden zwanzig Bäume gepflanzt.\\nDie Kosten trägt ein Verein.", "date": "2022-05-03", "author": "Anna Beispiel", "tags": "Stadt;Park", "categories": "Lokales"}' >"$dir/object.json"
      printf '\1{"title": "Erster Eintrag", "text": "Ein Satz.", "date": "2022-01-05"}\n{"title": "Zweiter", "text": "Noch einer.", "url": "https://example.org/a"}\n' >"$dir/lines.jsonl"
      ;;
  esac
}

# shellcheck disable=SC2086 # FLAGS holds options
cargo +nightly fuzz build -s none $FLAGS
for target in "${TARGETS[@]}"; do
  seed "$target"
  mkdir -p "artifacts/$target"
  echo "== $target"
  # shellcheck disable=SC2086
  cargo +nightly fuzz run -s none $FLAGS "$target" "corpus/$target" -- \
    -runs="$RUNS" -max_total_time="$SECONDS_MAX" $([ "$JOBS" -gt 1 ] && echo "-jobs=$JOBS -workers=$JOBS") \
    -timeout=10 -rss_limit_mb=2048 -max_len="$MAX_LEN" -print_final_stats=1 >"$target.log" 2>&1 ||
    { tail -40 "$target.log"; echo "$target: FAILED (artifacts/$target/)"; exit 1; }
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$target.log"
done
