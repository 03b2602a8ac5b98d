package io.backupagents.sqlbackup.script;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the session settings a newer pg_dump writes at the head of a plain dump that an older
 * server does not know, so that a backup made with newer clients restores into the server it came
 * from: pg_dump 17 and later write {@code SET transaction_timeout = 0;}, which a server before 17
 * refuses ("unrecognized configuration parameter"). The rewrite sets the parameter where the server
 * has it and does nothing where it does not, so a newer server gets exactly what pg_dump meant.
 */
final class PortableSettings {

  private static final Pattern NEWER =
      Pattern.compile("SET (transaction_timeout) = '?([0-9A-Za-z_.]+)'?;");

  private PortableSettings() {}

  /** The portable statement (with its line break) for {@code line}, if it needs one. */
  static Optional<String> rewrite(String line) {
    Matcher m = NEWER.matcher(line.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(
        "SELECT pg_catalog.set_config(name, '"
            + m.group(2)
            + "', false) FROM pg_catalog.pg_settings WHERE name = '"
            + m.group(1)
            + "';\n");
  }
}
