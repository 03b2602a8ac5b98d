package io.backupagents.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.DriverManager;
import org.junit.jupiter.api.Test;

class PostgresServerTest {

  @Test
  void startsAThrowAwayServerWithPasswordAuthenticationAndRemovesItOnClose() throws Exception {
    java.nio.file.Path dataDir;
    try (PostgresServer pg = PostgresServer.start()) {
      pg.createDatabase("fixture_check");
      pg.execute(
          "fixture_check", "CREATE TABLE t(id int, name text); INSERT INTO t VALUES (1, 'ä')");
      assertThat(pg.queryString("fixture_check", "SELECT name FROM t")).isEqualTo("ä");
      assertThat(pg.majorVersion()).isGreaterThanOrEqualTo(13);
      assertThat(pg.fingerprint("fixture_check")).containsOnlyKeys("public.t");
      assertThatThrownBy(
              () -> DriverManager.getConnection(pg.jdbcUrl("postgres"), "postgres", "wrong"))
          .hasMessageContaining("password authentication failed");
      dataDir = java.nio.file.Path.of(pg.queryString("postgres", "SHOW data_directory"));
    }
    assertThat(dataDir).doesNotExist();
  }
}
