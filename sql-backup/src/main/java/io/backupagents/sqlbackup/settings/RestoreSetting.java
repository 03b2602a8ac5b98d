package io.backupagents.sqlbackup.settings;

import io.backupagents.common.settings.Setting;
import io.backupagents.common.settings.SettingDefinition;

/** Settings of the recover and verify actions (legacy names from the sql-recovery image kept). */
public enum RestoreSetting implements SettingDefinition {
  FROM_BACKUP(
      Setting.of(
          "FROM_BACKUP",
          "LATEST",
          "which backup to restore: LATEST (the newest), NONE (only list what is available) or"
              + " text contained in the backup's name, normally its time such as"
              + " 2021-02-11T11:30:08Z; the argument --from wins")),
  LATEST_BACKUP_MAXIMUM_AGE_H(
      Setting.of(
          "LATEST_BACKUP_MAXIMUM_AGE_H",
          "0",
          "with FROM_BACKUP=LATEST: fail (NOT_FOUND) when the newest backup is older than this"
              + " many hours, by the time in its name; 0: no limit")),
  DATABASE_EXPECTED_COUNT(
      Setting.of(
          "DATABASE_EXPECTED_COUNT",
          null,
          "after the restore, SELECT count(*) FROM pg_database must return this number"
              + " (VERIFY_FAILED otherwise)")),
  DO_NOT_STOP_ON_ERROR(
      Setting.of(
          "DO_NOT_STOP_ON_ERROR",
          null,
          "legacy switch: any value but no/false/0/off lets psql go on after a failed SQL"
              + " statement (failures are counted and logged); unset: stop at the first"
              + " (ON_ERROR_STOP)")),
  RECOVERY_ROOT_DIR(
      Setting.of(
          "RECOVERY_ROOT_DIR",
          "/recovery",
          "searched for backups one tier level down (<dir>/<tier>/backup*), as BACKUP_ROOT_DIR is")),
  RESTORE_SOURCE(
      Setting.of(
          "RESTORE_SOURCE",
          "all",
          "where to look for backups: all (both directories, and S3 when BACKUP_S3_URL or"
              + " USE_RCLONE_BUCKET_AND_PATH is set), local or s3")),
  RESTORE_DOWNLOAD_DIR(
      Setting.of(
          "RESTORE_DOWNLOAD_DIR",
          null,
          "where a backup fetched from S3 is kept while it is checked and restored (deleted"
              + " afterwards); default: RECOVERY_ROOT_DIR when writable, else the temporary"
              + " directory")),
  RESTORE_DATABASES(
      Setting.of(
          "RESTORE_DATABASES",
          null,
          "recover of a dumpall: restore only these databases (comma-separated; \"a,b\" quotes a"
              + " name) with the roles they name, and nothing else of the server; the argument"
              + " --database (repeatable) wins")),
  RESTORE_CREATE_DATABASE(
      Setting.of(
          "RESTORE_CREATE_DATABASE",
          "no",
          "yes: create DATABASE when it does not exist (single-database backups)")),
  RESTORE_FORCE(
      Setting.of(
          "RESTORE_FORCE",
          "no",
          "yes: restore even when the target already holds user tables, materialized views or"
              + " large objects (the backup's objects replace theirs; a dumpall drops its databases,"
              + " templates included, disconnecting their sessions);"
              + " the argument --force does the same")),
  RESTORE_JOBS(
      Setting.of(
          "RESTORE_JOBS",
          "2",
          "connections loading table data: parallel pg_restore jobs for custom and directory"
              + " backups, psql connections for plain ones")),
  RESTORE_TIMEOUT(
      Setting.of(
          "RESTORE_TIMEOUT",
          "0",
          "a restore running longer is stopped and the run fails (e.g. 6h); 0: no limit")),
  BACKUP_DECRYPTION_KEY(
      Setting.of(
              "BACKUP_DECRYPTION_KEY",
              null,
              "recover and verify: the armored OpenPGP private key (gpg --export-secret-keys"
                  + " --armor) of a recipient of the encrypted backups (several blocks may follow"
                  + " each other, e.g. the old key and the new one during a rotation); normally a"
                  + " mounted Secret in BACKUP_DECRYPTION_KEY_FILE")
          .asSecret()),
  BACKUP_DECRYPTION_KEY_PASSPHRASE(
      Setting.of(
              "BACKUP_DECRYPTION_KEY_PASSPHRASE",
              null,
              "the passphrase of BACKUP_DECRYPTION_KEY, when it has one (shared by all its"
                  + " keys); one that does not unlock it is a settings error")
          .asSecret()),
  VERIFY_AFTER_BACKUP(
      Setting.of(
          "VERIFY_AFTER_BACKUP",
          "no",
          "yes: each hourly backup run also verifies the backup it made, as the verify action"
              + " does")),
  VERIFY_PGHOST(
      Setting.of(
          "VERIFY_PGHOST",
          null,
          "verify on this scratch server instead of in a scratch database on PGHOST")),
  VERIFY_PGPORT(Setting.of("VERIFY_PGPORT", null, "the scratch server's port (default: PGPORT)")),
  VERIFY_PGUSER(Setting.of("VERIFY_PGUSER", null, "the scratch server's role (default: PGUSER)")),
  VERIFY_PGADMINPASS(
      Setting.of(
              "VERIFY_PGADMINPASS",
              null,
              "the scratch server role's password (default: PGADMINPASS, or PGPASSFILE)")
          .asSecret()),
  VERIFY_DATABASE(
      Setting.of(
          "VERIFY_DATABASE",
          "sql_backup_verify",
          "the scratch database verify restores into and drops afterwards; an existing database"
              + " of that name is only replaced when verify made it")),
  VERIFY_TABLES(
      Setting.of(
          "VERIFY_TABLES",
          "5",
          "how many of the largest restored tables per database have their rows counted and"
              + " compared with the source")),
  VERIFY_ROW_TOLERANCE_PERCENT(
      Setting.of(
          "VERIFY_ROW_TOLERANCE_PERCENT",
          "10",
          "largest allowed difference between a table's rows in the backup and in the source"
              + " now, and between their table counts (100 rows and 2 tables are always allowed)")),
  VERIFY_MIN_TABLES(
      Setting.of(
          "VERIFY_MIN_TABLES", "1", "a verified backup must restore at least this many tables"));

  private final Setting setting;

  RestoreSetting(Setting setting) {
    this.setting = setting;
  }

  @Override
  public Setting setting() {
    return setting;
  }
}
