package io.backupagents.sqlbackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.common.s3.S3Store;
import io.backupagents.sqlbackup.testing.AgentProcess;
import io.backupagents.sqlbackup.testing.RestoreFixture;
import io.backupagents.sqlbackup.testing.S3Fixture;
import io.backupagents.sqlbackup.testing.SharedServers;
import io.backupagents.testing.PostgresServer;
import io.backupagents.testing.S3ProxyServer;
import io.backupagents.testing.StallingProxy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recover killed (SIGKILL) while it downloads a backup from S3 leaves its download directory; the
 * next recover removes it before it downloads, and leaves nothing of its own.
 */
class KilledRecoverTest {

  private static final String BACKUP = "backup-2025-09-10T10:51:08Z-bank.sql.gz";

  @TempDir Path base;

  @Test
  void theDownloadDirectoryOfAKilledRecoverIsRemovedByTheNextRun() throws Exception {
    PostgresServer server = SharedServers.source();
    Path file = RestoreFixture.legacyDump(server, "bank", base.resolve("made/" + BACKUP));
    Path downloads = Files.createDirectories(base.resolve("download"));
    try (S3Fixture s3 = S3Fixture.start()) {
      S3Store store = s3.bucket("offsite");
      store.upload(file, "hourly/" + BACKUP, Instant.now());
      URI endpoint = URI.create(s3.legacyEnvironment().get("RCLONE_S3_ENDPOINT"));
      try (StallingProxy proxy = StallingProxy.start(endpoint)) {
        // the key is URL-encoded in the request line (":" is %3A)
        proxy.stall(line -> line.startsWith("GET /offsite/hourly/backup-"));
        Map<String, String> env = RestoreFixture.env(server, base);
        env.put("HOME", base.toString());
        env.put("TMPDIR", base.toString());
        env.put("S3_ENDPOINT", proxy.endpoint().toString());
        env.put("S3_PROVIDER", "Other");
        env.put("S3_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
        env.put("S3_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
        env.put("BACKUP_S3_URL", "s3://offsite");
        env.put("RESTORE_DOWNLOAD_DIR", downloads.toString());
        env.put("DATABASE", "bank_killed_recover");
        env.put("RESTORE_CREATE_DATABASE", "yes");
        AgentProcess killed = AgentProcess.start(env, base.resolve("killed.log"), "recover");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (proxy.stalledRequests() == 0 || downloadDirectories(downloads).isEmpty()) {
          assertThat(killed.process().isAlive()).as(killed.output()).isTrue();
          assertThat(System.nanoTime()).as(killed.output()).isLessThan(deadline);
          Thread.sleep(100);
        }
        killed.process().destroyForcibly();
        assertThat(killed.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<Path> left = downloadDirectories(downloads);
        assertThat(left).as("what the killed run left").hasSize(1);
        proxy.release();

        RestoreFixture.Run next = RestoreFixture.run(env, base, "recover");

        assertThat(next.status()).as(next.termination()).isZero();
        assertThat(next.output()).contains("removed " + left.get(0) + ", left by an earlier run");
        assertThat(downloadDirectories(downloads)).isEmpty();
      }
    }
  }

  private static List<Path> downloadDirectories(Path dir) throws java.io.IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith(".tmp-restore-")).toList();
    }
  }
}
