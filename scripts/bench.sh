#!/usr/bin/env bash
# Whole builds of the synthetic news corpus with gazette and, when installed,
# Hugo, Zola and Eleventy, side by side: medians of several runs, tools taking
# turns (see ../shared/bench/README.md).
#
#   scripts/bench.sh 1000 10000 30000        # RUNS=3 WARMUP=1 by default
#
# Needs the shared bench folder (BENCH_DIR, default ../shared/bench next to the
# repository), python3 and GNU time (apt-get install -y time; hugo for Hugo).
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_DIR="${BENCH_DIR:-../shared/bench}"
[ -f "$BENCH_DIR/run_peers.sh" ] || { echo "no $BENCH_DIR/run_peers.sh: set BENCH_DIR" >&2; exit 2; }
[ $# -gt 0 ] || set -- 1000 10000
cargo build --release --quiet
GAZETTE="$PWD/target/release/gazette" exec bash "$BENCH_DIR/run_peers.sh" "$@"
