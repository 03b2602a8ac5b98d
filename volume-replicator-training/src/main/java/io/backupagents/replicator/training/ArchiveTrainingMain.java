package io.backupagents.replicator.training;

import io.backupagents.common.fs.FileTrees;
import io.backupagents.training.AgentRuns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The image build's training (Dockerfiles/make-class-archive.sh): {@code java -cp
 * volume-replicator-training.jar:volume-replicator.jar
 * io.backupagents.replicator.training.ArchiveTrainingMain LAUNCHER CLASS_LIST S3PROXY_JAR}. Runs
 * the agent through its launcher for each step and writes the classes the runs loaded to
 * CLASS_LIST. Exits 0 when every step ended as expected, 1 when one did not, 2 on a wrong call.
 */
public final class ArchiveTrainingMain {

  private ArchiveTrainingMain() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length != 3) {
      System.err.println(
          "usage: ArchiveTrainingMain LAUNCHER CLASS_LIST S3PROXY_JAR (LAUNCHER: the image's"
              + " volume-replicator; CLASS_LIST: the file to write; S3PROXY_JAR: S3Proxy's"
              + " standalone jar)");
      System.exit(2);
    }
    Map<String, String> base = Map.of("PATH", System.getenv("PATH"), "LANG", "C.UTF-8");
    Path work = Files.createTempDirectory("volume-replicator-training-");
    List<String> failures;
    try {
      AgentRuns runs = new AgentRuns(List.of(args[0]), base, work);
      failures = ArchiveTraining.run(Path.of(args[2]), work, runs, Path.of(args[1]));
    } finally {
      if (!FileTrees.deleteTree(work)) {
        System.err.println("could not remove " + work);
      }
    }
    failures.forEach(System.err::println);
    System.exit(failures.isEmpty() ? 0 : 1);
  }
}
