/**
 * PostgreSQL side of rhlab: the Flyway schema (the contract that dashboards and the CLI read)
 * and small JDBC stores, one per table family. Every write is parameterised; writes that an
 * activity retry could repeat are upserts on a natural key.
 */
package io.rhlab.db;
