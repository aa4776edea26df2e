/**
 * Retrieval-head science on a {@link io.rhlab.activities.model.LlamaModel}: the retrieval score of
 * Wu et al. 2024 ({@link io.rhlab.activities.analysis.RetrievalScorer}), knockout sweeps ({@link
 * io.rhlab.activities.analysis.KnockoutSweep}), activation patching between two models ({@link
 * io.rhlab.activities.analysis.ActivationPatching}), string-match evaluation ({@link
 * io.rhlab.activities.analysis.StringMatch}, {@link io.rhlab.activities.analysis.AccuracyTable},
 * {@link io.rhlab.activities.analysis.KvAnswerScore}) and cross-variant statistics ({@link
 * io.rhlab.activities.analysis.CrossVariantAnalysis}). Inputs are plain: prompt token ids, expected
 * answer strings and needle text, so the data generators and the workflows stay independent.
 */
package io.rhlab.activities.analysis;
