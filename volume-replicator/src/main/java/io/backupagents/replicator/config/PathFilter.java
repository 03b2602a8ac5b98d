package io.backupagents.replicator.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Include and exclude patterns over paths relative to the root, rsync-like: {@code *} and {@code ?}
 * stay within one name, {@code **} crosses directories, {@code [abc]} is a class, a trailing {@code
 * /} matches directories only, and a pattern with a {@code /} elsewhere is matched against the
 * whole path from the root (otherwise against the name, at any depth). Excluding a directory
 * excludes everything below it. {@code lost+found/} is always excluded.
 */
public final class PathFilter {

  public static final String LOST_AND_FOUND = "lost+found/";

  /** One compiled pattern. */
  private record Rule(String text, Pattern regex, boolean directoriesOnly, boolean wholePath) {

    boolean matches(String path, String name, boolean directory) {
      if (directoriesOnly && !directory) {
        return false;
      }
      return regex.matcher(wholePath ? path : name).matches();
    }
  }

  private final List<Rule> includes;
  private final List<Rule> excludes;
  private final boolean onlyLostAndFound;

  private PathFilter(List<Rule> includes, List<Rule> excludes) {
    this.includes = List.copyOf(includes);
    this.excludes = List.copyOf(excludes);
    this.onlyLostAndFound = includes.isEmpty() && excludes.size() == 1;
  }

  /** Everything but lost+found. */
  public static PathFilter defaults() {
    return new PathFilter(List.of(), List.of(compile(LOST_AND_FOUND).orElseThrow()));
  }

  /**
   * Compiles the patterns; a pattern that does not compile is returned in {@code bad} and left out.
   */
  public static PathFilter of(List<String> include, List<String> exclude, List<String> bad) {
    List<Rule> in = new ArrayList<>();
    List<Rule> out = new ArrayList<>();
    out.add(compile(LOST_AND_FOUND).orElseThrow());
    for (String p : include) {
      compile(p).ifPresentOrElse(in::add, () -> bad.add(p));
    }
    for (String p : exclude) {
      compile(p).ifPresentOrElse(out::add, () -> bad.add(p));
    }
    return new PathFilter(in, out);
  }

  /** Splits a comma-separated list, dropping blanks. */
  public static List<String> split(String list) {
    List<String> parts = new ArrayList<>();
    if (list != null) {
      for (String p : list.split(",")) {
        if (!p.isBlank()) {
          parts.add(p.strip());
        }
      }
    }
    return parts;
  }

  /**
   * True when the entry at {@code path} (relative, no trailing slash) is left out: it matches an
   * exclude pattern, or it is a file and include patterns exist but none matches.
   */
  public boolean excludes(String path, boolean directory) {
    if (onlyLostAndFound) {
      // The common case, on every entry of a scan: no pattern matching needed.
      return directory
          && path.endsWith("lost+found")
          && (path.length() == 10 || path.charAt(path.length() - 11) == '/');
    }
    String name = path.substring(path.lastIndexOf('/') + 1);
    for (Rule r : excludes) {
      if (r.matches(path, name, directory)) {
        return true;
      }
    }
    if (directory || includes.isEmpty()) {
      return false;
    }
    for (Rule r : includes) {
      if (r.matches(path, name, false)) {
        return false;
      }
    }
    return true;
  }

  /** True when some directory above {@code path} is excluded (for flat S3 listings). */
  public boolean excludesAncestor(String path) {
    int slash = path.indexOf('/');
    while (slash > 0) {
      if (excludes(path.substring(0, slash), true)) {
        return true;
      }
      slash = path.indexOf('/', slash + 1);
    }
    return false;
  }

  /** True when only lost+found is excluded and nothing is restricted by includes. */
  public boolean isDefault() {
    return includes.isEmpty() && excludes.size() == 1;
  }

  private static Optional<Rule> compile(String pattern) {
    String p = pattern;
    boolean directoriesOnly = p.endsWith("/");
    if (directoriesOnly) {
      p = p.substring(0, p.length() - 1);
    }
    boolean wholePath = p.contains("/");
    if (p.startsWith("/")) {
      p = p.substring(1);
    }
    if (p.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new Rule(pattern, Pattern.compile(toRegex(p)), directoriesOnly, wholePath));
    } catch (PatternSyntaxException e) {
      return Optional.empty();
    }
  }

  private static String toRegex(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> {
          if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
            re.append(".*");
            i++;
          } else {
            re.append("[^/]*");
          }
        }
        case '?' -> re.append("[^/]");
        case '[' -> {
          int end = glob.indexOf(']', i + 1);
          if (end < 0) {
            throw new PatternSyntaxException("unclosed [", glob, i);
          }
          String body = glob.substring(i + 1, end);
          if (body.startsWith("!")) {
            body = "^" + body.substring(1);
          }
          re.append('[').append(body.replace("\\", "\\\\")).append(']');
          i = end;
        }
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return re.toString();
  }

  @Override
  public String toString() {
    return "include "
        + includes.stream().map(Rule::text).toList()
        + ", exclude "
        + excludes.stream().map(Rule::text).toList();
  }
}
