package io.backupagents.replicator.training;

import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.fs.FileTrees;
import io.backupagents.common.launch.Launcher;
import io.backupagents.replicator.VolumeReplicatorAgent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run behind the image's class archive: runs the agent the way real runs do, in one
 * JVM, so that {@code -XX:AOTCacheOutput} (Java 25) or {@code -XX:ArchiveClassesAtExit} (Java 21)
 * records the classes they load and the archive lets every later start skip loading and linking
 * them. The run copies a small generated tree between two temporary directories (first copy, then
 * an unchanged pass), uploads it to an in-memory S3 endpoint on loopback ({@link
 * TrainingEndpoint}), passes over it again unchanged and restores it into a third directory.
 * Nothing outside its temporary directory is touched; it exits non-zero if a step did not end as
 * expected.
 */
public final class ArchiveTraining {

  private static final int DIRECTORIES = 20;
  private static final int FILES_PER_DIRECTORY = 50;

  private ArchiveTraining() {}

  public static void main(String[] args) throws IOException {
    List<String> failures = run();
    failures.forEach(System.err::println);
    if (!failures.isEmpty()) {
      System.exit(1);
    }
  }

  /** Runs the training; returns the steps that did not end as expected (none: all is well). */
  public static List<String> run() throws IOException {
    List<String> failures = new ArrayList<>();
    Path work = Files.createTempDirectory("volume-replicator-training-");
    try {
      Path source = tree(work.resolve("source"));
      Path target = work.resolve("target");
      Map<String, String> env = baseEnvironment(work);
      env.put("REPLICATE_SOURCE", source.toString());
      env.put("REPLICATE_TARGET", target.toString());
      expect(failures, "first copy", sync(env), ExitCode.SUCCESS);
      expect(failures, "unchanged pass", sync(env), ExitCode.SUCCESS);

      try (TrainingEndpoint endpoint = new TrainingEndpoint("training")) {
        Map<String, String> upload = s3Environment(work, endpoint);
        upload.put("REPLICATE_SOURCE", source.toString());
        upload.put("REPLICATE_TARGET", "s3://training/media");
        expect(failures, "upload to S3", sync(upload), ExitCode.SUCCESS);
        expect(failures, "unchanged pass over S3", sync(upload), ExitCode.SUCCESS);
        Map<String, String> restore = s3Environment(work, endpoint);
        restore.put("REPLICATE_SOURCE", "s3://training/media");
        restore.put("REPLICATE_TARGET", work.resolve("restored").toString());
        expect(failures, "restore from S3", sync(restore), ExitCode.SUCCESS);
        long restored = countFiles(work.resolve("restored"));
        if (restored != (long) DIRECTORIES * FILES_PER_DIRECTORY) {
          failures.add("the restore from S3 brought back " + restored + " files");
        }
      }
    } finally {
      if (!FileTrees.deleteTree(work)) {
        failures.add("could not remove " + work); // not thrown: that would hide a failure above
      }
    }
    return failures;
  }

  private static Map<String, String> baseEnvironment(Path work) {
    Map<String, String> env = new HashMap<>();
    env.put("LANG", "C.UTF-8");
    env.put("LOG_LEVEL", "error");
    env.put("TERMINATION_LOG_PATH", work.resolve("termination").toString());
    return env;
  }

  private static Map<String, String> s3Environment(Path work, TrainingEndpoint endpoint) {
    Map<String, String> env = baseEnvironment(work);
    env.put("S3_ENDPOINT", endpoint.url());
    env.put("S3_PROVIDER", "Other");
    env.put("S3_ACCESS_KEY_ID", "training");
    env.put("S3_SECRET_ACCESS_KEY", "training");
    env.put("S3_MAX_ATTEMPTS", "1");
    return env;
  }

  private static int sync(Map<String, String> env) {
    return new Launcher(new VolumeReplicatorAgent(), env, Clock.systemUTC()).run(List.of());
  }

  private static void expect(List<String> failures, String step, int status, ExitCode expected) {
    if (status != expected.status()) {
      failures.add(
          "training step '%s' ended with %d instead of %d"
              .formatted(step, status, expected.status()));
    }
  }

  /** Directories of small files, a symlink and an empty directory. */
  private static Path tree(Path root) throws IOException {
    byte[] content = "training data\n".repeat(64).getBytes(StandardCharsets.UTF_8);
    for (int d = 0; d < DIRECTORIES; d++) {
      Path dir = Files.createDirectories(root.resolve("album-" + d));
      for (int f = 0; f < FILES_PER_DIRECTORY; f++) {
        Files.write(dir.resolve("IMG_" + f + ".jpg"), content);
      }
    }
    Files.createDirectories(root.resolve("empty"));
    Files.createSymbolicLink(root.resolve("latest"), Path.of("album-0"));
    return root;
  }

  private static long countFiles(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      return paths.filter(Files::isRegularFile).count();
    }
  }
}
