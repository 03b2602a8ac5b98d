package io.backupagents.sqlbackup.dump;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.sqlbackup.codec.Compression;
import io.backupagents.sqlbackup.model.BackupName;
import io.backupagents.sqlbackup.postgres.ClientTools;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How BACKUP_COMPRESSION reaches the backup's name and pg_dump's own compression of archives. */
class DumpCompressionTest {

  private static final Instant START = Instant.parse("2025-09-10T10:51:01Z");

  @Test
  void zstdIsPassedToPgDump16AndLaterForArchives() {
    DumpCommand custom =
        new DumpCommand(Optional.of("frag"), settings(DumpFormat.CUSTOM, Compression.ZSTD, 5));

    assertThat(custom.argv(clients(16), Path.of("-"))).contains("--compress=zstd:5");
    assertThat(custom.argv(clients(17), Path.of("-"))).contains("--compress=zstd:5");
  }

  @Test
  void olderPgDumpCompressesArchivesWithGzipAtAtMostLevel9() {
    DumpCommand custom =
        new DumpCommand(Optional.of("frag"), settings(DumpFormat.CUSTOM, Compression.ZSTD, 12));
    DumpCommand gzip =
        new DumpCommand(Optional.of("frag"), settings(DumpFormat.DIRECTORY, Compression.GZIP, 4));

    assertThat(custom.argv(clients(15), Path.of("-"))).contains("--compress=9");
    assertThat(gzip.argv(clients(17), Path.of("/tmp/d"))).contains("--compress=4");
  }

  @Test
  void theBackupNameSaysHowItIsCompressedAndWhetherItIsEncrypted() {
    assertThat(settings(DumpFormat.PLAIN, Compression.ZSTD, 3).backupName(START, "frag"))
        .hasToString("backup-2025-09-10T10:51:01Z-frag.sql.zst");
    assertThat(settings(DumpFormat.PLAIN, Compression.GZIP, 6).backupName(START, "dumpall"))
        .hasToString("backup-2025-09-10T10:51:01Z-dumpall.sql.gz");
    assertThat(BackupName.parse("backup-2025-09-10T10:51:01Z-frag.sql.zst.gpg"))
        .hasValueSatisfying(
            n -> {
              assertThat(n.format()).isEqualTo(BackupName.Format.SQL_ZST);
              assertThat(n.encrypted()).isTrue();
              assertThat(n.label()).isEqualTo("frag");
              assertThat(n.fileName()).isEqualTo("backup-2025-09-10T10:51:01Z-frag.sql.zst.gpg");
            });
    assertThat(BackupName.parse("backup-2025-09-10T10:51:01Z-frag.dump.gpg"))
        .hasValueSatisfying(n -> assertThat(n.format()).isEqualTo(BackupName.Format.CUSTOM));
  }

  private static DumpSettings settings(DumpFormat format, Compression compression, int level) {
    return new DumpSettings(format, 1, Optional.empty(), level, 2, compression, Optional.empty());
  }

  private static ClientTools.Clients clients(int major) {
    return new ClientTools.Clients(major, Path.of("/usr/lib/postgresql/" + major + "/bin"));
  }
}
