#!/usr/bin/env bash
# Training throughput and peak memory: rhlab's DJL Llama vs the same model in PyTorch eager,
# measured in one session on one machine. Prints a table and writes bench/train-throughput.jsonl.
#
# Usage: bench/train-throughput.sh [steps] [warmup]     (defaults 8 and 2; each T in a fresh process)
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-8}
warmup=${2:-2}

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
for t in 256 512 1024; do
  java -Xmx4g -cp "$cp" io.rhlab.activities.bench.TrainingThroughputBench "$t" "$steps" "$warmup" 2>/dev/null | grep "^{" | tee -a "$out"
  /usr/bin/python3 bench/pytorch_llama.py "$t" --steps "$steps" --warmup "$warmup" --threads "$(nproc)" | tee -a "$out"
done

/usr/bin/python3 - "$out" "$blas" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
by = {(r["impl"], r["T"]): r for r in rows}
print(f"\nB=8, d=256, 4 layers, 8 heads, SwiGLU 768, vocab 512, AdamW; median tokens/s; PyTorch BLAS: {sys.argv[2]}")
print("| T | DJL tokens/s | PyTorch tokens/s | ratio | DJL peak RSS MB | PyTorch peak RSS MB |")
print("|---|---|---|---|---|---|")
for t in (256, 512, 1024):
    d, p = by[("djl", t)], by[("pytorch", t)]
    print(f"| {t} | {d['tokens_per_s']:.0f} | {p['tokens_per_s']:.0f} | {d['tokens_per_s']/p['tokens_per_s']:.2f}x | {d['peak_rss_mb']:.0f} | {p['peak_rss_mb']:.0f} |")
PY
