package io.backupagents.common.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartialFilesTest {

  @Test
  void whatIsStillTrackedIsRemovedDirectoriesWithAllTheyHoldWhatWasPublishedIsLeft(
      @TempDir Path dir) throws Exception {
    Path partial = Files.writeString(PartialFiles.track(dir.resolve(".tmp-backup.1")), "half");
    Path dump = PartialFiles.track(dir.resolve(".tmp-backup.2.d"));
    Files.createDirectories(dump.resolve("sub"));
    Files.writeString(dump.resolve("sub/toc.dat"), "toc");
    Path published = Files.writeString(PartialFiles.track(dir.resolve(".tmp-backup.3")), "all");
    PartialFiles.untrack(published);

    assertThat(PartialFiles.removeAll()).isGreaterThanOrEqualTo(2);

    assertThat(partial).doesNotExist();
    assertThat(dump).doesNotExist();
    assertThat(published).hasContent("all");
  }
}
