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
#   EDIT=title bench/redate.sh 10000        site.yaml's title changed instead: every
#                                           page rendered and written anew
#   EDIT=month bench/redate.sh 10000        each edit moves another article of March
#                                           2016 to the same day of April (its address
#                                           changes: a redirect); dates put back at the end
#   TURNS=series bench/redate.sh 10000      each binary's whole run in turn (its output
#                                           removed, built from nothing, then the edits),
#                                           so that no binary walks what another freed
#
# WORK decides the file system measured (default /tmp/blatt-redate: on this
# project's VMs, ext4 without a journal; /dev/shm for tmpfs).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
EDITS=${EDITS:-8}
WORK=${WORK:-/tmp/blatt-redate}
EDIT=${EDIT:-date}
TURNS=${TURNS:-alternate}
case $EDIT in date | title | month) ;; *) echo "EDIT=date|title|month, not $EDIT" >&2; exit 2 ;; esac
. bench/blatt_corpus.sh
# An article of March 2016, moved between the 10th and the 20th.
# (The first such file, found without a pipe that `head` closes early:
# under `pipefail` grep's broken pipe ended the script on larger corpora.)
file=
for f in "$site"/content/2016/03/*.md; do
  if grep -q '^date: 2016-03-1[0-9]T' "$f"; then file=$f; break; fi
done
[ -n "$file" ] || { echo "no article of March 2016 dated the 10th to 19th" >&2; exit 1; }
[ "$EDIT" = month ] || echo "article: ${file#"$site"/}"
# For EDIT=month: the articles of March 2016 dated the 1st to the 28th,
# each moved once; their files are kept to put back when the script ends.
march=()
if [ "$EDIT" = month ]; then
  for f in "$site"/content/2016/03/*.md; do
    if grep -qE '^date: 2016-03-(0[1-9]|1[0-9]|2[0-8])T' "$f"; then march+=("$f"); fi
  done
  [ "${#march[@]}" -gt "$EDITS" ] || { echo "too few articles of March 2016" >&2; exit 1; }
  mkdir -p "$WORK/march"
  cp "${march[@]}" "$WORK/march/"
  trap 'for f in "${march[@]}"; do cp "$WORK/march/${f##*/}" "$f"; done' EXIT
fi
fresh() { # binary number: its output removed and built from nothing
  rm -rf "$WORK/out-$1" "$WORK"/.out-"$1".blatt-manifest*
  /usr/bin/time -f "%e s wall, %S s sys" "${bins[$1]}" --root "$site" build --quiet --out "$WORK/out-$1" 2>&1
}
edit() { # edit number: the change it makes; prints its label
  day=$(($1 % 2 == 1 ? 20 : 10))
  case $EDIT in
    date) sed -i -E "s/^date: 2016-03-[0-9]{2}T/date: 2016-03-${day}T/" "$file"; echo "edit $1 (to the ${day}th):" ;;
    title) sed -i -E "s/^title: .*/title: Bench $1/" "$site/site.yaml"; echo "edit $1 (title):" ;;
    month)
      f=${march[$1]}
      sed -i -E "s/^date: 2016-03-/date: 2016-04-/" "$f"
      echo "edit $1 (${f##*/} into April):"
      ;;
  esac
}
timed() { # binary number
  { /usr/bin/time -f "%e s wall, %S s sys" "${bins[$1]}" --root "$site" build --quiet --out "$WORK/out-$1"; } 2>&1
}
if [ "$TURNS" = series ]; then
  for k in "${!bins[@]}"; do
    echo "[${bins[$k]##*/}] from nothing: $(fresh "$k")"
    for n in $(seq 1 "$EDITS"); do
      echo "[${bins[$k]##*/}] $(edit "$n") $(timed "$k")"
    done
  done
  exit 0
fi
for k in "${!bins[@]}"; do
  fresh "$k" > /dev/null
done
for n in $(seq 1 "$EDITS"); do
  line=$(edit "$n")
  for k in "${!bins[@]}"; do
    line="$line  [${bins[$k]##*/}] $(timed "$k")"
  done
  echo "$line"
done
