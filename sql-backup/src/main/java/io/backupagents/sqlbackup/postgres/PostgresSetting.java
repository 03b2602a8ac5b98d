package io.backupagents.sqlbackup.postgres;

import io.backupagents.common.settings.Setting;
import io.backupagents.common.settings.SettingDefinition;

/** How to reach the PostgreSQL server, for backups and restores alike (legacy names kept). */
public enum PostgresSetting implements SettingDefinition {
  PGHOST(Setting.of("PGHOST", "localhost", "server host name or socket directory")),
  PGPORT(Setting.of("PGPORT", "5432", "server port")),
  PGUSER(Setting.of("PGUSER", "postgres", "role to connect as (a superuser for pg_dumpall)")),
  PGADMINPASS(
      Setting.of(
              "PGADMINPASS",
              null,
              "the role's password; the legacy sentinel '-' means none (then PGPASSFILE is used)")
          .asSecret()
          .withAliases("PGPASSWORD")),
  PGPASSFILE(
      Setting.of("PGPASSFILE", null, "a libpq password file, used when PGADMINPASS is not given")),
  DATABASE(
      Setting.of(
          "DATABASE",
          null,
          "backup: database(s) to pg_dump, comma-separated; empty: pg_dumpall of the server."
              + " restore: the database a single-database backup is restored into")),
  PG_BIN_DIR(
      Setting.of(
          "PG_BIN_DIR",
          null,
          "directory with pg_dump/psql to prefer; else /usr/lib/postgresql/<N>/bin or PATH,"
              + " choosing a major >= the server's")),
  PG_CONNECT_TIMEOUT(
      Setting.of("PG_CONNECT_TIMEOUT", "30s", "how long to wait for the server to answer"));

  private final Setting setting;

  PostgresSetting(Setting setting) {
    this.setting = setting;
  }

  @Override
  public Setting setting() {
    return setting;
  }
}
