#!/usr/bin/env bash
# Times the daily case of a news archive: a new article, the newest of the
# site, then its removal. The article is a copy of one of the newest month,
# under a new name and slug, dated after every other; each binary builds
# after it is added and again after it is removed, the binaries taking turns
# (who goes first alternates), each with an output folder of its own.
# Prints wall time and peak memory of each build, one column per binary.
#
#   bench/newest.sh [N]                     default N: 10000, EDITS: 8
#   WORK=/dev/shm/blatt-newest BINS="/tmp/blatt-old target/release/blatt" bench/newest.sh 100000
#   CORPUS=real bench/newest.sh 1500        sentences of real articles, as in run.sh
#   WHEN=now bench/newest.sh 10000          dated an hour ago, not at the end of 2023:
#                                           it opens a month and a year, and starts
#                                           the News sitemap
#   WHEN=2022-03-21T16:50:00+01:00 bench/newest.sh 100000
#                                           dated among the others (a late report):
#                                           the pages since its date move up by one
#
# WORK decides the file system measured (default /tmp/blatt-newest: on this
# project's VMs, ext4 without a journal; /dev/shm for tmpfs).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
EDITS=${EDITS:-8}
WORK=${WORK:-/tmp/blatt-newest}
. bench/blatt_corpus.sh
# The corpus's dates end in December 2023.
# (The first such file, found without a pipe that `head` closes early:
# under `pipefail` the broken pipe of `ls` ended the script at 100 000.)
newest=
for f in "$site"/content/2023/12/*.md; do newest=$f; break; done
[ -n "$newest" ] || { echo "no article of December 2023" >&2; exit 1; }
added=$site/content/2023/12/ein-neuer-artikel-zum-jahresende.md
case ${WHEN:-2023} in
  2023) date=2023-12-31T23:30:00+01:00 ;;
  now) date=$(date -u -d '1 hour ago' +%Y-%m-%dT%H:%M:%SZ) ;;
  [12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T*) date=$WHEN ;;
  *) echo "WHEN=2023|now|<date as in front matter>, not $WHEN" >&2; exit 2 ;;
esac
date -d "$date" > /dev/null || { echo "WHEN: $date is not a date" >&2; exit 2; }
sed -e "s/^date: .*/date: $date/" -e '/^slug: /d' \
  -e 's/^title: .*/title: Ein neuer Artikel zum Jahresende\nslug: ein-neuer-artikel-zum-jahresende/' \
  "$newest" > "$WORK/added.md"
echo "added: a copy of ${newest#"$site"/}, dated $date"
change() { # added | removed
  case $1 in
    added) cp "$WORK/added.md" "$added" ;;
    removed) rm "$added" ;;
  esac
}
rm -f "$added"
toggled
