package io.backupagents.common.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.settings.SettingsReader;
import io.backupagents.testing.S3ProxyServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3StoreTest {

  private static S3ProxyServer server;
  private static S3Connection connection;
  private static S3Settings settings;

  @BeforeAll
  static void start() {
    server = S3ProxyServer.inMemory();
    Map<String, String> env = new HashMap<>(server.agentEnvironment());
    env.put("S3_MULTIPART_THRESHOLD", "6M");
    env.put("S3_PART_SIZE", "5M");
    SettingsReader reader = new SettingsReader(env, List.of(S3Setting.values()), List.of("S3_"));
    settings = S3Settings.read(reader, "for the test");
    reader.finish();
    connection = S3Connection.open(settings);
    connection.sdk().createBucket(b -> b.bucket("store-test")).join();
  }

  @AfterAll
  static void stop() {
    connection.close();
    server.close();
  }

  /**
   * A closed connection has stopped its asynchronous client's event loops (left to end on their
   * own, they wait in epoll_wait, and a JVM exiting with a thread in native code waits 0.3 s).
   */
  @Test
  void closingAConnectionStopsItsEventLoops(@TempDir Path dir) throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    Path file = Files.writeString(dir.resolve("c.txt"), "close me");
    Set<Thread> started;
    try (S3Connection own = S3Connection.open(settings)) {
      S3Store store = new S3Store(own, "store-test");
      store.upload(file, "closing/c.txt", Instant.now());
      assertThat(store.list("closing/", o -> {})).isEqualTo(1);
      started = new HashSet<>(Thread.getAllStackTraces().keySet());
      started.removeAll(before);
      assertThat(started).as("the clients' threads").isNotEmpty();
    }
    long deadline = System.nanoTime() + 500_000_000L; // threads told to end end at once
    for (Thread t : started) {
      t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    }
    assertThat(started).extracting(Thread::getName).anyMatch(n -> n.contains("EventLoop"));
    assertThat(started)
        .filteredOn(t -> t.isAlive() && t.getName().contains("EventLoop"))
        .as("event loops still alive after close")
        .isEmpty();
  }

  @Test
  void otherProviderSelectsPathStyleAndObjectsAreWrittenAndListed(@TempDir Path dir)
      throws Exception {
    assertThat(settings.pathStyle()).isTrue();
    S3Store store = new S3Store(connection, "store-test");
    Path file = Files.writeString(dir.resolve("a.txt"), "hello");
    Instant mtime = Instant.ofEpochSecond(1354040105, 123456789);

    store.upload(file, "listed/a.txt", mtime);
    store.upload(file, "listed/sub/b.txt", mtime);

    List<RemoteObject> listed = new ArrayList<>();
    int requests = store.list("listed/", listed::add);
    assertThat(requests).isEqualTo(1);
    assertThat(listed)
        .extracting(RemoteObject::key)
        .containsExactly("listed/a.txt", "listed/sub/b.txt");
    assertThat(listed.get(0).size()).isEqualTo(5);
    RemoteObject head = store.head("listed/a.txt").orElseThrow();
    assertThat(head.metadata()).containsEntry("mtime", "1354040105.123456789");
    assertThat(head.mtime()).contains(mtime);
    assertThat(head.md5Hex()).contains("5d41402abc4b2a76b9719d911017c592");
  }

  @Test
  void largeFileGoesInPartsWithRcloneMd5MetadataAndDownloadsIntact(@TempDir Path dir)
      throws Exception {
    S3Store store = new S3Store(connection, "store-test");
    byte[] data = new byte[13 * 1024 * 1024 + 17];
    new Random(42).nextBytes(data);
    Path file = Files.write(dir.resolve("big.bin"), data);

    store.upload(file, "big/big.bin", Instant.ofEpochSecond(1700000000));

    RemoteObject head = store.head("big/big.bin").orElseThrow();
    assertThat(head.etag()).contains("-3");
    assertThat(head.metadata()).containsKey("md5chksum");
    Path copy = dir.resolve("copy.bin");
    RemoteObject downloaded = store.download("big/big.bin", copy);
    assertThat(Files.readAllBytes(copy)).isEqualTo(data);
    assertThat(downloaded.mtime()).contains(Instant.ofEpochSecond(1700000000));
  }

  @Test
  void aRangeListingStartsAfterAKeyAndStopsWhenTold(@TempDir Path dir) throws Exception {
    S3Store store = new S3Store(connection, "store-test");
    Path file = Files.writeString(dir.resolve("r.txt"), "r");
    for (String k : List.of("a", "b", "c", "d", "e")) {
      store.upload(file, "range/" + k, Instant.EPOCH);
    }
    List<String> seen = new ArrayList<>();
    int requests =
        store.list(
            "range/",
            "range/b",
            o -> {
              if (o.key().compareTo("range/d") > 0) {
                return false;
              }
              seen.add(o.key());
              return true;
            });
    assertThat(seen).containsExactly("range/c", "range/d");
    assertThat(requests).isEqualTo(1);
  }

  @Test
  void serverSideCopyKeepsOrReplacesTheMetadata(@TempDir Path dir) throws Exception {
    S3Store store = new S3Store(connection, "store-test");
    connection.sdk().createBucket(b -> b.bucket("store-copy")).join();
    S3Store other = new S3Store(connection, "store-copy");
    Path file = Files.writeString(dir.resolve("c.txt"), "copy me");
    store.upload(file, "copy/src.txt", Instant.ofEpochSecond(1600000000, 5));

    RemoteObject kept = other.copy("store-test", "copy/src.txt", 7, "dst.txt", null);
    assertThat(kept.md5Hex()).contains(store.head("copy/src.txt").orElseThrow().md5Hex().get());
    assertThat(other.head("dst.txt").orElseThrow().mtime())
        .contains(Instant.ofEpochSecond(1600000000, 5));

    Map<String, String> touched = Map.of("mtime", "1700000000.000000001");
    store.copy("store-test", "copy/src.txt", 7, "copy/src.txt", touched);
    RemoteObject head = store.head("copy/src.txt").orElseThrow();
    assertThat(head.mtime()).contains(Instant.ofEpochSecond(1700000000, 1));
    assertThat(store.getBytes("copy/src.txt").orElseThrow())
        .isEqualTo("copy me".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void deleteRemovesKeysAndMissingKeysHeadEmpty(@TempDir Path dir) throws Exception {
    S3Store store = new S3Store(connection, "store-test");
    Path file = Files.writeString(dir.resolve("d.txt"), "x");
    store.upload(file, "del/1", Instant.now());
    store.upload(file, "del/2", Instant.now());
    store.delete(List.of("del/1", "del/2"));
    assertThat(store.listAll("del/")).isEmpty();
    assertThat(store.head("del/1")).isEmpty();
    assertThat(store.getBytes("del/1")).isEmpty();
  }

  @Test
  void serverSideEncryptionIsRequestedForSingleAndMultipartUploads(@TempDir Path dir)
      throws Exception {
    S3Settings encrypted =
        new S3Settings(
            settings.endpoint(),
            settings.region(),
            true,
            S3ProxyServer.ACCESS_KEY,
            S3ProxyServer.SECRET_KEY,
            settings.checksumMode(),
            true,
            S3Settings.Encryption.AES256,
            java.util.Optional.empty(),
            java.util.Optional.empty(),
            8,
            settings.multipartThreshold(),
            settings.partSize(),
            1);
    try (S3Connection sse = S3Connection.open(encrypted)) {
      S3Store store = new S3Store(sse, "store-test");
      Path small = Files.writeString(dir.resolve("small"), "x");
      byte[] data = new byte[7 * 1024 * 1024];
      new Random(1).nextBytes(data);
      Path big = Files.write(dir.resolve("big"), data);

      store.upload(small, "sse/small", Instant.now());
      store.upload(big, "sse/big", Instant.now());
    }

    for (String key : List.of("sse/small", "sse/big")) {
      assertThat(
              connection
                  .sdk()
                  .headObject(b -> b.bucket("store-test").key(key))
                  .join()
                  .serverSideEncryption())
          .as(key)
          .isEqualTo(software.amazon.awssdk.services.s3.model.ServerSideEncryption.AES256);
    }
  }

  @Test
  void wrongSecretIsAnAuthenticationFailure() {
    S3Settings wrong =
        new S3Settings(
            settings.endpoint(),
            settings.region(),
            true,
            S3ProxyServer.ACCESS_KEY,
            "wrong-secret",
            settings.checksumMode(),
            true,
            S3Settings.Encryption.NONE,
            java.util.Optional.empty(),
            java.util.Optional.empty(),
            4,
            settings.multipartThreshold(),
            settings.partSize(),
            1);
    try (S3Connection c = S3Connection.open(wrong)) {
      assertThatThrownBy(() -> new S3Store(c, "store-test").listAll(""))
          .isInstanceOfSatisfying(
              AgentException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.AUTH_FAILED))
          .hasMessageNotContaining("wrong-secret");
    }
  }

  @Test
  void closedPortIsUnreachable() {
    S3Settings nowhere =
        new S3Settings(
            java.util.Optional.of(java.net.URI.create("http://127.0.0.1:9")),
            "us-east-1",
            true,
            "a",
            "b",
            settings.checksumMode(),
            true,
            S3Settings.Encryption.NONE,
            java.util.Optional.empty(),
            java.util.Optional.empty(),
            4,
            settings.multipartThreshold(),
            settings.partSize(),
            1);
    try (S3Connection c = S3Connection.open(nowhere)) {
      assertThatThrownBy(() -> new S3Store(c, "b").listAll(""))
          .isInstanceOfSatisfying(
              AgentException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.UNREACHABLE));
    }
  }
}
