package io.backupagents.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.backupagents.common.launch.Agent;
import io.backupagents.common.launch.CommonSetting;
import io.backupagents.common.settings.SettingDefinition;
import io.backupagents.common.settings.SettingsException;
import io.backupagents.common.settings.SettingsReader;
import io.backupagents.replicator.VolumeReplicatorAgent;
import io.backupagents.sqlbackup.SqlBackupAgent;
import io.backupagents.sqlbackup.settings.HostEnvironment;
import io.backupagents.testing.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Feeds a rendered container's environment to the agent's own settings validation, as the image
 * would at start-up: a chart that sets a variable the agent does not know, or a combination it
 * refuses, fails here instead of in a cluster at 3 a.m.
 */
final class AgentSettings {

  private static final Pattern TLS_FILE =
      Pattern.compile("(VERIFY_)?PGSSL(ROOTCERT|CERT|KEY_FILE|CRL)");
  private static final TestCertificates STAND_IN_CA = TestCertificates.authority("stand-in CA");
  private static final TestCertificates.Issued STAND_IN_CLIENT = STAND_IN_CA.client("postgres");

  private AgentSettings() {}

  /** Fails when the agent would refuse the workload's settings (exit code 2). */
  static void assertAccepted(Workload workload, Path scratch) {
    Agent agent =
        switch (workload.agent()) {
          case "sql-backup" -> new SqlBackupAgent(HostEnvironment.of(Map.of(), Clock.systemUTC()));
          case "volume-replicator" -> new VolumeReplicatorAgent("UTF-8");
          default -> throw new AssertionError("unknown agent container " + workload.agent());
        };
    Map<String, String> env = environment(workload, scratch);
    List<String> args = new ArrayList<>();
    workload.container().path("args").forEach(a -> args.add(a.asText()));
    List<SettingDefinition> definitions = new ArrayList<>(Arrays.asList(CommonSetting.values()));
    definitions.addAll(agent.settings());
    SettingsReader reader = new SettingsReader(env, definitions, agent.ownedPrefixes());
    try {
      CommonSetting.readMetrics(reader, agent.name());
      agent.configure(reader, args);
      reader.finish();
    } catch (SettingsException e) {
      throw new AssertionError(
          workload + ": " + agent.name() + " refuses the chart's settings: " + e.getMessage(), e);
    }
    assertThat(env).as("%s environment", workload).isNotEmpty();
  }

  /**
   * The variables as the container would see them: Secret values become placeholders, and each
   * {@code *_FILE} points at a file holding one (the mounted Secret's stand-in).
   */
  private static Map<String, String> environment(Workload workload, Path scratch) {
    Map<String, String> env = new HashMap<>();
    // What the image sets (Dockerfiles) and Kubernetes adds to an Indexed Job's pods.
    env.put("LANG", "C.UTF-8");
    env.put("TZ", "UTC");
    for (Map.Entry<String, JsonNode> e : workload.env().entrySet()) {
      JsonNode entry = e.getValue();
      String name = e.getKey();
      if (entry.has("value") && TLS_FILE.matcher(name).matches()) {
        env.put(name, tlsFile(scratch, name, entry.path("value").asText()));
      } else if (entry.has("value")) {
        String value = entry.path("value").asText();
        env.put(name, name.endsWith("_FILE") ? secretFile(scratch, value) : value);
      } else if (entry.at("/valueFrom/secretKeyRef").isObject()) {
        env.put(name, "secret-from-" + entry.at("/valueFrom/secretKeyRef/name").asText());
      } else {
        env.put(name, "from-" + entry.path("valueFrom").fieldNames().next());
      }
    }
    if ("Indexed".equals(workload.jobSpec().path("completionMode").asText())) {
      env.put("JOB_COMPLETION_INDEX", "0");
    }
    return env;
  }

  /**
   * A mounted Secret's certificate, key or revocation list: the agent reads them at start-up, so
   * the stand-ins are real PEM of one test CA (client certificate and key of one pair).
   */
  private static String tlsFile(Path scratch, String name, String mountedPath) {
    Path file = scratch.resolve(mountedPath.replaceAll("^/+", ""));
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String kind = name.replaceAll("^VERIFY_", "");
    switch (kind) {
      case "PGSSLROOTCERT" -> STAND_IN_CA.ca().writeCertificate(file);
      case "PGSSLCERT" -> STAND_IN_CLIENT.writeCertificate(file);
      case "PGSSLKEY_FILE" -> STAND_IN_CLIENT.writeKey(file);
      default -> STAND_IN_CA.writeCrl(file);
    }
    return file.toString();
  }

  private static String secretFile(Path scratch, String mountedPath) {
    try {
      Path file = scratch.resolve(mountedPath.replaceAll("^/+", ""));
      Files.createDirectories(file.getParent());
      Files.writeString(file, "secret-placeholder\n");
      return file.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
