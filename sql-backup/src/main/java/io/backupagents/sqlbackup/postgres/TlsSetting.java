package io.backupagents.sqlbackup.postgres;

import io.backupagents.common.settings.Setting;
import io.backupagents.common.settings.SettingDefinition;

/**
 * TLS to PostgreSQL, with libpq's names and meaning, for the server backups are made from and
 * restored into ({@code PGSSL*}) and for verify's scratch server ({@code VERIFY_PGSSL*}).
 */
public enum TlsSetting implements SettingDefinition {
  PGSSLMODE(
      Setting.of(
          "PGSSLMODE",
          "prefer",
          "disable, allow, prefer, require, verify-ca or verify-full, as libpq's sslmode; require"
              + " and stronger never connect in clear; with PGSSLROOTCERT, require checks the"
              + " chain as verify-ca does")),
  PGSSLROOTCERT(
      Setting.of(
          "PGSSLROOTCERT",
          null,
          "PEM file of the CA certificate(s) the server's certificate must chain to; needed by"
              + " verify-ca and verify-full")),
  PGSSLCERT(
      Setting.of(
          "PGSSLCERT",
          null,
          "PEM file of the client certificate (with intermediates) for certificate"
              + " authentication; needs PGSSLKEY")),
  PGSSLKEY(
      Setting.of(
              "PGSSLKEY",
              null,
              "the client certificate's private key: PEM (PKCS#1, SEC1 or PKCS#8, unencrypted), or"
                  + " the path of a PEM file; copied 0600 into a private temporary file for the"
                  + " run")
          .asSecret()),
  PGSSLCRL(
      Setting.of(
          "PGSSLCRL",
          null,
          "PEM file of certificate revocation lists: a revoked server certificate is refused")),
  VERIFY_PGSSLMODE(
      Setting.of("VERIFY_PGSSLMODE", null, "the scratch server's PGSSLMODE (default: PGSSLMODE)")),
  VERIFY_PGSSLROOTCERT(
      Setting.of(
          "VERIFY_PGSSLROOTCERT",
          null,
          "the scratch server's PGSSLROOTCERT (default: PGSSLROOTCERT)")),
  VERIFY_PGSSLCERT(
      Setting.of("VERIFY_PGSSLCERT", null, "the scratch server's PGSSLCERT (default: PGSSLCERT)")),
  VERIFY_PGSSLKEY(
      Setting.of("VERIFY_PGSSLKEY", null, "the scratch server's PGSSLKEY (default: PGSSLKEY)")
          .asSecret()),
  VERIFY_PGSSLCRL(
      Setting.of("VERIFY_PGSSLCRL", null, "the scratch server's PGSSLCRL (default: PGSSLCRL)"));

  private final Setting setting;

  TlsSetting(Setting setting) {
    this.setting = setting;
  }

  @Override
  public Setting setting() {
    return setting;
  }
}
