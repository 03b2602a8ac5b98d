package io.backupagents.replicator.training;

import io.backupagents.common.exit.ExitCode;
import io.backupagents.training.AgentRuns;
import io.backupagents.training.ClassLists;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training behind the image's class archive: runs the agent the way real runs do, each run its
 * own start of the agent as production starts it ({@link AgentRuns}), and gathers the classes they
 * load into one class list, from which the image build dumps the archive. The runs copy a small
 * generated tree between two directories (first copy, then an unchanged pass), upload it to S3Proxy
 * on loopback ({@link S3ProxyProcess}), pass over it again unchanged and restore it into a third
 * directory. Everything they write stays under the directory given.
 */
final class ArchiveTraining {

  private static final int DIRECTORIES = 20;
  private static final int FILES_PER_DIRECTORY = 50;
  private static final String BUCKET = "training";

  private ArchiveTraining() {}

  /**
   * Runs the training in {@code work} against S3Proxy from {@code s3proxyJar}, the agent started by
   * {@code runs}, and writes the merged class list to {@code classList}; returns the steps that did
   * not end as expected (none: all is well).
   */
  static List<String> run(Path s3proxyJar, Path work, AgentRuns runs, Path classList)
      throws IOException, InterruptedException {
    List<String> failures = new ArrayList<>();
    Path source = tree(work.resolve("source"));
    Path target = work.resolve("target");
    Map<String, String> env = baseEnvironment(work);
    env.put("REPLICATE_SOURCE", source.toString());
    env.put("REPLICATE_TARGET", target.toString());
    expect(failures, runs, "first copy", env);
    expect(failures, runs, "unchanged pass", env);

    Path s3 = Files.createDirectories(work.resolve("s3proxy"));
    try (S3ProxyProcess proxy = S3ProxyProcess.start(s3proxyJar, s3, BUCKET)) {
      Map<String, String> upload = s3Environment(work, proxy);
      upload.put("REPLICATE_SOURCE", source.toString());
      upload.put("REPLICATE_TARGET", "s3://" + BUCKET + "/media");
      expect(failures, runs, "upload to S3", upload);
      expect(failures, runs, "unchanged pass over S3", upload);
      Map<String, String> restore = s3Environment(work, proxy);
      restore.put("REPLICATE_SOURCE", "s3://" + BUCKET + "/media");
      restore.put("REPLICATE_TARGET", work.resolve("restored").toString());
      expect(failures, runs, "restore from S3", restore);
      long restored = countFiles(work.resolve("restored"));
      if (restored != (long) DIRECTORIES * FILES_PER_DIRECTORY) {
        failures.add("the restore from S3 brought back " + restored + " files");
      }
    }
    ClassLists.merge(runs.classLists(), classList);
    return failures;
  }

  /**
   * LOG_LEVEL stays at its default, as in production, so that the classes that write log lines are
   * recorded too (each run's output goes to its own log file).
   */
  private static Map<String, String> baseEnvironment(Path work) {
    Map<String, String> env = new HashMap<>();
    env.put("TERMINATION_LOG_PATH", work.resolve("termination").toString());
    return env;
  }

  private static Map<String, String> s3Environment(Path work, S3ProxyProcess proxy) {
    Map<String, String> env = baseEnvironment(work);
    env.put("S3_ENDPOINT", proxy.endpoint().toString());
    env.put("S3_PROVIDER", "Other");
    env.put("S3_ACCESS_KEY_ID", "training");
    env.put("S3_SECRET_ACCESS_KEY", "training");
    env.put("S3_MAX_ATTEMPTS", "1");
    return env;
  }

  private static void expect(
      List<String> failures, AgentRuns runs, String step, Map<String, String> settings)
      throws IOException, InterruptedException {
    int status = runs.run(step, settings);
    if (status != ExitCode.SUCCESS.status()) {
      failures.add(
          "training step '%s' ended with %d instead of %d"
              .formatted(step, status, ExitCode.SUCCESS.status()));
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
