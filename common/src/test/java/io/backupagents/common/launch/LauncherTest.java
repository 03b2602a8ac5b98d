package io.backupagents.common.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.settings.PendingCheck;
import io.backupagents.common.settings.Setting;
import io.backupagents.common.settings.SettingDefinition;
import io.backupagents.common.settings.SettingsException;
import io.backupagents.common.settings.SettingsReader;
import io.backupagents.testing.PushgatewayServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

  enum DemoSetting implements SettingDefinition {
    DEMO_OUTCOME(Setting.of("DEMO_OUTCOME", "success", "what the demo job does")),
    DEMO_COUNT(Setting.of("DEMO_COUNT", "1", "a number")),
    DEMO_KEY(Setting.of("DEMO_KEY", null, "a key checked while the run starts"));

    private final Setting setting;

    DemoSetting(Setting setting) {
      this.setting = setting;
    }

    @Override
    public Setting setting() {
      return setting;
    }
  }

  /** A tiny agent whose job succeeds or fails as DEMO_OUTCOME says. */
  static class DemoAgent implements Agent {
    @Override
    public String name() {
      return "demo-agent";
    }

    @Override
    public String usage() {
      return "demo-agent: does a demo\n";
    }

    @Override
    public List<SettingDefinition> settings() {
      return List.of(DemoSetting.values());
    }

    @Override
    public List<String> ownedPrefixes() {
      return List.of("DEMO_");
    }

    @Override
    public Job configure(SettingsReader settings, List<String> args) {
      String outcome = settings.string(DemoSetting.DEMO_OUTCOME);
      settings.integer(DemoSetting.DEMO_COUNT, 1, 5);
      Optional<PendingCheck<String>> key =
          settings
              .optional(DemoSetting.DEMO_KEY)
              .map(
                  k ->
                      settings.checkMeanwhile(
                          "DEMO_KEY",
                          () -> {
                            sleep(300); // a slow check: the run has long failed meanwhile
                            if (k.equals("bad")) {
                              throw new SettingsException(List.of("DEMO_KEY: the key is revoked"));
                            }
                            return k;
                          }));
      return new Job() {
        @Override
        public void run(RunContext context) {
          if (outcome.equals("use-key")) {
            key.orElseThrow().get();
          }
          if (outcome.equals("bad-setting-found-late")) {
            throw new SettingsException(List.of("DEMO_COUNT: too many for this server"));
          }
          context.registry().counter("demo.items.done").increment(3);
          if (outcome.equals("fail")) {
            throw new AgentException(ExitCode.OPERATION_FAILED, "the demo dump failed\nbadly");
          }
          if (outcome.equals("bug")) {
            aStepWithABug();
          }
        }

        @Override
        public Map<String, String> metricsGroupingKey() {
          return Map.of("tier", "hourly");
        }
      };
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void aStepWithABug() {
    throw new IllegalStateException("a bug");
  }

  private static Map<String, String> env(Path dir, String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("TERMINATION_LOG_PATH", dir.resolve("termination-log").toString());
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  void helpPrintsUsageSettingsAndExitCodesAndRunsNothing(@TempDir Path dir) throws Exception {
    for (List<String> args :
        List.of(List.of("--help"), List.of("-h"), List.of("recover", "--help"), List.of("help"))) {
      // Even with a setting that would fail the run: help reads none.
      Launcher launcher = new Launcher(new DemoAgent(), env(dir, "DEMO_OUTCOME", "fail"), CLOCK);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      launcher.output(new PrintStream(out, true, StandardCharsets.UTF_8));
      assertThat(launcher.run(args)).as("%s", args).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8))
          .startsWith("demo-agent: does a demo\n")
          .contains("  DEMO_COUNT [default: 1]\n      a number\n")
          .contains(
              "  METRICS_PUSHGATEWAY_PASSWORD\n      basic-auth password for the Pushgateway"
                  + " (secret: also read from METRICS_PUSHGATEWAY_PASSWORD_FILE)\n")
          .contains("    2  BAD_SETTINGS      a setting is missing")
          .contains("  143  TERMINATED");
      assertThat(launcher.registry().scrape()).doesNotContain("demo_items_done");
    }
    assertThat(dir.resolve("termination-log")).doesNotExist();
  }

  @Test
  void successWritesSuccessAndTheLastSuccessGauge(@TempDir Path dir) throws Exception {
    Launcher launcher = new Launcher(new DemoAgent(), env(dir), CLOCK);
    assertThat(launcher.run(List.of())).isZero();
    assertThat(Files.readString(dir.resolve("termination-log"))).isEqualTo("SUCCESS");
    assertThat(launcher.registry().scrape())
        .contains("demo_agent_last_success_timestamp_seconds 1.767323045E9")
        .contains("demo_agent_last_run_exit_code 0.0");
  }

  @Test
  void anUnexpectedFailureLogsItsWholeTrace(@TempDir Path dir) throws Exception {
    Launcher launcher = new Launcher(new DemoAgent(), env(dir, "DEMO_OUTCOME", "bug"), CLOCK);
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      assertThat(launcher.run(List.of())).isEqualTo(ExitCode.UNEXPECTED.status());
    } finally {
      System.setOut(original);
    }
    // Where the bug is, not only the frame that threw.
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .contains("demo-agent failed unexpectedly: java.lang.IllegalStateException: a bug")
        .contains("at io.backupagents.common.launch.LauncherTest.aStepWithABug(")
        .contains("at io.backupagents.common.launch.LauncherTest$DemoAgent$1.run(");
    assertThat(Files.readString(dir.resolve("termination-log")))
        .isEqualTo("FAILURE (1: java.lang.IllegalStateException: a bug)");
  }

  @Test
  void theStartUpLogNamesTheArgumentsAndTheSettingsInForce(@TempDir Path dir) {
    Launcher launcher = new Launcher(new DemoAgent(), env(dir, "DEMO_COUNT", "3"), CLOCK);
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      assertThat(launcher.run(List.of("recover", "--from", "LATEST"))).isZero();
    } finally {
      System.setOut(original);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .contains("demo-agent starting (arguments: recover --from LATEST); settings:")
        .contains("  DEMO_OUTCOME=success (default)")
        .contains("  DEMO_COUNT=3");
  }

  @Test
  void failureExitsWithItsCodeAndWritesAOneLineFailureWithoutLastSuccess(@TempDir Path dir)
      throws Exception {
    Launcher launcher = new Launcher(new DemoAgent(), env(dir, "DEMO_OUTCOME", "fail"), CLOCK);
    assertThat(launcher.run(List.of())).isEqualTo(ExitCode.OPERATION_FAILED.status());
    assertThat(Files.readString(dir.resolve("termination-log")))
        .isEqualTo("FAILURE (6: the demo dump failed badly)");
    assertThat(launcher.registry().scrape())
        .doesNotContain("last_success")
        .contains("demo_agent_last_run_exit_code 6.0");
  }

  @Test
  void exitZeroOnFailureKeepsTheFailureMessage(@TempDir Path dir) throws Exception {
    Launcher launcher =
        new Launcher(
            new DemoAgent(),
            env(dir, "DEMO_OUTCOME", "fail", "EXIT_ZERO_ON_FAILURE", "yes"),
            CLOCK);
    assertThat(launcher.run(List.of())).isZero();
    assertThat(Files.readString(dir.resolve("termination-log"))).startsWith("FAILURE (6:");
  }

  @Test
  void badSettingsAreAllReportedAndExitTwo(@TempDir Path dir) throws Exception {
    Launcher launcher =
        new Launcher(
            new DemoAgent(),
            env(dir, "DEMO_COUNT", "9", "DEMO_OUTCOM", "x", "LOG_LEVEL", "loud"),
            CLOCK);
    assertThat(launcher.run(List.of())).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("termination-log")))
        .isEqualTo(
            "FAILURE (2: invalid settings (3 problems) - LOG_LEVEL=loud: expected one of error,"
                + " warn, info, debug, trace - DEMO_COUNT=9: expected a whole number from 1 to 5"
                + " - unknown variable DEMO_OUTCOM; did you mean DEMO_OUTCOME?)");
  }

  @Test
  void aSettingCheckedWhileTheRunStartsFailsTheRunWithExitTwoWhereTheRunNeedsIt(@TempDir Path dir)
      throws Exception {
    Launcher launcher =
        new Launcher(
            new DemoAgent(), env(dir, "DEMO_KEY", "bad", "DEMO_OUTCOME", "use-key"), CLOCK);
    assertThat(launcher.run(List.of())).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("termination-log")))
        .isEqualTo("FAILURE (2: invalid settings (1 problem) - DEMO_KEY: the key is revoked)");
    assertThat(launcher.registry().scrape()).contains("demo_agent_last_run_exit_code 2.0");
  }

  @Test
  void aRunThatFailsBeforeItNeedsASettingStillBeingCheckedReportsTheBadSetting(@TempDir Path dir)
      throws Exception {
    Launcher launcher =
        new Launcher(new DemoAgent(), env(dir, "DEMO_KEY", "bad", "DEMO_OUTCOME", "fail"), CLOCK);
    assertThat(launcher.run(List.of())).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("termination-log")))
        .isEqualTo("FAILURE (2: invalid settings (1 problem) - DEMO_KEY: the key is revoked)");
  }

  @Test
  void aRunThatSucceedsWithoutNeedingABadSettingStillReportsIt(@TempDir Path dir) throws Exception {
    Launcher launcher = new Launcher(new DemoAgent(), env(dir, "DEMO_KEY", "bad"), CLOCK);
    assertThat(launcher.run(List.of())).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("termination-log")))
        .isEqualTo("FAILURE (2: invalid settings (1 problem) - DEMO_KEY: the key is revoked)");
  }

  @Test
  void aSettingsExceptionOfTheRunIsABadSettingNotAnUnexpectedFailure(@TempDir Path dir)
      throws Exception {
    Launcher launcher =
        new Launcher(new DemoAgent(), env(dir, "DEMO_OUTCOME", "bad-setting-found-late"), CLOCK);
    assertThat(launcher.run(List.of())).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("termination-log")))
        .isEqualTo(
            "FAILURE (2: invalid settings (1 problem) - DEMO_COUNT: too many for this server)");
  }

  @Test
  void aSettingStillBeingCheckedIsReportedWithTheOtherBadSettings(@TempDir Path dir)
      throws Exception {
    Launcher launcher =
        new Launcher(new DemoAgent(), env(dir, "DEMO_KEY", "bad", "DEMO_COUNT", "9"), CLOCK);
    assertThat(launcher.run(List.of())).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("termination-log")))
        .isEqualTo(
            "FAILURE (2: invalid settings (2 problems) - DEMO_COUNT=9: expected a whole number"
                + " from 1 to 5 - DEMO_KEY: the key is revoked)");
  }

  @Test
  void aGoodSettingCheckedWhileTheRunStartsLetsTheRunSucceed(@TempDir Path dir) throws Exception {
    Launcher launcher =
        new Launcher(
            new DemoAgent(), env(dir, "DEMO_KEY", "good", "DEMO_OUTCOME", "use-key"), CLOCK);
    assertThat(launcher.run(List.of())).isZero();
    assertThat(Files.readString(dir.resolve("termination-log"))).isEqualTo("SUCCESS");
  }

  @Test
  void metricsPushedByARunArriveInARealPushgateway(@TempDir Path dir) {
    try (PushgatewayServer pushgateway = PushgatewayServer.start()) {
      Launcher launcher =
          new Launcher(
              new DemoAgent(),
              env(
                  dir,
                  "METRICS_PUSHGATEWAY_URL",
                  pushgateway.url().toString(),
                  "METRICS_INSTANCE",
                  "frag"),
              CLOCK);
      assertThat(launcher.run(List.of())).isZero();
      assertThat(pushgateway.metrics())
          .containsPattern(
              "demo_agent_last_success_timestamp_seconds\\{[^}]*instance=\"frag\"[^}]*job=\"demo-agent\"[^}]*tier=\"hourly\"[^}]*\\} 1\\.767323045e\\+09")
          .containsPattern("demo_items_done_total\\{[^}]*\\} 3");

      // A failed run push-adds its outcome but keeps the last success.
      Launcher failing =
          new Launcher(
              new DemoAgent(),
              env(
                  dir,
                  "METRICS_PUSHGATEWAY_URL",
                  pushgateway.url().toString(),
                  "METRICS_INSTANCE",
                  "frag",
                  "DEMO_OUTCOME",
                  "fail"),
              CLOCK);
      assertThat(failing.run(List.of())).isEqualTo(6);
      assertThat(pushgateway.metrics())
          .contains("demo_agent_last_success_timestamp_seconds")
          .containsPattern("demo_agent_last_run_exit_code\\{[^}]*\\} 6");
    }
  }

  @Test
  void metricsAreServedWhileTheRunIsInProgress(@TempDir Path dir) throws Exception {
    int port = io.backupagents.testing.FreePort.pick();
    java.util.concurrent.atomic.AtomicReference<String> seen =
        new java.util.concurrent.atomic.AtomicReference<>();
    Agent scraping =
        new DemoAgent() {
          @Override
          public Job configure(SettingsReader settings, List<String> args) {
            return context -> {
              context.registry().counter("demo.items.done").increment(2);
              var http = java.net.http.HttpClient.newHttpClient();
              seen.set(
                  http.send(
                          java.net.http.HttpRequest.newBuilder(
                                  java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                              .build(),
                          java.net.http.HttpResponse.BodyHandlers.ofString())
                      .body());
            };
          }
        };
    Launcher launcher =
        new Launcher(scraping, env(dir, "METRICS_PORT", Integer.toString(port)), CLOCK);
    assertThat(launcher.run(List.of())).isZero();
    assertThat(seen.get()).contains("demo_items_done_total 2.0");
  }

  @Test
  void textfileIsWrittenWithTheRunsMetrics(@TempDir Path dir) throws Exception {
    Path textfile = dir.resolve("demo.prom");
    Launcher launcher =
        new Launcher(
            new DemoAgent(), env(dir, "METRICS_TEXTFILE_PATH", textfile.toString()), CLOCK);
    assertThat(launcher.run(List.of())).isZero();
    assertThat(Files.readString(textfile)).contains("demo_agent_last_run_success 1.0");
  }

  @Test
  void aTextfileInAMissingDirectoryIsRefusedAtStartUp(@TempDir Path dir) throws Exception {
    Path textfile = dir.resolve("no-such-dir/demo.prom");
    Launcher launcher =
        new Launcher(
            new DemoAgent(), env(dir, "METRICS_TEXTFILE_PATH", textfile.toString()), CLOCK);
    assertThat(launcher.run(List.of())).isEqualTo(ExitCode.BAD_SETTINGS.status());
    assertThat(Files.readString(dir.resolve("termination-log")))
        .contains("METRICS_TEXTFILE_PATH=" + textfile)
        .contains("expected a file in an existing directory");
    assertThat(launcher.registry().scrape()).doesNotContain("demo_items_done");
  }
}
