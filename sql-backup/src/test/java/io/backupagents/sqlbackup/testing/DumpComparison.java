package io.backupagents.sqlbackup.testing;

import io.backupagents.testing.Commands;
import io.backupagents.testing.PostgresServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.assertj.core.api.Assertions;

/**
 * Compares servers and databases the way pg_upgrade's test does ({@code
 * src/bin/pg_upgrade/t/002_pg_upgrade.pl}): by their {@code pg_dumpall}/{@code pg_dump} output with
 * a fixed restrict key. A restore's result may differ from its source only in ways a legacy restore
 * ({@code gunzip -c | psql}, {@code pg_restore}) of the same file differs too.
 */
public final class DumpComparison {

  private DumpComparison() {}

  /**
   * {@code pg_dumpall} of {@code server}, without role passwords: a restore keeps the target's
   * superuser password by design (the README says so), and the legacy restore's target had its own.
   */
  public static List<String> dumpall(PostgresServer server) {
    return lines(
        server,
        List.of(
            server.binDir().resolve("pg_dumpall").toString(),
            "--no-sync",
            "--no-role-passwords",
            "--restrict-key=test"));
  }

  /** {@code pg_dump} of {@code database} on {@code server}. */
  public static List<String> dump(PostgresServer server, String database) {
    return lines(
        server,
        List.of(
            server.binDir().resolve("pg_dump").toString(),
            "--no-sync",
            "--restrict-key=test",
            "-d",
            database));
  }

  private static List<String> lines(PostgresServer server, List<String> command) {
    return Commands.run(command, server.libpqEnvironment()).lines().toList();
  }

  /**
   * How {@code other} differs from {@code source}, as a multiset of lines: {@code "- line"} for
   * each line the source has more often, {@code "+ line"} for each line {@code other} has more.
   */
  public static Map<String, Integer> differences(List<String> source, List<String> other) {
    Map<String, Integer> counts = new TreeMap<>();
    source.forEach(l -> counts.merge(l, 1, Integer::sum));
    other.forEach(l -> counts.merge(l, -1, Integer::sum));
    Map<String, Integer> result = new TreeMap<>();
    counts.forEach(
        (line, n) -> {
          if (n > 0) {
            result.put("- " + line, n);
          } else if (n < 0) {
            result.put("+ " + line, -n);
          }
        });
    return result;
  }

  /**
   * Asserts that {@code restored} differs from {@code source} in no line where {@code legacy} (the
   * same backup restored the legacy way) does not differ as well, leaving out the lines {@code
   * known} accepts (each known difference is named, with its reason, where it is defined).
   */
  public static void assertNoDifferenceBeyondLegacy(
      String what,
      List<String> source,
      List<String> restored,
      List<String> legacy,
      Predicate<String> known) {
    Map<String, Integer> ours = differences(source, restored);
    Map<String, Integer> theirs = differences(source, legacy);
    List<String> beyond = new ArrayList<>();
    ours.forEach(
        (line, n) -> {
          if (n > theirs.getOrDefault(line, 0) && !known.test(line)) {
            beyond.add(line + (n > 1 ? "   (x" + n + ")" : ""));
          }
        });
    if (!beyond.isEmpty()) {
      Assertions.fail(
          "%s: %d lines in which the restore differs from the source but a legacy restore of the"
              + " same backup does not (the restore differs in %d lines, the legacy one in %d);"
              + " the first ones:%n%s",
          what,
          beyond.size(),
          ours.size(),
          theirs.size(),
          String.join("\n", beyond.subList(0, Math.min(40, beyond.size()))));
    }
  }
}
