package io.backupagents.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The regression database fixture fills a fresh server with what pg_regress leaves. */
class RegressionDatabaseTest {

  @Test
  void aFreshServerGetsTheRegressionDatabaseAndPgUpgradesAsciiNamedDatabases() {
    try (PostgresServer server = PostgresServer.start()) {
      RegressionDatabase.load(server);

      assertThat(
              Integer.parseInt(
                  server.queryString(
                      RegressionDatabase.NAME,
                      "SELECT count(*) FROM pg_class WHERE relkind = 'r'"
                          + " AND relnamespace = 'public'::regnamespace")))
          .isGreaterThan(100);
      assertThat(
              server.queryString(
                  RegressionDatabase.NAME,
                  "SELECT count(*) FROM pg_constraint WHERE contypid <> 0 AND NOT convalidated"))
          .as(
              "a NOT VALID domain constraint, which pg_dump --clean cannot drop in an empty database")
          .isNotEqualTo("0");
      assertThat(server.queryColumn("postgres", "SELECT datname FROM pg_database"))
          .containsAll(RegressionDatabase.ASCII_NAMED_DATABASES);
    }
  }
}
