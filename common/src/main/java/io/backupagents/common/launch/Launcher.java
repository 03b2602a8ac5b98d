package io.backupagents.common.launch;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.exit.FileSystemFailures;
import io.backupagents.common.exit.TerminationMessage;
import io.backupagents.common.logging.LogSetup;
import io.backupagents.common.metrics.MetricsExporter;
import io.backupagents.common.metrics.MetricsSettings;
import io.backupagents.common.process.LocalProcessRunner;
import io.backupagents.common.process.ProcessRunner;
import io.backupagents.common.settings.SettingDefinition;
import io.backupagents.common.settings.SettingsException;
import io.backupagents.common.settings.SettingsReader;
import io.backupagents.common.settings.SettingsTable;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns a run's outcome into an exit status: reads and validates settings,
 * configures logging, runs the job, records the run metrics, exports them, and writes the
 * termination message. Only {@code *Main} calls {@code System.exit} with what this returns.
 */
public final class Launcher {

  private static final Logger log = LoggerFactory.getLogger(Launcher.class);
  private static final String SIGTERM_CAUSE = "terminated by SIGTERM before the run ended";
  private static final Set<String> HELP = Set.of("--help", "-h", "help");

  private final Agent agent;
  private final AtomicBoolean signalled = new AtomicBoolean();
  private final Map<String, String> env;
  private final Clock clock;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private ProcessRunner processes;
  private PrintStream out = System.out;

  public Launcher(Agent agent, Map<String, String> env, Clock clock) {
    this.agent = agent;
    this.env = Map.copyOf(env);
    this.clock = clock;
    this.processes = new LocalProcessRunner(env);
  }

  /** Replaces the process runner, e.g. with one that records argv in a test. */
  public Launcher processRunner(ProcessRunner runner) {
    this.processes = runner;
    return this;
  }

  /** Replaces standard output, where {@code --help} goes, e.g. with a buffer in a test. */
  public Launcher output(PrintStream stream) {
    this.out = stream;
    return this;
  }

  /** The run's metrics, for tests and the demo. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Runs the agent with {@code args} and returns the process exit status. */
  public int run(List<String> args) {
    Instant start = clock.instant();
    List<SettingDefinition> definitions = new ArrayList<>(Arrays.asList(CommonSetting.values()));
    definitions.addAll(agent.settings());
    if (args.stream().anyMatch(HELP::contains)) {
      // Help reads no setting and runs nothing: no log, metrics or termination message.
      out.print(help(definitions));
      out.flush();
      return 0;
    }
    SettingsReader settings = new SettingsReader(env, definitions, agent.ownedPrefixes());
    LogSetup.configure(
        settings.choice(CommonSetting.LOG_FORMAT, LogSetup.Format.class),
        settings.choice(CommonSetting.LOG_LEVEL, LogSetup.LogLevel.class));
    Path terminationPath =
        settings.path(CommonSetting.TERMINATION_LOG_PATH).orElse(Path.of("/dev/termination-log"));
    TerminationMessage termination = new TerminationMessage(terminationPath);
    boolean exitZero = settings.flag(CommonSetting.EXIT_ZERO_ON_FAILURE);
    MetricsSettings metricsSettings = CommonSetting.readMetrics(settings, agent.name());

    Job job;
    try {
      job = agent.configure(settings, args);
      settings.finish();
    } catch (SettingsException e) {
      log.error("{}: {}", agent.name(), e.getMessage());
      return finish(ExitCode.BAD_SETTINGS, e.getMessage(), termination, exitZero);
    } catch (AgentException e) {
      log.error("{}: {}", agent.name(), e.getMessage());
      return finish(e.exitCode(), e.getMessage(), termination, exitZero);
    }
    // Arguments never hold secrets (they show in the pod's spec and in ps): logged as given.
    log.info(
        "{} starting{}; settings:",
        agent.name(),
        args.isEmpty() ? "" : " (arguments: " + String.join(" ", args) + ")");
    settings.dump().forEach(line -> log.info("  {}", line));
    settings.nearMisses().forEach(line -> log.warn("{}", line));

    AtomicBoolean finished = new AtomicBoolean();
    Thread onSigterm =
        new Thread(
            () -> {
              // The JVM exits with 143 after a SIGTERM whatever the run does next: the message
              // says the same (finish() below writes it again if the run ends meanwhile).
              signalled.set(true);
              if (!finished.get()) {
                termination.write(ExitCode.TERMINATED, SIGTERM_CAUSE);
                log.warn(
                    "{} received SIGTERM: stopping its child processes and removing its partial"
                        + " files",
                    agent.name());
              }
            },
            "termination-message-on-signal");
    Runtime.getRuntime().addShutdownHook(onSigterm);

    ExitCode code = ExitCode.SUCCESS;
    String cause = null;
    try (MetricsExporter exporter = new MetricsExporter(metricsSettings, registry)) {
      try {
        exporter.start();
      } catch (IOException e) {
        log.error("could not serve metrics on port {}: {}", metricsSettings.port(), e.toString());
      }
      try {
        job.run(new RunContext(clock, registry, processes));
      } catch (SettingsException e) {
        // A setting checked while the run started (PendingCheck), found bad where the run needed
        // it.
        code = ExitCode.BAD_SETTINGS;
        cause = e.getMessage();
        log.error("{}: {}", agent.name(), cause);
      } catch (AgentException e) {
        code = e.exitCode();
        cause = e.getMessage();
        log.error("{} failed ({}): {}", agent.name(), code, cause);
        log.debug("failure detail", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        code = ExitCode.OPERATION_FAILED;
        cause = "interrupted";
        log.error("{} was interrupted", agent.name());
      } catch (Exception | Error e) {
        Optional<AgentException> fs = FileSystemFailures.classify(e, null);
        if (fs.isPresent()) {
          // A full or read-only volume is the environment's, not a bug: one line, no trace.
          code = fs.get().exitCode();
          cause = fs.get().getMessage();
          log.error("{} failed ({}): {}", agent.name(), code, cause);
          log.debug("failure detail", e);
        } else {
          code = ExitCode.UNEXPECTED;
          cause = e.toString();
          // A bug: the whole trace (the log pattern shows one frame of a throwable otherwise).
          java.io.StringWriter trace = new java.io.StringWriter();
          e.printStackTrace(new java.io.PrintWriter(trace));
          log.error("{} failed unexpectedly: {}", agent.name(), trace.toString().strip());
        }
      }
      if (code != ExitCode.BAD_SETTINGS) {
        // The run ended (failed, most likely) before it needed a setting still being checked: a
        // bad setting is the cause to report and to fix first, as had the check been quicker.
        List<String> late = settings.pendingProblems();
        if (!late.isEmpty()) {
          code = ExitCode.BAD_SETTINGS;
          cause = new SettingsException(late).getMessage();
          log.error("{}: {}", agent.name(), cause);
        }
      }
      recordRun(start, code, job.recordsSuccess());
      exporter.export(job.metricsGroupingKey());
    } finally {
      finished.set(true);
      try {
        Runtime.getRuntime().removeShutdownHook(onSigterm);
      } catch (IllegalStateException e) {
        // Already shutting down: the hook runs or ran.
      }
    }
    if (code == ExitCode.SUCCESS) {
      log.info("{} finished successfully in {}", agent.name(), elapsed(start));
    }
    return finish(code, cause, termination, exitZero);
  }

  private String help(List<SettingDefinition> definitions) {
    return agent.usage()
        + "\nSettings (environment variables; values shown at the start of each run, secrets"
        + " masked):\n"
        + SettingsTable.text(definitions)
        + "\nExit codes:\n"
        + ExitCode.describeAll();
  }

  private int finish(ExitCode code, String cause, TerminationMessage termination, boolean zero) {
    if (signalled.get()) {
      code = ExitCode.TERMINATED;
      cause = SIGTERM_CAUSE;
    }
    termination.write(code, cause);
    if (code != ExitCode.SUCCESS && zero) {
      log.warn("EXIT_ZERO_ON_FAILURE=yes: exiting 0 although the run failed ({})", code);
      return 0;
    }
    return code.status();
  }

  private void recordRun(Instant start, ExitCode code, boolean recordsSuccess) {
    String prefix = agent.name().replace('-', '_');
    double now = clock.millis() / 1000.0;
    double seconds = Duration.between(start, clock.instant()).toMillis() / 1000.0;
    Gauge.builder(prefix + ".last.run.timestamp", () -> now)
        .description("when the last run ended")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder(prefix + ".last.run.duration", () -> seconds)
        .description("how long the last run took")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder(prefix + ".last.run.exit.code", code::status)
        .description("exit code of the last run (0 = success)")
        .register(registry);
    Gauge.builder(prefix + ".last.run.success", () -> code == ExitCode.SUCCESS ? 1 : 0)
        .description("1 when the last run succeeded, else 0")
        .register(registry);
    if (code == ExitCode.SUCCESS && recordsSuccess) {
      // Only a successful run carries this gauge, so push-add keeps the previous success.
      Gauge.builder(prefix + ".last.success.timestamp", () -> now)
          .description("when the last successful run ended")
          .baseUnit("seconds")
          .register(registry);
    }
  }

  private String elapsed(Instant start) {
    return io.backupagents.common.logging.Units.duration(Duration.between(start, clock.instant()));
  }
}
