package io.backupagents.sqlbackup.training;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PostgreSQL server for the training: the server binaries in {@code bin} (initdb,
 * pg_ctl, postgres), its data in a directory of its own, on a free loopback port, password
 * authentication over TCP (as the agent connects in production), fsync off. initdb refuses root, so
 * a training that runs as root names the user the server runs as ({@code setpriv}).
 */
final class TrainingServer implements AutoCloseable {

  static final String SUPERUSER = "postgres";
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);

  private final Path bin;
  private final Path dir;
  private final Optional<String> user;
  private final int port;
  private final String password;

  private TrainingServer(Path bin, Path dir, Optional<String> user, int port, String password) {
    this.bin = bin;
    this.dir = dir;
    this.user = user;
    this.port = port;
    this.password = password;
  }

  /**
   * Creates and starts a server from {@code bin} in the new directory {@code dir}, run as {@code
   * user} when given (needed as root), with {@code password} for {@link #SUPERUSER}.
   */
  static TrainingServer start(Path bin, Path dir, Optional<String> user, String password)
      throws IOException, InterruptedException {
    if (!Files.isExecutable(bin.resolve("initdb")) || !Files.isExecutable(bin.resolve("pg_ctl"))) {
      throw new IOException("no PostgreSQL server binaries (initdb, pg_ctl) in " + bin);
    }
    Files.createDirectories(dir);
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    TrainingServer server = new TrainingServer(bin, dir, user, port, password);
    Path pwfile = dir.resolve("pwfile");
    Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
    if (user.isPresent()) {
      run(List.of("chown", "-R", user.get() + ":", dir.toString()));
    }
    Path data = dir.resolve("data");
    server.asServerUser(
        List.of(
            bin.resolve("initdb").toString(),
            "-D",
            data.toString(),
            "-U",
            SUPERUSER,
            "--pwfile=" + pwfile,
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync"));
    Files.delete(pwfile);
    Files.writeString(
        data.resolve("postgresql.auto.conf"),
        String.join(
            "\n",
            "port = " + port,
            "listen_addresses = '127.0.0.1'",
            "unix_socket_directories = '" + dir + "'",
            "fsync = off",
            "synchronous_commit = off",
            "full_page_writes = off",
            ""),
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    server.asServerUser(
        List.of(
            bin.resolve("pg_ctl").toString(),
            "-D",
            data.toString(),
            "-l",
            dir.resolve("server.log").toString(),
            "-w",
            "-t",
            "60",
            "start"));
    return server;
  }

  int port() {
    return port;
  }

  String password() {
    return password;
  }

  String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** Stops the server at once: its data is thrown away. */
  @Override
  public void close() throws IOException {
    try {
      asServerUser(
          List.of(
              bin.resolve("pg_ctl").toString(),
              "-D",
              dir.resolve("data").toString(),
              "-m",
              "immediate",
              "-w",
              "stop"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping the server in " + dir, e);
    }
  }

  private void asServerUser(List<String> command) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (user.isPresent()) {
      full.addAll(
          List.of("setpriv", "--reuid=" + user.get(), "--regid=" + user.get(), "--init-groups"));
    }
    full.addAll(command);
    run(full);
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Path output = Files.createTempFile("training-server-", ".log");
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(command.get(0) + " did not end within " + COMMAND_TIMEOUT);
      }
      if (p.exitValue() != 0) {
        throw new IOException(
            String.join(" ", command)
                + " ended with "
                + p.exitValue()
                + ":\n"
                + Files.readString(output, StandardCharsets.UTF_8));
      }
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
