package io.backupagents.sqlbackup.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
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
  void rejectsTemporaryChecksumAndForeignNames() {
    assertThat(BackupName.parse(".tmp-backup-2022-11-28T08:51:08Z-dumpall.sql.gz")).isEmpty();
    assertThat(BackupName.parse("backup-2022-11-28T08:51:08Z-dumpall.sql.gz.sha256")).isEmpty();
    assertThat(BackupName.parse("backup-2022-13-28T08:51:08Z-dumpall.sql.gz")).isEmpty();
    assertThat(BackupName.parse("notes.txt")).isEmpty();
  }
}
