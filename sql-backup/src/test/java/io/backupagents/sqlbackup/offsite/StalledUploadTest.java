package io.backupagents.sqlbackup.offsite;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.sqlbackup.testing.AgentProcess;
import io.backupagents.sqlbackup.testing.S3Fixture;
import io.backupagents.sqlbackup.testing.SharedServers;
import io.backupagents.testing.PostgresServer;
import io.backupagents.testing.S3ProxyServer;
import io.backupagents.testing.StallingProxy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every upload of the off-site copy stalls (a proxy in front of the S3 endpoint holds the PUTs):
 * the run still prints a progress line every 30 seconds, and finishes once the network recovers.
 */
class StalledUploadTest {

  @TempDir Path work;

  @Test
  void aStalledOffsiteCopyStillPrintsAProgressLineEveryThirtySeconds() throws Exception {
    PostgresServer server = SharedServers.source();
    try (S3Fixture s3 = S3Fixture.start()) {
      s3.bucket("offsite");
      URI endpoint = URI.create(s3.legacyEnvironment().get("RCLONE_S3_ENDPOINT"));
      try (StallingProxy proxy = StallingProxy.start(endpoint)) {
        proxy.stall(line -> line.startsWith("PUT "));
        Map<String, String> env = new HashMap<>();
        env.put("HOME", work.toString());
        env.put("TMPDIR", work.toString());
        env.put("PGHOST", server.host());
        env.put("PGPORT", Integer.toString(server.port()));
        env.put("PGUSER", PostgresServer.SUPERUSER);
        env.put("PGADMINPASS", server.password());
        env.put("DATABASE", "bank");
        env.put("BACKUP_ROOT_DIR", Files.createDirectories(work.resolve("backup")).toString());
        env.put("BACKUP_S3_URL", "s3://offsite/db");
        env.put("S3_ENDPOINT", proxy.endpoint().toString());
        env.put("S3_PROVIDER", "Other");
        env.put("S3_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
        env.put("S3_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
        env.put("TERMINATION_LOG_PATH", work.resolve("termination-log").toString());
        AgentProcess run = AgentProcess.start(env, work.resolve("agent.log"), "backup");

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(75);
        while (!run.output().contains("off-site copy of 2 files to s3://offsite/db: 0 B of ")) {
          assertThat(run.process().isAlive()).as(run.output()).isTrue();
          assertThat(System.nanoTime())
              .as("no progress line:\n" + run.output())
              .isLessThan(deadline);
          Thread.sleep(200);
        }
        assertThat(proxy.stalledRequests()).isPositive();
        assertThat(run.output()).doesNotContain("uploaded hourly/");
        proxy.release();

        assertThat(run.waitFor()).as(run.output()).isZero();
        assertThat(run.output())
            .contains("off-site copy s3://offsite/db is up to date: 2 uploaded");
      }
    }
  }
}
