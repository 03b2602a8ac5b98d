package io.backupagents.sqlbackup.offsite;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.common.s3.RcloneMetadata;
import io.backupagents.common.s3.RemoteObject;
import io.backupagents.common.s3.S3Location;
import io.backupagents.common.s3.S3Store;
import io.backupagents.sqlbackup.metrics.SqlBackupMetrics;
import io.backupagents.sqlbackup.model.OffsiteCopy;
import io.backupagents.sqlbackup.testing.AgentRun;
import io.backupagents.sqlbackup.testing.S3Fixture;
import io.backupagents.sqlbackup.testing.SharedServers;
import io.backupagents.testing.FreePort;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The off-site copy after hourly runs, against a real S3 endpoint. */
class OffsiteCopyTest {

  private static final Clock T1 =
      Clock.fixed(Instant.parse("2025-09-10T08:51:00Z"), ZoneOffset.UTC);
  private static final Clock T2 =
      Clock.fixed(Instant.parse("2025-09-10T09:51:00Z"), ZoneOffset.UTC);
  private static final String B1 = "hourly/backup-2025-09-10T08:51:00Z-bank.sql.gz";
  private static final String B2 = "hourly/backup-2025-09-10T09:51:00Z-bank.sql.gz";
  private static final String B1_SUM = "hourly/.backup-2025-09-10T08:51:00Z-bank.sql.gz.sha256";
  private static final String B2_SUM = "hourly/.backup-2025-09-10T09:51:00Z-bank.sql.gz.sha256";

  private static S3Fixture s3;
  private static int buckets;

  @TempDir Path work;
  private Path root;
  private String bucket;
  private S3Store store;

  @BeforeAll
  static void startS3() {
    s3 = S3Fixture.start();
  }

  @AfterAll
  static void stopS3() {
    s3.close();
  }

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(work.resolve("backup"));
    bucket = "offsite-" + (++buckets);
    store = s3.bucket(bucket);
  }

  @Test
  void hourlyRunsMirrorTheRootWithRcloneMetadataAndUploadOnlyWhatIsNew() throws IOException {
    AgentRun.Result first = hourly(T1).run();
    assertThat(first.exitCode()).as(first.termination()).isZero();
    assertThat(keys()).containsExactly("prod/db/" + B1_SUM, "prod/db/" + B1);
    assertThat(first.metrics()).contains("sql_backup_uploaded_objects 2.0");

    RemoteObject o = store.head("prod/db/" + B1).orElseThrow();
    Instant mtime = Files.getLastModifiedTime(root.resolve(B1)).toInstant();
    assertThat(o.metadata()).containsEntry(RcloneMetadata.MTIME, RcloneMetadata.formatMtime(mtime));
    assertThat(o.md5Hex()).contains(md5(root.resolve(B1)));

    AgentRun.Result second = hourly(T2).run();
    assertThat(second.exitCode()).as(second.termination()).isZero();
    assertThat(second.metrics())
        .contains("sql_backup_uploaded_objects 2.0")
        .contains("sql_backup_deleted_objects{location=\"s3\"} 0.0")
        .contains("sql_backup_retained_backups{location=\"s3\",tier=\"hourly\"} 2.0");
    assertThat(store.head("prod/db/" + B1).orElseThrow().lastModified())
        .isEqualTo(o.lastModified());
  }

  @Test
  void backupsPrunedLocallyAreDeletedRemotely() {
    assertThat(hourly(T1).env("BACKUP_COUNT", "1").run().exitCode()).isZero();
    AgentRun.Result second = hourly(T2).env("BACKUP_COUNT", "1").run();

    assertThat(second.exitCode()).as(second.termination()).isZero();
    assertThat(keys()).containsExactly("prod/db/" + B2_SUM, "prod/db/" + B2);
    assertThat(second.metrics()).contains("sql_backup_deleted_objects{location=\"s3\"} 2.0");
  }

  @Test
  void recordsRenamedByTheRotationAreRenamedInTheBucket() throws IOException {
    assertThat(hourly(T1).run().exitCode()).isZero();
    // As an earlier version left the root and the bucket: the record named <backup>.sha256.
    Files.move(root.resolve(B1_SUM), root.resolve(B1 + ".sha256"));
    store.delete(List.of("prod/db/" + B1_SUM));
    store.putBytes(
        "prod/db/" + B1 + ".sha256", Files.readAllBytes(root.resolve(B1 + ".sha256")), "x");

    AgentRun.Result second = hourly(T2).run();

    assertThat(second.exitCode()).as(second.termination()).isZero();
    assertThat(keys())
        .containsExactly(
            "prod/db/" + B1_SUM, "prod/db/" + B2_SUM, "prod/db/" + B1, "prod/db/" + B2);
    assertThat(store.getBytes("prod/db/" + B1_SUM))
        .hasValue(Files.readAllBytes(root.resolve(B1_SUM)));
    assertThat(second.metrics()).contains("sql_backup_deleted_objects{location=\"s3\"} 1.0");
  }

  @Test
  void theScanTakesTheHiddenRecordsButNoOtherHiddenFile() throws IOException {
    Path hourly = Files.createDirectories(root.resolve("hourly"));
    for (String name :
        List.of(
            B1.substring(7),
            B1_SUM.substring(7),
            B1.substring(7) + ".sha256",
            ".tmp-" + B1_SUM.substring(7) + ".1a2b3c4d",
            ".tmp-" + B2.substring(7) + ".1a2b3c4d",
            ".notes",
            "notes.txt")) {
      Files.writeString(hourly.resolve(name), name);
    }
    Files.writeString(root.resolve(".sql-backup.lock"), "");

    assertThat(LocalScan.scan(root))
        .extracting(LocalFile::relativePath)
        .containsExactly(B1_SUM, B1, B1 + ".sha256", "hourly/notes.txt");
  }

  @Test
  void theGuardRefusesMassDeletionButStillUploads() throws IOException {
    for (int h = 1; h <= 3; h++) {
      store.putBytes(
          "prod/db/hourly/backup-2025-09-0" + h + "T00:51:00Z-bank.sql.gz", new byte[] {1}, "x");
    }
    AgentRun.Result result = hourly(T1).env("BACKUP_S3_MAX_DELETE_PERCENT", "20").run();

    assertThat(result.exitCode()).isEqualTo(10);
    assertThat(result.termination())
        .isEqualTo(
            "FAILURE (10: the mirror would delete 3 of 4 backups in s3://"
                + bucket
                + "/prod/db, more than BACKUP_S3_MAX_DELETE_PERCENT=20%: refusing; check the"
                + " backup volume, or raise the limit for one run)");
    assertThat(result.metrics()).contains("sql_backup_guard_refusals 1.0");
    assertThat(keys()).hasSize(5).contains("prod/db/" + B1);
    assertThat(root.resolve(B1)).exists();
  }

  @Test
  void theGuardNeverDeletesWhenTheRootHoldsNoBackup() throws Exception {
    store.putBytes("prod/db/" + B1, new byte[] {1}, "x");
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    S3Mirror mirror =
        new S3Mirror(
            store, settings(Map.of()), new SqlBackupMetrics(registry), java.time.Clock.systemUTC());

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> mirror.mirror(root))
        .hasMessage(
            "the backup root holds no backup: refusing to delete 1 backups from s3://"
                + bucket
                + "/prod/db (an empty or unmounted volume must not wipe the off-site copy)");
    assertThat(keys()).containsExactly("prod/db/" + B1);
    assertThat(registry.scrape()).contains("sql_backup_guard_refusals 1.0");
  }

  @Test
  void aFileRewrittenWithTheSameSizeIsUploadedAgain() throws Exception {
    Path file = Files.createDirectories(root.resolve("hourly")).resolve(B1.substring(7));
    Files.writeString(file, "first content");
    S3Mirror mirror =
        new S3Mirror(
            store,
            settings(Map.of()),
            new SqlBackupMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)),
            java.time.Clock.systemUTC());
    assertThat(mirror.mirror(root).uploaded()).isEqualTo(1);

    Files.writeString(file, "other content");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(60)));
    S3Mirror.Outcome again = mirror.mirror(root);

    assertThat(again.uploaded()).isEqualTo(1);
    assertThat(store.getBytes("prod/db/" + B1))
        .hasValue("other content".getBytes(StandardCharsets.UTF_8));
    assertThat(mirror.mirror(root).uploaded()).isZero();
  }

  @Test
  void anUnreachableEndpointFailsTheRunAndKeepsTheLocalBackup() {
    AgentRun.Result result =
        hourly(T1)
            .env("RCLONE_S3_ENDPOINT", "http://127.0.0.1:" + FreePort.pick())
            .env("S3_MAX_ATTEMPTS", "1")
            .run();

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.termination())
        .startsWith(
            "FAILURE (3: list of s3://"
                + bucket
                + "/prod/db/ failed: the S3 endpoint could not be reached");
    assertThat(root.resolve(B1)).exists();
  }

  private AgentRun hourly(Clock clock) {
    return AgentRun.in(work)
        .postgres(SharedServers.source())
        .env(s3.legacyEnvironment())
        .env("BACKUP_ROOT_DIR", root.toString())
        .env("DATABASE", "bank")
        .env("USE_RCLONE", "yes")
        .env("USE_RCLONE_BUCKET_AND_PATH", "/" + bucket + "/prod/db")
        .clock(clock);
  }

  private OffsiteCopy settings(Map<String, String> overrides) {
    return new OffsiteCopy(
        S3Location.parse("s3://" + bucket + "/prod/db").orElseThrow(),
        s3.settings(overrides),
        true,
        50,
        4);
  }

  private List<String> keys() {
    return store.listAll("").stream().map(RemoteObject::key).toList();
  }

  static String md5(Path file) throws IOException {
    return HexFormat.of().formatHex(io.backupagents.common.s3.ContentDigests.of(file, 0).whole());
  }
}
