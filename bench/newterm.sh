#!/usr/bin/env bash
# Times an edit that gives an article a topic (or an author) no other
# article has: the term gets its page, its feed and a line in its
# taxonomy's list, then loses them when the edit is undone. The article is
# one of March 2016; each binary builds after the term is added and again
# after it is removed, the binaries taking turns (who goes first
# alternates), each with an output folder of its own. Prints wall time and
# peak memory of each build, one column per binary.
#
#   bench/newterm.sh [N]                    default N: 10000, EDITS: 8
#   WORK=/dev/shm/blatt-newterm BINS="/tmp/blatt-old target/release/blatt" bench/newterm.sh 100000
#   CORPUS=real bench/newterm.sh 10000      sentences of real articles, as in run.sh
#   EDIT=author bench/newterm.sh 10000      a new author instead of a new topic
#
# WORK decides the file system measured (default /tmp/blatt-newterm: on this
# project's VMs, ext4 without a journal; /dev/shm for tmpfs).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
EDITS=${EDITS:-8}
WORK=${WORK:-/tmp/blatt-newterm}
EDIT=${EDIT:-topic}
case $EDIT in
  topic) key=topics name="Ein ganz neues Thema" ;;
  author) key=authors name="Neue Autorin" ;;
  *) echo "EDIT=topic|author, not $EDIT" >&2; exit 2 ;;
esac
. bench/blatt_corpus.sh
# (The first such file, found without a pipe that `head` closes early.)
file=
for f in "$site"/content/2016/03/*.md; do
  if grep -q "^$key:" "$f"; then file=$f; break; fi
done
[ -n "$file" ] || { echo "no article of March 2016 with $key" >&2; exit 1; }
echo "article: ${file#"$site"/}, $key gains \"$name\""
original=$WORK/original.md
cp "$file" "$original"
sed "s/^$key:\$/$key:\n- $name/" "$original" > "$WORK/edited.md"
cmp -s "$original" "$WORK/edited.md" && { echo "the edit changed nothing" >&2; exit 1; }
trap 'cp "$original" "$file"' EXIT
change() { # added | removed
  case $1 in
    added) cp "$WORK/edited.md" "$file" ;;
    removed) cp "$original" "$file" ;;
  esac
}
toggled
