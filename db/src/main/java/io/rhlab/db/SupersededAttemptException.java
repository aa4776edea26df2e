package io.rhlab.db;

/**
 * This attempt's row is no longer running: a later attempt presumed it dead and took the stage
 * over. The attempt must stop writing; its results would only duplicate the successor's.
 */
public final class SupersededAttemptException extends RuntimeException {
  public SupersededAttemptException(String message) {
    super(message);
  }
}
