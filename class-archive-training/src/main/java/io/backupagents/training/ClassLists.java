package io.backupagents.training;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Merges the class lists of several runs ({@code -XX:DumpLoadedClassList}) into one that {@code
 * java -Xshare:dump -XX:SharedClassListFile} reads: every class and every {@code @} line once, in
 * the order first seen. The {@code id:} numbers of each run would clash, and only classes of custom
 * class loaders (lines with {@code source:}, which the agent does not have) need them, so they are
 * dropped with those lines.
 */
public final class ClassLists {

  private static final Pattern ID = Pattern.compile(" id: \\d+$");

  private ClassLists() {}

  public static List<String> merge(List<List<String>> lists) {
    Set<String> merged = new LinkedHashSet<>();
    for (List<String> list : lists) {
      for (String line : list) {
        if (line.isBlank() || line.startsWith("#") || line.contains(" source: ")) {
          continue;
        }
        merged.add(ID.matcher(line).replaceFirst(""));
      }
    }
    return List.copyOf(merged);
  }

  /** Merges the files in {@code lists} into {@code out}. */
  public static void merge(List<Path> lists, Path out) throws IOException {
    List<List<String>> contents = new java.util.ArrayList<>();
    for (Path p : lists) {
      contents.add(Files.readAllLines(p, StandardCharsets.UTF_8));
    }
    Files.write(out, merge(contents), StandardCharsets.UTF_8);
  }
}
