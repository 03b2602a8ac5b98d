package io.backupagents.sqlbackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.sqlbackup.testing.RestoreFixture;
import io.backupagents.testing.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real servers of every supported major (13 to 18) against the client tools this machine has:
 * backups where a client of the server's major or newer exists, a clear refusal where none does,
 * and backups of older majors recovered and verified into newer servers (staging on a newer major,
 * the upgrade path). Each server starts once for the class.
 */
class ServerMajorsTest {

  private static final List<Integer> MAJORS = List.of(13, 14, 15, 16, 17, 18);
  private static final Map<Integer, PostgresServer> servers = new TreeMap<>();

  @TempDir Path base;

  @BeforeAll
  static void start() {
    for (int major : MAJORS) {
      PostgresServer server = PostgresServer.start(major);
      servers.put(major, server);
      server.createDatabase("shop");
      server.execute(
          "shop",
          "CREATE TABLE products (sku text PRIMARY KEY, title text, price numeric);"
              + " INSERT INTO products SELECT 'SKU-' || g, 'Produit ' || g || ' – €', g * 0.99"
              + " FROM generate_series(1, 500) g;"
              + " CREATE TABLE orders (id bigserial PRIMARY KEY, sku text REFERENCES products,"
              + " at timestamptz DEFAULT now(), lines jsonb);"
              + " INSERT INTO orders (sku, lines) SELECT 'SKU-' || (1 + g % 500),"
              + " jsonb_build_object('qty', g % 7) FROM generate_series(1, 2000) g;");
    }
  }

  @AfterAll
  static void stop() {
    servers.values().forEach(PostgresServer::close);
  }

  @ParameterizedTest
  @ValueSource(ints = {13, 14, 15, 16, 17, 18})
  void eachMajorIsBackedUpWithClientsOfItsMajorOrNewerOrRefusedNamingThem(int major)
      throws Exception {
    PostgresServer server = servers.get(major);
    assertThat(server.majorVersion()).isEqualTo(major);
    Map<String, String> env = RestoreFixture.env(server, base);
    env.put("DATABASE", "shop");

    RestoreFixture.Run backup = backup(env);

    int newestClient = newestHostClient();
    if (newestClient >= major) {
      assertThat(backup.status()).as(backup.termination()).isZero();
      assertThat(backup.output()).contains("dumping with the clients of PostgreSQL ");
      assertThat(base.resolve("backup/hourly/backup-2025-09-10T12:00:00Z-shop.sql.gz"))
          .isRegularFile();
    } else {
      assertThat(backup.termination())
          .startsWith(
              "FAILURE (5: no pg_dump of PostgreSQL "
                  + major
                  + " or newer for the server (version "
                  + major
                  + ".")
          .contains("; found: " + newestClient + " in /usr/lib/postgresql/" + newestClient + "/bin")
          .endsWith(". Use an image with newer clients or set PG_BIN_DIR)");
      assertThat(base.resolve("backup/hourly")).doesNotExist();
    }
  }

  static Stream<Arguments> olderIntoNewer() {
    return Stream.of(13, 14, 15)
        .flatMap(from -> Stream.of(16, 17, 18).map(into -> Arguments.of(from, into)));
  }

  @ParameterizedTest(name = "a backup of {0} into {1}")
  @MethodSource("olderIntoNewer")
  void aBackupOfAnOlderMajorRecoversAndVerifiesIntoANewerServer(int from, int into)
      throws Exception {
    PostgresServer source = servers.get(from);
    PostgresServer target = servers.get(into);
    Map<String, String> env = RestoreFixture.env(source, base);
    env.put("DATABASE", "shop");
    env.put("DUMP_FORMAT", from == 13 ? "custom" : "plain");
    RestoreFixture.Run backup = backup(env);
    assertThat(backup.status()).as(backup.termination()).isZero();

    env.put("VERIFY_PGHOST", target.host());
    env.put("VERIFY_PGPORT", Integer.toString(target.port()));
    env.put("VERIFY_PGADMINPASS", target.password());
    RestoreFixture.Run verify = RestoreFixture.run(env, base, "verify");

    target.execute("postgres", "DROP DATABASE IF EXISTS shop WITH (FORCE)");
    Map<String, String> recoverEnv = RestoreFixture.env(target, base);
    recoverEnv.put("DATABASE", "shop");
    recoverEnv.put("RESTORE_CREATE_DATABASE", "yes");
    RestoreFixture.Run recover = RestoreFixture.run(recoverEnv, base, "recover");

    assertThat(verify.status()).as(verify.termination()).isZero();
    assertThat(recover.status()).as(recover.termination()).isZero();
    String tool = from == 13 ? "pg_restore" : "psql";
    assertThat(recover.output())
        .contains(
            "restoring into a PostgreSQL " + into + " server with " + tool + " of PostgreSQL");
    assertThat(RestoreFixture.fingerprint(target, "shop"))
        .isEqualTo(RestoreFixture.fingerprint(source, "shop"));
  }

  @Test
  void anArchiveFromANewerPgDumpIsRefusedBeforeAnythingIsRestored() throws Exception {
    PostgresServer source = servers.get(15);
    PostgresServer target = servers.get(17);
    Map<String, String> env = RestoreFixture.env(source, base);
    env.put("DATABASE", "shop");
    env.put("DUMP_FORMAT", "custom");
    assertThat(backup(env).status()).isZero();
    Path archive = base.resolve("backup/hourly/backup-2025-09-10T12:00:00Z-shop.dump");
    // What a newer pg_dump writes: the archive version in the header (PGDMP, major, minor) raised.
    byte[] bytes = Files.readAllBytes(archive);
    bytes[6] = 99;
    Files.write(archive, bytes);
    Files.delete(archive.resolveSibling("." + archive.getFileName() + ".sha256"));
    target.execute("postgres", "DROP DATABASE IF EXISTS newer WITH (FORCE)");
    target.createDatabase("newer");
    Map<String, String> recoverEnv = RestoreFixture.env(target, base);
    recoverEnv.put("DATABASE", "newer");

    RestoreFixture.Run recover = RestoreFixture.run(recoverEnv, base, "recover");

    assertThat(recover.termination())
        .startsWith(
            "FAILURE (5: backup-2025-09-10T12:00:00Z-shop.dump was written by a newer pg_dump than"
                + " pg_restore of PostgreSQL ")
        .contains("unsupported version (1.99) in file header")
        .endsWith("use an image with newer clients or set PG_BIN_DIR)");
    assertThat(
            target.queryString(
                "newer", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"))
        .isEqualTo("0");
  }

  private RestoreFixture.Run backup(Map<String, String> env) throws IOException {
    Files.createDirectories(base.resolve("backup"));
    return RestoreFixture.run(env, base, "backup");
  }

  /** The newest major of the client tools installed the Debian way on this machine. */
  private static int newestHostClient() {
    try (Stream<Path> dirs = Files.list(Path.of("/usr/lib/postgresql"))) {
      return dirs.filter(d -> Files.isExecutable(d.resolve("bin/pg_dump")))
          .mapToInt(d -> Integer.parseInt(d.getFileName().toString()))
          .max()
          .orElseThrow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
