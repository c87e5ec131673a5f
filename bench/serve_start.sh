#!/usr/bin/env bash
# Times how long `blatt serve` takes to start, session after session of the
# same site: from nothing, again with nothing changed, and again after an
# article's body was edited while no server ran. Each line gives the seconds
# from the command to its `serving` line, the seconds from Ctrl-C to its
# exit (a server that keeps its folder syncs the disk first), and its `built`
# line. The binaries take turns session by session, each with a cache folder
# and a TMPDIR of its own below WORK (a binary before the kept folder builds
# into a temporary folder, from nothing, every time).
#
#   bench/serve_start.sh [N]                default N: 10000, SESSIONS: 3
#   BINS="/tmp/blatt-old target/release/blatt" bench/serve_start.sh 100000
#   CORPUS=real bench/serve_start.sh 10000  sentences of real articles, as in run.sh
#
# WORK decides the file system measured (default /tmp/blatt-serve-start: on
# this project's VMs, ext4 without a journal; /dev/shm for tmpfs).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
SESSIONS=${SESSIONS:-3}
WORK=${WORK:-/tmp/blatt-serve-start}
. bench/blatt_corpus.sh
file=$(find "$site/content" -name '*.md' | sort | sed -n 1p)
echo "edited between sessions: ${file#"$site"/}"
port() { # a port free now
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
ports=()
for k in "${!bins[@]}"; do
  rm -rf "$WORK/cache-$k" "$WORK/tmp-$k"
  mkdir -p "$WORK/cache-$k" "$WORK/tmp-$k"
  # One port per binary for all its sessions: the preview's base_url names
  # it, and another one would be a settings change (every page again).
  ports+=("$(port)")
done
session() { # binary number: one server started and stopped
  local out=$WORK/serve-$1.out t0 t1 t2 t3 pid
  t0=$(date +%s.%N)
  XDG_CACHE_HOME=$WORK/cache-$1 TMPDIR=$WORK/tmp-$1 "${bins[$1]}" --root "$site" serve --port "${ports[$1]}" >"$out" 2>/dev/null &
  pid=$!
  until grep -q '^serving' "$out"; do
    kill -0 "$pid" 2>/dev/null || { echo "server ${bins[$1]} ended"; return 1; }
    sleep 0.01
  done
  t1=$(date +%s.%N)
  sleep 1
  t2=$(date +%s.%N)
  kill -INT "$pid"
  wait "$pid" || true
  t3=$(date +%s.%N)
  printf '[%s] start %.2f s, stop %.2f s | %s\n' "${bins[$1]##*/}" "$(echo "$t1 - $t0" | bc)" \
    "$(echo "$t3 - $t2" | bc)" "$(grep '^built' "$out" | sed 's/ → .*//')"
}
cp "$file" "$WORK/edited.orig"
trap 'cp "$WORK/edited.orig" "$file"' EXIT
for s in $(seq 1 "$SESSIONS"); do
  case $s in
    1) echo "session 1 (from nothing):" ;;
    2) echo "session 2 (nothing changed):" ;;
    *)
      echo "Nachtrag $s: Die Sitzung wurde vertagt." >>"$file"
      echo "session $s (a body edited while no server ran):"
      ;;
  esac
  for k in "${!bins[@]}"; do
    session "$k"
  done
done
