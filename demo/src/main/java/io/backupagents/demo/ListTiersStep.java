package io.backupagents.demo;

import java.util.Map;

/** The list action: what each tier holds on the volume and in the bucket. */
final class ListTiersStep implements DemoStep {

  @Override
  public String title() {
    return "list the tiers (sql-backup list --check)";
  }

  @Override
  public void run(DemoContext c) throws Exception {
    HourlyBackupStep.require(c.agent("list", Map.of("LOG_LEVEL", "warn"), "list", "--check"));
  }
}
