package io.backupagents.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL's regression database, the one pg_upgrade's own test dumps and restores: built from
 * Debian's source package of the server's version, filled by {@code pg_regress} with the {@code
 * parallel_schedule}, together with the databases whose names cover most ASCII bytes that
 * pg_upgrade's test adds. The build and a {@code pg_dumpall} of the filled server are cached (see
 * {@link RegressionCache}), so only the first load on a machine runs the schedule.
 */
public final class RegressionDatabase {

  /** The database pg_regress fills. */
  public static final String NAME = "regression";

  /**
   * The extra databases of pg_upgrade's test ({@code generate_db} in {@code
   * src/bin/pg_upgrade/t/002_pg_upgrade.pl}): names made of ASCII 1 to 127 but BEL, LF and CR.
   */
  public static final List<String> ASCII_NAMED_DATABASES =
      List.of(
          "regression\\\"\\" + ascii(1, 45) + "\\\\\"\\\\\\",
          "regression" + ascii(46, 90),
          "regression" + ascii(91, 127));

  private RegressionDatabase() {}

  /**
   * Loads the regression database (and pg_upgrade's extra databases, and the roles the schedule
   * leaves) into {@code server}, which must be fresh. Builds and runs the schedule first when the
   * cache has no dump for the server's source version.
   */
  public static void load(PostgresServer server) {
    Path dump = dumpFor(server.majorVersion());
    Commands.Outcome loaded =
        Commands.runForStatus(
            List.of(
                server.binDir().resolve("psql").toString(),
                "-X",
                "-q",
                "-v",
                "VERBOSITY=terse",
                "-f",
                dump.toString(),
                "-d",
                "postgres"),
            server.libpqEnvironment());
    List<String> errors =
        loaded
            .output()
            .lines()
            .filter(l -> l.contains("ERROR:"))
            // The dump creates the superuser the server already has.
            .filter(l -> !l.contains("role \"postgres\" already exists"))
            .toList();
    if (loaded.status() != 0 || !errors.isEmpty()) {
      throw new IllegalStateException(
          "the cached regression dump " + dump + " did not load: " + loaded.output());
    }
  }

  /** The cached {@code pg_dumpall} of a filled server, made first if the cache lacks it. */
  static synchronized Path dumpFor(int major) {
    Path root = RegressionCache.root(major);
    // Test JVMs of several checkouts may share the cache: one builds, the others wait for it.
    try (FileChannel channel =
            FileChannel.open(
                root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      assert lock.isValid();
      RegressionCache cache = RegressionCache.open(major, root);
      Path dump = Files.createDirectories(cache.versionDir()).resolve("regression.sql");
      if (!Files.exists(dump)) {
        fillAndDump(cache.sourceTree(), dump);
      }
      return dump;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void fillAndDump(Path tree, Path dump) throws IOException {
    Path regress = tree.resolve("src/test/regress");
    Path output = tree.resolveSibling("regress-output");
    PostgresServer.deleteTree(output);
    Files.createDirectories(output);
    if (Commands.isRoot()) {
      // The server reads the schedule's data files and writes into the output directory.
      Commands.run(List.of("chown", "-R", "postgres:postgres", output.toString()));
    }
    try (PostgresServer server = PostgresServer.start(PostgresServer.findBinDir(null))) {
      for (String name : ASCII_NAMED_DATABASES) {
        Commands.run(
            List.of(server.binDir().resolve("createdb").toString(), name),
            server.libpqEnvironment());
      }
      List<String> command = new ArrayList<>();
      if (Commands.isRoot()) {
        command.addAll(List.of("runuser", "-u", "postgres", "--"));
      }
      command.addAll(
          List.of(
              regress.resolve("pg_regress").toString(),
              "--inputdir=" + regress,
              "--outputdir=" + output,
              "--dlpath=" + regress,
              "--bindir=" + server.binDir(),
              "--host=" + server.host(),
              "--port=" + server.port(),
              "--user=" + PostgresServer.SUPERUSER,
              "--schedule=" + regress.resolve("parallel_schedule"),
              "--max-connections=20",
              "--max-concurrent-tests=20"));
      Map<String, String> env = new HashMap<>(server.libpqEnvironment());
      Commands.Outcome run = Commands.runForStatus(command, env);
      // 0: every test passed; 1: some produced different output (the database is filled anyway);
      // anything else: pg_regress could not run.
      if (run.status() != 0 && run.status() != 1) {
        throw new IllegalStateException(
            "pg_regress could not run (" + run.status() + "): " + run.output());
      }
      String tables =
          server.queryString(
              NAME,
              "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                  + " WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog',"
                  + " 'information_schema', 'pg_toast')");
      if (Integer.parseInt(tables) < 100) {
        throw new IllegalStateException(
            "pg_regress left only " + tables + " tables in " + NAME + ": " + run.output());
      }
      Path partial = dump.resolveSibling(".regression.sql.partial");
      Commands.run(
          List.of(
              server.binDir().resolve("pg_dumpall").toString(),
              "--no-sync",
              // Without passwords: loading the dump must not change the target's superuser
              // password.
              "--no-role-passwords",
              "-f",
              partial.toString()),
          server.libpqEnvironment());
      // Published by rename so that a killed run never leaves a half dump that counts as cached.
      Files.move(partial, dump, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private static String ascii(int from, int to) {
    StringBuilder name = new StringBuilder();
    for (int c = from; c <= to; c++) {
      if (c != 7 && c != 10 && c != 13) {
        name.append((char) c);
      }
    }
    return name.toString();
  }
}
