package io.backupagents.sqlbackup.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.s3.S3Connection;
import io.backupagents.common.s3.S3Location;
import io.backupagents.common.s3.S3Setting;
import io.backupagents.common.s3.S3Settings;
import io.backupagents.common.s3.S3Store;
import io.backupagents.common.settings.SettingsReader;
import io.backupagents.testing.S3ProxyServer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The lock object of the bucket store, against a real S3 endpoint. */
class BucketRunLockTest {

  private static final Instant T0 = Instant.parse("2025-09-10T10:51:00Z");
  private static final S3Location LOCATION = new S3Location("locks", "prod/db");
  private static final LockSettings SETTINGS =
      new LockSettings(Duration.ofSeconds(0), Duration.ofHours(12));
  private static final Sleeper NO_WAIT = d -> {};

  private static S3ProxyServer server;
  private static S3Connection connection;
  private static S3Store store;

  @BeforeAll
  static void start() {
    server = S3ProxyServer.inMemory();
    SettingsReader r =
        new SettingsReader(server.agentEnvironment(), List.of(S3Setting.values()), List.of());
    S3Settings settings = S3Settings.read(r, "for the test");
    r.finish();
    connection = S3Connection.open(settings);
    connection.sdk().createBucket(b -> b.bucket("locks")).join();
    store = new S3Store(connection, "locks");
  }

  @AfterAll
  static void stop() {
    connection.close();
    server.close();
  }

  private static RunLock acquire(String tier, Instant at) throws InterruptedException {
    return BucketRunLock.acquire(
        store,
        LOCATION,
        LockOwner.of("pod-" + tier, tier, at),
        SETTINGS,
        Clock.fixed(at, ZoneOffset.UTC),
        NO_WAIT);
  }

  @Test
  void aSecondRunIsRefusedWhileTheLockIsHeldAndMayLockOnceItIsReleased() throws Exception {
    RunLock hourly = acquire("hourly", T0);
    assertThatThrownBy(() -> acquire("daily", T0.plusSeconds(60)))
        .isInstanceOfSatisfying(
            AgentException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.LOCKED))
        .hasMessageContaining("is locked by")
        .hasMessageContaining("hourly");
    hourly.close();
    assertThat(store.head("prod/db/" + BucketRunLock.KEY)).isEmpty();
    acquire("daily", T0.plusSeconds(120)).close();
  }

  @Test
  void aStaleLockIsTakenOverAndTheOldRunDoesNotRemoveTheNewHoldersLock() throws Exception {
    RunLock slow = acquire("hourly", T0);
    RunLock next = acquire("daily", T0.plus(Duration.ofHours(13)));

    slow.close();

    assertThat(store.getBytes("prod/db/" + BucketRunLock.KEY))
        .as("the daily run still holds the lock")
        .hasValueSatisfying(
            b -> assertThat(new String(b, StandardCharsets.UTF_8)).contains("daily"));
    assertThatThrownBy(() -> acquire("weekly", T0.plus(Duration.ofHours(13)).plusSeconds(5)))
        .isInstanceOf(AgentException.class);
    next.close();
    assertThat(store.head("prod/db/" + BucketRunLock.KEY)).isEmpty();
  }
}
