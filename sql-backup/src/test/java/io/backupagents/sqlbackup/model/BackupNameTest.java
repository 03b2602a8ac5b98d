package io.backupagents.sqlbackup.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupNameTest {

  @Test
  void parsesAndFormatsLegacyNames() {
    BackupName name = BackupName.parse("backup-2022-11-28T08:51:08Z-dumpall.sql.gz").orElseThrow();
    assertThat(name.time()).isEqualTo(Instant.parse("2022-11-28T08:51:08Z"));
    assertThat(name.label()).isEqualTo("dumpall");
    assertThat(name.format()).isEqualTo(BackupName.Format.SQL_GZ);
    assertThat(name.fileName()).isEqualTo("backup-2022-11-28T08:51:08Z-dumpall.sql.gz");
    assertThat(
            new BackupName(
                    Instant.parse("2025-09-10T10:51:01.730Z"), "frag", BackupName.Format.SQL_GZ)
                .fileName())
        .isEqualTo("backup-2025-09-10T10:51:01Z-frag.sql.gz");
  }

  @Test
  void theChecksumRecordIsAHiddenFileThatLegacyBackupGlobsDoNotMatch() {
    BackupName name = BackupName.parse("backup-2025-09-10T10:51:01Z-frag.sql.gz").orElseThrow();
    assertThat(name.checksumFileName())
        .isEqualTo(".backup-2025-09-10T10:51:01Z-frag.sql.gz.sha256");
    assertThat(name.legacyChecksumFileName())
        .isEqualTo("backup-2025-09-10T10:51:01Z-frag.sql.gz.sha256");
    assertThat(name.checksumFileName()).doesNotStartWith("backup");
  }

  @Test
  void recordNamesMapBackToTheirBackupUnderEitherName() {
    BackupName name = BackupName.parse("backup-2025-09-10T10:51:01Z-frag.dump").orElseThrow();
    assertThat(BackupName.parseChecksumFileName(".backup-2025-09-10T10:51:01Z-frag.dump.sha256"))
        .contains(name);
    assertThat(BackupName.parseChecksumFileName("backup-2025-09-10T10:51:01Z-frag.dump.sha256"))
        .contains(name);
    assertThat(BackupName.isLegacyChecksumFileName(name.legacyChecksumFileName())).isTrue();
    assertThat(BackupName.isLegacyChecksumFileName(name.checksumFileName())).isFalse();
    for (String other :
        List.of(
            "backup-2025-09-10T10:51:01Z-frag.dump",
            "..backup-2025-09-10T10:51:01Z-frag.dump.sha256",
            ".tmp-.backup-2025-09-10T10:51:01Z-frag.dump.sha256.1a2b3c4d",
            ".backup-2025-09-10T10:51:01Z-frag.dump.sha256.tmp",
            ".notes.sha256",
            ".sha256")) {
      assertThat(BackupName.parseChecksumFileName(other)).as(other).isEmpty();
      assertThat(BackupName.isLegacyChecksumFileName(other)).as(other).isFalse();
    }
  }

  @Test
  void rejectsTemporaryChecksumAndForeignNames() {
    assertThat(BackupName.parse(".tmp-backup-2022-11-28T08:51:08Z-dumpall.sql.gz")).isEmpty();
    assertThat(BackupName.parse(".backup-2022-11-28T08:51:08Z-dumpall.sql.gz.sha256")).isEmpty();
    assertThat(BackupName.parse("backup-2022-11-28T08:51:08Z-dumpall.sql.gz.sha256")).isEmpty();
    assertThat(BackupName.parse("backup-2022-13-28T08:51:08Z-dumpall.sql.gz")).isEmpty();
    assertThat(BackupName.parse("notes.txt")).isEmpty();
  }
}
