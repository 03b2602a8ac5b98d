package io.backupagents.replicator.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.common.logging.Units;
import io.backupagents.common.s3.S3Setting;
import io.backupagents.common.settings.SettingsTable;
import io.backupagents.replicator.config.ReplicatorSetting;
import io.backupagents.replicator.testing.Run;
import io.backupagents.replicator.testing.TrickyTree;
import io.backupagents.testing.PushgatewayServer;
import io.backupagents.testing.Readme;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsTest {

  @TempDir Path dir;

  @Test
  void everyDocumentedMeterIsExportedWithTheTargetLabel() throws IOException {
    TrickyTree.file(dir.resolve("src"), "a", "a", 0644, 1_600_000_000_000_000_000L);
    Run run =
        Run.of(
            dir,
            Map.of(
                "REPLICATE_SOURCE", dir.resolve("src").toString(),
                "REPLICATE_TARGET", dir.resolve("dst").toString(),
                "REPLICATE_TARGET_NAME", "nfs-copy"));
    assertThat(run.exitCode()).isZero();
    String scrape = run.registry().scrape();
    for (ReplicatorMetrics.Meter m : ReplicatorMetrics.Meter.values()) {
      assertThat(scrape).contains(m.prometheusName() + "{target=\"nfs-copy\"}");
    }
    assertThat(scrape).contains(ReplicatorMetrics.TARGET_LAST_SUCCESS + "{target=\"nfs-copy\"}");
    assertThat(run.metric("volume_replicator_last_run_copied_bytes")).isEqualTo(1);
    assertThat(run.metric("volume_replicator_source_files")).isEqualTo(1);
  }

  @Test
  void eachTargetPushesItsOwnGroupAndAFailureKeepsTheLastSuccess() throws IOException {
    TrickyTree.file(dir.resolve("src"), "a", "a", 0644, 1_600_000_000_000_000_000L);
    try (PushgatewayServer push = PushgatewayServer.start()) {
      for (String target : List.of("one", "two")) {
        Run run =
            Run.of(
                dir,
                Map.of(
                    "REPLICATE_SOURCE", dir.resolve("src").toString(),
                    "REPLICATE_TARGET", dir.resolve(target).toString(),
                    "METRICS_PUSHGATEWAY_URL", push.url().toString()));
        assertThat(run.exitCode()).isZero();
      }
      Files.delete(dir.resolve("src/a"));
      Run refused =
          Run.of(
              dir,
              Map.of(
                  "REPLICATE_SOURCE", dir.resolve("src").toString(),
                  "REPLICATE_TARGET", dir.resolve("one").toString(),
                  "METRICS_PUSHGATEWAY_URL", push.url().toString()));
      assertThat(refused.exitCode()).isEqualTo(10);
      String metrics = push.metrics();
      assertThat(metrics)
          .containsPattern("volume_replicator_last_success_timestamp_seconds\\{[^}]*target=\"one\"")
          .containsPattern("volume_replicator_last_success_timestamp_seconds\\{[^}]*target=\"two\"")
          .containsPattern(
              "volume_replicator_last_run_deletions_refused\\{[^}]*target=\"one\"[^}]*} 1");
    }
  }

  @Test
  void progressLinesSayWhatIsDoneOfWhatIsPlanned() {
    RunStats stats = new RunStats();
    stats.handled.add(1500);
    stats.plannedCopies.add(10);
    stats.plannedBytes.add(4 << 20);
    stats.copiedFiles.add(5);
    stats.copiedBytes.add(1 << 20);
    Instant start = Instant.parse("2026-11-21T03:00:00Z");
    AtomicReference<Instant> now = new AtomicReference<>(start);
    Clock clock =
        new Clock() {
          @Override
          public Instant instant() {
            return now.get();
          }

          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            return this;
          }
        };
    SyncProgress progress = new SyncProgress(stats, clock, Duration.ofSeconds(30), line -> {});
    now.set(start.plusSeconds(1));
    assertThat(progress.line())
        .isEqualTo(
            "progress: 1,500 entries planned so far; copied 5 of 10 files, 1.0 MiB of 4.0 MiB"
                + " (25%), 1.0 MiB/s");
    progress.planned();
    assertThat(progress.line())
        .startsWith("progress: 1,500 entries planned; copied 5 of 10 files, ")
        .endsWith("(25%), 1.0 MiB/s, ETA " + Units.duration(Duration.ofSeconds(3)));
  }

  @Test
  void theReadmeTablesMatchTheCode() {
    Readme.assertGeneratedBlock(
        "volume-replicator-settings", SettingsTable.markdown(List.of(ReplicatorSetting.values())));
    Readme.assertGeneratedBlock("volume-replicator-metrics", ReplicatorMetrics.markdownTable());
    assertThat(S3Setting.values()).isNotEmpty();
  }
}
