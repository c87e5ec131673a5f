#!/usr/bin/env bash
# Random edits on a large archive, each rebuilt in place and compared with a
# build of the same content into an empty folder (bench/equal_clean.py says
# what counts as equal). Works on a copy of the bench corpus, which stays as
# it was.
#
#   bench/equal_clean.sh [N]               default N: 30000, STEPS: 20, SEED: 1
#   CORPUS=real SEED=43 STEPS=25 WORK=/dev/shm/blatt-equal bench/equal_clean.sh 30000
#
# SEED makes both the corpus and the edits; a clean build per step makes
# this slow: about 10 s a step at 30 000 articles in tmpfs on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-30000}
STEPS=${STEPS:-20}
WORK=${WORK:-/tmp/blatt-equal}
mkdir -p "$WORK"
. bench/blatt_corpus.sh
copy=$WORK/edited-$CORPUS-$N
rm -rf "$copy" "$WORK/clean" "$WORK"/.clean.blatt*
mkdir -p "$copy"
cp -r "$site/content" "$site/site.yaml" "$copy/"
"${bins[0]}" --root "$copy" build --quiet
python3 bench/equal_clean.py "$copy" "$WORK/clean" "$SEED" "$STEPS" "${bins[0]}"
