#!/usr/bin/env bash
# Regression guard, run by CI: build a generated news site (N articles, a
# quarter with Russian translations, a code block in every fifth) with the
# release binary three times, and fail when the median wall time is over
# FACTOR times the baseline committed in benches/guard-baseline.txt, or the
# largest peak RSS over RSS_FACTOR times the one in benches/guard-baseline-rss.txt.
#
#   scripts/bench_guard.sh              # N=2000 FACTOR=3
#   scripts/bench_guard.sh --record     # measure here and write the baseline
#
# The committed baseline is the slowest median seen on the project's machine
# over several runs, so that a busy CI machine does not fail by chance.
#
# Self-contained (bash and the gazette binary): CI machines have no
# ../shared/bench. The site and its outputs live in /dev/shm when there is one
# (this guards gazette's work, not the disk: ext4 without a journal makes
# creating files right after deleting many several times slower), and each run
# writes to a new folder.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-2000}"
FACTOR="${FACTOR:-3}"
RSS_FACTOR="${RSS_FACTOR:-2}"
BIN="${GAZETTE:-$PWD/target/release/gazette}"
BASELINE_FILE=benches/guard-baseline.txt
RSS_BASELINE_FILE=benches/guard-baseline-rss.txt
[ -x "$BIN" ] || cargo build --release --quiet
command -v python3 >/dev/null || { echo "guard: python3 is needed to measure peak RSS" >&2; exit 1; }

scratch=/dev/shm
[ -d "$scratch" ] && [ -w "$scratch" ] || scratch="${TMPDIR:-/tmp}"
work="$(mktemp -d "$scratch/gazette-guard.XXXXXX")"
trap 'rm -rf "$work"' EXIT
"$BIN" init "$work/site" >/dev/null 2>&1
rm -rf "$work/site/content"
printf 'languages:\n  ru: { title: "Новостной портал" }\n' >>"$work/site/site.yaml"
mkdir -p "$work/site/content"/{news,announcements,consular-services}

words=(consulate visa border trade festival delegation Khabarovsk Harbin river
  bridge students exhibition agreement passport investment culture forum winter)
sections=(news announcements consular-services)
for ((i = 0; i < N; i++)); do
  section=${sections[i % 3]}
  day=$((i % 28 + 1)) month=$((i / 28 % 12 + 1)) year=$((2024 - i / 336))
  w1=${words[i % 18]} w2=${words[i * 7 % 18]} w3=${words[i * 11 % 18]}
  name=$(printf '%04d-%02d-%02d-%s-%s-%d' "$year" "$month" "$day" "$w1" "$w2" "$i")
  {
    printf -- '---\ntitle: "The %s and %s meeting number %d"\n' "$w1" "$w2" "$i"
    printf 'tags: [%s, %s]\ncategories: [%s]\n---\n\n' "$w1" "$w3" "$section"
    for ((p = 0; p < 6; p++)); do
      printf 'The %s of the %s met the %s delegation to discuss %s and %s. ' "$w1" "$w2" "$w3" "$w2" "$w1"
      printf 'Representatives agreed on *next steps* for the [%s programme](https://example.org/%d).\n\n' "$w3" "$p"
    done
    if ((i % 5 == 0)); then
      printf '```rust\nfn main() {\n    println!("%s {}", %d);\n}\n```\n' "$w1" "$i"
    fi
  } >"$work/site/content/$section/$name.md"
  if ((i % 4 == 0)); then
    printf -- '---\ntitle: "Встреча %d"\ntags: [%s]\n---\n\nДелегация обсудила сотрудничество и торговлю.\n' \
      "$i" "$w1" >"$work/site/content/$section/$name.ru.md"
  fi
done

# Peak RSS of one build in KB, from the kernel's accounting of the child.
peak_rss() {
  python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@"
}

times=() rss=()
for run in 1 2 3; do
  start=$(date +%s.%N)
  rss+=("$(peak_rss "$BIN" build -q --root "$work/site" --output "$work/out$run")")
  end=$(date +%s.%N)
  times+=("$(awk "BEGIN { printf \"%.3f\", $end - $start }")")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
peak=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)
echo "guard: $N articles built in ${times[*]} s (median $median s), peak RSS ${rss[*]} KB"

if [ "${1:-}" = "--record" ]; then
  echo "$median" >"$BASELINE_FILE"
  echo "$peak" >"$RSS_BASELINE_FILE"
  echo "guard: baselines $median s and $peak KB written to $BASELINE_FILE and $RSS_BASELINE_FILE"
  exit 0
fi
baseline=$(cat "$BASELINE_FILE")
rss_baseline=$(cat "$RSS_BASELINE_FILE")
failed=0
if awk "BEGIN { exit !($median > $baseline * $FACTOR) }"; then
  echo "guard: FAILED: median $median s is over $FACTOR x the baseline $baseline s" >&2
  failed=1
fi
if awk "BEGIN { exit !($peak > $rss_baseline * $RSS_FACTOR) }"; then
  echo "guard: FAILED: peak RSS $peak KB is over $RSS_FACTOR x the baseline $rss_baseline KB" >&2
  failed=1
fi
[ "$failed" = 0 ] || exit 1
echo "guard: ok (baseline $baseline s, bound $(awk "BEGIN { print $baseline * $FACTOR }") s; RSS baseline $rss_baseline KB, bound $(awk "BEGIN { print $rss_baseline * $RSS_FACTOR }") KB)"
