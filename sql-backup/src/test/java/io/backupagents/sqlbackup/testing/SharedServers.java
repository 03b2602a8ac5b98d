package io.backupagents.sqlbackup.testing;

import io.backupagents.testing.PostgresServer;

/**
 * One PostgreSQL server loaded with {@link SampleData}, shared by the test classes of this module
 * (starting and loading one takes seconds). Tests must not stop or change it; fault tests that stop
 * a server start their own.
 */
public final class SharedServers {

  private static PostgresServer source;

  private SharedServers() {}

  public static synchronized PostgresServer source() {
    if (source == null) {
      PostgresServer server = PostgresServer.start();
      SampleData.load(server);
      source = server;
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "close-shared-postgres"));
    }
    return source;
  }
}
