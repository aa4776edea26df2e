package io.rhlab.activities.model;

import ai.djl.ndarray.NDArray;

/**
 * A trainable tensor with its Hugging Face name. The array requires a gradient; after {@code
 * GradientCollector.backward} its gradient is {@code array.getGradient()}.
 *
 * @param name Hugging Face name, stable across runs (use it to key optimizer state)
 * @param array the parameter, owned by the model
 */
public record NamedParameter(String name, NDArray array) {}
