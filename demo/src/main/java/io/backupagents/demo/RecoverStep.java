package io.backupagents.demo;

import io.backupagents.testing.PostgresServer;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/**
 * Staging replication: a fresh PostgreSQL, an empty volume, and the recovery Job's variables; the
 * newest backup comes from the off-site copy and the data must come out identical.
 */
final class RecoverStep implements DemoStep {

  private static final List<String> DATABASES = List.of("bank", "shop");

  @Override
  public String title() {
    return "recover the newest backup from the off-site copy into a fresh PostgreSQL"
        + " (sql-backup recover, FROM_BACKUP=LATEST)";
  }

  @Override
  public void run(DemoContext c) throws Exception {
    try (PostgresServer fresh = PostgresServer.start()) {
      c.out()
          .printf(
              "fresh PostgreSQL %d on %s:%d%n", fresh.majorVersion(), fresh.host(), fresh.port());
      Map<String, String> recovery =
          Map.of(
              "PGHOST", fresh.host(),
              "PGPORT", Integer.toString(fresh.port()),
              "PGADMINPASS", fresh.password(),
              "BACKUP_ROOT_DIR",
                  Files.createDirectories(c.workDir().resolve("empty-volume")).toString(),
              "RECOVERY_ROOT_DIR",
                  Files.createDirectories(c.workDir().resolve("recovery")).toString(),
              "FROM_BACKUP", "LATEST",
              "DATABASE_EXPECTED_COUNT", "5");
      HourlyBackupStep.require(c.agent("recover", recovery, "recover"));
      for (String db : DATABASES) {
        boolean same = fresh.fingerprint(db).equals(c.postgres().fingerprint(db));
        c.out()
            .printf(
                "database %s on the fresh server: %s%n",
                db,
                same ? "identical to the source (row counts and content checksums)" : "DIFFERENT");
        if (!same) {
          throw new IllegalStateException(
              "the recovered database " + db + " differs from its source");
        }
      }
    }
  }
}
