package io.backupagents.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;

/**
 * Checks that a generated block of the README (between {@code <!-- BEGIN GENERATED: name -->} and
 * {@code <!-- END GENERATED: name -->}) equals what the code generates now, so the tables cannot
 * drift from the settings, exit codes and metrics they describe.
 */
public final class Readme {

  private Readme() {}

  public static Path path() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("README.md"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no README.md above " + Path.of("").toAbsolutePath());
    }
    return dir.resolve("README.md");
  }

  public static void assertGeneratedBlock(String name, String expected) {
    String begin = "<!-- BEGIN GENERATED: " + name + " -->\n";
    String end = "<!-- END GENERATED: " + name + " -->";
    String text;
    try {
      text = Files.readString(path(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    Assertions.assertTrue(
        from >= 0 && to > from,
        "README.md has no block '" + name + "'; add it:\n" + begin + expected + end);
    Assertions.assertEquals(
        expected,
        text.substring(from + begin.length(), to),
        "README.md block '" + name + "' is out of date; replace it with the expected text");
  }
}
