package io.rhlab.db;

import java.sql.SQLException;

/** A database call failed; unchecked so that activity code can let Temporal retry it. */
public final class DbException extends RuntimeException {
  public DbException(String what, SQLException cause) {
    super(what + ": " + cause.getMessage(), cause);
  }
}
