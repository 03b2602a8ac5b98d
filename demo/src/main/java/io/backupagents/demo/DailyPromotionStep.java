package io.backupagents.demo;

import java.util.Map;

/** The daily CronJob: promotes the oldest hourly backup into the daily tier. */
final class DailyPromotionStep implements DemoStep {

  @Override
  public String title() {
    return "daily promotion (BACKUP_TYPE=daily, BACKUP_COUNT=7)";
  }

  @Override
  public void run(DemoContext c) throws Exception {
    HourlyBackupStep.require(
        c.agent("daily", Map.of("BACKUP_TYPE", "daily", "BACKUP_COUNT", "7"), "backup"));
  }
}
