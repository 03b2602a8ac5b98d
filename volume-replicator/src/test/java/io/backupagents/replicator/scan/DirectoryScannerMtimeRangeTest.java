package io.backupagents.replicator.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.backupagents.replicator.config.PathFilter;
import io.backupagents.replicator.model.Entry;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Times a file system keeps beyond the 64-bit nanoseconds an entry holds saturate at the nearest
 * end of that range, explicitly and with a warning; never at the unknown time, nor silently.
 */
class DirectoryScannerMtimeRangeTest {

  private final List<String> warnings = new CopyOnWriteArrayList<>();
  private FileSystem fs;
  private Path root;

  @BeforeEach
  void tree() throws IOException {
    fs =
        Jimfs.newFileSystem(
            Configuration.unix().toBuilder()
                .setAttributeViews("basic", "owner", "posix", "unix")
                .build());
    root = Files.createDirectories(fs.getPath("/root"));
  }

  @AfterEach
  void close() throws IOException {
    fs.close();
  }

  private void file(String name, Instant mtime) throws IOException {
    Path p = Files.writeString(root.resolve(name), name);
    Files.setLastModifiedTime(p, FileTime.from(mtime));
  }

  private Map<String, Entry> scan() {
    ScanEvents events =
        new ScanEvents() {
          @Override
          public void error(String key, String cause) {
            throw new AssertionError(key + ": " + cause);
          }

          @Override
          public void warning(String key, String message) {
            warnings.add(key + ": " + message);
          }
        };
    Map<String, Entry> entries = new HashMap<>();
    try (Listing l = new DirectoryScanner(root, PathFilter.defaults(), 2, events).open("t")) {
      l.forEachRemaining(e -> entries.put(e.key(), e));
    }
    return entries;
  }

  @Test
  void timesAfter2262SaturateAtTheLatestTimeWithAWarning() throws IOException {
    file("ext4-max", Instant.parse("2446-05-10T22:38:55.5Z"));

    Entry e = scan().get("ext4-max");

    assertThat(e.mtimeNanos()).isEqualTo(Entry.MAX_TIME);
    assertThat(e.mtime()).isEqualTo(Instant.parse("2262-04-11T23:47:16.854775807Z"));
    assertThat(warnings)
        .containsExactly(
            "ext4-max: its modification time 2446-05-10T22:38:55.500Z is outside the times this"
                + " replicator keeps (1677-09-21T00:12:43.145224193Z to"
                + " 2262-04-11T23:47:16.854775807Z): it is compared and copied as"
                + " 2262-04-11T23:47:16.854775807Z");
  }

  @Test
  void timesBefore1677SaturateAtTheEarliestTimeNotAtTheUnknownOne() throws IOException {
    file("old", Instant.parse("1600-01-01T00:00:00Z"));
    Files.createDirectories(root.resolve("older"));
    Files.setLastModifiedTime(
        root.resolve("older"), FileTime.from(Instant.parse("1500-01-01T00:00:00Z")));

    Map<String, Entry> entries = scan();

    assertThat(entries.get("old").hasMtime()).isTrue();
    assertThat(entries.get("old").mtimeNanos()).isEqualTo(Entry.MIN_TIME);
    assertThat(entries.get("older/").mtimeNanos()).isEqualTo(Entry.MIN_TIME);
    assertThat(warnings).hasSize(2).allMatch(w -> w.contains("1677-09-21T00:12:43.145224193Z"));
  }

  @Test
  void theEndsOfTheRangeAndTimesBefore1970AreKeptExactlyWithoutAWarning() throws IOException {
    file("latest", Instant.parse("2262-04-11T23:47:16.854775807Z"));
    file("earliest", Instant.parse("1677-09-21T00:12:43.145224193Z"));
    file("pre-1970", Instant.parse("1960-06-15T12:00:00.25Z"));

    Map<String, Entry> entries = scan();

    assertThat(entries.get("latest").mtimeNanos()).isEqualTo(Entry.MAX_TIME);
    assertThat(entries.get("earliest").mtimeNanos()).isEqualTo(Entry.MIN_TIME);
    assertThat(entries.get("pre-1970").mtimeNanos()).isEqualTo(-301_233_599_750_000_000L);
    assertThat(warnings).isEmpty();
  }
}
