package io.backupagents.demo;

import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the demo's steps against real components and reports. To extend it (a restore, a
 * verification), add a {@link DemoStep} to {@link #standardSteps()}: each step gets the servers,
 * the backup root and a way to run the agent through its real launcher from the {@link
 * DemoContext}.
 */
public final class Demo {

  private final Map<String, String> env;
  private final Clock clock;
  private final PrintStream out;

  public Demo(Map<String, String> env, Clock clock, PrintStream out) {
    this.env = Map.copyOf(env);
    this.clock = clock;
    this.out = out;
  }

  /** The steps of the one-command demo, in order. */
  public static List<DemoStep> standardSteps() {
    List<DemoStep> steps = new ArrayList<>();
    steps.add(new StartServersStep());
    steps.add(new HourlyBackupStep());
    steps.add(new DailyPromotionStep());
    steps.add(new ListTiersStep());
    steps.add(new RecoverStep());
    steps.add(new ReportStep());
    return steps;
  }

  /** Runs {@code steps}; returns 0 when all succeeded, else 1. Everything started is stopped. */
  public int run(List<DemoStep> steps) {
    try (DemoContext context = new DemoContext(env, clock, out)) {
      int n = 0;
      for (DemoStep step : steps) {
        out.printf("%n==== %d. %s ====%n", ++n, step.title());
        step.run(context);
      }
      out.printf("%n==== the demo finished: every step succeeded ====%n");
      return 0;
    } catch (Exception e) {
      out.printf("%n==== the demo FAILED: %s ====%n", e.getMessage());
      e.printStackTrace(out);
      return 1;
    } finally {
      out.flush();
    }
  }
}
