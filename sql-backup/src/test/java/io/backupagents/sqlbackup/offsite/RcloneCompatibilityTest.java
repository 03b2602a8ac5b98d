package io.backupagents.sqlbackup.offsite;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.common.s3.RemoteObject;
import io.backupagents.common.s3.S3Location;
import io.backupagents.common.s3.S3Store;
import io.backupagents.sqlbackup.metrics.SqlBackupMetrics;
import io.backupagents.sqlbackup.model.OffsiteCopy;
import io.backupagents.sqlbackup.testing.AgentRun;
import io.backupagents.sqlbackup.testing.S3Fixture;
import io.backupagents.sqlbackup.testing.SharedServers;
import io.backupagents.testing.RequiredTool;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our objects and rclone's are interchangeable (COMPAT.md section 4), checked with the real rclone:
 * {@code rclone check} and {@code rclone sync --dry-run} find nothing to do after our mirror, and a
 * bucket rclone filled is not uploaded again.
 */
class RcloneCompatibilityTest {

  private static final String REMOTE = "compat";
  private static final String[] LOCK = {"--exclude", "/.sql-backup.lock"};
  private static S3Fixture s3;

  @TempDir Path work;
  private Path root;
  private Path rclone;

  @BeforeAll
  static void startS3() {
    s3 = S3Fixture.start();
  }

  @AfterAll
  static void stopS3() {
    s3.close();
  }

  @BeforeEach
  void setUp() throws Exception {
    rclone = RequiredTool.require("rclone");
    root = Files.createDirectories(work.resolve("backup"));
    // A real hourly backup, a daily promotion of it, and a large file that goes up in parts.
    AgentRun.Result hourly =
        AgentRun.in(work)
            .postgres(SharedServers.source())
            .env("BACKUP_ROOT_DIR", root.toString())
            .env("DATABASE", "shop")
            .clock(Clock.fixed(Instant.parse("2025-09-10T00:51:00Z"), ZoneOffset.UTC))
            .run();
    assertThat(hourly.exitCode()).as(hourly.termination()).isZero();
    AgentRun.Result daily =
        AgentRun.in(work)
            .env("BACKUP_ROOT_DIR", root.toString())
            .env("BACKUP_TYPE", "daily")
            .clock(Clock.fixed(Instant.parse("2025-09-11T00:21:00Z"), ZoneOffset.UTC))
            .run();
    assertThat(daily.exitCode()).as(daily.termination()).isZero();
    byte[] large = new byte[7 * 1024 * 1024 + 13];
    new Random(7).nextBytes(large);
    Files.write(root.resolve("hourly/backup-2025-09-09T23:51:00Z-big.sql.gz"), large);
  }

  @Test
  void rcloneFindsNothingToDoAfterOurMirror() throws Exception {
    S3Store store = s3.bucket("ours");
    S3Mirror.Outcome outcome = mirror(store, "s3://ours/db").mirror(root);
    // Two tiers' backup and checksum record, and the large file (in parts, with md5chksum).
    assertThat(outcome.uploaded()).isEqualTo(5);
    assertThat(keys(store))
        .hasSize(5)
        .contains(
            "db/daily/.backup-2025-09-10T00:51:00Z-shop.sql.gz.sha256",
            "db/hourly/.backup-2025-09-10T00:51:00Z-shop.sql.gz.sha256");

    // The lock file is ours, not a backup: the mirror leaves it out, so rclone is told to as well.
    String check = rclone("check", root.toString(), REMOTE + ":ours/db", LOCK[0], LOCK[1]);
    assertThat(check).contains("0 differences found").contains("5 matching files");
    String sync =
        rclone("sync", "--dry-run", "-v", root.toString(), REMOTE + ":ours/db", LOCK[0], LOCK[1]);
    assertThat(sync).doesNotContain("Skipped").contains("There was nothing to transfer");
  }

  @Test
  void aBucketFilledByRcloneIsNotUploadedAgain() throws Exception {
    S3Store store = s3.bucket("theirs");
    rclone("copy", root.toString(), REMOTE + ":theirs/db", LOCK[0], LOCK[1]);

    S3Mirror.Outcome outcome = mirror(store, "s3://theirs/db").mirror(root);

    assertThat(outcome.uploaded()).isZero();
    assertThat(outcome.deleted()).isZero();
    assertThat(outcome.unchanged()).isEqualTo(5);
  }

  private S3Mirror mirror(S3Store store, String location) {
    OffsiteCopy settings =
        new OffsiteCopy(
            S3Location.parse(location).orElseThrow(),
            s3.settings(Map.of("S3_MULTIPART_THRESHOLD", "5M", "S3_PART_SIZE", "5M")),
            true,
            50,
            4);
    return new S3Mirror(
        store,
        settings,
        new SqlBackupMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)),
        java.time.Clock.systemUTC());
  }

  /** Runs rclone with the remote configured by variables only, and without AWS_CA_BUNDLE. */
  private String rclone(String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of(rclone.toString(), "--config", "/dev/null"));
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("RCLONE_"));
    pb.environment().putAll(s3.rcloneEnvironment(REMOTE));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", argv) + "\n" + out).isZero();
    return out;
  }

  private static List<String> keys(S3Store store) {
    return store.listAll("").stream().map(RemoteObject::key).toList();
  }
}
