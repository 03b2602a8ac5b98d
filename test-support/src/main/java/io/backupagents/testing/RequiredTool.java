package io.backupagents.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds an external tool a test needs. Where CI=true (where .ci/run installed it) a missing tool
 * fails the test; on a developer's machine it skips it with the reason.
 */
public final class RequiredTool {

  private RequiredTool() {}

  /** The tool's path from PATH (or one of {@code extraDirs}), or the test fails/skips. */
  public static Path require(String name, String... extraDirs) {
    Optional<Path> found = find(name, extraDirs);
    if (found.isPresent()) {
      return found.get();
    }
    throw unavailable(name + " is not installed (apt-get install it; .ci/run does)");
  }

  /**
   * Ends the test because something it needs is not available here: a failure where CI=true
   * (.ci/run sets it after installing everything), a skip with {@code reason} elsewhere.
   */
  public static AssertionError unavailable(String reason) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      Assertions.fail(reason);
    }
    Assumptions.abort(reason);
    throw new AssertionError("unreachable");
  }

  public static Optional<Path> find(String name, String... extraDirs) {
    for (String dir : extraDirs) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
