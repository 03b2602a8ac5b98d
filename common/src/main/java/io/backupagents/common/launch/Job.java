package io.backupagents.common.launch;

import java.util.Map;

/** A configured, validated run of an agent. */
public interface Job {

  /**
   * Does the work. Returns normally on success; throws an {@link
   * io.backupagents.common.exit.AgentException} with the exit code of any other outcome.
   */
  void run(RunContext context) throws Exception;

  /**
   * Whether a successful run sets the last-success time: false for runs that change nothing on
   * purpose (a dry run), so that staleness alerts still see the age of the last real run.
   */
  default boolean recordsSuccess() {
    return true;
  }

  /** Labels that keep this job's pushed metrics apart from its siblings', e.g. the tier. */
  default Map<String, String> metricsGroupingKey() {
    return Map.of();
  }
}
