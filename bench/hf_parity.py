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
    "special tokens' text <s>, </s> and <|endoftext|> inside a string",
    "\n\nTwo newlines, then code:\n    def f(x):\n        return x ** 2\n",
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
    # real head size (64) and a single key/value head: RoPE frequencies and grouping at scale
    save_model(work, "hf-llama-head64", LlamaConfig, 6, hidden_size=256, intermediate_size=512,
               num_key_value_heads=1, tie_word_embeddings=False, **rope(500000.0))
    # several files and model.safetensors.index.json
    save_model(work, "hf-qwen2-sharded", Qwen2Config, 5, shard="40KB", tie_word_embeddings=False,
               **rope(10000.0))
    save_model(work, "hf-mistral", MistralConfig, 4, sliding_window=None, **rope(10000.0))
    save_tokenizers(work)
    print("prepared", sorted(os.listdir(work)))


def load(directory, dtype=torch.float32):
    kwargs = {"dtype": dtype} if MAJOR >= 5 else {"torch_dtype": dtype}
    model, info = AutoModelForCausalLM.from_pretrained(
        directory, attn_implementation="eager", output_loading_info=True, **kwargs)
    problems = {k: sorted(map(str, v)) for k, v in info.items() if v}
    return model.eval(), problems


def special_ids(directory):
    """Vocabulary size and special ids as transformers' tokenizer classes read them."""
    from transformers import AutoTokenizer, PreTrainedTokenizerFast
    if os.path.exists(os.path.join(directory, "tokenizer_config.json")):
        tok = AutoTokenizer.from_pretrained(directory)
    else:
        tok = PreTrainedTokenizerFast(tokenizer_file=os.path.join(directory, "tokenizer.json"))
    ids = {"vocab": len(tok), "bos": tok.bos_token_id, "eos": tok.eos_token_id,
           "pad": tok.pad_token_id}
    return {k: -1 if v is None else v for k, v in ids.items()}


def greedy_reference(model, prompt, steps):
    """Greedy continuation by full forwards (no cache), with the top-2 logit gap of each step."""
    ids, gaps = prompt.tolist(), []
    with torch.no_grad():
        for _ in range(steps):
            logits = model(torch.tensor([ids])).logits[0, -1]
            top = torch.topk(logits, 2).values
            gaps.append((top[0] - top[1]).item())
            ids.append(int(logits.argmax()))
    generated = ids[len(prompt):]

    def first_difference(other):
        for i, (a, b) in enumerate(zip(generated, other)):
            if a != b:
                return i
        return None if len(other) == len(generated) else min(len(other), len(generated))

    return generated, gaps, first_difference


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
            # how far each float32 implementation is from a float64 forward of the same weights
            exact_model, _ = load(d, torch.float64)
            with torch.no_grad():
                exact = exact_model(tokens).logits
            java_error = (actual.double() - exact).abs().max().item() if actual.shape == expected.shape else float("inf")
            hf_error = (expected.double() - exact).abs().max().item()
            greedy, gap, first_difference = greedy_reference(model, tokens[0, :16], len(java["greedy"]))
            if first_difference(java["greedy"]) is not None:
                # a step whose two best logits are closer than the float32 noise is a tie
                same_greedy = gap[first_difference(java["greedy"])] < TOLERANCE
            else:
                same_greedy = True
            good = diff <= TOLERANCE and not problems and same_greedy
            ok &= good
            rows.append({"dir": name, "kind": "logits", "class": type(model).__name__,
                         "shape": list(expected.shape), "max_abs_diff": diff,
                         "max_abs_logit": expected.abs().max().item(),
                         "java_vs_float64": java_error, "transformers_vs_float64": hf_error,
                         "greedy_steps": len(greedy),
                         "greedy_first_difference": first_difference(java["greedy"]),
                         "greedy_min_top2_gap": min(gap),
                         "loading_problems": problems, "ok": good})
        if os.path.exists(os.path.join(d, "java_ids.json")):
            tokenizer = Tokenizer.from_file(os.path.join(d, "tokenizer.json"))
            with open(os.path.join(d, "texts.json")) as f:
                texts = json.load(f)
            with open(os.path.join(d, "java_ids.json")) as f:
                java = json.load(f)
            expected_ids = [tokenizer.encode(t, add_special_tokens=False).ids for t in texts]
            expected_text = [tokenizer.decode(i, skip_special_tokens=True) for i in expected_ids]
            same = sum(a == b for a, b in zip(java["ids"], expected_ids))
            same_text = sum(a == b for a, b in zip(java["decoded"], expected_text))
            special = special_ids(d)
            good = (same == same_text == len(texts) == len(java["ids"])
                    and java["special"] == special)
            ok &= good
            rows.append({"dir": name, "kind": "tokenizer", "texts": len(texts), "identical": same,
                         "decoded_identical": same_text, "tokens": sum(map(len, expected_ids)),
                         "java_special": java["special"], "special": special, "ok": good})
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
                      f"(max abs logit {r['max_abs_logit']:.2f}); vs float64: Java {r['java_vs_float64']:.1e}, "
                      f"transformers {r['transformers_vs_float64']:.1e}; greedy {r['greedy_steps']} "
                      f"tokens via KV cache: "
                      + ("identical" if r["greedy_first_difference"] is None
                         else f"differ from step {r['greedy_first_difference']}")
                      + f" (min top-2 gap {r['greedy_min_top2_gap']:.1e})")
            if r["loading_problems"]:
                result += f"; loading: {r['loading_problems']}"
        else:
            result = (f"ids of {r['identical']}/{r['texts']} texts identical ({r['tokens']} tokens), "
                      f"decoded {r['decoded_identical']}/{r['texts']}; vocab/bos/eos/pad "
                      f"{'/'.join(str(r['java_special'][k]) for k in ('vocab', 'bos', 'eos', 'pad'))}")
            if r["java_special"] != r["special"]:
                result += f" but transformers: {r['special']}"
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
