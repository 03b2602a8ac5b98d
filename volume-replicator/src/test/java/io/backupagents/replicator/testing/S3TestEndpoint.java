package io.backupagents.replicator.testing;

import io.backupagents.common.s3.S3Connection;
import io.backupagents.common.s3.S3Setting;
import io.backupagents.common.s3.S3Settings;
import io.backupagents.common.s3.S3Store;
import io.backupagents.common.settings.SettingsReader;
import io.backupagents.testing.S3ProxyServer;
import java.util.List;
import org.junit.jupiter.api.TestInfo;

/**
 * An in-memory S3Proxy with a connection configured from the same settings the agent reads, and a
 * fresh bucket per test.
 */
public final class S3TestEndpoint implements AutoCloseable {

  private final S3ProxyServer server = S3ProxyServer.inMemory();
  private final S3Settings settings;
  private final S3Connection connection;

  public S3TestEndpoint() {
    SettingsReader r =
        new SettingsReader(server.agentEnvironment(), List.of(S3Setting.values()), List.of());
    settings = S3Settings.read(r, "for the test");
    r.finish();
    connection = S3Connection.open(settings);
  }

  public S3ProxyServer server() {
    return server;
  }

  /** Creates a bucket named after the test, {@code prefix} first; returns its name. */
  public String newBucket(String prefix, TestInfo test) {
    String bucket = prefix + Integer.toHexString(test.getDisplayName().hashCode() & 0xfffffff);
    connection.sdk().createBucket(b -> b.bucket(bucket)).join();
    return bucket;
  }

  public S3Store store(String bucket) {
    return new S3Store(connection, bucket);
  }

  @Override
  public void close() {
    connection.close();
    server.close();
  }
}
