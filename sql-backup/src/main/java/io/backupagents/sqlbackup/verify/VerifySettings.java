package io.backupagents.sqlbackup.verify;

import io.backupagents.common.settings.SettingsReader;
import io.backupagents.sqlbackup.postgres.PgTls;
import io.backupagents.sqlbackup.postgres.PostgresSettings;
import io.backupagents.sqlbackup.settings.RestoreSetting;
import java.util.List;
import java.util.Optional;

/**
 * Validated settings of a verification: where the scratch database goes (a scratch server, or the
 * server backups are made from) and how strict the sanity checks are.
 *
 * @param scratchServer the scratch server, if one is given; else the source server is used
 * @param tables how many of the largest tables per database are compared with the source
 * @param tolerancePercent the largest difference in rows and tables allowed, in percent
 */
public record VerifySettings(
    boolean afterBackup,
    Optional<PostgresSettings> scratchServer,
    String scratchDatabase,
    int tables,
    int tolerancePercent,
    int minTables) {

  static VerifySettings read(SettingsReader r, PostgresSettings source) {
    String scratch = r.string(RestoreSetting.VERIFY_DATABASE).strip();
    if (!scratch.matches("[\\p{L}_][\\p{L}\\p{N}_$]{0,62}")) {
      r.invalid(
          RestoreSetting.VERIFY_DATABASE,
          "a database name of up to 63 letters, digits, '_' and '$', not starting with a digit");
    }
    if (source.databases().contains(scratch)) {
      r.problem(
          "VERIFY_DATABASE="
              + scratch
              + " is also in DATABASE: verify drops its scratch database, so it must be another");
    }
    return new VerifySettings(
        r.flag(RestoreSetting.VERIFY_AFTER_BACKUP),
        scratchServer(r, source),
        scratch,
        r.integer(RestoreSetting.VERIFY_TABLES, 0, 1000),
        r.integer(RestoreSetting.VERIFY_ROW_TOLERANCE_PERCENT, 0, 100),
        r.integer(RestoreSetting.VERIFY_MIN_TABLES, 0, 1_000_000));
  }

  private static Optional<PostgresSettings> scratchServer(
      SettingsReader r, PostgresSettings source) {
    Optional<String> host = r.optional(RestoreSetting.VERIFY_PGHOST);
    PostgresSettings.refuseConnectionUrl(r, RestoreSetting.VERIFY_PGHOST.key(), host.orElse(null));
    int port =
        r.isSet(RestoreSetting.VERIFY_PGPORT)
            ? r.integer(RestoreSetting.VERIFY_PGPORT, 1, 65535)
            : source.port();
    String user = r.optional(RestoreSetting.VERIFY_PGUSER).orElse(source.user());
    Optional<String> password = r.optional(RestoreSetting.VERIFY_PGADMINPASS);
    if (host.isEmpty()) {
      if (r.isSet(RestoreSetting.VERIFY_PGPORT)
          || r.isSet(RestoreSetting.VERIFY_PGUSER)
          || password.isPresent()) {
        r.problem(
            "VERIFY_PGPORT, VERIFY_PGUSER and VERIFY_PGADMINPASS describe a scratch server: set"
                + " VERIFY_PGHOST too, or unset them");
      }
      List<String> tls = PgTls.scratchSettingsSet(r);
      if (!tls.isEmpty()) {
        r.problem(
            String.join(", ", tls)
                + " describe a scratch server's TLS: set VERIFY_PGHOST too, or unset them");
      }
      return Optional.empty();
    }
    return Optional.of(
        new PostgresSettings(
            host.get().strip(),
            port,
            user,
            password.filter(p -> !p.equals("-")).or(source::password),
            source.passFile(),
            List.of(),
            source.binDir(),
            source.connectTimeout(),
            PgTls.readScratch(r, source.tls())));
  }
}
