package io.rhlab.infra.config;

/** A setting is missing or malformed; the message names the environment variable. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
