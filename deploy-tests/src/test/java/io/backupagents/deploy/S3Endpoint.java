package io.backupagents.deploy;

import io.backupagents.common.s3.RemoteObject;
import io.backupagents.common.s3.S3Connection;
import io.backupagents.common.s3.S3Setting;
import io.backupagents.common.s3.S3Settings;
import io.backupagents.common.s3.S3Store;
import io.backupagents.common.settings.SettingsReader;
import io.backupagents.testing.S3ProxyServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The in-process S3 endpoint on loopback, which containers on the host network reach. */
final class S3Endpoint implements AutoCloseable {

  private final S3ProxyServer proxy = S3ProxyServer.inMemory();
  private final S3Settings settings;
  private final S3Connection connection;

  S3Endpoint() {
    SettingsReader r =
        new SettingsReader(proxy.agentEnvironment(), List.of(S3Setting.values()), List.of());
    settings = S3Settings.read(r, "");
    r.finish();
    connection = S3Connection.open(settings);
  }

  void createBucket(String name) {
    connection.sdk().createBucket(b -> b.bucket(name)).join();
  }

  /** The keys under {@code prefix}. */
  List<String> keys(String bucket, String prefix) {
    List<String> keys = new ArrayList<>();
    for (RemoteObject o : new S3Store(connection, bucket).listAll(prefix)) {
      keys.add(o.key());
    }
    return keys;
  }

  /** The container options that point an agent at this endpoint. */
  List<String> containerEnvironment() {
    List<String> options = new ArrayList<>();
    for (Map.Entry<String, String> e : proxy.agentEnvironment().entrySet()) {
      options.add("-e");
      options.add(e.getKey() + "=" + e.getValue());
    }
    return options;
  }

  @Override
  public void close() {
    connection.close();
    proxy.close();
  }
}
