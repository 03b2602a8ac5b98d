package io.backupagents.sqlbackup.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.common.launch.CommonSetting;
import io.backupagents.common.settings.SettingDefinition;
import io.backupagents.common.settings.SettingsReader;
import io.backupagents.common.settings.SettingsTable;
import io.backupagents.sqlbackup.SqlBackupAgent;
import io.backupagents.sqlbackup.model.FromBackup;
import io.backupagents.sqlbackup.postgres.PostgresSettings;
import io.backupagents.sqlbackup.testing.RestoreFixture;
import io.backupagents.testing.Readme;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestoreSettingsTest {

  @TempDir Path base;

  @Test
  void everyBadRestoreSettingIsReportedAtOnceBeforeAnythingHappens() {
    Map<String, String> env = new HashMap<>();
    env.put("TERMINATION_LOG_PATH", base.resolve("termination-log").toString());
    env.put("LATEST_BACKUP_MAXIMUM_AGE_H", "a day");
    env.put("DATABASE_EXPECTED_COUNT", "0");
    env.put("DATABASE", "app,shop");
    env.put("RESTORE_SOURCE", "ftp");
    env.put("RESTORE_JOBS", "0");
    env.put("RESTORE_TIMEOUT", "soon");
    env.put("RECOVERY_ROOT_DIR", "recovery");
    env.put("RESTORE_FORSE", "yes");

    RestoreFixture.Run run = RestoreFixture.run(env, base, "recover", "--bogus");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.termination())
        .isEqualTo(
            "FAILURE (2: invalid settings (9 problems)"
                + " - unknown argument '--bogus' for recover: expected --from <LATEST|NONE|part of"
                + " a backup name>, --list, --force or --database <name>"
                + " - LATEST_BACKUP_MAXIMUM_AGE_H=a day: expected a whole number from 0 to 1000000"
                + " - DATABASE_EXPECTED_COUNT=0: expected a whole number from 1 to 1000000"
                + " - RESTORE_SOURCE=ftp: expected one of all, local, s3"
                + " - RECOVERY_ROOT_DIR=recovery: expected an absolute path"
                + " - RESTORE_TIMEOUT=soon: expected a duration such as 30s, 15m or 2h (at most 3650d)"
                + " - DATABASE=app,shop: a restore goes into one database; name only the one to"
                + " restore into"
                + " - RESTORE_JOBS=0: expected a whole number from 1 to 64"
                + " - unknown variable RESTORE_FORSE; did you mean RESTORE_FORCE?)");
  }

  @Test
  void verifySettingsNeedAScratchHostForTheOtherScratchServerSettings() {
    Map<String, String> env = new HashMap<>();
    env.put("TERMINATION_LOG_PATH", base.resolve("termination-log").toString());
    env.put("VERIFY_PGPORT", "5433");
    env.put("VERIFY_DATABASE", "9lives");
    env.put("DATABASE", "app,shop"); // a backup job's list: verify does not restore into it

    RestoreFixture.Run run = RestoreFixture.run(env, base, "verify", "--force");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.termination())
        .isEqualTo(
            "FAILURE (2: invalid settings (3 problems)"
                + " - unknown argument '--force' for verify: expected --from <LATEST|NONE|part of"
                + " a backup name>"
                + " - VERIFY_DATABASE=9lives: expected a database name of up to 63 letters, digits,"
                + " '_' and '$', not starting with a digit"
                + " - VERIFY_PGPORT, VERIFY_PGUSER and VERIFY_PGADMINPASS describe a scratch"
                + " server: set VERIFY_PGHOST too, or unset them)");
  }

  @Test
  void theStartUpLogShowsTheSettingsOfTheActionRunNotThoseTheArgumentsOverride() {
    Map<String, String> env = new HashMap<>();
    env.put("TERMINATION_LOG_PATH", base.resolve("termination-log").toString());
    env.put("BACKUP_ROOT_DIR", base.resolve("backup").toString());
    env.put("RECOVERY_ROOT_DIR", base.resolve("recovery").toString());
    env.put("FROM_BACKUP", "2021-02-11T11:30:08Z");
    env.put("BACKUP_COUNT", "5"); // a backup's setting, left in a recover Job's environment
    env.put("PGADMINPASS", "s3cret-pw");

    // --from NONE: list what there is, whatever FROM_BACKUP says.
    RestoreFixture.Run run = RestoreFixture.run(env, base, "recover", "--from", "NONE");

    assertThat(run.status()).isEqualTo(0);
    assertThat(run.output())
        .contains("  RECOVERY_ROOT_DIR=" + base.resolve("recovery"))
        .contains("  RESTORE_SOURCE=all (default)")
        .contains("  BACKUP_COUNT=5 (set, not used by this run)")
        // The arguments decide: neither the action's variable nor FROM_BACKUP is read.
        .contains("  FROM_BACKUP=2021-02-11T11:30:08Z (set, not used by this run)")
        .doesNotContain("SQL_BACKUP_ACTION")
        .doesNotContain("BACKUP_TYPE")
        .doesNotContain("s3cret-pw");
  }

  @Test
  void legacyValuesKeepTheirMeaning() {
    RestoreSettings settings =
        read(
            Map.of(
                "FROM_BACKUP", "2021-02-11T11:30:08Z",
                "DO_NOT_STOP_ON_ERROR", "true",
                "LATEST_BACKUP_MAXIMUM_AGE_H", "36",
                "DATABASE", "frag"),
            List.of());
    assertThat(settings.from()).isEqualTo(FromBackup.parse("2021-02-11T11:30:08Z"));
    assertThat(settings.stopOnError()).isFalse();
    assertThat(settings.maxAge()).contains(Duration.ofHours(36));
    assertThat(settings.database()).contains("frag");
    assertThat(settings.roots()).containsExactly(Path.of("/recovery"), Path.of("/backup"));

    assertThat(read(Map.of("DO_NOT_STOP_ON_ERROR", "no"), List.of()).stopOnError()).isTrue();
    assertThat(read(Map.of(), List.of()).stopOnError()).isTrue();
    assertThat(read(Map.of("FROM_BACKUP", "none"), List.of()).from()).isEqualTo(FromBackup.NONE);
    assertThat(read(Map.of("FROM_BACKUP", "NONE"), List.of("--from=LATEST")).from())
        .isEqualTo(FromBackup.LATEST);
    assertThat(read(Map.of(), List.of("--list")).from()).isEqualTo(FromBackup.NONE);
    assertThat(
            read(
                    Map.of(
                        "RESTORE_SOURCE",
                        "s3",
                        "BACKUP_S3_URL",
                        "s3://backups/prod",
                        "S3_ACCESS_KEY_ID",
                        "k",
                        "S3_SECRET_ACCESS_KEY",
                        "s"),
                    List.of())
                .roots())
        .isEmpty();
    assertThat(read(Map.of("BACKUP_ROOT_DIR", "/recovery/"), List.of()).roots())
        .containsExactly(Path.of("/recovery"));
  }

  @Test
  void theReadmeTableListsEveryRestoreSetting() {
    Readme.assertGeneratedBlock(
        "restore-settings", SettingsTable.markdown(List.of(RestoreSetting.values())));
  }

  private static RestoreSettings read(Map<String, String> env, List<String> args) {
    List<SettingDefinition> definitions =
        new ArrayList<>(
            new SqlBackupAgent(HostEnvironment.of(Map.of(), Clock.systemUTC())).settings());
    definitions.addAll(List.of(CommonSetting.values()));
    SettingsReader r = new SettingsReader(env, definitions, List.of());
    RestoreSettings settings =
        RestoreSettings.read(
            r,
            PostgresSettings.read(r),
            HostEnvironment.of(Map.of(), Clock.systemUTC()),
            RestoreArguments.parse(args, r, "recover"),
            true);
    r.finish();
    return settings;
  }
}
