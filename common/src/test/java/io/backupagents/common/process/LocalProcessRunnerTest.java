package io.backupagents.common.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalProcessRunnerTest {

  private final LocalProcessRunner runner =
      new LocalProcessRunner(
          Map.of("PATH", "/usr/bin:/bin", "AWS_SECRET_ACCESS_KEY", "must-not-leak"));

  private static ProcessSpec sh(String script) {
    return ProcessSpec.of("sh", List.of("sh", "-c", script));
  }

  @Test
  void failingChildGivesItsExitStatusAndStderrTail() {
    assertThatThrownBy(
            () -> runner.run(sh("echo first >&2; echo 'pg_dump: error: boom' >&2; exit 3")))
        .isInstanceOfSatisfying(
            ProcessFailedException.class,
            e -> {
              assertThat(e.exitStatus()).isEqualTo(3);
              assertThat(e.timedOut()).isFalse();
              assertThat(e.stderrTail()).containsExactly("first", "pg_dump: error: boom");
              assertThat(e.getMessage()).isEqualTo("sh exited with status 3: pg_dump: error: boom");
            });
  }

  @Test
  void childOverrunningItsTimeoutIsKilled() {
    long start = System.nanoTime();
    assertThatThrownBy(() -> runner.run(sh("sleep 30").withTimeout(Duration.ofMillis(300))))
        .isInstanceOfSatisfying(
            ProcessFailedException.class, e -> assertThat(e.timedOut()).isTrue())
        .hasMessageContaining("ran past its time limit and was killed");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void streamsStdoutAndFeedsStdinWhileDrainingStderr() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<String> stderrLines = new ArrayList<>();
    // 2 MB through each pipe: more than a pipe buffer, so a runner that reads them one after
    // the other would deadlock.
    ProcessResult result =
        runner.run(
            sh("cat; head -c 2000000 /dev/zero | tr '\\0' x >&2; echo >&2; echo warning: done >&2")
                .withStdin(in -> in.write(new byte[2_000_000]))
                .withStdout(stdout -> stdout.transferTo(out))
                .withStderrLine(stderrLines::add));
    assertThat(out.size()).isEqualTo(2_000_000);
    assertThat(result.stderrTail()).last().isEqualTo("warning: done");
    assertThat(stderrLines).last().isEqualTo("warning: done");
  }

  @Test
  void childGetsOnlyBasicsAndItsOwnEnvironment() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    runner.run(
        ProcessSpec.of("env", List.of("env"))
            .withEnvironment(Map.of("PGPASSFILE", "/tmp/x"))
            .withStdout(stdout -> stdout.transferTo(out)));
    String env = out.toString(StandardCharsets.UTF_8);
    assertThat(env).contains("PGPASSFILE=/tmp/x").contains("PATH=/usr/bin:/bin");
    assertThat(env).doesNotContain("must-not-leak");
  }

  @Test
  void readerFailureKillsTheChildAndSurfacesTheReadersError() {
    assertThatThrownBy(
            () ->
                runner.run(
                    sh("yes")
                        .withStdout(
                            stdout -> {
                              stdout.readNBytes(1000);
                              throw new IOException("No space left on device");
                            })))
        .isInstanceOf(IOException.class)
        .hasMessage("No space left on device");
  }

  @Test
  void missingProgramIsReportedAsNotStarted() {
    assertThatThrownBy(() -> runner.run(ProcessSpec.of("nope", List.of("/nonexistent/bin/nope"))))
        .isInstanceOfSatisfying(
            ProcessFailedException.class,
            e -> assertThat(e.exitStatus()).isEqualTo(ProcessFailedException.NOT_STARTED))
        .hasMessageStartingWith("nope could not be started");
  }
}
