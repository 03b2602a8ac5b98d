package io.backupagents.sqlbackup.postgres;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Turns a connection that failed over TLS into a one-line cause naming the setting to check: the
 * server's certificate does not chain to the root certificates, is revoked, or does not name the
 * host; the server offers no TLS where it is required; the server wants TLS or a client
 * certificate.
 */
final class TlsErrors {

  private TlsErrors() {}

  static Optional<AgentException> classify(PgTls tls, String where, SQLException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    String cause = null;
    if (find(e, CertPathValidatorException.class)
        .filter(v -> v.getReason() == CertPathValidatorException.BasicReason.REVOKED)
        .isPresent()) {
      cause =
          "the server's TLS certificate at " + where + " is revoked: check " + tls.name("PGSSLCRL");
    } else if (find(e, CertPathBuilderException.class).isPresent()
        || find(e, CertPathValidatorException.class).isPresent()) {
      cause =
          "the server's TLS certificate at "
              + where
              + " is not signed by a CA in "
              + tls.name("PGSSLROOTCERT")
              + ": check "
              + tls.name("PGSSLROOTCERT")
              + " (the CA of the server's certificate)";
    } else if (message.contains("could not be verified by hostnameverifier")) {
      cause =
          "the server's TLS certificate at "
              + where
              + " does not name the host "
              + where.substring(0, where.lastIndexOf(':'))
              + " ("
              + tls.name("PGSSLMODE")
              + "=verify-full): check "
              + tls.name("PGHOST")
              + ", which must be a name the certificate carries";
    } else if (message.contains("does not support SSL")) {
      cause =
          "PostgreSQL at "
              + where
              + " does not offer TLS, and "
              + tls.name("PGSSLMODE")
              + "="
              + tls.mode().libpqName()
              + " forbids a connection in clear: check "
              + tls.name("PGSSLMODE")
              + " or turn ssl on in the server";
    } else if (message.contains("no encryption")) {
      cause =
          "PostgreSQL at "
              + where
              + " accepts this role only over TLS: set "
              + tls.name("PGSSLMODE")
              + " to require or stronger (it is "
              + tls.mode().libpqName()
              + ")";
    } else if (message.contains("certificate")
        && (e.getSQLState() == null || e.getSQLState().startsWith("28"))) {
      cause =
          "PostgreSQL at "
              + where
              + " refused the client certificate ("
              + firstLine(message)
              + "): check "
              + tls.name("PGSSLCERT")
              + " and "
              + tls.name("PGSSLKEY");
    } else if (find(e, CertificateException.class).isPresent()) {
      cause =
          "the server's TLS certificate at "
              + where
              + " was refused ("
              + firstLine(find(e, CertificateException.class).get().getMessage())
              + "): check "
              + tls.name("PGSSLROOTCERT");
    }
    return Optional.ofNullable(cause).map(c -> new AgentException(ExitCode.AUTH_FAILED, c, e));
  }

  private static <T extends Throwable> Optional<T> find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return Optional.of(type.cast(t));
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return Optional.empty();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
