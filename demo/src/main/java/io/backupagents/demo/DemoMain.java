package io.backupagents.demo;

import java.time.Clock;

/**
 * Try sql-backup in one command ({@code ./mvnw -B -q -pl demo exec:java}): a throw-away PostgreSQL
 * with sample data and an in-process S3 endpoint, an hourly backup with its off-site copy, a daily
 * promotion, the list of tiers, and where everything went.
 */
public final class DemoMain {

  private DemoMain() {}

  public static void main(String[] args) {
    System.exit(new Demo(System.getenv(), Clock.systemUTC(), System.out).run(Demo.standardSteps()));
  }
}
