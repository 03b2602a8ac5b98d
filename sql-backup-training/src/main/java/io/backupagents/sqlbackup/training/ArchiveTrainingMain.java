package io.backupagents.sqlbackup.training;

import io.backupagents.common.fs.FileTrees;
import io.backupagents.training.AgentRuns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The image build's training (Dockerfiles/make-class-archive.sh): {@code java -cp
 * sql-backup-training.jar:sql-backup.jar io.backupagents.sqlbackup.training.ArchiveTrainingMain
 * LAUNCHER CLASS_LIST SERVER_BIN [SERVER_USER]}. Runs the agent through its launcher for each step
 * against throw-away PostgreSQL servers from SERVER_BIN (run as SERVER_USER, which a training run
 * as root needs: initdb refuses root) and writes the classes the runs loaded to CLASS_LIST. Exits 0
 * when every step ended as expected, 1 when one did not, 2 on a wrong call.
 */
public final class ArchiveTrainingMain {

  private ArchiveTrainingMain() {}

  public static void main(String[] args) throws IOException, InterruptedException, SQLException {
    if (args.length < 3 || args.length > 4) {
      System.err.println(
          "usage: ArchiveTrainingMain LAUNCHER CLASS_LIST SERVER_BIN [SERVER_USER] (LAUNCHER: the"
              + " image's sql-backup; CLASS_LIST: the file to write; SERVER_BIN: initdb, pg_ctl"
              + " and postgres of a major the image has a client of; SERVER_USER: who runs them,"
              + " needed as root)");
      System.exit(2);
    }
    Optional<String> serverUser = args.length == 4 ? Optional.of(args[3]) : Optional.empty();
    if (serverUser.isEmpty() && "root".equals(System.getProperty("user.name"))) {
      System.err.println("as root, name the SERVER_USER the training's servers run as");
      System.exit(2);
    }
    Map<String, String> base = Map.of("PATH", System.getenv("PATH"), "LANG", "C.UTF-8");
    Path work = Files.createTempDirectory("sql-backup-training-");
    List<String> failures;
    try {
      // The servers' user reaches its own directories in here.
      Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
      AgentRuns runs = new AgentRuns(List.of(args[0]), base, work);
      failures = ArchiveTraining.run(Path.of(args[2]), serverUser, work, runs, Path.of(args[1]));
    } finally {
      if (!FileTrees.deleteTree(work)) {
        System.err.println("could not remove " + work);
      }
    }
    failures.forEach(System.err::println);
    System.exit(failures.isEmpty() ? 0 : 1);
  }
}
