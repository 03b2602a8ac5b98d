package io.backupagents.sqlbackup.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.backupagents.common.s3.RemoteObject;
import io.backupagents.common.s3.S3Location;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackupFinderTest {

  private static final String OLD = "backup-2025-09-09T10:51:01Z-dumpall.sql.gz";
  private static final String NEW = "backup-2025-09-10T10:51:01Z-dumpall.sql.gz";

  @Test
  void findsBackupsOneTierLevelDownInBothRootsAndMergesCopiesOfOneName() throws Exception {
    try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
      write(fs.getPath("/backup/hourly", NEW), 10);
      write(fs.getPath("/backup/hourly", "." + NEW + ".sha256"), 1);
      write(fs.getPath("/backup/hourly", OLD), 7);
      write(fs.getPath("/backup/daily", OLD), 7);
      write(fs.getPath("/recovery/weekly", OLD), 7);
      // Not backups: temporary files, checksums, other names, files at the root or too deep.
      write(fs.getPath("/backup/hourly", ".tmp-backup-2025-09-10T11:51:01Z-dumpall.sql.gz"), 3);
      write(fs.getPath("/backup/hourly", "notes.txt"), 3);
      write(fs.getPath("/backup", "backup-2025-09-10T09:51:01Z-dumpall.sql.gz"), 3);
      write(fs.getPath("/backup/hourly/old", "backup-2025-09-10T09:51:01Z-dumpall.sql.gz"), 3);
      write(fs.getPath("/backup/.snapshot", "backup-2025-09-10T09:51:01Z-dumpall.sql.gz"), 3);

      List<BackupFinder.Entry> entries = new ArrayList<>();
      entries.addAll(BackupFinder.scanLocal(fs.getPath("/recovery")));
      entries.addAll(BackupFinder.scanLocal(fs.getPath("/backup")));
      entries.addAll(BackupFinder.scanLocal(fs.getPath("/nowhere")));
      List<FoundBackup> found = BackupFinder.merge(entries);

      assertThat(found).extracting(FoundBackup::toString).containsExactly(NEW, OLD);
      assertThat(found.get(0).hasChecksum()).isTrue();
      assertThat(found.get(0).size()).isEqualTo(10);
      assertThat(found.get(1).hasChecksum()).isFalse();
      assertThat(found.get(1).copies())
          .extracting(BackupCopy::where)
          .containsExactly("/recovery/weekly", "/backup/daily", "/backup/hourly");
    }
  }

  @Test
  void readsBackupsAndTheirChecksumRecordsFromABucketListing() {
    S3Location location = S3Location.parse("/bucket/prod/db").orElseThrow();
    List<RemoteObject> listing =
        List.of(
            object("prod/db/daily/" + OLD, 7),
            object("prod/db/hourly/" + NEW, 10),
            object("prod/db/hourly/." + NEW + ".sha256", 1),
            object("prod/db/hourly/" + OLD, 7),
            object("prod/db/" + NEW, 10),
            object("prod/db/hourly/x/" + NEW, 10),
            object("prod/db/hourly/readme.txt", 10));

    List<FoundBackup> found = BackupFinder.merge(BackupFinder.fromListing(location, listing));

    assertThat(found).extracting(FoundBackup::toString).containsExactly(NEW, OLD);
    BackupCopy.Remote copy = (BackupCopy.Remote) found.get(0).copies().get(0);
    assertThat(copy.key()).isEqualTo("prod/db/hourly/" + NEW);
    assertThat(copy.checksumKey()).contains("prod/db/hourly/." + NEW + ".sha256");
    assertThat(copy.where()).isEqualTo("s3://bucket/prod/db/hourly");
    assertThat(found.get(1).copies()).hasSize(2);
  }

  @Test
  void recordsUnderTheNameEarlierVersionsGaveThemAreFoundTheCurrentNameFirst() throws Exception {
    try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
      write(fs.getPath("/backup/hourly", NEW), 10);
      write(fs.getPath("/backup/hourly", NEW + ".sha256"), 1);
      write(fs.getPath("/backup/daily", NEW), 10);
      write(fs.getPath("/backup/daily", NEW + ".sha256"), 1);
      write(fs.getPath("/backup/daily", "." + NEW + ".sha256"), 1);

      List<FoundBackup> found = BackupFinder.merge(BackupFinder.scanLocal(fs.getPath("/backup")));

      assertThat(found).extracting(FoundBackup::toString).containsExactly(NEW);
      assertThat(found.get(0).copies())
          .map(c -> ((BackupCopy.Local) c).checksum().map(Path::toString).orElse("-"))
          .containsExactly(
              "/backup/daily/." + NEW + ".sha256", "/backup/hourly/" + NEW + ".sha256");
    }
    S3Location location = S3Location.parse("/bucket/db").orElseThrow();
    List<RemoteObject> listing =
        List.of(
            object("db/daily/" + NEW, 10),
            object("db/daily/." + NEW + ".sha256", 1),
            object("db/daily/" + NEW + ".sha256", 1),
            object("db/hourly/" + NEW, 10),
            object("db/hourly/" + NEW + ".sha256", 1));

    List<FoundBackup> remote = BackupFinder.merge(BackupFinder.fromListing(location, listing));

    assertThat(remote).extracting(FoundBackup::toString).containsExactly(NEW);
    assertThat(remote.get(0).copies())
        .map(c -> ((BackupCopy.Remote) c).checksumKey().orElse("-"))
        .containsExactly("db/daily/." + NEW + ".sha256", "db/hourly/" + NEW + ".sha256");
  }

  @Test
  void theListingShowsSizeAgeChecksumAndEveryCopy() throws Exception {
    try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
      write(fs.getPath("/backup/hourly", NEW), 3 << 20);
      write(fs.getPath("/backup/hourly", "." + NEW + ".sha256"), 1);
      write(fs.getPath("/backup/daily", OLD), 1536);
      List<FoundBackup> found = BackupFinder.merge(BackupFinder.scanLocal(fs.getPath("/backup")));

      List<String> lines =
          BackupListing.lines(found, Instant.parse("2025-09-10T12:00:00Z"), "/recovery, /backup");

      assertThat(lines)
          .containsExactly(
              "2 backups in /recovery, /backup, newest first:",
              "NAME                                              SIZE       AGE  SHA-256  WHERE",
              "backup-2025-09-10T10:51:01Z-dumpall.sql.gz     3.0 MiB     1h08m  yes      /backup/hourly",
              "backup-2025-09-09T10:51:01Z-dumpall.sql.gz     1.5 KiB    25h08m  -        /backup/daily");
    }
  }

  private static RemoteObject object(String key, long size) {
    return new RemoteObject(key, size, "\"etag\"", Instant.EPOCH, Map.of());
  }

  private static void write(Path file, int size) throws Exception {
    Files.createDirectories(file.getParent());
    Files.write(file, new byte[size]);
  }
}
