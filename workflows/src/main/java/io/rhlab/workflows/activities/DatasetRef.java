package io.rhlab.workflows.activities;

/**
 * A synthesized dataset in the object store. Only keys and hashes cross Temporal: the data never
 * goes into workflow history.
 *
 * @param manifestUri s3://bucket/data/&lt;stageKey&gt;/manifest.json
 * @param sha256 hex sha256 of the whole dataset (all parts concatenated in order)
 * @param examples number of JSONL lines
 * @param parts number of JSONL objects
 * @param bytes total size of the parts
 * @param reused true when a completed earlier run with the same stage key supplied it
 */
public record DatasetRef(
    String manifestUri, String sha256, long examples, int parts, long bytes, boolean reused) {}
