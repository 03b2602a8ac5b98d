package io.backupagents.sqlbackup.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.common.s3.RcloneMetadata;
import io.backupagents.common.s3.RemoteObject;
import io.backupagents.common.s3.S3Location;
import io.backupagents.common.s3.S3Store;
import io.backupagents.sqlbackup.model.Tier;
import io.backupagents.sqlbackup.offsite.RemoteTiers;
import io.backupagents.sqlbackup.testing.AgentRun;
import io.backupagents.sqlbackup.testing.S3Fixture;
import io.backupagents.sqlbackup.testing.SharedServers;
import io.backupagents.testing.S3ProxyServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The legacy s3fs mode without a mount: the bucket is the store, rotated by the same rules. */
class BucketVolumeTest {

  private static S3Fixture s3;

  @TempDir Path work;

  @BeforeAll
  static void startS3() {
    s3 = S3Fixture.start();
  }

  @AfterAll
  static void stopS3() {
    s3.close();
  }

  @Test
  void hourlyRunsUploadAndRotateAndDailyRunsCopyInsideTheBucket() throws Exception {
    S3Store store = s3.bucket("legacy-store");
    for (String t : List.of("08", "09", "10")) {
      AgentRun.Result r = run("2025-09-10T" + t + ":51:00Z").env("BACKUP_COUNT", "2").run();
      assertThat(r.exitCode()).as(r.termination()).isZero();
    }
    AgentRun.Result daily =
        run("2025-09-11T00:21:00Z").env("BACKUP_TYPE", "daily").env("BACKUP_COUNT", "7").run();
    assertThat(daily.exitCode()).as(daily.termination()).isZero();

    assertThat(store.listAll("").stream().map(RemoteObject::key))
        .containsExactly(
            "db/daily/.backup-2025-09-10T09:51:00Z-bank.sql.gz.sha256",
            "db/daily/backup-2025-09-10T09:51:00Z-bank.sql.gz",
            "db/hourly/.backup-2025-09-10T09:51:00Z-bank.sql.gz.sha256",
            "db/hourly/.backup-2025-09-10T10:51:00Z-bank.sql.gz.sha256",
            "db/hourly/backup-2025-09-10T09:51:00Z-bank.sql.gz",
            "db/hourly/backup-2025-09-10T10:51:00Z-bank.sql.gz");
    String key = "db/hourly/backup-2025-09-10T09:51:00Z-bank.sql.gz";
    byte[] content = store.getBytes(key).orElseThrow();
    String recorded =
        new String(
            store
                .getBytes("db/hourly/.backup-2025-09-10T09:51:00Z-bank.sql.gz.sha256")
                .orElseThrow(),
            StandardCharsets.UTF_8);
    assertThat(recorded).isEqualTo(sha256(content) + "  backup-2025-09-10T09:51:00Z-bank.sql.gz\n");
    assertThat(store.head(key.replace("hourly", "daily")).orElseThrow().metadata())
        .containsEntry(
            RcloneMetadata.MTIME,
            store.head(key).orElseThrow().metadata().get(RcloneMetadata.MTIME));
    try (var temp = Files.list(work.resolve("tmp"))) {
      assertThat(temp).isEmpty();
    }
    assertThat(daily.metrics())
        .contains("sql_backup_retained_backups{location=\"s3\",tier=\"daily\"} 1.0")
        .contains("sql_backup_promoted_backups 1.0");
  }

  @Test
  void recordsUnderTheEarlierNameAreReadThenRenamedByTheTiersNextRotation() throws Exception {
    S3Store store = s3.bucket("earlier-records");
    for (String t : List.of("08", "09", "10")) {
      AgentRun.Result r = run("2025-09-10T" + t + ":51:00Z", "earlier-records").run();
      assertThat(r.exitCode()).as(r.termination()).isZero();
    }
    // As an earlier version left them: records named <backup>.sha256, and one whose backup is gone.
    Map<String, String> records = new TreeMap<>();
    for (RemoteObject o : store.listAll("db/hourly/")) {
      if (!o.key().startsWith("db/hourly/.backup-")) {
        continue;
      }
      String legacy = o.key().replace("/.backup-", "/backup-");
      byte[] bytes = store.getBytes(o.key()).orElseThrow();
      store.putBytes(legacy, bytes, "text/plain");
      store.delete(List.of(o.key()));
      records.put(legacy, new String(bytes, StandardCharsets.UTF_8));
    }
    assertThat(records).hasSize(3);
    store.putBytes(
        "db/hourly/backup-2025-09-10T05:51:00Z-bank.sql.gz.sha256", new byte[1], "text/plain");
    Map<Tier, List<StoredBackup>> listed =
        RemoteTiers.list(store, S3Location.parse("s3://earlier-records/db").orElseThrow());
    assertThat(listed.get(Tier.HOURLY)).hasSize(3).allMatch(StoredBackup::checksumRecorded);

    AgentRun.Result daily =
        run("2025-09-11T00:21:00Z", "earlier-records").env("BACKUP_TYPE", "daily").run();
    assertThat(daily.exitCode()).as(daily.termination()).isZero();
    AgentRun.Result hourly =
        run("2025-09-11T00:51:00Z", "earlier-records").env("BACKUP_COUNT", "3").run();
    assertThat(hourly.exitCode()).as(hourly.termination()).isZero();

    // 08:51 was promoted (its record under the current name) and pruned from hourly with its
    // record; 09:51 and 10:51 keep their records under the current name, the stale one is gone.
    assertThat(store.listAll("").stream().map(RemoteObject::key))
        .containsExactly(
            "db/daily/.backup-2025-09-10T08:51:00Z-bank.sql.gz.sha256",
            "db/daily/backup-2025-09-10T08:51:00Z-bank.sql.gz",
            "db/hourly/.backup-2025-09-10T09:51:00Z-bank.sql.gz.sha256",
            "db/hourly/.backup-2025-09-10T10:51:00Z-bank.sql.gz.sha256",
            "db/hourly/.backup-2025-09-11T00:51:00Z-bank.sql.gz.sha256",
            "db/hourly/backup-2025-09-10T09:51:00Z-bank.sql.gz",
            "db/hourly/backup-2025-09-10T10:51:00Z-bank.sql.gz",
            "db/hourly/backup-2025-09-11T00:51:00Z-bank.sql.gz");
    for (String t : List.of("09", "10")) {
      String name = "backup-2025-09-10T" + t + ":51:00Z-bank.sql.gz";
      assertThat(store.getBytes("db/hourly/." + name + ".sha256").orElseThrow())
          .asString(StandardCharsets.UTF_8)
          .isEqualTo(records.get("db/hourly/" + name + ".sha256"));
    }
    assertThat(
            store
                .getBytes("db/daily/.backup-2025-09-10T08:51:00Z-bank.sql.gz.sha256")
                .orElseThrow())
        .asString(StandardCharsets.UTF_8)
        .isEqualTo(records.get("db/hourly/backup-2025-09-10T08:51:00Z-bank.sql.gz.sha256"));
  }

  private AgentRun run(String time) throws IOException {
    return run(time, "legacy-store");
  }

  private AgentRun run(String time, String bucket) throws IOException {
    return AgentRun.in(work)
        .postgres(SharedServers.source())
        .env("BACKUP_VOLUME_IS_S3", "true")
        .env("AWS_BUCKET_NAME", bucket + ":/db")
        .env("BACKUP_VOLUME_S3_URL", s3.legacyEnvironment().get("RCLONE_S3_ENDPOINT"))
        .env("BACKUP_VOLUME_S3_REQUEST_STYLE", "path")
        .env("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY)
        .env("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY)
        .env("BACKUP_TEMP_DIR", Files.createDirectories(work.resolve("tmp")).toString())
        .env("DATABASE", "bank")
        .clock(Clock.fixed(Instant.parse(time), ZoneOffset.UTC));
  }

  private static String sha256(byte[] content) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
  }
}
