package io.rhlab.db;

/**
 * Another attempt of the same stage key is alive (its row was updated recently). The caller should
 * fail retryably: the live attempt will complete the stage, and a later retry reuses its result.
 */
public final class StageBusyException extends RuntimeException {
  public StageBusyException(String message) {
    super(message);
  }
}
