# Sourced by the scripts that time one binary against another on a blatt
# site (redate.sh, newest.sh, serve_start.sh): builds them, reads BINS into `bins`,
# prints the machine and makes the corpus of N articles once, setting `site`;
# defines `toggled`, the alternated builds of newest.sh and newterm.sh.
# Expects N and WORK; SEED (default 1) and CORPUS (zipf, the default, or
# real; TEXT names the real text) may be set.
SEED=${SEED:-1}
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
# The seed in the name: a corpus made with another seed is not reused.
corpus=$WORK/corpus-$CORPUS-$N-seed$SEED
if [ ! -f "$corpus/.complete" ]; then
  rm -rf "$corpus"
  target/release/blatt-bench-corpus --articles "$N" --seed "$SEED" --out "$corpus" --only blatt "${GEN_ARGS[@]}"
  touch "$corpus/.complete"
fi
site=$corpus/blatt

# Builds every binary from nothing into an output folder of its own
# ($WORK/out-K), then EDITS times calls the script's `change added` and
# `change removed`, each followed by a build of every binary, who goes
# first alternating; prints a line per build round, with wall time and
# peak memory per binary.
toggled() {
  timed() { # binary number
    { /usr/bin/time -f "%e s wall, %M KB" "${bins[$1]}" --root "$site" build --quiet --out "$WORK/out-$1"; } 2>&1
  }
  for k in "${!bins[@]}"; do
    rm -rf "$WORK/out-$k" "$WORK"/.out-"$k".blatt-manifest*
    timed "$k" > /dev/null
  done
  for n in $(seq 1 "$EDITS"); do
    order=("${!bins[@]}")
    if [ $((n % 2)) -eq 0 ]; then
      mapfile -t order < <(printf '%s\n' "${!bins[@]}" | sort -rn)
    fi
    for step in added removed; do
      change "$step"
      line="$n $step:"
      for k in "${order[@]}"; do
        line="$line  [${bins[$k]##*/}] $(timed "$k")"
      done
      echo "$line"
    done
  done
}
