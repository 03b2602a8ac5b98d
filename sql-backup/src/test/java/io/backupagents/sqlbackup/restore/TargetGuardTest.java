package io.backupagents.sqlbackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.common.launch.CommonSetting;
import io.backupagents.common.settings.SettingDefinition;
import io.backupagents.common.settings.SettingsReader;
import io.backupagents.sqlbackup.SqlBackupAgent;
import io.backupagents.sqlbackup.postgres.PostgresSettings;
import io.backupagents.sqlbackup.settings.HostEnvironment;
import io.backupagents.sqlbackup.settings.RestoreArguments;
import io.backupagents.sqlbackup.settings.RestoreSettings;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which databases the guard weighs before a restore writes (the survey counts only those). */
class TargetGuardTest {

  private static final List<String> ON_SERVER = List.of("app", "postgres", "reports", "template1");

  @Test
  void aDumpallWeighsEveryDatabaseThatAcceptsConnections() {
    assertThat(TargetGuard.counted(settings(Map.of()), ON_SERVER)).isEqualTo(ON_SERVER);
  }

  @Test
  void chosenDatabasesOfADumpallWeighOnlyThoseOnTheServer() {
    RestoreSettings settings = settings(Map.of("RESTORE_DATABASES", "reports,absent"));

    assertThat(TargetGuard.counted(settings, ON_SERVER)).containsExactly("reports");
  }

  @Test
  void aSingleDatabaseWeighsThatDatabaseWhenItIsThere() {
    assertThat(TargetGuard.counted(settings(Map.of("DATABASE", "app")), ON_SERVER))
        .containsExactly("app");
    assertThat(TargetGuard.counted(settings(Map.of("DATABASE", "new")), ON_SERVER)).isEmpty();
  }

  private static RestoreSettings settings(Map<String, String> env) {
    HostEnvironment host = HostEnvironment.of(Map.of(), Clock.systemUTC());
    List<SettingDefinition> definitions = new ArrayList<>(new SqlBackupAgent(host).settings());
    definitions.addAll(List.of(CommonSetting.values()));
    SettingsReader r = new SettingsReader(env, definitions, List.of());
    RestoreSettings settings =
        RestoreSettings.read(
            r,
            PostgresSettings.read(r),
            host,
            RestoreArguments.parse(List.of(), r, "recover"),
            true);
    r.finish();
    return settings;
  }
}
