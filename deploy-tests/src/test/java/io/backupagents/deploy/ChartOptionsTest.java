package io.backupagents.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chart's options one by one, and the mistakes it refuses to render. */
class ChartOptionsTest {

  /** The least a backup release needs. */
  private static Map<String, Object> backups() {
    Map<String, Object> set = new HashMap<>();
    set.put("sqlBackup.enabled", "true");
    set.put("sqlBackup.postgres.host", "db");
    set.put("backupVolume.existingClaim", "backups");
    return set;
  }

  /** The least a replication release needs. */
  private static Map<String, Object> replication() {
    Map<String, Object> set = new HashMap<>();
    set.put("volumeReplicator.enabled", "true");
    set.put("volumeReplicator.source.existingClaim", "media");
    set.put("volumeReplicator.targets.copy.schedule", "0 3 * * *");
    set.put("volumeReplicator.targets.copy.directory.existingClaim", "media-copy");
    return set;
  }

  private static Map<String, Object> with(Map<String, Object> base, Object... pairs) {
    Map<String, Object> set = new HashMap<>(base);
    for (int i = 0; i < pairs.length; i += 2) {
      set.put((String) pairs[i], pairs[i + 1]);
    }
    return set;
  }

  @Test
  void defaultValuesLintCleanlyAndRenderNothing(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.yaml"), "{}\n");
    HelmChart.assertLintsClean(HelmChart.lint(empty), "with the default values");
    assertThat(HelmChart.render(Map.of())).isEmpty();
  }

  @Test
  void schemaRefusesAPasswordGivenAsAValue(@TempDir Path dir) throws Exception {
    Path values =
        Files.writeString(
            dir.resolve("plain-password.yaml"),
            "sqlBackup:\n  enabled: true\n  postgres:\n    host: db\n    password: hunter2\n"
                + "backupVolume:\n  existingClaim: backups\n");
    var result = HelmChart.lint(values);
    String messages = String.join("\n", result.getMessages());
    assertThat(result.isFailed()).as(messages).isTrue();
    assertThat(messages).contains("password").doesNotContain("hunter2");
    assertThat(HelmChart.renderError(with(backups(), "s3.secretAccessKey", "hunter2")))
        .contains("secretAccessKey")
        .doesNotContain("hunter2");
  }

  @Test
  void refusesACredentialAsAPlainValue() {
    String error =
        HelmChart.renderError(
            with(backups(), "extraEnv[0].name", "PGADMINPASS", "extraEnv[0].value", "hunter2"));
    assertThat(error)
        .contains("PGADMINPASS looks like a credential")
        .contains("Secret reference")
        .doesNotContain("hunter2");
  }

  @Test
  void acceptsExtraVariablesFromSecrets() {
    List<JsonNode> objects =
        HelmChart.render(
            with(
                backups(),
                "sqlBackup.extraEnv[0].name",
                "METRICS_PUSHGATEWAY_PASSWORD",
                "sqlBackup.extraEnv[0].valueFrom.secretKeyRef.name",
                "pushgateway",
                "sqlBackup.extraEnv[0].valueFrom.secretKeyRef.key",
                "password",
                "sqlBackup.extraEnv[1].name",
                "LOG_LEVEL",
                "sqlBackup.extraEnv[1].value",
                "debug"));
    Workload hourly =
        new Workload(HelmChart.named(objects, "CronJob", "frag-backup-agents-backup-hourly"));
    assertThat(ExampleDeploymentsTest.secretRef(hourly, "METRICS_PUSHGATEWAY_PASSWORD"))
        .isEqualTo("pushgateway/password");
    assertThat(hourly.envValue("LOG_LEVEL")).isEqualTo("debug");
  }

  @Test
  void namesWhatIsMissing() {
    Map<String, Object> noHost = backups();
    noHost.remove("sqlBackup.postgres.host");
    assertThat(HelmChart.renderError(noHost)).contains("sqlBackup.postgres.host is required");
    Map<String, Object> noVolume = backups();
    noVolume.remove("backupVolume.existingClaim");
    assertThat(HelmChart.renderError(noVolume)).contains("backupVolume: set existingClaim or nfs");
    assertThat(HelmChart.renderError(with(backups(), "sqlBackup.offsite.enabled", "true")))
        .contains("sqlBackup.offsite.url is required");
    assertThat(
            HelmChart.renderError(
                with(backups(), "sqlBackup.postgres.passwordSecret.name", "db-credentials")))
        .contains("needs a key");
  }

  @Test
  void refusesFailFastExitCodesKubernetesWouldReject(@TempDir Path dir) throws Exception {
    Path values =
        Files.writeString(
            dir.resolve("codes.yaml"), "jobDefaults:\n  failFastExitCodes: [10, 2]\n");
    try {
      HelmChart.render(List.of(values), backups());
      throw new AssertionError("rendered with unordered exit codes");
    } catch (IllegalStateException e) {
      assertThat(e.getMessage()).contains("positive and in ascending order");
    }
  }

  @Test
  void onlyTheHourlyTierConnectsToTheServer() {
    List<JsonNode> objects = HelmChart.render(backups());
    for (String tier : List.of("daily", "weekly", "monthly")) {
      Workload w =
          new Workload(HelmChart.named(objects, "CronJob", "frag-backup-agents-backup-" + tier));
      assertThat(w.env()).as(tier).doesNotContainKeys("PGHOST", "PGADMINPASS", "DATABASE");
    }
    assertThat(HelmChart.ofKind(objects, "CronJob")).hasSize(4);
  }

  @Test
  void onlyTheHourlyTierGetsThePublicKeysAndOnlyVerifyAndRecoveryThePrivateKey() {
    Map<String, Object> set =
        with(
            backups(),
            "sqlBackup.compression",
            "zstd",
            "sqlBackup.encryption.recipients.configMap.name",
            "backup-recipients",
            "sqlBackup.encryption.recipients.configMap.key",
            "recipients.asc",
            "sqlBackup.encryption.decryptionKeySecret.name",
            "backup-key",
            "sqlBackup.encryption.decryptionKeySecret.key",
            "private.asc",
            "sqlBackup.encryption.decryptionKeyPassphraseSecret.name",
            "backup-key",
            "sqlBackup.encryption.decryptionKeyPassphraseSecret.key",
            "passphrase",
            "sqlBackup.verify.enabled",
            "true",
            "recovery.enabled",
            "true",
            "recovery.postgres.host",
            "staging-db",
            "recovery.decryptionKeySecret.name",
            "backup-key",
            "recovery.decryptionKeySecret.key",
            "private.asc");
    List<JsonNode> objects = HelmChart.render(set);

    Workload hourly =
        new Workload(HelmChart.named(objects, "CronJob", "frag-backup-agents-backup-hourly"));
    assertThat(hourly.envValue("BACKUP_COMPRESSION")).isEqualTo("zstd");
    assertThat(
            hourly
                .env()
                .get("BACKUP_ENCRYPTION_RECIPIENTS")
                .at("/valueFrom/configMapKeyRef/name")
                .asText())
        .isEqualTo("backup-recipients");
    for (String tier : List.of("hourly", "daily", "weekly", "monthly")) {
      Workload w =
          new Workload(HelmChart.named(objects, "CronJob", "frag-backup-agents-backup-" + tier));
      assertThat(w.env())
          .as(tier)
          .doesNotContainKeys("BACKUP_DECRYPTION_KEY", "BACKUP_DECRYPTION_KEY_FILE");
    }
    Workload verify =
        new Workload(HelmChart.named(objects, "CronJob", "frag-backup-agents-verify"));
    assertThat(verify.envValue("BACKUP_DECRYPTION_KEY_FILE"))
        .isEqualTo("/run/secrets/backup-agents/backup-key/private.asc");
    assertThat(verify.env()).containsKey("BACKUP_DECRYPTION_KEY_PASSPHRASE");
    assertThat(verify.env()).doesNotContainKey("BACKUP_ENCRYPTION_RECIPIENTS");
    Workload recover =
        new Workload(HelmChart.named(objects, "Job", "frag-backup-agents-recover-1"));
    assertThat(recover.envValue("BACKUP_DECRYPTION_KEY_FILE"))
        .isEqualTo("/run/secrets/backup-agents/backup-key/private.asc");
  }

  @Test
  void disabledTiersAreNotScheduled() {
    List<JsonNode> objects =
        HelmChart.render(with(backups(), "sqlBackup.tiers.monthly.enabled", "false"));
    assertThat(HelmChart.ofKind(objects, "CronJob"))
        .extracting(o -> o.at("/metadata/name").asText())
        .containsExactly(
            "frag-backup-agents-backup-hourly",
            "frag-backup-agents-backup-daily",
            "frag-backup-agents-backup-weekly");
  }

  @Test
  void shardsTheReplicatorAsAnIndexedJob(@TempDir Path scratch) {
    Workload w =
        HelmChart.workloads(HelmChart.render(with(replication(), "volumeReplicator.shards", 4)))
            .get(0);
    assertThat(w.jobSpec().path("completionMode").asText()).isEqualTo("Indexed");
    assertThat(w.jobSpec().path("completions").asInt()).isEqualTo(4);
    assertThat(w.jobSpec().path("parallelism").asInt()).isEqualTo(4);
    assertThat(w.envValue("SHARD_COUNT")).isEqualTo("4");
    AgentSettings.assertAccepted(w, scratch);
  }

  @Test
  void runsTheReplicatorAsRootOnlyToPreserveOwnership() {
    Workload plain = HelmChart.workloads(HelmChart.render(replication())).get(0);
    assertThat(plain.podSpec().at("/securityContext/runAsUser").asInt()).isEqualTo(10001);
    Workload root =
        HelmChart.workloads(
                HelmChart.render(with(replication(), "volumeReplicator.preserveOwnership", "true")))
            .get(0);
    JsonNode pod = root.podSpec().path("securityContext");
    JsonNode container = root.container().path("securityContext");
    assertThat(pod.path("runAsUser").asInt()).isZero();
    assertThat(pod.path("runAsNonRoot").asBoolean()).isFalse();
    assertThat(pod.has("fsGroup")).as("no fsGroup re-owning the volumes").isFalse();
    assertThat(container.at("/capabilities/drop").toString()).isEqualTo("[\"ALL\"]");
    assertThat(container.at("/capabilities/add").toString())
        .isEqualTo("[\"CHOWN\",\"DAC_OVERRIDE\",\"FOWNER\",\"FSETID\"]");
    assertThat(container.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(container.path("allowPrivilegeEscalation").asBoolean()).isFalse();
  }

  @Test
  void copiesToS3WithTheSharedConnection(@TempDir Path scratch) {
    Map<String, Object> set = replication();
    set.remove("volumeReplicator.targets.copy.directory.existingClaim");
    set.put("volumeReplicator.targets.copy.s3.url", "s3://media/prod");
    set.put("volumeReplicator.targets.copy.s3.firstOfMonth", "true");
    set.put("volumeReplicator.targets.copy.connection.endpoint", "https://minio.example.org");
    set.put("s3.accessKeyIdSecret.name", "s3");
    set.put("s3.accessKeyIdSecret.key", "id");
    set.put("s3.secretAccessKeySecret.name", "s3");
    set.put("s3.secretAccessKeySecret.key", "secret");
    Workload w = HelmChart.workloads(HelmChart.render(set)).get(0);
    assertThat(w.envValue("REPLICATE_TARGET")).isEqualTo("s3://media/prod");
    assertThat(w.envValue("USE_FIRST_OF_MONTH_FOR_RCLONE")).isEqualTo("yes");
    assertThat(w.envValue("S3_ENDPOINT")).isEqualTo("https://minio.example.org");
    assertThat(ExampleDeploymentsTest.secretRef(w, "S3_ACCESS_KEY_ID")).isEqualTo("s3/id");
    assertThat(ChartExamplesTest.mountPaths(w)).doesNotContain("/target");
    AgentSettings.assertAccepted(w, scratch);
  }

  @Test
  void recoversFromS3IntoScratchSpaceOnly(@TempDir Path scratch) {
    Map<String, Object> set = new HashMap<>();
    set.put("recovery.enabled", "true");
    set.put("recovery.runId", "7");
    set.put("recovery.fromBackup", "2025-09-10T10:51:01Z");
    set.put("recovery.postgres.host", "staging-db");
    set.put("recovery.source.s3.enabled", "true");
    set.put("recovery.source.s3.url", "s3://backups/prod");
    set.put("recovery.source.s3.connection.accessKeyIdSecret.name", "s3");
    set.put("recovery.source.s3.connection.accessKeyIdSecret.key", "id");
    set.put("recovery.source.s3.connection.secretAccessKeySecret.name", "s3");
    set.put("recovery.source.s3.connection.secretAccessKeySecret.key", "secret");
    List<JsonNode> objects = HelmChart.render(set);
    Workload w = new Workload(HelmChart.named(objects, "Job", "frag-backup-agents-recover-7"));
    assertThat(w.envValue("FROM_BACKUP")).isEqualTo("2025-09-10T10:51:01Z");
    assertThat(w.envValue("RESTORE_SOURCE")).isEqualTo("s3");
    assertThat(w.envValue("RESTORE_DOWNLOAD_DIR")).isEqualTo("/download");
    assertThat(ExampleDeploymentsTest.volume(w, "/download").at("/emptyDir/sizeLimit").asText())
        .isEqualTo("20Gi");
    assertThat(ChartExamplesTest.mountPaths(w)).doesNotContain("/recovery");
    AgentSettings.assertAccepted(w, scratch);
  }

  @Test
  void clientCertificatesReachRecoveryAndVerifysScratchServerAsMountedFiles(@TempDir Path scratch) {
    Map<String, Object> set = with(backups(), "recovery.enabled", "true");
    set.put("recovery.runId", "3");
    set.put("recovery.postgres.host", "staging-db-rw");
    set.put("recovery.postgres.tls.mode", "verify-full");
    set.put("recovery.postgres.tls.caSecret.name", "staging-db-ca");
    set.put("recovery.postgres.tls.caSecret.key", "ca.crt");
    set.put("recovery.postgres.tls.certSecret.name", "restorer-tls");
    set.put("recovery.postgres.tls.certSecret.key", "tls.crt");
    set.put("recovery.postgres.tls.keySecret.name", "restorer-tls");
    set.put("recovery.postgres.tls.keySecret.key", "tls.key");
    set.put("sqlBackup.verify.enabled", "true");
    set.put("sqlBackup.verify.scratchServer.host", "scratch-rw");
    set.put("sqlBackup.verify.scratchServer.tls.mode", "verify-ca");
    set.put("sqlBackup.verify.scratchServer.tls.caSecret.name", "scratch-ca");
    set.put("sqlBackup.verify.scratchServer.tls.caSecret.key", "ca.crt");
    List<JsonNode> objects = HelmChart.render(set);
    Workload recover =
        new Workload(HelmChart.named(objects, "Job", "frag-backup-agents-recover-3"));
    Workload verify =
        new Workload(HelmChart.named(objects, "CronJob", "frag-backup-agents-verify"));

    assertThat(recover.envValue("PGSSLMODE")).isEqualTo("verify-full");
    assertThat(recover.envValue("PGSSLCERT"))
        .isEqualTo("/run/secrets/backup-agents/restorer-tls/tls.crt");
    assertThat(recover.envValue("PGSSLKEY_FILE"))
        .isEqualTo("/run/secrets/backup-agents/restorer-tls/tls.key");
    assertThat(recover.env()).doesNotContainKey("PGSSLKEY");
    assertThat(
            ExampleDeploymentsTest.volume(recover, "/run/secrets/backup-agents/restorer-tls")
                .at("/secret/items")
                .findValuesAsText("key"))
        .containsExactly("tls.crt", "tls.key");
    assertThat(verify.envValue("VERIFY_PGSSLMODE")).isEqualTo("verify-ca");
    assertThat(verify.envValue("VERIFY_PGSSLROOTCERT"))
        .isEqualTo("/run/secrets/backup-agents/scratch-ca/ca.crt");
    AgentSettings.assertAccepted(recover, scratch);
    AgentSettings.assertAccepted(verify, scratch);
  }

  @Test
  void neverRecoversIntoAServerNobodyNamed() {
    Map<String, Object> set = with(backups(), "recovery.enabled", "true");
    assertThat(HelmChart.renderError(set)).contains("recovery.postgres.host is required");
  }
}
