package io.backupagents.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where PostgreSQL's regression suite is built and its filled database kept between test runs:
 * {@code /var/cache/backup-agents/pg-regress-<major>/<source version>/} when writable, else {@code
 * target/pg-regress-<major>/}. The source is Debian's package of the installed server's version, or
 * the release's own when the archive no longer serves that one (a security update replaced it).
 */
final class RegressionCache {

  private static final Path SYSTEM_ROOT = Path.of("/var/cache/backup-agents");

  private final int major;
  private final Path root;
  private final String sourceVersion;

  private RegressionCache(int major, Path root, String sourceVersion) {
    this.major = major;
    this.root = root;
    this.sourceVersion = sourceVersion;
  }

  /**
   * The cache in {@code root} for the installed server of {@code major}; downloads the source once
   * if needed. Called under the lock of {@code root}.
   */
  static RegressionCache open(int major, Path root) {
    String installed =
        Commands.run(List.of("dpkg-query", "-W", "-f", "${Version}", "postgresql-" + major))
            .strip();
    Path chosen = root.resolve("source-for-" + installed);
    try {
      Files.createDirectories(root);
      if (!Files.exists(chosen)) {
        String version = download(major, installed, root);
        Path partial = root.resolve(".source-for-" + installed + ".partial");
        Files.writeString(partial, version, StandardCharsets.UTF_8);
        Files.move(partial, chosen, StandardCopyOption.ATOMIC_MOVE);
      }
      return new RegressionCache(major, root, Files.readString(chosen).strip());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path versionDir() {
    return root.resolve(sourceVersion);
  }

  /**
   * The configured source tree with {@code src/test/regress} built (pg_regress, regress.so and the
   * modules its tests load), readable by the server's user. Called under the version's lock.
   */
  Path sourceTree() throws IOException {
    Path tree = versionDir().resolve("src");
    if (Files.exists(versionDir().resolve("built"))) {
      return tree;
    }
    PostgresServer.deleteTree(tree);
    Path downloads = root.resolve("downloads");
    Path tarball;
    try (Stream<Path> files = Files.list(downloads)) {
      String upstream = sourceVersion.replaceFirst("-[^-]*$", "");
      tarball =
          files
              .filter(f -> f.getFileName().toString().endsWith("_" + upstream + ".orig.tar.bz2"))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("no orig tarball in " + downloads));
    }
    Path unpack = Files.createDirectories(versionDir().resolve("unpack"));
    Commands.run(List.of("tar", "-xjf", tarball.toString(), "-C", unpack.toString()));
    Path unpacked;
    try (Stream<Path> dirs = Files.list(unpack)) {
      unpacked = dirs.findFirst().orElseThrow();
    }
    Files.move(unpacked, tree);
    Files.delete(unpack);
    Commands.run(
        List.of(
            "bash",
            "-c",
            "cd \"$TREE\" && ./configure --without-readline --without-zlib --without-icu"
                + " --without-llvm > configure.out 2>&1 && make -s -j2 -C src/test/regress"
                + " > make.out 2>&1 || { tail -50 configure.out make.out 2>/dev/null; exit 1; }"),
        Map.of("TREE", tree.toString(), "PATH", System.getenv().getOrDefault("PATH", "")));
    if (Commands.isRoot()) {
      // The server loads regress.so and reads the schedule's data files as postgres.
      Commands.run(List.of("chown", "-R", "postgres:postgres", tree.toString()));
    }
    Files.createFile(versionDir().resolve("built"));
    return tree;
  }

  /**
   * Downloads the source package into {@code root/downloads} and returns its Debian version: the
   * installed one's if the archive has it, else the newest of the release.
   */
  private static String download(int major, String installed, Path root) throws IOException {
    Path downloads = Files.createDirectories(root.resolve("downloads"));
    String pkg = "postgresql-" + major;
    Commands.Outcome exact = apt(downloads, pkg + "=" + installed);
    if (exact.status() != 0) {
      Commands.Outcome release = apt(downloads, pkg + "/" + codename());
      if (release.status() != 0) {
        throw new IllegalStateException(
            "could not download the source of "
                + pkg
                + " (is a deb-src list configured? .ci/run writes one): "
                + exact.output()
                + release.output());
      }
    }
    try (Stream<Path> files = Files.list(downloads)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.startsWith(pkg + "_") && n.endsWith(".dsc"))
          .map(n -> n.substring(pkg.length() + 1, n.length() - ".dsc".length()))
          .filter(v -> exact.status() == 0 ? v.equals(installed) : !v.equals(installed))
          .max(RegressionCache::compareDebianVersions)
          .orElseThrow(() -> new IllegalStateException("no .dsc downloaded into " + downloads));
    }
  }

  private static Commands.Outcome apt(Path dir, String what) {
    return Commands.runForStatus(
        List.of(
            "bash",
            "-c",
            "cd \"$DIR\" && apt-get source --download-only -qq \"$WHAT\" 2>&1 | grep -v '^W: '"
                + "; exit ${PIPESTATUS[0]}"),
        Map.of(
            "DIR", dir.toString(), "WHAT", what, "PATH", System.getenv().getOrDefault("PATH", "")));
  }

  private static int compareDebianVersions(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    List<String> lessThan = List.of("dpkg", "--compare-versions", a, "lt", b);
    return Commands.runForStatus(lessThan, Map.of()).status() == 0 ? -1 : 1;
  }

  private static String codename() throws IOException {
    Optional<String> line =
        Files.readAllLines(Path.of("/etc/os-release")).stream()
            .filter(l -> l.startsWith("VERSION_CODENAME="))
            .findFirst();
    return line.map(l -> l.substring(l.indexOf('=') + 1).replace("\"", ""))
        .orElseThrow(() -> new IllegalStateException("no VERSION_CODENAME in /etc/os-release"));
  }

  /** The cache's directory for {@code major}, created if missing. */
  static Path root(int major) {
    Path system = SYSTEM_ROOT.resolve("pg-regress-" + major);
    try {
      Files.createDirectories(system);
      if (Files.isWritable(system)) {
        return system;
      }
    } catch (IOException | SecurityException e) {
      // Not ours to write (a developer's machine without root): fall back to the build directory.
    }
    Path local = Path.of("target").toAbsolutePath().resolve("pg-regress-" + major);
    try {
      return Files.createDirectories(local);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return "PostgreSQL " + major + " regression suite (source " + sourceVersion + ") in " + root;
  }
}
