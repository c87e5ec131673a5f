# Sourced by the scripts that time one binary against another on a blatt
# site (redate.sh, newest.sh, serve_start.sh): builds them, reads BINS into `bins`,
# prints the machine and makes the corpus of N articles once, setting `site`.
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
corpus=$WORK/corpus-$CORPUS-$N
if [ ! -f "$corpus/.complete" ]; then
  rm -rf "$corpus"
  target/release/blatt-bench-corpus --articles "$N" --seed "$SEED" --out "$corpus" --only blatt "${GEN_ARGS[@]}"
  touch "$corpus/.complete"
fi
site=$corpus/blatt
