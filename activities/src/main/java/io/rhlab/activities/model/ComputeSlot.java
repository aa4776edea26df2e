package io.rhlab.activities.model;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One model computation at a time per JVM. DJL allows one GradientCollector per JVM, and on 2 cores
 * or one GPU two computations only slow each other down (the grad-mode half of this trap is
 * {@link GradMode}). A waiting activity keeps heartbeating, so it is not taken for lost.
 */
public final class ComputeSlot {
  private static final ReentrantLock LOCK = new ReentrantLock(true);

  private ComputeSlot() {}

  /** A held slot; closing it lets the next computation in. */
  public interface Held extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Waits for the slot, running {@code whileWaiting} (a heartbeat) every few seconds.
   *
   * @throws IllegalStateException if the thread is interrupted while waiting
   */
  public static Held acquire(Runnable whileWaiting) {
    try {
      while (!LOCK.tryLock(5, TimeUnit.SECONDS)) {
        whileWaiting.run();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the compute slot", e);
    }
    return LOCK::unlock;
  }
}
