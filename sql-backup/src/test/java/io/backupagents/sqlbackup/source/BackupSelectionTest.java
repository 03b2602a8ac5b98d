package io.backupagents.sqlbackup.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.sqlbackup.model.BackupName;
import io.backupagents.sqlbackup.model.FromBackup;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackupSelectionTest {

  private static final Instant NOW = Instant.parse("2025-09-10T12:00:00Z");

  private static final FoundBackup ALL_08 = found("backup-2025-09-10T08:51:01Z-dumpall.sql.gz");
  private static final FoundBackup ALL_10 = found("backup-2025-09-10T10:51:01Z-dumpall.sql.gz");
  private static final FoundBackup APP_09 = found("backup-2025-09-10T09:51:01Z-app.sql.gz");
  private static final FoundBackup APP_11 = found("backup-2025-09-10T11:51:01Z-app.sql.gz");
  private static final FoundBackup SHOP_11 = found("backup-2025-09-10T11:51:01Z-shop.dump");
  private static final List<FoundBackup> FOUND = List.of(ALL_08, APP_11, ALL_10, APP_09, SHOP_11);

  @Test
  void latestIsTheNewestBackupOfTheKindTheTargetWants() {
    assertThat(select(FromBackup.LATEST, Optional.empty())).isEqualTo(ALL_10);
    assertThat(select(FromBackup.LATEST, Optional.of("app"))).isEqualTo(APP_11);
    assertThat(select(FromBackup.LATEST, Optional.of("shop"))).isEqualTo(SHOP_11);
  }

  @Test
  void latestForAnotherDatabaseNameIsAmbiguousWhenSeveralShareTheNewestTime() {
    assertThatThrownBy(() -> select(FromBackup.LATEST, Optional.of("staging")))
        .isInstanceOf(AgentException.class)
        .hasMessage(
            "several backups share the newest time: backup-2025-09-10T11:51:01Z-shop.dump,"
                + " backup-2025-09-10T11:51:01Z-app.sql.gz: set DATABASE to the database to"
                + " restore, or FROM_BACKUP to the full name of the backup")
        .extracting(e -> ((AgentException) e).exitCode())
        .isEqualTo(ExitCode.BAD_SETTINGS);
  }

  @Test
  void aTimestampSelectsTheBackupWhoseNameContainsIt() {
    assertThat(select(FromBackup.parse("2025-09-10T08:51:01Z"), Optional.empty()))
        .isEqualTo(ALL_08);
    // Two backups of 11:51, one of each kind: the target's kind decides.
    assertThat(select(FromBackup.parse("T11:51"), Optional.of("app"))).isEqualTo(APP_11);
  }

  @Test
  void aMissingSelectionListsTheNewestCandidates() {
    assertThatThrownBy(() -> select(FromBackup.parse("2024-01-01"), Optional.empty()))
        .hasMessage(
            "no backup's name contains '2024-01-01'; newest found:"
                + " backup-2025-09-10T11:51:01Z-shop.dump, backup-2025-09-10T11:51:01Z-app.sql.gz,"
                + " backup-2025-09-10T10:51:01Z-dumpall.sql.gz,"
                + " backup-2025-09-10T09:51:01Z-app.sql.gz,"
                + " backup-2025-09-10T08:51:01Z-dumpall.sql.gz")
        .extracting(e -> ((AgentException) e).exitCode())
        .isEqualTo(ExitCode.NOT_FOUND);
  }

  @Test
  void anAmbiguousSelectionListsTheMatches() {
    assertThatThrownBy(() -> select(FromBackup.parse("dumpall"), Optional.empty()))
        .hasMessage(
            "FROM_BACKUP=dumpall matches 2 backups: backup-2025-09-10T10:51:01Z-dumpall.sql.gz,"
                + " backup-2025-09-10T08:51:01Z-dumpall.sql.gz: give more of the name");
  }

  @Test
  void aSelectionOfTheWrongKindSaysWhatToChange() {
    assertThatThrownBy(() -> select(FromBackup.parse("T09:51"), Optional.empty()))
        .hasMessage(
            "backup-2025-09-10T09:51:01Z-app.sql.gz holds one database, but DATABASE is not"
                + " set: set DATABASE to the database to restore it into");
    assertThatThrownBy(() -> select(FromBackup.parse("T08:51"), Optional.of("app")))
        .hasMessage(
            "backup-2025-09-10T08:51:01Z-dumpall.sql.gz is a dumpall, but DATABASE=app asks"
                + " for a single-database restore: unset DATABASE");
    assertThatThrownBy(() -> select(FromBackup.LATEST, Optional.empty(), List.of(APP_09)))
        .hasMessage(
            "no dumpall backup among the 1 found (newest:"
                + " backup-2025-09-10T09:51:01Z-app.sql.gz): set DATABASE to restore a"
                + " single-database backup into that database");
  }

  @Test
  void theAgeLimitAppliesToTheNewestBackup() {
    assertThat(
            BackupSelection.select(
                FOUND,
                FromBackup.LATEST,
                Optional.empty(),
                NOW,
                Optional.of(Duration.ofHours(2)),
                "/backup"))
        .isEqualTo(ALL_10);
    assertThatThrownBy(
            () ->
                BackupSelection.select(
                    FOUND,
                    FromBackup.LATEST,
                    Optional.empty(),
                    NOW,
                    Optional.of(Duration.ofHours(1)),
                    "/backup"))
        .hasMessage(
            "the newest backup, backup-2025-09-10T10:51:01Z-dumpall.sql.gz, is 1h08m old: more"
                + " than LATEST_BACKUP_MAXIMUM_AGE_H=1")
        .extracting(e -> ((AgentException) e).exitCode())
        .isEqualTo(ExitCode.NOT_FOUND);
  }

  @Test
  void nothingFoundSaysWhereTheSearchLooked() {
    assertThatThrownBy(() -> select(FromBackup.LATEST, Optional.empty(), List.of()))
        .hasMessage(
            "no backups found in /recovery, /backup (looked for"
                + " <tier>/backup-<time>Z-<database or dumpall>.sql.gz)");
  }

  @Test
  void verifyTakesEveryBackupOfTheNewestRun() {
    assertThat(
            BackupSelection.selectRun(FOUND, FromBackup.LATEST, NOW, Optional.empty(), "/backup"))
        .containsExactly(APP_11, SHOP_11);
    assertThat(
            BackupSelection.selectRun(
                FOUND, FromBackup.parse("T10:51"), NOW, Optional.empty(), "/backup"))
        .containsExactly(ALL_10);
    assertThatThrownBy(
            () ->
                BackupSelection.selectRun(
                    FOUND, FromBackup.parse("dumpall"), NOW, Optional.empty(), "/backup"))
        .hasMessageStartingWith("FROM_BACKUP=dumpall matches backups of several runs: ");
  }

  private static FoundBackup select(FromBackup from, Optional<String> database) {
    return select(from, database, FOUND);
  }

  private static FoundBackup select(
      FromBackup from, Optional<String> database, List<FoundBackup> found) {
    return BackupSelection.select(
        found, from, database, NOW, Optional.empty(), "/recovery, /backup");
  }

  static FoundBackup found(String name) {
    return new FoundBackup(
        BackupName.parse(name).orElseThrow(),
        List.of(new BackupCopy.Local(Path.of("/backup/hourly", name), 1000, Optional.empty())));
  }
}
