package io.backupagents.sqlbackup.postgres;

import io.backupagents.common.fs.RunDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * One run's TLS settings as libpq variables and pgjdbc properties. The client key is written to a
 * private {@code 0600} file in a private directory, since libpq refuses a key others can read (a
 * mounted Secret is 0644 by default) and the key must not outlive the run: it lives in a {@link
 * RunDirectory}, deleted on {@link #close()} and on SIGTERM, and by the next run after a SIGKILL.
 */
public final class PgTlsFiles implements AutoCloseable {

  private static final String DIRECTORY_PREFIX = "pgtls-";

  private final PgTls tls;
  private final Optional<Path> keyFile;
  private final RunDirectory directory; // null without a key

  private PgTlsFiles(PgTls tls, Optional<Path> keyFile, RunDirectory directory) {
    this.tls = tls;
    this.keyFile = keyFile;
    this.directory = directory;
  }

  /** Writes the client key (if any) under {@code tempRoot}. */
  public static PgTlsFiles create(PgTls tls, Path tempRoot, Clock clock) throws IOException {
    // A run killed by SIGKILL could not delete its key: remove it.
    RunDirectory.removeAbandoned(tempRoot, DIRECTORY_PREFIX, Duration.ofMinutes(1), clock);
    if (tls.key().isEmpty() || tls.mode() == SslMode.DISABLE) {
      return new PgTlsFiles(tls, Optional.empty(), null);
    }
    RunDirectory dir = RunDirectory.create(tempRoot, DIRECTORY_PREFIX);
    try {
      Path file = dir.path().resolve("client.key");
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      String pem = tls.key().get().strip() + "\n";
      Files.writeString(file, pem, StandardCharsets.US_ASCII);
      return new PgTlsFiles(tls, Optional.of(file), dir);
    } catch (IOException | RuntimeException e) {
      dir.close();
      throw e;
    }
  }

  /** The settings these files serve. */
  public PgTls tls() {
    return tls;
  }

  /** libpq's variables for a client tool. */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PGSSLMODE", tls.mode().libpqName());
    if (tls.mode() != SslMode.DISABLE) {
      tls.rootCert().ifPresent(f -> env.put("PGSSLROOTCERT", f.toString()));
      tls.cert().ifPresent(f -> env.put("PGSSLCERT", f.toString()));
      keyFile.ifPresent(f -> env.put("PGSSLKEY", f.toString()));
      tls.crl().ifPresent(f -> env.put("PGSSLCRL", f.toString()));
    }
    return env;
  }

  /** pgjdbc's properties for the same connection. */
  public Properties jdbcProperties() {
    Properties p = new Properties();
    SslMode mode = tls.effectiveMode();
    p.setProperty("sslmode", mode.libpqName());
    if (mode != SslMode.DISABLE) {
      p.setProperty("sslfactory", PgTlsSocketFactory.class.getName());
      tls.rootCert().ifPresent(f -> p.setProperty("sslrootcert", f.toString()));
      tls.cert().ifPresent(f -> p.setProperty("sslcert", f.toString()));
      keyFile.ifPresent(f -> p.setProperty("sslkey", f.toString()));
      tls.crl().ifPresent(f -> p.setProperty("sslcrl", f.toString()));
    }
    return p;
  }

  @Override
  public void close() throws IOException {
    if (directory != null) {
      directory.close();
    }
  }
}
