"""Hugging Face parity of rhlab's Java Llama: logits and token ids against transformers/tokenizers.

Two phases around the Java side (io.rhlab.activities.model.HfParity, see bench/hf-parity.sh):

  prepare WORK   random tiny Llama / Qwen2 / Mistral models built and save_pretrained by
                 transformers (one saved in bfloat16, one sharded), two tokenizers trained by `tokenizers`
                 with texts to encode, and tokens.json (the fixed input).
  compare WORK   every model directory (those and the two Java exported) loaded by
                 AutoModelForCausalLM in float32 and run on tokens.json; the logits compared with
                 the Java ones (max abs difference); every tokenizer's ids compared with Java's.
                 Prints a Markdown table and writes WORK/results.json; exits 1 on a mismatch.
"""
import json
import os
import sys

import torch
import transformers
from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
from transformers import AutoModelForCausalLM, LlamaConfig, MistralConfig, Qwen2Config

VOCAB = 97
ROWS, STEPS = 2, 120  # positions up to 119 of max_position_embeddings=128
# float32 forward of the same weights in two implementations; the logits are O(1..10)
TOLERANCE = 1e-3
MAJOR = int(transformers.__version__.split(".")[0])


def rope(theta):
    # transformers 5 takes rope_parameters; 4.x takes rope_theta
    if MAJOR >= 5:
        return {"rope_parameters": {"rope_type": "default", "rope_theta": theta}}
    return {"rope_theta": theta}


def randomize(model, seed):
    """Weights away from HF's init (which zeroes biases): norms 1 +- 0.1, the rest std 0.2."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            noise = torch.randn(p.shape, generator=generator)
            p.copy_(1 + 0.1 * noise if name.endswith("norm.weight") else 0.2 * noise)


def save_model(work, name, config_class, seed, dtype=torch.float32, shard=None, **fields):
    common = dict(vocab_size=VOCAB, hidden_size=64, intermediate_size=96, num_hidden_layers=2,
                  num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=128)
    common.update(fields)
    config = config_class(**common)
    model = AutoModelForCausalLM.from_config(config)
    randomize(model, seed)
    extra = {"max_shard_size": shard} if shard else {}
    model.to(dtype).save_pretrained(os.path.join(work, name), safe_serialization=True, **extra)


TEXTS = [
    "Dictionary [3] key: 4821, value: 7736\nThe value of key 4821 in dictionary [3] is 7736.",
    "  leading spaces, tabs\tand trailing   ",
    "Unicode: naïve café, 東京, emoji 🙂, and numbers 3.14159 and 1,000,000!",
    "low lower lowest newer wider",
]


def save_tokenizers(work):
    corpus = [t * 3 for t in TEXTS] + ["the quick brown fox jumps over the lazy dog %d" % i
                                       for i in range(200)]
    # byte-level BPE as in GPT-2, Llama 3, Qwen2, SmolLM
    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    bpe.train_from_iterator(corpus, trainers.BpeTrainer(
        vocab_size=400, special_tokens=["<|endoftext|>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    # Unigram with Metaspace ("▁" for spaces) as in sentencepiece models (Llama 2, TinyLlama)
    unigram = Tokenizer(models.Unigram())
    unigram.normalizer = normalizers.NFKC()
    unigram.pre_tokenizer = pre_tokenizers.Metaspace()
    unigram.decoder = decoders.Metaspace()
    unigram.train_from_iterator(corpus, trainers.UnigramTrainer(
        vocab_size=200, special_tokens=["<unk>", "<s>", "</s>"], unk_token="<unk>"))
    for name, tokenizer in (("tok-bytelevel-bpe", bpe), ("tok-unigram", unigram)):
        os.makedirs(os.path.join(work, name), exist_ok=True)
        tokenizer.save(os.path.join(work, name, "tokenizer.json"))
        with open(os.path.join(work, name, "texts.json"), "w") as f:
            json.dump(TEXTS, f, ensure_ascii=False)


def prepare(work):
    os.makedirs(work, exist_ok=True)
    tokens = [[(7 + 37 * t + 11 * r) % VOCAB for t in range(STEPS)] for r in range(ROWS)]
    with open(os.path.join(work, "tokens.json"), "w") as f:
        json.dump(tokens, f)
    save_model(work, "hf-llama", LlamaConfig, 1, tie_word_embeddings=False, rms_norm_eps=1e-5,
               **rope(500000.0))
    save_model(work, "hf-llama-tied-bf16", LlamaConfig, 2, dtype=torch.bfloat16,
               tie_word_embeddings=True, num_key_value_heads=4, **rope(10000.0))
    save_model(work, "hf-qwen2", Qwen2Config, 3, tie_word_embeddings=True, **rope(1000000.0))
    # several files and model.safetensors.index.json
    save_model(work, "hf-qwen2-sharded", Qwen2Config, 5, shard="40KB", tie_word_embeddings=False,
               **rope(10000.0))
    save_model(work, "hf-mistral", MistralConfig, 4, sliding_window=None, **rope(10000.0))
    save_tokenizers(work)
    print("prepared", sorted(os.listdir(work)))


def load(directory):
    kwargs = {"dtype": torch.float32} if MAJOR >= 5 else {"torch_dtype": torch.float32}
    model, info = AutoModelForCausalLM.from_pretrained(
        directory, attn_implementation="eager", output_loading_info=True, **kwargs)
    problems = {k: sorted(map(str, v)) for k, v in info.items() if v}
    return model.eval(), problems


def compare(work):
    with open(os.path.join(work, "tokens.json")) as f:
        tokens = torch.tensor(json.load(f))
    rows, ok = [], True
    for name in sorted(os.listdir(work)):
        d = os.path.join(work, name)
        if os.path.exists(os.path.join(d, "java_logits.json")):
            model, problems = load(d)
            with torch.no_grad():
                expected = model(tokens).logits
            with open(os.path.join(d, "java_logits.json")) as f:
                java = json.load(f)
            actual = torch.tensor(java["logits"]).reshape(java["shape"])
            diff = (actual - expected).abs().max().item() if actual.shape == expected.shape else float("inf")
            good = diff <= TOLERANCE and not problems
            ok &= good
            rows.append({"dir": name, "kind": "logits", "class": type(model).__name__,
                         "shape": list(expected.shape), "max_abs_diff": diff,
                         "max_abs_logit": expected.abs().max().item(),
                         "loading_problems": problems, "ok": good})
        if os.path.exists(os.path.join(d, "java_ids.json")):
            tokenizer = Tokenizer.from_file(os.path.join(d, "tokenizer.json"))
            with open(os.path.join(d, "texts.json")) as f:
                texts = json.load(f)
            with open(os.path.join(d, "java_ids.json")) as f:
                java_ids = json.load(f)
            expected_ids = [tokenizer.encode(t, add_special_tokens=False).ids for t in texts]
            same = sum(a == b for a, b in zip(java_ids, expected_ids))
            good = same == len(texts) and len(java_ids) == len(texts)
            ok &= good
            rows.append({"dir": name, "kind": "token ids", "texts": len(texts), "identical": same,
                         "tokens": sum(map(len, expected_ids)), "ok": good})
    with open(os.path.join(work, "results.json"), "w") as f:
        json.dump({"transformers": transformers.__version__, "torch": torch.__version__,
                   "rows": rows}, f, indent=2)
    print(f"\ntransformers {transformers.__version__}, torch {torch.__version__}, "
          f"tokenizers {__import__('tokenizers').__version__}; input {ROWS}x{STEPS} tokens")
    print("| directory | check | result | ok |")
    print("|---|---|---|---|")
    for r in rows:
        if r["kind"] == "logits":
            result = (f"{r['class']} logits {r['shape']}: max abs diff {r['max_abs_diff']:.2e} "
                      f"(max abs logit {r['max_abs_logit']:.2f})")
            if r["loading_problems"]:
                result += f"; loading: {r['loading_problems']}"
        else:
            result = f"{r['identical']}/{r['texts']} texts identical ({r['tokens']} tokens)"
        print(f"| {r['dir']} | {r['kind']} | {result} | {'yes' if r['ok'] else 'NO'} |")
    return ok


if __name__ == "__main__":
    torch.set_num_threads(1)
    if sys.argv[1] == "prepare":
        prepare(sys.argv[2])
    elif sys.argv[1] == "compare":
        sys.exit(0 if compare(sys.argv[2]) else 1)
    else:
        sys.exit("usage: hf_parity.py prepare|compare WORKDIR")
