package io.rhlab.workflows.activities;

/**
 * A trained (or imported) model in the object store: a checkpoint directory with HF-named
 * safetensors weights and config.json.
 *
 * @param stageKey the stage that produced it (content-derived: its memo key)
 * @param manifestUri the checkpoint manifest
 * @param manifestSha256 its hash, checked on every load
 * @param step training steps behind it (0 for an import)
 * @param reused true when a completed earlier stage with the same key supplied it
 */
public record ModelRef(String stageKey, String manifestUri, String manifestSha256, long step, boolean reused) {}
