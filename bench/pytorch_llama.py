"""PyTorch eager peer of rhlab's DJL Llama for the training-throughput benchmark.

Same architecture as activities/.../model/LlamaModel: token embedding, RMSNorm, rotary position
embedding (rotate-half), multi-head causal attention written out (no fused kernel, as in rhlab),
SwiGLU MLP, final norm, tied LM head; AdamW; cross-entropy on every next token of random ids.

Usage: python3 pytorch_llama.py T [--threads N] [--steps S] [--warmup W] [--profile]
With --profile, the autograd profiler records the timed steps and prints its top ops (to stderr).
Prints one JSON line: {"impl": "pytorch", "T": ..., "tokens_per_s": median, "rates": [per step],
"peak_rss_mb": ...}
"""
import argparse
import json
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("T", type=int)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--steps", type=int, default=8)
p.add_argument("--warmup", type=int, default=2)
p.add_argument("--batch", type=int, default=8)
p.add_argument("--d", type=int, default=256)
p.add_argument("--layers", type=int, default=4)
p.add_argument("--heads", type=int, default=8)
p.add_argument("--ff", type=int, default=768)
p.add_argument("--vocab", type=int, default=512)
p.add_argument("--profile", action="store_true")
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)


class RMSNorm(nn.Module):
    def __init__(self, d, eps=1e-5):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rope_tables(T, hd, theta=10000.0):
    inv = 1.0 / theta ** (torch.arange(0, hd, 2).float() / hd)
    f = torch.outer(torch.arange(T).float(), inv)
    emb = torch.cat([f, f], dim=-1)
    return emb.cos(), emb.sin()


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat([-x[..., h:], x[..., :h]], dim=-1)


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        d = a.d
        self.input_layernorm = RMSNorm(d)
        self.q_proj = nn.Linear(d, d, bias=False)
        self.k_proj = nn.Linear(d, d, bias=False)
        self.v_proj = nn.Linear(d, d, bias=False)
        self.o_proj = nn.Linear(d, d, bias=False)
        self.post_attention_layernorm = RMSNorm(d)
        self.gate_proj = nn.Linear(d, a.ff, bias=False)
        self.up_proj = nn.Linear(d, a.ff, bias=False)
        self.down_proj = nn.Linear(a.ff, d, bias=False)

    def forward(self, x, cos, sin, mask):
        B, T, d = x.shape
        H, hd = a.heads, a.d // a.heads
        h = self.input_layernorm(x)
        q = self.q_proj(h).view(B, T, H, hd).transpose(1, 2)  # (B, H, T, hd)
        k = self.k_proj(h).view(B, T, H, hd).transpose(1, 2)
        v = self.v_proj(h).view(B, T, H, hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        att = (q @ k.transpose(-2, -1)) / hd ** 0.5 + mask  # (B, H, T, T)
        y = F.softmax(att, dim=-1) @ v
        x = x + self.o_proj(y.transpose(1, 2).reshape(B, T, d))
        h = self.post_attention_layernorm(x)
        return x + self.down_proj(F.silu(self.gate_proj(h)) * self.up_proj(h))


class Llama(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed_tokens = nn.Embedding(a.vocab, a.d)
        self.layers = nn.ModuleList(Block() for _ in range(a.layers))
        self.norm = RMSNorm(a.d)

    def forward(self, ids, cos, sin, mask):
        x = self.embed_tokens(ids)
        for layer in self.layers:
            x = layer(x, cos, sin, mask)
        return self.norm(x) @ self.embed_tokens.weight.t()  # tied LM head


model = Llama()
# rhlab's initialisation: every matrix N(0, 0.02), norms at one (LlamaModel.INIT_STD).
for name, w in model.named_parameters():
    if w.dim() == 2:
        nn.init.normal_(w, std=0.02)
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
cos, sin = rope_tables(a.T, a.d // a.heads)
mask = torch.full((a.T, a.T), float("-inf")).triu(1)
g = torch.Generator().manual_seed(1)
rates = []
profiler = torch.autograd.profiler.profile(enabled=a.profile)
for step in range(a.warmup + a.steps):
    if step == a.warmup:
        profiler.__enter__()
    ids = torch.randint(0, a.vocab, (a.batch, a.T + 1), generator=g)
    t0 = time.perf_counter()
    logits = model(ids[:, :-1], cos, sin, mask)
    loss = F.cross_entropy(logits.reshape(-1, a.vocab), ids[:, 1:].reshape(-1))
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    dt = time.perf_counter() - t0
    if step >= a.warmup:
        rates.append(a.batch * a.T / dt)
profiler.__exit__(None, None, None)
if a.profile:
    print(profiler.key_averages().table(sort_by="self_cpu_time_total", row_limit=20), file=sys.stderr)
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"impl": "pytorch", "T": a.T, "tokens_per_s": round(statistics.median(rates), 1),
                  "rates": [round(r, 1) for r in rates],
                  "peak_rss_mb": round(peak_mb, 1), "torch": torch.__version__,
                  "threads": torch.get_num_threads(), "loss": round(loss.item(), 4)}))
