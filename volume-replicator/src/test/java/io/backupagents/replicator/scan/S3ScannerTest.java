package io.backupagents.replicator.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.common.s3.RemoteObject;
import io.backupagents.replicator.config.PathFilter;
import io.backupagents.replicator.manifest.ManifestReader;
import io.backupagents.replicator.model.KeyOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class S3ScannerTest {

  private static RemoteObject object(String key) {
    return new RemoteObject(key, 3, "\"etag\"", Instant.EPOCH, Map.of());
  }

  private static List<String> scan(boolean directoryTarget, List<String> errors, String... keys) {
    S3Scanner.ObjectLister lister =
        (prefix, after, sink) -> {
          for (String k : keys) {
            if (!sink.test(object(k))) {
              break;
            }
          }
          return 1;
        };
    ScanEvents events =
        new ScanEvents() {
          @Override
          public void error(String key, String cause) {
            errors.add(key + ": " + cause);
          }

          @Override
          public void warning(String key, String message) {}
        };
    S3Scanner scanner =
        new S3Scanner(
            lister,
            new io.backupagents.common.s3.S3Location("b", "media"),
            PathFilter.defaults(),
            ManifestReader.none(),
            new S3Scanner.Options(directoryTarget, Optional.of(".volume-replicator/"), 4),
            events);
    List<String> out = new ArrayList<>();
    try (Listing l = scanner.open("t")) {
      l.forEachRemaining(e -> out.add(e.key() + (e.hasMtime() || e.isDirectory() ? "" : "?")));
    }
    return out;
  }

  @Test
  void withAManifestTheKeySpaceIsListedInParallelRangesAndEmittedInOrder(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    // Four ranges of a page each (the last holds only the key added at the end); the range that
    // gained "d03/added-since" needs a second page.
    assertThat(listWithManifest(dir, "media/d03/added-since", "media/zz-new")).isEqualTo(5);
  }

  @Test
  void anUnchangedBucketCostsOneRequestPerThousandKeys(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    assertThat(listWithManifest(dir)).isEqualTo(3);
  }

  /**
   * Lists a bucket of 3000 keys that a manifest knows, plus {@code added} keys it does not, and
   * checks the keys come out in order and the manifest vouched for its 3000; returns the requests
   * (pages) the listing took.
   */
  private static int listWithManifest(java.nio.file.Path dir, String... added) throws Exception {
    java.util.TreeSet<String> bucket = new java.util.TreeSet<>(KeyOrder.COMPARATOR);
    java.nio.file.Path file = dir.resolve("m.gz");
    try (io.backupagents.replicator.manifest.ManifestWriter w =
        new io.backupagents.replicator.manifest.ManifestWriter(file)) {
      for (int i = 0; i < 3000; i++) {
        String key = String.format("d%02d/f%05d", i % 7, i);
        bucket.add("media/" + key);
      }
      for (String k : bucket) {
        w.add(k.substring("media/".length()), 3, "etag", 42);
      }
      w.finish();
    }
    bucket.addAll(List.of(added));
    java.util.concurrent.atomic.AtomicInteger requests =
        new java.util.concurrent.atomic.AtomicInteger();
    S3Scanner.ObjectLister lister =
        (prefix, after, sink) -> {
          int pages = 0;
          int inPage = 0;
          for (String k : after == null ? bucket : bucket.tailSet(after, false)) {
            if (inPage++ % 1000 == 0) {
              pages++;
            }
            if (!sink.test(object(k))) {
              break;
            }
          }
          requests.addAndGet(Math.max(1, pages));
          return Math.max(1, pages);
        };
    try (io.backupagents.replicator.manifest.ManifestReader manifest =
        io.backupagents.replicator.manifest.ManifestReader.open(file, Instant.now(), "m")) {
      S3Scanner scanner =
          new S3Scanner(
              lister,
              new io.backupagents.common.s3.S3Location("b", "media"),
              PathFilter.defaults(),
              manifest,
              new S3Scanner.Options(false, Optional.empty(), 3),
              ScanEvents.IGNORE);
      List<String> keys = new ArrayList<>();
      try (Listing l = scanner.open("t")) {
        l.forEachRemaining(e -> keys.add("media/" + e.key()));
      }
      assertThat(keys).containsExactlyElementsOf(bucket);
      assertThat(manifest.hits()).isEqualTo(3000);
      assertThat(scanner.listRequests()).isEqualTo(requests.get());
      return requests.get();
    }
  }

  @Test
  void keysThatWouldEscapeADirectoryTargetAreRefusedAsErrors() {
    List<String> errors = new ArrayList<>();
    List<String> keys =
        scan(true, errors, "media//etc/passwd", "media/../../escape", "media/a//b", "media/ok/f");
    assertThat(keys).containsExactly("ok/", "ok/f?");
    assertThat(errors)
        .containsExactly(
            "/etc/passwd: refused: this key cannot be a file under the target (absolute path)",
            "../../escape: refused: this key cannot be a file under the target ('..' component"
                + " would escape the target directory)",
            "a//b: refused: this key cannot be a file under the target (empty path component)");
  }

  @Test
  void directoriesAreImpliedByKeysForDirectoryTargetsOnly() {
    List<String> errors = new ArrayList<>();
    assertThat(scan(true, errors, "media/a.txt", "media/a/b/c", "media/a/d", "media/e/", "media/f"))
        .containsExactly("a.txt?", "a/", "a/b/", "a/b/c?", "a/d?", "e/", "f?");
    assertThat(scan(false, errors, "media/a.txt", "media/a/b/c", "media/e/", "media/f"))
        .containsExactly("a.txt?", "a/b/c?", "f?");
    assertThat(scan(false, errors, "media/.volume-replicator/manifests/x", "media/z"))
        .containsExactly("z?");
    assertThat(errors).isEmpty();
  }
}
