package io.backupagents.sqlbackup.postgres;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.process.ProcessFailedException;
import io.backupagents.common.process.ProcessRunner;
import io.backupagents.common.process.ProcessSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds PostgreSQL client tools whose major version is at least the server's (an older pg_dump
 * refuses a newer server): PG_BIN_DIR first, then {@code /usr/lib/postgresql/<N>/bin}, then PATH.
 * The same major is preferred, else the lowest newer one.
 */
public final class ClientTools {

  private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)");

  /** Where Debian's packages install each major's clients, and where its wrapper looks. */
  private static final Path DEBIAN_INSTALL_ROOT = Path.of("/usr/lib/postgresql");

  /** A directory holding client tools of one major version. */
  public record Clients(int major, Path dir) {
    public String tool(String name) {
      return dir.resolve(name).toString();
    }
  }

  private final Optional<Path> preferred;
  private final Path installRoot;
  private final List<Path> pathDirs;
  private final ProcessRunner processes;

  public ClientTools(
      Optional<Path> preferred, Path installRoot, List<Path> pathDirs, ProcessRunner processes) {
    this.preferred = preferred;
    this.installRoot = installRoot;
    this.pathDirs = List.copyOf(pathDirs);
    this.processes = processes;
  }

  /** The standard search: {@code /usr/lib/postgresql} and the directories of {@code PATH}. */
  public static ClientTools standard(Optional<Path> preferred, String path, ProcessRunner runner) {
    return standard(preferred, DEBIAN_INSTALL_ROOT, path, runner);
  }

  /** The standard search with versioned clients under {@code installRoot} instead. */
  public static ClientTools standard(
      Optional<Path> preferred, Path installRoot, String path, ProcessRunner runner) {
    List<Path> dirs =
        path == null
            ? List.of()
            : Stream.of(path.split(":")).filter(s -> !s.isEmpty()).map(Path::of).toList();
    return new ClientTools(preferred, installRoot, dirs, runner);
  }

  /** Clients with every tool in {@code tools} for a server of {@code serverMajor}. */
  public Clients forServer(int serverMajor, String... tools) throws InterruptedException {
    return forServer(
        new ServerProbe.ServerVersion(serverMajor, Integer.toString(serverMajor)), tools);
  }

  /** As {@link #forServer(int, String...)}; errors name the server's full version. */
  public Clients forServer(ServerProbe.ServerVersion server, String... tools)
      throws InterruptedException {
    return forServer(server, candidates(tools), tools);
  }

  /** As {@link #forServer(ServerProbe.ServerVersion, String...)}, among {@code found}. */
  public Clients forServer(ServerProbe.ServerVersion server, List<Clients> found, String... tools) {
    return sameOrNewer(found, server.major()).orElseThrow(() -> none(server, found, tools));
  }

  /**
   * Clients to restore into a server of {@code server}, of those {@link #candidates} found: its own
   * major or the nearest newer one, as for a dump; else the newest older one, since psql and
   * pg_restore feed SQL to a newer server as to their own (an archive newer than that pg_restore is
   * refused when it is read).
   */
  public Clients forRestore(ServerProbe.ServerVersion server, String tool, List<Clients> found) {
    return sameOrNewer(found, server.major())
        .or(() -> found.stream().max(Comparator.comparingInt(Clients::major)))
        .orElseThrow(() -> none(server, found, tool));
  }

  private Optional<Clients> sameOrNewer(List<Clients> found, int serverMajor) {
    return found.stream()
        .filter(c -> c.major() >= serverMajor)
        .min(
            Comparator.comparingInt((Clients c) -> c.major() - serverMajor)
                .thenComparing(c -> preferred.map(p -> !p.equals(c.dir())).orElse(true)));
  }

  private static AgentException none(
      ServerProbe.ServerVersion server, List<Clients> found, String... tools) {
    return new AgentException(
        ExitCode.NOT_FOUND,
        "no "
            + String.join("/", tools)
            + " of PostgreSQL "
            + server.major()
            + " or newer for the server (version "
            + server.full()
            + "); found: "
            + (found.isEmpty()
                ? "none"
                : found.stream()
                    .map(c -> c.major() + " in " + c.dir())
                    .collect(Collectors.joining(", ")))
            + ". Use an image with newer clients or set PG_BIN_DIR");
  }

  /** Every directory holding all of {@code tools}, with its major version. */
  public List<Clients> candidates(String... tools) throws InterruptedException {
    Set<Path> dirs = new LinkedHashSet<>();
    preferred.ifPresent(dirs::add);
    if (Files.isDirectory(installRoot)) {
      try (Stream<Path> versions = Files.list(installRoot)) {
        versions.map(v -> v.resolve("bin")).sorted().forEach(dirs::add);
      } catch (IOException e) {
        // An unreadable install root only means fewer candidates.
      }
    }
    dirs.addAll(pathDirs);
    List<Clients> result = new ArrayList<>();
    Set<Path> seen = new LinkedHashSet<>();
    for (Path dir : dirs) {
      if (!Stream.of(tools).allMatch(t -> Files.isExecutable(dir.resolve(t)))) {
        continue;
      }
      Path real = realPath(dir.resolve(tools[0]));
      if (!seen.add(real)) {
        continue; // /usr/bin/pg_dump is often a link to one of the versioned dirs
      }
      if (isDebianWrapper(real)) {
        continue;
      }
      majorOf(dir, tools[0]).ifPresent(m -> result.add(new Clients(m, dir)));
    }
    return result;
  }

  private Optional<Integer> majorOf(Path dir, String tool) throws InterruptedException {
    String name = dir.getParent() == null ? "" : dir.getParent().getFileName().toString();
    if (dir.getParent() != null
        && dir.getParent().getParent() != null
        && dir.getParent().getParent().equals(installRoot)
        && name.matches("\\d+")) {
      return Optional.of(Integer.parseInt(name));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      processes.run(
          ProcessSpec.of(tool, List.of(dir.resolve(tool).toString(), "--version"))
              .withTimeout(Duration.ofSeconds(20))
              .withStdout(in -> in.transferTo(out)));
    } catch (ProcessFailedException | IOException e) {
      return Optional.empty();
    }
    Matcher m = VERSION.matcher(out.toString(StandardCharsets.UTF_8));
    return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
  }

  /**
   * Debian's {@code pg_wrapper} ({@code /usr/bin/pg_dump} and the others link to it), when the
   * install root searched is its own: it only ever runs the tool of one of the directories listed
   * already, and asking its version would start a Perl interpreter (60 ms of CPU before every
   * dump).
   */
  private boolean isDebianWrapper(Path real) {
    return real.getFileName() != null
        && real.getFileName().toString().equals("pg_wrapper")
        && installRoot.equals(DEBIAN_INSTALL_ROOT);
  }

  private static Path realPath(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p;
    }
  }
}
