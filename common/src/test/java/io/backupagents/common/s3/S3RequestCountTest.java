package io.backupagents.common.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.backupagents.common.settings.SettingsReader;
import io.backupagents.testing.S3ProxyServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The requests that reach the store, counted as the SDK sends them ({@link RequestCounter}): what
 * keeps an unchanged pass over many objects cheap is one listing request per 1,000 objects and no
 * request per object.
 */
class S3RequestCountTest {

  private static final int OBJECTS = 2001;

  @Test
  void listingCostsOneRequestPerThousandObjectsAndNoHeadPerObject() throws Exception {
    try (S3ProxyServer server = S3ProxyServer.inMemory();
        S3Connection connection = S3Connection.open(settings(server))) {
      connection.sdk().createBucket(b -> b.bucket("counted")).join();
      S3Store store = new S3Store(connection, "counted");
      try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
        for (int i = 0; i < OBJECTS; i++) {
          String key = String.format("k/%05d", i);
          pool.execute(() -> store.putBytes(key, new byte[] {7}, "application/octet-stream"));
        }
      }
      RequestCounter.take();

      assertThat(store.listAll("k/")).hasSize(OBJECTS);
      assertThat(RequestCounter.take())
          .as("requests of a whole listing")
          .containsExactly(entry("ListObjectsV2", 3));

      // A range of the listing that ends at a key it knows (as the replicator's ranges do) needs
      // no page after the one holding that key.
      List<String> range = new ArrayList<>();
      int requests =
          store.list(
              "k/",
              "k/00999",
              o -> {
                range.add(o.key());
                return !o.key().equals("k/01999");
              });
      assertThat(range).hasSize(1000).startsWith("k/01000").endsWith("k/01999");
      assertThat(requests).isEqualTo(1);
      assertThat(RequestCounter.take()).containsExactly(entry("ListObjectsV2", 1));

      assertThat(store.fetch("k/00001")).isPresent();
      assertThat(store.getBytes("k/missing")).isEmpty();
      assertThat(RequestCounter.take())
          .as("a small read is one GET, with no HEAD before it")
          .containsExactly(entry("GetObject", 2));
    }
  }

  private static S3Settings settings(S3ProxyServer server) {
    SettingsReader r =
        new SettingsReader(server.agentEnvironment(), List.of(S3Setting.values()), List.of("S3_"));
    S3Settings s = S3Settings.read(r, "for the test");
    r.finish();
    return s;
  }
}
