package io.backupagents.sqlbackup;

import io.backupagents.common.launch.Launcher;
import io.backupagents.sqlbackup.settings.HostEnvironment;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Entry point of the sql-backup image: {@code backup} (default), {@code list}, {@code recover},
 * {@code verify}.
 */
public final class SqlBackupMain {

  private SqlBackupMain() {}

  public static void main(String[] args) {
    Map<String, String> env = System.getenv();
    Clock clock = Clock.systemUTC();
    SqlBackupAgent agent = new SqlBackupAgent(HostEnvironment.of(env, clock));
    System.exit(new Launcher(agent, env, clock).run(List.of(args)));
  }
}
