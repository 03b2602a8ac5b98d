package io.backupagents.sqlbackup.settings;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * What the agent takes from the machine it runs on, besides its settings: where to look for
 * PostgreSQL's client tools, the home and temporary directories, a name for lock owners, and the
 * file system the backup root lives on (Jimfs in tests), and the clock (fixed in tests).
 *
 * @param path the {@code PATH} searched for client tools
 * @param home the home directory (for the default {@code ~/.pgpass})
 * @param tempDir where private temporary files (the password file) go
 * @param hostname names this run's owner in lock files (the pod name in Kubernetes)
 * @param pgInstallRoot where versioned client tools live, {@code /usr/lib/postgresql}
 * @param fileSystem the file system of {@code BACKUP_ROOT_DIR}
 * @param clock the wall clock, for what is checked before a run starts (key expiry) and for times
 *     written into backups
 */
public record HostEnvironment(
    String path,
    Path home,
    Path tempDir,
    String hostname,
    Path pgInstallRoot,
    FileSystem fileSystem,
    Clock clock) {

  /**
   * Reads PATH, HOME, TMPDIR and HOSTNAME from {@code env}, with the usual fallbacks; {@code clock}
   * is the wall clock.
   */
  public static HostEnvironment of(Map<String, String> env, Clock clock) {
    return new HostEnvironment(
        env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"),
        Path.of(env.getOrDefault("HOME", System.getProperty("user.home"))),
        Path.of(env.getOrDefault("TMPDIR", System.getProperty("java.io.tmpdir"))),
        env.containsKey("HOSTNAME") ? env.get("HOSTNAME") : localHostName(),
        Path.of("/usr/lib/postgresql"),
        FileSystems.getDefault(),
        clock);
  }

  /** The same host with the backup root on another file system (a size-limited Jimfs in tests). */
  public HostEnvironment withFileSystem(FileSystem other) {
    return new HostEnvironment(path, home, tempDir, hostname, pgInstallRoot, other, clock);
  }

  /** The same host with versioned client tools looked for under another directory. */
  public HostEnvironment withPgInstallRoot(Path root) {
    return new HostEnvironment(path, home, tempDir, hostname, root, fileSystem, clock);
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown-host";
    }
  }
}
