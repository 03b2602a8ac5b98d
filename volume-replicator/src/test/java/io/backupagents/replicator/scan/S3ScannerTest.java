package io.backupagents.replicator.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.common.s3.RemoteObject;
import io.backupagents.replicator.config.PathFilter;
import io.backupagents.replicator.manifest.ManifestReader;
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
        (prefix, sink) -> {
          for (String k : keys) {
            sink.accept(object(k));
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
            new S3Scanner.Options(directoryTarget, Optional.of(".volume-replicator/")),
            events);
    List<String> out = new ArrayList<>();
    try (Listing l = scanner.open("t")) {
      l.forEachRemaining(e -> out.add(e.key() + (e.hasMtime() || e.isDirectory() ? "" : "?")));
    }
    return out;
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
