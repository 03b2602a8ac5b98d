package io.backupagents.sqlbackup.postgres;

import io.backupagents.common.settings.SettingsReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * Validated TLS settings for one server, with libpq's meaning: the mode, the root certificates the
 * server's certificate must chain to, a client certificate and its key (PEM text, a secret), and
 * revocation lists.
 *
 * @param prefix "" for the server backups come from, "VERIFY_" for verify's scratch server: error
 *     messages name the settings to check
 */
public record PgTls(
    String prefix,
    SslMode mode,
    Optional<Path> rootCert,
    Optional<Path> cert,
    Optional<String> key,
    Optional<Path> crl) {

  /** libpq's default: TLS when the server offers it, unchecked. */
  public static final PgTls DEFAULT =
      new PgTls(
          "",
          SslMode.PREFER,
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());

  /** Reads and checks {@code PGSSL*}. */
  public static PgTls read(SettingsReader r) {
    return check(
        r,
        java.util.Set.of(),
        new PgTls(
            "",
            mode(r, TlsSetting.PGSSLMODE).orElse(SslMode.PREFER),
            r.path(TlsSetting.PGSSLROOTCERT),
            r.path(TlsSetting.PGSSLCERT),
            key(r, TlsSetting.PGSSLKEY),
            r.path(TlsSetting.PGSSLCRL)));
  }

  /** Reads and checks {@code VERIFY_PGSSL*}; each one not set is taken from {@code source}. */
  public static PgTls readScratch(SettingsReader r, PgTls source) {
    // Files taken from the source's settings were checked under their own names already.
    java.util.Set<String> inherited = new java.util.HashSet<>();
    for (TlsSetting s :
        List.of(
            TlsSetting.VERIFY_PGSSLROOTCERT,
            TlsSetting.VERIFY_PGSSLCERT,
            TlsSetting.VERIFY_PGSSLKEY,
            TlsSetting.VERIFY_PGSSLCRL)) {
      if (!r.isSet(s)) {
        inherited.add(s.key().substring("VERIFY_".length()));
      }
    }
    return check(
        r,
        inherited,
        new PgTls(
            "VERIFY_",
            mode(r, TlsSetting.VERIFY_PGSSLMODE).orElse(source.mode()),
            r.path(TlsSetting.VERIFY_PGSSLROOTCERT).or(source::rootCert),
            r.path(TlsSetting.VERIFY_PGSSLCERT).or(source::cert),
            key(r, TlsSetting.VERIFY_PGSSLKEY).or(source::key),
            r.path(TlsSetting.VERIFY_PGSSLCRL).or(source::crl)));
  }

  /** The names of the scratch server's settings that are set. */
  public static List<String> scratchSettingsSet(SettingsReader r) {
    return List.of(
            TlsSetting.VERIFY_PGSSLMODE,
            TlsSetting.VERIFY_PGSSLROOTCERT,
            TlsSetting.VERIFY_PGSSLCERT,
            TlsSetting.VERIFY_PGSSLKEY,
            TlsSetting.VERIFY_PGSSLCRL)
        .stream()
        .filter(r::isSet)
        .map(TlsSetting::key)
        .toList();
  }

  /**
   * The mode as it behaves: libpq checks the chain under {@code require} when root certificates are
   * given (kept for compatibility, see libpq's "SSL Support" chapter), so JDBC does too.
   */
  public SslMode effectiveMode() {
    return mode == SslMode.REQUIRE && rootCert.isPresent() ? SslMode.VERIFY_CA : mode;
  }

  /** The full name of one of these settings, e.g. {@code VERIFY_PGSSLROOTCERT}. */
  public String name(String libpqVariable) {
    return prefix + libpqVariable;
  }

  /** Never print the key. */
  @Override
  public String toString() {
    return "PgTls[" + prefix + "PGSSLMODE=" + mode.libpqName() + "]";
  }

  private static Optional<SslMode> mode(SettingsReader r, TlsSetting setting) {
    Optional<String> value = r.optional(setting);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    Optional<SslMode> mode = SslMode.parse(value.get());
    if (mode.isEmpty()) {
      r.invalid(setting, "one of " + SslMode.names());
    }
    return mode;
  }

  /** PEM text, or (libpq's meaning of PGSSLKEY) the path of a PEM file, read now. */
  private static Optional<String> key(SettingsReader r, TlsSetting setting) {
    Optional<String> value = r.optional(setting);
    if (value.isEmpty() || value.get().strip().startsWith("-----BEGIN")) {
      return value;
    }
    try {
      return Optional.of(Files.readString(Path.of(value.get().strip()), StandardCharsets.UTF_8));
    } catch (IOException | InvalidPathException e) {
      r.invalid(setting, "a PEM private key, or the path of a readable file holding one");
      return Optional.empty();
    }
  }

  private static PgTls check(SettingsReader r, java.util.Set<String> inherited, PgTls tls) {
    String p = tls.prefix();
    if (tls.mode().verifiesChain() && tls.rootCert().isEmpty()) {
      r.problem(
          p
              + "PGSSLMODE="
              + tls.mode().libpqName()
              + " needs "
              + p
              + "PGSSLROOTCERT: the PEM file of the CA that signed the server's certificate");
    }
    tls.rootCert()
        .filter(f -> !inherited.contains("PGSSLROOTCERT"))
        .ifPresent(f -> certs(r, p + "PGSSLROOTCERT", f));
    boolean ownPair = !(inherited.contains("PGSSLKEY") && inherited.contains("PGSSLCERT"));
    List<X509Certificate> chain =
        tls.cert()
            .filter(f -> ownPair || !inherited.contains("PGSSLCERT"))
            .map(f -> certs(r, p + "PGSSLCERT", f))
            .orElse(null);
    tls.crl()
        .filter(f -> !inherited.contains("PGSSLCRL"))
        .ifPresent(f -> crls(r, p + "PGSSLCRL", f));
    if (tls.cert().isPresent() != tls.key().isPresent()) {
      r.problem(
          p
              + "PGSSLCERT and "
              + p
              + "PGSSLKEY go together: set both (or "
              + p
              + "PGSSLKEY_FILE) or neither");
    }
    if (tls.key().isPresent() && ownPair) {
      try {
        PrivateKey key = Pem.privateKey(tls.key().get());
        if (chain != null && !chain.isEmpty() && !Pem.matches(key, chain.get(0))) {
          r.problem(p + "PGSSLKEY is not the key of the certificate in " + p + "PGSSLCERT");
        }
      } catch (IOException e) {
        r.problem(p + "PGSSLKEY: " + e.getMessage() + " (PKCS#1, SEC1 or PKCS#8 PEM)");
      }
    }
    return tls;
  }

  private static List<X509Certificate> certs(SettingsReader r, String name, Path file) {
    try {
      return Pem.certificates(file);
    } catch (IOException | GeneralSecurityException e) {
      r.problem(
          name + "=" + file + ": expected a readable PEM file of certificates (" + why(e) + ")");
      return List.of();
    }
  }

  private static void crls(SettingsReader r, String name, Path file) {
    try {
      Pem.crls(file);
    } catch (IOException | GeneralSecurityException e) {
      r.problem(
          name
              + "="
              + file
              + ": expected a readable PEM file of revocation lists ("
              + why(e)
              + ")");
    }
  }

  private static String why(Exception e) {
    return e instanceof IOException
        ? "cannot read it: " + e.getClass().getSimpleName()
        : "none in it";
  }
}
