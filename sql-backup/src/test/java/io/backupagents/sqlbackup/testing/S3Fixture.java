package io.backupagents.sqlbackup.testing;

import io.backupagents.common.s3.S3Connection;
import io.backupagents.common.s3.S3Setting;
import io.backupagents.common.s3.S3Settings;
import io.backupagents.common.s3.S3Store;
import io.backupagents.common.settings.SettingsReader;
import io.backupagents.testing.S3ProxyServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** An in-process S3 endpoint with a connection, for mirror and bucket-store tests. */
public final class S3Fixture implements AutoCloseable {

  private final S3ProxyServer proxy;
  private final S3Settings settings;
  private final S3Connection connection;

  private S3Fixture(S3ProxyServer proxy) {
    this.proxy = proxy;
    this.settings = settings(Map.of());
    this.connection = S3Connection.open(settings);
  }

  public static S3Fixture start() {
    return new S3Fixture(S3ProxyServer.onDisk());
  }

  /** Creates the bucket and returns a store on it. */
  public S3Store bucket(String name) {
    connection.sdk().createBucket(b -> b.bucket(name)).join();
    return store(name);
  }

  public S3Store store(String name) {
    return new S3Store(connection, name);
  }

  /** S3 settings for the endpoint with {@code overrides} (e.g. S3_MULTIPART_THRESHOLD). */
  public S3Settings settings(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>(proxy.agentEnvironment());
    env.putAll(overrides);
    SettingsReader r = new SettingsReader(env, List.of(S3Setting.values()), List.of());
    S3Settings s = S3Settings.read(r, "");
    r.finish();
    return s;
  }

  /** The legacy image's variable names for this endpoint, as old manifests set them. */
  public Map<String, String> legacyEnvironment() {
    return Map.of(
        "RCLONE_S3_ENDPOINT",
        proxy.endpoint().toString(),
        "RCLONE_S3_PROVIDER",
        "Other",
        "AWS_ACCESS_KEY_ID",
        S3ProxyServer.ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY",
        S3ProxyServer.SECRET_KEY,
        "AWS_DEFAULT_REGION",
        "us-east-1");
  }

  /** rclone's configuration of a remote named {@code name} on this endpoint, as variables. */
  public Map<String, String> rcloneEnvironment(String name) {
    String p = "RCLONE_CONFIG_" + name.toUpperCase(java.util.Locale.ROOT) + "_";
    return Map.of(
        p + "TYPE",
        "s3",
        p + "PROVIDER",
        "Other",
        p + "ENDPOINT",
        proxy.endpoint().toString(),
        p + "ACCESS_KEY_ID",
        S3ProxyServer.ACCESS_KEY,
        p + "SECRET_ACCESS_KEY",
        S3ProxyServer.SECRET_KEY,
        p + "REGION",
        "us-east-1");
  }

  @Override
  public void close() {
    connection.close();
    proxy.close();
  }
}
