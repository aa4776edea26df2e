#!/usr/bin/env bash
# Training throughput and peak memory: rhlab's DJL Llama vs the same model in PyTorch eager,
# measured in one session on one machine. Prints a table and writes bench/train-throughput.jsonl.
#
# Usage: bench/train-throughput.sh [rounds] [steps at T=256] [warmup]     (defaults 2, 30, 3)
# Each round runs every (T, implementation) in a fresh process, DJL and PyTorch alternating; T=512
# and T=1024 time half and a quarter of the steps (at least 8), so each run sees the same tokens.
# The table pools the timed steps of all rounds: median tokens/s with the 10th-90th percentile
# range, because a few steps after start-up are not a steady state (PyTorch's rate on this machine
# switches between two levels within a run).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2}
steps256=${2:-30}
warmup=${3:-3}

# The peer: Debian's python3-torch, on OpenBLAS rather than the reference BLAS it links by default.
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null || [ ! -e /usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch libopenblas0-openmp
fi
blas=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3)

./mvnw -B -q install -DskipTests
cp=$(./mvnw -B -q -pl activities dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)
cp="activities/target/test-classes:activities/target/classes:$cp"

out=bench/train-throughput.jsonl
: > "$out"
for round in $(seq "$rounds"); do
  for t in 256 512 1024; do
    steps=$(( steps256 * 256 / t > 8 ? steps256 * 256 / t : 8 ))
    java -Xmx4g -cp "$cp" io.rhlab.activities.bench.TrainingThroughputBench "$t" "$steps" "$warmup" 2>/dev/null | grep "^{" \
      | sed "s/^{/{\"round\": $round, /" | tee -a "$out"
    /usr/bin/python3 bench/pytorch_llama.py "$t" --steps "$steps" --warmup "$warmup" --threads "$(nproc)" \
      | sed "s/^{/{\"round\": $round, /" | tee -a "$out"
  done
done

/usr/bin/python3 - "$out" "$blas" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def pooled(impl, t):
    rates = sorted(r for row in rows if row["impl"] == impl and row["T"] == t for r in row["rates"])
    deciles = statistics.quantiles(rates, n=10)
    peak = max(row["peak_rss_mb"] for row in rows if row["impl"] == impl and row["T"] == t)
    return statistics.median(rates), deciles[0], deciles[-1], len(rates), peak
rounds = max(row["round"] for row in rows)
print(f"\nB=8, d=256, 4 layers, 8 heads, SwiGLU 768, vocab 512, AdamW; {rounds} rounds pooled; PyTorch BLAS: {sys.argv[2]}")
print("| T | DJL tokens/s median (p10-p90) | PyTorch tokens/s median (p10-p90) | ratio of medians | DJL median / PyTorch p90 | steps each | DJL peak RSS MB | PyTorch peak RSS MB |")
print("|---|---|---|---|---|---|---|---|")
for t in (256, 512, 1024):
    d, p = pooled("djl", t), pooled("pytorch", t)
    print(f"| {t} | {d[0]:.0f} ({d[1]:.0f}-{d[2]:.0f}) | {p[0]:.0f} ({p[1]:.0f}-{p[2]:.0f}) | {d[0]/p[0]:.2f}x "
          f"| {d[0]/p[2]:.2f}x | {d[3]} | {d[4]:.0f} | {p[4]:.0f} |")
PY
