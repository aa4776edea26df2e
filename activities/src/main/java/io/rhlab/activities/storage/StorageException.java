package io.rhlab.activities.storage;

/** An object-store call failed or returned bytes that do not match their hash. */
public final class StorageException extends RuntimeException {
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }

  public StorageException(String message) {
    super(message);
  }
}
