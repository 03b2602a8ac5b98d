package io.backupagents.common.settings;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads typed settings from an injected environment map and collects every problem, so that one
 * start-up error lists all of them.
 *
 * <p>Each getter returns a usable fallback after recording a problem, so validation goes on; {@link
 * #finish()} then throws a {@link SettingsException} naming every variable, its bad value (masked
 * when secret) and the expected form. Unknown variables under the agent's own prefixes are problems
 * too, with a did-you-mean: a typo in a CronJob manifest must not fall back to a default.
 */
public final class SettingsReader {

  /** The longest duration a setting takes: ten years. */
  static final Duration LONGEST_DURATION = Duration.ofDays(3650);

  /** The user and password part of a URL, masked wherever a value is shown. */
  private static final Pattern URL_USERINFO = Pattern.compile("://\\S*@");

  private static final String FILE_SUFFIX = "_FILE";
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMGT]?)(I?B?)");
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");
  // Kubernetes injects <SERVICE>_SERVICE_HOST, <SERVICE>_PORT_... for every service in the
  // namespace; such names are not settings even when they share our prefixes.
  private static final Pattern SERVICE_LINK =
      Pattern.compile(".*_(SERVICE_HOST|SERVICE_PORT(_.*)?|PORT(_\\d+_(TCP|UDP|SCTP)(_.*)?)?)");

  private final Map<String, String> env;
  private final List<SettingDefinition> definitions;
  private final List<String> ownedPrefixes;

  /** Each problem once, in the order found (two parts of an agent may read the same setting). */
  private final Set<String> problems = new LinkedHashSet<>();

  /** Checks still running on threads of their own (see {@link PendingCheck}). */
  private final List<PendingCheck<?>> pending = new ArrayList<>();

  private final Map<SettingDefinition, Source> resolved = new LinkedHashMap<>();
  private final Set<SettingDefinition> used = new HashSet<>();

  /** Where a value came from: the variable's name (or NAME_FILE) and the value itself. */
  private record Source(String variable, String value) {}

  public SettingsReader(
      Map<String, String> env,
      Collection<? extends SettingDefinition> definitions,
      Collection<String> ownedPrefixes) {
    this.env = Map.copyOf(env);
    this.definitions = List.copyOf(definitions);
    this.ownedPrefixes = List.copyOf(ownedPrefixes);
  }

  /** The value, if set and not blank; secrets also come from {@code <NAME>_FILE}, which wins. */
  public Optional<String> optional(SettingDefinition definition) {
    return Optional.ofNullable(use(definition)).map(Source::value);
  }

  /** True when the variable (or one of its aliases) is set to a non-blank value. */
  public boolean isSet(SettingDefinition definition) {
    return use(definition) != null;
  }

  /**
   * The name of the variable the value came from (the setting's key, a legacy alias, or {@code
   * <NAME>_FILE}), when it is set: legacy names can carry legacy rules.
   */
  public Optional<String> source(SettingDefinition definition) {
    return Optional.ofNullable(use(definition)).map(Source::variable);
  }

  /** The value, or the declared default (which may be null). */
  public String string(SettingDefinition definition) {
    return optional(definition).orElse(definition.setting().defaultValue());
  }

  /** The value; records a problem when neither it nor a default is there. */
  public String required(SettingDefinition definition, String when) {
    String value = string(definition);
    if (value == null) {
      problem(definition.key() + " is required" + (when == null ? "" : " " + when));
      return "";
    }
    return value;
  }

  public int integer(SettingDefinition definition, int min, int max) {
    long value =
        parse(
            definition,
            "a whole number from " + min + " to " + max,
            v -> {
              long n = Long.parseLong(v.trim());
              return n >= min && n <= max ? (Long) n : null;
            },
            (long) min);
    return (int) value;
  }

  /** A size in bytes: {@code 200M}, {@code 5MiB}, {@code 1G}, {@code 4096}. */
  public long bytes(SettingDefinition definition, long min, long max) {
    return parse(
        definition,
        "a size in bytes such as 64M or 1G, from " + min + " to " + max,
        v -> {
          Long n = parseSize(v.trim());
          return n != null && n >= min && n <= max ? n : null;
        },
        min);
  }

  /** A duration: {@code 90s}, {@code 15m}, {@code 2h}, {@code 500ms}, or plain seconds. */
  public Duration duration(SettingDefinition definition) {
    long millis =
        parse(
            definition,
            "a duration such as 30s, 15m or 2h (at most 3650d)",
            v -> {
              Duration d = parseDuration(v.trim());
              return d == null ? null : d.toMillis();
            },
            0L);
    return Duration.ofMillis(millis);
  }

  /** yes/true/1/on or no/false/0/off, any case; manifests' unquoted YAML booleans arrive so. */
  public boolean flag(SettingDefinition definition) {
    return parse(
            definition,
            "yes or no",
            v ->
                switch (v.trim().toLowerCase(Locale.ROOT)) {
                  case "yes", "y", "true", "1", "on" -> 1L;
                  case "no", "n", "false", "0", "off" -> 0L;
                  default -> null;
                },
            0L)
        == 1L;
  }

  /** One of an enum's constants, matched case-insensitively with '-' and '_' alike. */
  public <E extends Enum<E>> E choice(SettingDefinition definition, Class<E> type) {
    E[] constants = type.getEnumConstants();
    String expected =
        "one of "
            + Arrays.stream(constants)
                .map(c -> c.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
    long ordinal =
        parse(
            definition,
            expected,
            v -> {
              String wanted = v.trim().replace('-', '_');
              for (int i = 0; i < constants.length; i++) {
                if (constants[i].name().equalsIgnoreCase(wanted)) {
                  return (long) i;
                }
              }
              return null;
            },
            0L);
    return constants[(int) ordinal];
  }

  public Optional<URI> uri(SettingDefinition definition) {
    Optional<String> value = optional(definition);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(value.get().trim());
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new URISyntaxException(value.get(), "no scheme or host");
      }
      if (uri.getRawUserInfo() != null) {
        invalid(definition, "a URL without a user or password in it (they would be logged)");
        return Optional.empty();
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      invalid(definition, "a URL such as https://s3.example.org");
      return Optional.empty();
    }
  }

  public Optional<Path> path(SettingDefinition definition) {
    String value = string(definition);
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Path.of(value));
    } catch (InvalidPathException e) {
      invalid(definition, "a file system path");
      return Optional.empty();
    }
  }

  /** Records a problem found by an agent's own cross-field checks. */
  public void problem(String message) {
    problems.add(message);
  }

  /** Records that a setting's value is not of the expected form. */
  public void invalid(SettingDefinition definition, String expected) {
    Source source = resolve(definition);
    String shown = source == null ? "" : display(definition, source.value());
    String name = source == null ? definition.key() : source.variable();
    problems.add(name + "=" + shown + ": expected " + expected);
  }

  /**
   * Starts {@code check} of the setting {@code what} on a thread of its own, for a check that takes
   * long; it throws a {@link SettingsException} listing the setting's problems. See {@link
   * PendingCheck} for when its problems are reported.
   */
  public <T> PendingCheck<T> checkMeanwhile(String what, Supplier<T> check) {
    PendingCheck<T> started = PendingCheck.start(what, check);
    pending.add(started);
    return started;
  }

  /**
   * Throws a {@link SettingsException} listing every problem, unknown variables included. When
   * there is one, the checks still running are waited for and their problems listed too; when there
   * is none, they go on while the run starts.
   */
  public void finish() {
    for (SettingDefinition d : definitions) {
      resolve(d);
    }
    problems.addAll(unknownVariables());
    if (!problems.isEmpty()) {
      problems.addAll(pendingProblems());
      throw new SettingsException(List.copyOf(problems));
    }
  }

  /**
   * The problems found by the checks started with {@link #checkMeanwhile}, once they are done; none
   * when they all passed.
   */
  public List<String> pendingProblems() {
    List<String> found = new ArrayList<>();
    for (PendingCheck<?> check : pending) {
      found.addAll(check.problems());
    }
    return found;
  }

  /**
   * Lines for the start-up log, secrets masked: each setting the run read, with its value or its
   * default, then each one set that this run does not use (another action's, say), marked so: a
   * recover does not claim to run with a backup's settings.
   */
  public List<String> dump() {
    List<String> lines = new ArrayList<>();
    List<String> unused = new ArrayList<>();
    for (SettingDefinition d : definitions) {
      Source source = resolve(d);
      if (source != null) {
        String from = source.variable().equals(d.key()) ? "" : " (from " + source.variable() + ")";
        String line = d.key() + "=" + display(d, source.value()) + from;
        if (used.contains(d)) {
          lines.add(line);
        } else {
          unused.add(line + " (set, not used by this run)");
        }
      } else if (used.contains(d) && d.setting().defaultValue() != null) {
        lines.add(d.key() + "=" + d.setting().defaultValue() + " (default)");
      }
    }
    lines.addAll(unused);
    return lines;
  }

  private <T> T parse(
      SettingDefinition definition, String expected, Function<String, T> parser, T fallback) {
    String value = string(definition);
    if (value == null) {
      return fallback;
    }
    T parsed;
    try {
      parsed = parser.apply(value);
    } catch (RuntimeException e) {
      parsed = null;
    }
    if (parsed == null) {
      invalid(definition, expected);
      return fallback;
    }
    return parsed;
  }

  /** Resolves a setting the run reads: the start-up log shows it as in force. */
  private Source use(SettingDefinition definition) {
    used.add(definition);
    return resolve(definition);
  }

  private Source resolve(SettingDefinition definition) {
    if (resolved.containsKey(definition)) {
      return resolved.get(definition);
    }
    Setting setting = definition.setting();
    Source found = null;
    for (String name : setting.names()) {
      Source candidate = read(name, setting.secret());
      if (candidate == null) {
        continue;
      }
      if (found == null) {
        found = candidate;
      } else if (!found.value().equals(candidate.value())) {
        problems.add(
            found.variable()
                + " and "
                + candidate.variable()
                + " are both set, to different values: keep one ("
                + setting.key()
                + " is the current name)");
      }
    }
    resolved.put(definition, found);
    return found;
  }

  private Source read(String name, boolean secret) {
    if (secret && notBlank(env.get(name + FILE_SUFFIX))) {
      String file = env.get(name + FILE_SUFFIX).trim();
      try {
        String content = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        if (content.isEmpty()) {
          problems.add(
              name
                  + FILE_SUFFIX
                  + "="
                  + file
                  + ": expected a file holding the secret, but it is empty (is the Secret's key"
                  + " there?)");
          return null;
        }
        return new Source(name + FILE_SUFFIX, content);
      } catch (CharacterCodingException e) {
        // Values are text; a key exported in binary form is the usual cause.
        problems.add(
            name
                + FILE_SUFFIX
                + "="
                + file
                + ": expected a text file (UTF-8), but it holds binary data (an OpenPGP key must"
                + " be exported armored: gpg --export --armor or --export-secret-keys --armor)");
        return null;
      } catch (IOException | InvalidPathException e) {
        problems.add(
            name
                + FILE_SUFFIX
                + "="
                + file
                + ": expected a readable file holding the secret ("
                + e.getClass().getSimpleName()
                + ")");
        return null;
      }
    }
    String value = env.get(name);
    if (!notBlank(value)) {
      return null;
    }
    // A space a manifest left at the end of a host or a path is no part of it; a password is
    // taken as given.
    return new Source(name, secret ? value : value.strip());
  }

  /**
   * Variables outside the agent's own prefixes that are one typing error away from a setting's name
   * ({@code DATABSE} for {@code DATABASE}): not errors, since the environment holds others'
   * variables too, but warnings, as the run goes on without the setting meant. Values are not
   * shown.
   */
  public List<String> nearMisses() {
    Set<String> known = knownNames();
    List<String> warnings = new ArrayList<>();
    for (String name : new TreeSet<>(env.keySet())) {
      if (known.contains(name) || ownedPrefixes.stream().anyMatch(name::startsWith)) {
        continue;
      }
      for (String candidate : known) {
        if (candidate.length() >= 6 && distance(name, candidate) == 1) {
          warnings.add(
              name + " is set but is no setting of this agent: did you mean " + candidate + "?");
          break;
        }
      }
    }
    return warnings;
  }

  private Set<String> knownNames() {
    TreeSet<String> known = new TreeSet<>();
    for (SettingDefinition d : definitions) {
      for (String name : d.setting().names()) {
        known.add(name);
        if (d.setting().secret()) {
          known.add(name + FILE_SUFFIX);
        }
      }
    }
    return known;
  }

  private List<String> unknownVariables() {
    Set<String> known = knownNames();
    List<String> unknown = new ArrayList<>();
    for (String name : new TreeSet<>(env.keySet())) {
      if (known.contains(name)
          || SERVICE_LINK.matcher(name).matches()
          || ownedPrefixes.stream().noneMatch(name::startsWith)) {
        continue;
      }
      String hint = closest(name, known).map(k -> "; did you mean " + k + "?").orElse("");
      unknown.add("unknown variable " + name + hint);
    }
    return unknown;
  }

  private static Optional<String> closest(String name, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int d = distance(name, candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return bestDistance <= Math.max(2, name.length() / 4) ? Optional.of(best) : Optional.empty();
  }

  /** Damerau-Levenshtein (optimal string alignment): a swapped pair of letters costs one edit. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  private static String display(SettingDefinition definition, String value) {
    if (definition.setting().secret()) {
      return "******";
    }
    return value == null ? null : URL_USERINFO.matcher(value).replaceAll("://******@");
  }

  private static boolean notBlank(String value) {
    return value != null && !value.isBlank();
  }

  static Long parseSize(String text) {
    Matcher m = SIZE.matcher(text.toUpperCase(Locale.ROOT));
    if (!m.matches()) {
      return null;
    }
    long n = Long.parseLong(m.group(1));
    int shift =
        switch (m.group(2)) {
          case "K" -> 10;
          case "M" -> 20;
          case "G" -> 30;
          case "T" -> 40;
          default -> 0;
        };
    return Math.multiplyExact(n, 1L << shift);
  }

  /**
   * A duration in our short form or ISO-8601's, from zero to {@link #LONGEST_DURATION}; null for
   * anything else (a negative PT-5S would end a dump at once, a huge one overflows later).
   */
  static Duration parseDuration(String text) {
    Duration d;
    try {
      d = parseAnyDuration(text);
    } catch (ArithmeticException
        | NumberFormatException
        | java.time.format.DateTimeParseException e) {
      return null;
    }
    return d == null || d.isNegative() || d.compareTo(LONGEST_DURATION) > 0 ? null : d;
  }

  private static Duration parseAnyDuration(String text) {
    if (text.toUpperCase(Locale.ROOT).startsWith("P")) {
      return Duration.parse(text);
    }
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      return null;
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> Duration.ofSeconds(n);
    };
  }
}
