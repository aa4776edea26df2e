/**
 * The instrumented Llama-architecture transformer on DJL's PyTorch engine.
 *
 * <p>Entry points: {@link io.rhlab.activities.model.ModelConfig} (shape, Hugging Face config.json),
 * {@link io.rhlab.activities.model.LlamaModel} (parameters by Hugging Face name, forward,
 * gradients), {@link io.rhlab.activities.model.Instrumentation} (retrieval argmax, head masks,
 * capture and patching of per-head outputs), {@link io.rhlab.activities.model.KvCache} and {@link
 * io.rhlab.activities.model.GreedyDecoder} (incremental decoding), {@link
 * io.rhlab.activities.model.MaskedCrossEntropy} (answer-only loss), {@link
 * io.rhlab.activities.model.LlamaCheckpoint} with {@link io.rhlab.activities.model.SafetensorsFile}
 * and {@link io.rhlab.activities.model.SafetensorsWriter} (checkpoints), and {@link
 * io.rhlab.activities.model.TextTokenizer} with {@link
 * io.rhlab.activities.model.SyntheticTokenizer}.
 *
 * <p>DJL rules followed throughout: arrays made from Java data are copied into native memory
 * ({@code NativeArrays}); every forward works in a child of its input's manager with one scope per
 * layer; operations put activations first so results join that scope; no BF16 array is ever created
 * (BF16 checkpoints are widened in Java); RMSNorm, RoPE, SiLU, the causal mask and attention are
 * written from basic operations because DJL has no rsqrt, tril, masked_fill or SDPA.
 */
package io.rhlab.activities.model;
