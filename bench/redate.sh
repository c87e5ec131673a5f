#!/usr/bin/env bash
# Times a run of edits that move one article's date back and forth inside
# its month, each after the one before, as an editor correcting a date does:
# every such edit rewrites the search files of the articles between the two
# dates (about 1 400 files at 10 000 articles for ten days) and a dozen
# pages, and an update that frees the inodes of the files it replaced makes
# the next one slower on ext4 without a journal (README.md, "Safety").
# Prints wall and system time of each build, one column per binary; the
# binaries take turns edit by edit, each with an output folder of its own.
#
#   bench/redate.sh [N]                     default N: 10000, EDITS: 8
#   WORK=/tmp/blatt-redate BINS="/tmp/blatt-old target/release/blatt" bench/redate.sh 10000
#   CORPUS=real bench/redate.sh 10000       sentences of real articles, as in run.sh
#
# WORK decides the file system measured (default /tmp/blatt-redate: on this
# project's VMs, ext4 without a journal; /dev/shm for tmpfs).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
EDITS=${EDITS:-8}
SEED=${SEED:-1}
WORK=${WORK:-/tmp/blatt-redate}
CORPUS=${CORPUS:-zipf}
TEXT=${TEXT:-$PWD/../shared/corpus/10kGNAD/test.jsonl,$PWD/../shared/corpus/bulk/trafilatura-all-pages.jsonl.gz}
case $CORPUS in
  zipf) GEN_ARGS=() ;;
  real) GEN_ARGS=(--text "$TEXT") ;;
  *) echo "CORPUS=zipf|real, not $CORPUS" >&2; exit 2 ;;
esac
cargo build --release --quiet --bin blatt --bin blatt-bench-corpus
BINS=${BINS:-$PWD/target/release/blatt}
read -r -a bins <<<"$BINS"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); work folder: $WORK on $(stat -f -c %T "$(dirname "$WORK")")"
corpus=$WORK/corpus-$CORPUS-$N
if [ ! -f "$corpus/.complete" ]; then
  rm -rf "$corpus"
  target/release/blatt-bench-corpus --articles "$N" --seed "$SEED" --out "$corpus" --only blatt "${GEN_ARGS[@]}"
  touch "$corpus/.complete"
fi
site=$corpus/blatt
# An article of March 2016, moved between the 10th and the 20th.
file=$(grep -l -m1 '^date: 2016-03-1[0-9]T' "$site"/content/2016/03/*.md | head -1)
echo "article: ${file#"$site"/}"
for k in "${!bins[@]}"; do
  rm -rf "$WORK/out-$k" "$WORK"/.out-"$k".blatt-manifest*
  "${bins[$k]}" --root "$site" build --quiet --out "$WORK/out-$k"
done
for edit in $(seq 1 "$EDITS"); do
  day=$((edit % 2 == 1 ? 20 : 10))
  sed -i -E "s/^date: 2016-03-[0-9]{2}T/date: 2016-03-${day}T/" "$file"
  line="edit $edit (to the ${day}th):"
  for k in "${!bins[@]}"; do
    t=$( { /usr/bin/time -f "%e s wall, %S s sys" "${bins[$k]}" --root "$site" build --quiet --out "$WORK/out-$k"; } 2>&1)
    line="$line  [${bins[$k]##*/}] $t"
  done
  echo "$line"
done
