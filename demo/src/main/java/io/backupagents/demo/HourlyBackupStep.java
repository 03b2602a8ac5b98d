package io.backupagents.demo;

import java.util.Map;

/** The hourly CronJob: a pg_dumpall of the server, then the off-site copy to the bucket. */
final class HourlyBackupStep implements DemoStep {

  @Override
  public String title() {
    return "hourly backup (BACKUP_TYPE=hourly) with the off-site copy (USE_RCLONE)";
  }

  @Override
  public void run(DemoContext c) throws Exception {
    require(c.agent("hourly", Map.of("BACKUP_TYPE", "hourly"), "backup"));
  }

  static void require(DemoContext.AgentResult r) {
    if (r.exitCode() != 0) {
      throw new IllegalStateException("the run failed: " + r.termination());
    }
  }
}
