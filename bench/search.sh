#!/usr/bin/env bash
# blatt's search beside Pagefind's on the same site: index build time, index
# size, bytes a browser fetches for five typical queries, and whether the
# first results are the right articles. See bench/README.md ("Search").
#
#   bench/search.sh [N]              default N = 10000 (bench corpus, seed 1)
#   CONTENT=/path/to/content bench/search.sh    any blatt content folder instead
#   RUNS=3 WORK=/dev/shm/blatt-search PEERS=/tmp/peers bench/search.sh 10000
#   PAGEFIND=none QUERIES=0 bench/search.sh 100000   blatt's build times only
#
# Needs python3 and node; Pagefind from ../shared/tools/install-peers.sh
# ($PEERS/bin/pagefind), else it is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
RUNS=${RUNS:-3}
WORK=${WORK:-/dev/shm/blatt-search}
PEERS=${PEERS:-/tmp/peers}
PORT=${PORT:-8793}
PAGEFIND=${PAGEFIND:-$PEERS/bin/pagefind}
if [ "$PAGEFIND" = none ]; then PAGEFIND=; elif [ ! -x "$PAGEFIND" ]; then PAGEFIND=$(command -v pagefind || true); fi

cargo build --release --quiet --bin blatt --bin blatt-bench-corpus
BLATT=$PWD/target/release/blatt
BENCH=$PWD/bench
mkdir -p "$WORK"
on=$WORK/on
off=$WORK/off
if [ -n "${CONTENT:-}" ]; then
  corpus="content folder $CONTENT"
  rm -rf "$on" && mkdir -p "$on"
  ln -s "$(realpath "$CONTENT")" "$on/content"
  printf 'title: Bench\nbase_url: https://example.org/\nlanguage: de\ntimezone: Europe/Berlin\n' >"$on/site.yaml"
else
  corpus="bench corpus, $N articles, seed 1, default (Zipf) vocabulary"
  if [ ! -d "$WORK/corpus-$N/blatt" ]; then
    target/release/blatt-bench-corpus --articles "$N" --seed 1 --out "$WORK/corpus-$N" --only blatt >/dev/null
  fi
  rm -rf "$on" && mkdir -p "$on"
  ln -s "$WORK/corpus-$N/blatt/content" "$on/content"
  cp "$WORK/corpus-$N/blatt/site.yaml" "$on/site.yaml"
fi
rm -rf "$off" && mkdir -p "$off"
ln -s "$(realpath "$on/content")" "$off/content"
{ cat "$on/site.yaml"; printf 'search:\n  enabled: false\n'; } >"$off/site.yaml"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "work folder: $WORK on $(stat -f -c %T "$WORK"); corpus: $corpus"
echo "versions: $($BLATT --version)${PAGEFIND:+ / pagefind $("$PAGEFIND" --version 2>/dev/null | awk '{print $NF}')}"

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
# Wall seconds of a clean full build of site $1 (no output, no build state).
full_build() {
  rm -rf "$1/public" "$1"/.public.blatt-manifest*
  local start=$EPOCHREALTIME
  (cd "$1" && "$BLATT" --root . build --quiet)
  awk "BEGIN{printf \"%.3f\", $EPOCHREALTIME - $start}"
}
t_on=() t_off=()
for _ in $(seq "$RUNS"); do
  t_off+=("$(full_build "$off")")
  t_on+=("$(full_build "$on")")
done
m_on=$(printf '%s\n' "${t_on[@]}" | median)
m_off=$(printf '%s\n' "${t_off[@]}" | median)
echo "blatt full build, search on:  ${t_on[*]} s (median $m_on)"
echo "blatt full build, search off: ${t_off[*]} s (median $m_off)"
echo "where the search time goes (one more build, BLATT_TIMINGS=1):"
rm -rf "$on/public" "$on"/.public.blatt-manifest*
(cd "$on" && BLATT_TIMINGS=1 "$BLATT" --root . build --quiet 2>&1 | grep -E 'search|render and stage|^built' | sed 's/^/  /')
# The last build is the site both tools search.
site=$on/public
size() { find "$1" -type f | wc -l | tr -d '\n'; printf ' files, '; du -sb "$1" | cut -f1 | tr -d '\n'; echo ' bytes'; }
echo "blatt index: $(size "$site/search")"
echo "blatt word cache beside the manifest: $(stat -c %s "$on/.public.blatt-manifest.search") bytes"

m_pf=n/a
if [ -n "$PAGEFIND" ] && [ -x "$PAGEFIND" ]; then
  # Article pages only (as blatt indexes articles), their <article> element.
  pf=("$PAGEFIND" --site "$site" --glob '[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html' --root-selector article)
  t_pf=()
  for _ in $(seq "$RUNS"); do
    rm -rf "$site/pagefind"
    start=$EPOCHREALTIME
    "${pf[@]}" >"$WORK/pagefind.log" 2>&1 || { tail -5 "$WORK/pagefind.log"; exit 1; }
    t_pf+=("$(awk "BEGIN{printf \"%.3f\", $EPOCHREALTIME - $start}")")
  done
  m_pf=$(printf '%s\n' "${t_pf[@]}" | median)
  echo "pagefind --site (articles): ${t_pf[*]} s (median $m_pf)"
  echo "pagefind index: $(size "$site/pagefind") (UI scripts and styles included)"
fi
echo "search adds $(awk "BEGIN{printf \"%.1f\", ($m_on - $m_off) / $m_off * 100}") % to blatt's full build; pagefind after it adds $( [ "$m_pf" = n/a ] && echo n/a || awk "BEGIN{printf \"%.1f\", $m_pf / $m_off * 100}") %"

[ "${QUERIES:-1}" = 0 ] && exit 0
echo "choosing queries and computing the right answers from the content …"
python3 "$BENCH/search_truth.py" "$on/content" >"$WORK/truth.json"
PY=$(python3 -c 'import sys; print(sys.executable)')
"$PY" -m http.server "$PORT" --bind 127.0.0.1 --directory "$site" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
sleep 1
: >"$WORK/queries.jsonl"
python3 -c 'import json,sys; [print(q["query"]) for q in json.load(open(sys.argv[1]))["queries"]]' "$WORK/truth.json" |
  while IFS= read -r q; do
    for tool in blatt pagefind; do
      [ $tool = pagefind ] && { [ -d "$site/pagefind" ] || continue; }
      node "$BENCH/search_query.mjs" $tool "http://127.0.0.1:$PORT" "$site" "$q" >>"$WORK/queries.jsonl"
    done
  done
python3 - "$WORK/truth.json" "$WORK/queries.jsonl" <<'EOF'
import gzip, json, os, sys
truth = json.load(open(sys.argv[1]))
runs = [json.loads(l) for l in open(sys.argv[2])]
site = os.environ.get("SITE", "")
def slug(url):
    return url.rstrip("/").rsplit("/", 1)[-1]
print(f"\n{truth['articles']} articles; relevant = top 10 by tf-idf among articles with every query word (ties included)\n")
print("| query | kind | matching | tool | files | bytes fetched | results | precision@5 | first 5 have every word |")
print("|---|---|---:|---|---:|---:|---:|---:|---:|")
totals = {}
for q in truth["queries"]:
    rel = set(q["relevant"]); match = set(q["matching_slugs"])
    for r in runs:
        if r["query"] != q["query"]:
            continue
        first = [slug(u) for u in r["results"][:5] if u]
        want = min(5, len(match)) or 1
        p5 = sum(1 for s in first if s in rel) / want
        ok = sum(1 for s in first if s in match) / want
        t = totals.setdefault(r["tool"], [0, 0.0, 0.0])
        t[0] += r["bytes"]; t[1] += p5; t[2] += ok
        print(f"| {q['query']} | {q['kind']} | {q['matching']} | {r['tool']} | {r['files']} | {r['bytes']:,} | {r['outcome']} | {p5:.2f} | {ok:.2f} |")
for tool, (b, p, o) in totals.items():
    print(f"| **all 5** | | | {tool} | | {b:,} | | {p / 5:.2f} | {o / 5:.2f} |")
EOF
