package io.backupagents.replicator.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.replicator.model.Entry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestTest {

  private static final Instant WRITTEN = Instant.parse("2025-03-14T02:00:00Z");
  private static final Instant BEFORE = WRITTEN.minusSeconds(60);

  @Test
  void entriesAreWrittenInKeyOrderAlthoughTheyCompleteOutOfOrder(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("m.gz");
    try (ManifestWriter w = new ManifestWriter(file)) {
      ManifestWriter.Slot a = w.reserve("a");
      w.add("b", 2, "e-b", 20);
      ManifestWriter.Slot c = w.reserve("c\twith tab %");
      ManifestWriter.Slot d = w.reserve("d");
      c.complete(3, "e-c", 30);
      d.drop();
      a.complete(1, "e-a", 10);
      assertThat(w.finish()).isEqualTo(3);
    }
    try (ManifestReader r = ManifestReader.open(file, WRITTEN, "m")) {
      assertThat(r.mtime("a", 1, "e-a", BEFORE)).isEqualTo(10);
      assertThat(r.mtime("b", 2, "e-b", BEFORE)).isEqualTo(20);
      assertThat(r.mtime("c\twith tab %", 3, "e-c", BEFORE)).isEqualTo(30);
      assertThat(r.mtime("d", 4, "e-d", BEFORE)).isEqualTo(Entry.UNKNOWN_TIME);
      assertThat(r.hits()).isEqualTo(3);
    }
  }

  @Test
  void anEntryCountsOnlyForTheSameObjectUntouchedSinceTheManifest(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("m.gz");
    try (ManifestWriter w = new ManifestWriter(file)) {
      w.add("same", 1, "e1", 10);
      w.add("other-etag", 1, "e1", 10);
      w.add("other-size", 1, "e1", 10);
      w.add("touched", 1, "e1", 10);
      w.finish();
    }
    try (ManifestReader r = ManifestReader.open(file, WRITTEN, "m")) {
      assertThat(r.mtime("missing-before", 1, "e1", BEFORE)).isEqualTo(Entry.UNKNOWN_TIME);
      assertThat(r.mtime("other-etag", 1, "e2", BEFORE)).isEqualTo(Entry.UNKNOWN_TIME);
      assertThat(r.mtime("other-size", 2, "e1", BEFORE)).isEqualTo(Entry.UNKNOWN_TIME);
      assertThat(r.mtime("same", 1, "e1", BEFORE)).isEqualTo(10);
      assertThat(r.mtime("touched", 1, "e1", WRITTEN.plusSeconds(1))).isEqualTo(Entry.UNKNOWN_TIME);
    }
  }

  @Test
  void aCorruptManifestStopsVouchingInsteadOfFailing(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("m.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      String lines = "a\t1\te\t10\nc\t1\te\t10\nb\t1\te\t10\nz\t1\te\t10\n";
      out.write((ManifestEntry.HEADER + "\n" + lines).getBytes(StandardCharsets.UTF_8));
    }
    try (ManifestReader r = ManifestReader.open(file, WRITTEN, "m")) {
      assertThat(r.mtime("a", 1, "e", BEFORE)).isEqualTo(10);
      assertThat(r.mtime("b", 1, "e", BEFORE)).isEqualTo(Entry.UNKNOWN_TIME);
      assertThat(r.mtime("c", 1, "e", BEFORE)).isEqualTo(10);
      assertThat(r.mtime("z", 1, "e", BEFORE)).isEqualTo(Entry.UNKNOWN_TIME);
    }
    Path garbage = Files.writeString(dir.resolve("g.gz"), "not gzip");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ManifestReader.open(garbage, WRITTEN, "g"))
        .isInstanceOf(IOException.class);
  }
}
