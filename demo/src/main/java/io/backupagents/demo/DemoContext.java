package io.backupagents.demo;

import io.backupagents.common.launch.Launcher;
import io.backupagents.common.s3.S3Connection;
import io.backupagents.common.s3.S3Setting;
import io.backupagents.common.s3.S3Settings;
import io.backupagents.common.s3.S3Store;
import io.backupagents.common.settings.SettingsReader;
import io.backupagents.sqlbackup.SqlBackupAgent;
import io.backupagents.sqlbackup.settings.HostEnvironment;
import io.backupagents.testing.PostgresServer;
import io.backupagents.testing.S3ProxyServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the demo's steps share: the throw-away servers, the backup root, and {@link #agent}, which
 * runs sql-backup through its real launcher with the demo's environment.
 */
public final class DemoContext implements AutoCloseable {

  /** The bucket and prefix the off-site copy goes to. */
  public static final String BUCKET = "offsite";

  public static final String PREFIX = "sql-backup-demo";

  private final Map<String, String> hostEnv;
  private final Clock clock;
  private final PrintStream out;
  private final Path workDir;
  private PostgresServer postgres;
  private S3ProxyServer s3;
  private final Map<String, AgentResult> results = new HashMap<>();
  private S3Connection s3Connection;

  DemoContext(Map<String, String> hostEnv, Clock clock, PrintStream out) throws IOException {
    this.hostEnv = hostEnv;
    this.clock = clock;
    this.out = out;
    this.workDir = Files.createTempDirectory("sql-backup-demo-");
    Files.createDirectories(backupRoot());
  }

  /** What an agent run ended with. */
  public record AgentResult(int exitCode, String termination, String metrics) {}

  public PrintStream out() {
    return out;
  }

  public Clock clock() {
    return clock;
  }

  /** The demo's directory: the backup root and the termination log live here (kept). */
  public Path workDir() {
    return workDir;
  }

  public Path backupRoot() {
    return workDir.resolve("backup");
  }

  public PostgresServer postgres() {
    return postgres;
  }

  public S3ProxyServer s3() {
    return s3;
  }

  void servers(PostgresServer pg, S3ProxyServer store) {
    this.postgres = pg;
    this.s3 = store;
  }

  /** The outcome of an earlier step's agent run, by the name it was run under. */
  public AgentResult result(String name) {
    AgentResult r = results.get(name);
    if (r == null) {
      throw new IllegalStateException("no agent run named " + name);
    }
    return r;
  }

  /** The demo's bucket, through the same S3 client code the agent uses. */
  public S3Store bucket() {
    S3Settings settings = s3Settings();
    if (s3Connection == null) {
      s3Connection = S3Connection.open(settings);
    }
    return new S3Store(s3Connection, BUCKET);
  }

  /** Creates the demo's bucket. */
  void createBucket() {
    bucket();
    s3Connection.sdk().createBucket(b -> b.bucket(BUCKET)).join();
  }

  private S3Settings s3Settings() {
    SettingsReader r =
        new SettingsReader(manifestEnvironment(), List.of(S3Setting.values()), List.of());
    S3Settings settings = S3Settings.read(r, "for the demo");
    r.finish();
    return settings;
  }

  /** The variables a CronJob manifest would set for this demo's server, volume and bucket. */
  public Map<String, String> manifestEnvironment() {
    Map<String, String> env = new HashMap<>();
    env.put("PGHOST", postgres.host());
    env.put("PGPORT", Integer.toString(postgres.port()));
    env.put("PGUSER", PostgresServer.SUPERUSER);
    env.put("PGADMINPASS", postgres.password());
    env.put("BACKUP_ROOT_DIR", backupRoot().toString());
    env.put("USE_RCLONE", "yes");
    env.put("USE_RCLONE_BUCKET_AND_PATH", "/" + BUCKET + "/" + PREFIX);
    env.put("RCLONE_S3_ENDPOINT", s3.endpoint().toString());
    env.put("RCLONE_S3_PROVIDER", "Other");
    env.put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
    env.put("TERMINATION_LOG_PATH", workDir.resolve("termination-log").toString());
    return env;
  }

  /**
   * Runs the sql-backup agent as its CronJob would: the manifest's variables plus {@code extra},
   * with {@code args}. Prints and returns the outcome.
   */
  public AgentResult agent(String name, Map<String, String> extra, String... args)
      throws IOException {
    Map<String, String> env = new HashMap<>();
    for (String variable : List.of("PATH", "HOME", "TMPDIR", "LANG")) {
      if (hostEnv.containsKey(variable)) {
        env.put(variable, hostEnv.get(variable));
      }
    }
    env.putAll(manifestEnvironment());
    env.putAll(extra);
    Launcher launcher =
        new Launcher(new SqlBackupAgent(HostEnvironment.of(env, clock)), env, clock);
    int code = launcher.run(List.of(args));
    String termination =
        Files.readString(workDir.resolve("termination-log"), StandardCharsets.UTF_8);
    AgentResult result = new AgentResult(code, termination, launcher.registry().scrape());
    results.put(name, result);
    out.printf("-> exit code %d, termination message: %s%n", code, termination);
    return result;
  }

  /** Stops the servers; the backup root stays for a look. */
  @Override
  public void close() {
    if (s3Connection != null) {
      s3Connection.close();
    }
    if (s3 != null) {
      s3.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }
}
