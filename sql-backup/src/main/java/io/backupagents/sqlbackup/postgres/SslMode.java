package io.backupagents.sqlbackup.postgres;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** libpq's {@code sslmode} values, weakest first, with libpq's names and meaning. */
public enum SslMode {
  DISABLE,
  ALLOW,
  PREFER,
  REQUIRE,
  VERIFY_CA,
  VERIFY_FULL;

  /** The name libpq and pgjdbc use, e.g. {@code verify-full}. */
  public String libpqName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Parses libpq's name ({@code verify-full}; case and '_' for '-' tolerated). */
  public static Optional<SslMode> parse(String value) {
    String wanted = value.strip().toLowerCase(Locale.ROOT).replace('_', '-');
    return Arrays.stream(values()).filter(m -> m.libpqName().equals(wanted)).findFirst();
  }

  /** Every libpq name, for error messages. */
  public static String names() {
    return Arrays.stream(values()).map(SslMode::libpqName).collect(Collectors.joining(", "));
  }

  /** True when a connection in clear is never made (require and stronger). */
  public boolean requiresTls() {
    return compareTo(REQUIRE) >= 0;
  }

  /** True when the server's certificate chain is checked against the root certificates. */
  public boolean verifiesChain() {
    return compareTo(VERIFY_CA) >= 0;
  }
}
