package io.rhlab.activities.model;

import java.util.List;

/**
 * What a greedy decode produced.
 *
 * @param tokens the generated token ids, ending with the stop token if one was generated
 * @param stopped whether generation ended on a stop token (rather than the token limit)
 * @param argmaxPerStep when argmax was recorded, one [layers][heads] table per generated token:
 *     entry i comes from the forward whose logits chose {@code tokens[i]}. Entry 0 is therefore the
 *     step whose query is the prompt's last token; entries 1.. are steps whose query is the
 *     previous generated token. The retrieval-head reference scores every entry (its first decode
 *     step feeds the prompt's last token). Empty when not recorded.
 */
public record DecodeResult(int[] tokens, boolean stopped, List<int[][]> argmaxPerStep) {}
