package io.backupagents.sqlbackup.testing;

import io.backupagents.testing.Commands;
import io.backupagents.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Copies a server's roles to another, as a staging server has the application's roles. */
public final class Roles {

  private Roles() {}

  /**
   * Creates the roles of {@code from} on {@code to}, without passwords (the target keeps its
   * superuser's), with their memberships and settings.
   */
  public static void copy(PostgresServer from, PostgresServer to) {
    try {
      Path file = Files.createTempFile("roles-", ".sql");
      try {
        Commands.run(
            List.of(
                from.binDir().resolve("pg_dumpall").toString(),
                "--roles-only",
                "--no-role-passwords",
                "-f",
                file.toString()),
            from.libpqEnvironment());
        // The superuser exists on both; every other statement must succeed.
        String out =
            Commands.run(
                List.of(
                    to.binDir().resolve("psql").toString(),
                    "-X",
                    "-q",
                    "-f",
                    file.toString(),
                    "-d",
                    "postgres"),
                to.libpqEnvironment());
        List<String> errors =
            out.lines()
                .filter(l -> l.contains("ERROR:"))
                .filter(l -> !l.contains("role \"postgres\" already exists"))
                .toList();
        if (!errors.isEmpty()) {
          throw new IllegalStateException("roles did not copy: " + errors);
        }
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
