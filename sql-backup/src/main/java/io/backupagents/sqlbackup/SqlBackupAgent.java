package io.backupagents.sqlbackup;

import io.backupagents.common.launch.Agent;
import io.backupagents.common.launch.Job;
import io.backupagents.common.s3.S3Setting;
import io.backupagents.common.settings.Setting;
import io.backupagents.common.settings.SettingDefinition;
import io.backupagents.common.settings.SettingsReader;
import io.backupagents.sqlbackup.backup.BackupAction;
import io.backupagents.sqlbackup.list.ListAction;
import io.backupagents.sqlbackup.postgres.PostgresSetting;
import io.backupagents.sqlbackup.postgres.TlsSetting;
import io.backupagents.sqlbackup.restore.RecoverAction;
import io.backupagents.sqlbackup.settings.BackupSetting;
import io.backupagents.sqlbackup.settings.HostEnvironment;
import io.backupagents.sqlbackup.settings.RestoreSetting;
import io.backupagents.sqlbackup.verify.VerifyAction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The sql-backup agent: picks the action from the first argument or {@code SQL_BACKUP_ACTION} and
 * hands the settings to that action's configuration.
 */
public final class SqlBackupAgent implements Agent {

  /** What a run does. */
  public enum Action {
    BACKUP,
    LIST,
    RECOVER,
    VERIFY
  }

  /** The one setting of the agent itself. */
  public enum AgentSetting implements SettingDefinition {
    SQL_BACKUP_ACTION(
        Setting.of(
            "SQL_BACKUP_ACTION",
            "backup",
            "what to do when no argument is given: backup, list, recover or verify"));

    private final Setting setting;

    AgentSetting(Setting setting) {
      this.setting = setting;
    }

    @Override
    public Setting setting() {
      return setting;
    }
  }

  private final HostEnvironment host;

  /** An agent on {@code host}: its PATH, HOME, temporary directory, file system and clock. */
  public SqlBackupAgent(HostEnvironment host) {
    this.host = host;
  }

  /** The machine this agent runs on. */
  public HostEnvironment host() {
    return host;
  }

  @Override
  public String name() {
    return "sql-backup";
  }

  @Override
  public String usage() {
    return """
        sql-backup: PostgreSQL backups (pg_dump of one database or pg_dumpall of the server) kept in
        hourly, daily, weekly and monthly tiers, mirrored to S3, restored and verified.

        Usage: sql-backup [ACTION] [ARGUMENTS]   (settings come from the environment)
          backup                 dump, check, rotate the tiers, copy off-site (the default action,
                                 or SQL_BACKUP_ACTION)
          list [--json] [--check]
                                 the backups of every tier and the off-site copy; --check re-reads
                                 local backups against their SHA-256 records
          recover [--from NAME] [--database DB]... [--force] [--list]
                                 restore a backup (default: the newest) into the server; --database
                                 picks databases of a dumpall; --force replaces data that exists
          verify [--from NAME]   restore a backup into a scratch database and compare it with its
                                 source
          --help                 this text
        """;
  }

  @Override
  public List<SettingDefinition> settings() {
    List<SettingDefinition> all = new ArrayList<>();
    all.addAll(Arrays.asList(AgentSetting.values()));
    all.addAll(Arrays.asList(PostgresSetting.values()));
    all.addAll(Arrays.asList(TlsSetting.values()));
    all.addAll(Arrays.asList(BackupSetting.values()));
    all.addAll(Arrays.asList(RestoreSetting.values()));
    all.addAll(Arrays.asList(S3Setting.values()));
    return all;
  }

  @Override
  public List<String> ownedPrefixes() {
    return List.of(
        "SQL_BACKUP_",
        "BACKUP_",
        "RECOVERY_",
        "RESTORE_",
        "VERIFY_",
        "DUMP_",
        "USE_RCLONE",
        "RSYNC_",
        "S3_",
        "PG_",
        // libpq's TLS variables: one we do not know must not be dropped in silence.
        "PGSSL",
        "DATABASE_",
        "LATEST_BACKUP_",
        "FROM_BACKUP");
  }

  @Override
  public Job configure(SettingsReader settings, List<String> args) {
    Action action = action(settings, args);
    boolean named = !args.isEmpty() && !args.get(0).startsWith("-");
    List<String> rest = named ? args.subList(1, args.size()) : args;
    return switch (action) {
      case BACKUP -> BackupAction.configure(settings, rest, host);
      case LIST -> ListAction.configure(settings, rest, host);
      case RECOVER -> RecoverAction.configure(settings, rest, host);
      case VERIFY -> VerifyAction.configure(settings, rest, host);
    };
  }

  static Action action(SettingsReader settings, List<String> args) {
    if (!args.isEmpty() && !args.get(0).startsWith("-")) {
      try {
        return Action.valueOf(args.get(0).toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        settings.problem(
            "unknown action '" + args.get(0) + "': expected one of backup, list, recover, verify");
        return Action.BACKUP;
      }
    }
    return settings.choice(AgentSetting.SQL_BACKUP_ACTION, Action.class);
  }
}
