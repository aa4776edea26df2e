package io.rhlab.activities.model;

import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch's grad mode is per thread and on by default in every new thread; DJL switches it off
 * only on the thread that starts the engine, and a {@code GradientCollector} restores whatever mode
 * it found. On any other thread (Temporal runs activities on a pool) a forward outside a collector
 * would build an autograd graph, and the optimizer's in-place update of a parameter fails ("a leaf
 * Variable that requires grad is being used in an in-place operation"). Entry points that may run
 * on any thread call {@link #offOnThisThread()} first.
 */
public final class GradMode {

  private GradMode() {}

  /** Turns libtorch's grad mode off for the calling thread (collectors turn it on inside them). */
  public static void offOnThisThread() {
    JniUtils.setGradMode(false);
  }
}
