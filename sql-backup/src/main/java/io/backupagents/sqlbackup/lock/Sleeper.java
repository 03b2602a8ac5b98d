package io.backupagents.sqlbackup.lock;

import java.time.Duration;

/** Waits in real time; replaceable in tests. */
@FunctionalInterface
public interface Sleeper {

  Sleeper REAL = d -> Thread.sleep(d.toMillis());

  void sleep(Duration duration) throws InterruptedException;
}
