package io.backupagents.sqlbackup;

import io.backupagents.common.launch.Launcher;
import java.time.Clock;
import java.util.List;

/**
 * Entry point of the sql-backup image: {@code backup} (default), {@code list}, {@code recover},
 * {@code verify}.
 */
public final class SqlBackupMain {

  private SqlBackupMain() {}

  public static void main(String[] args) {
    System.exit(
        new Launcher(new SqlBackupAgent(), System.getenv(), Clock.systemUTC()).run(List.of(args)));
  }
}
