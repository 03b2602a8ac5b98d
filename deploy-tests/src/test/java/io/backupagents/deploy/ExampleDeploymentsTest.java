package io.backupagents.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each example values file renders the deployment it describes: schedules, counts, targets. */
class ExampleDeploymentsTest {

  private static List<JsonNode> render(String example) {
    return HelmChart.render(List.of(Repo.chart().resolve("examples/" + example)), Map.of());
  }

  private static Workload workload(List<JsonNode> objects, String kind, String suffix) {
    return new Workload(HelmChart.named(objects, kind, "frag-backup-agents-" + suffix));
  }

  @Test
  void fragalysisProductionKeepsFourTiersOfTheFragDatabaseAndMirrorsThemToCeph() {
    List<JsonNode> objects = render("fragalysis-production.yaml");
    Object[][] tiers = {
      {"hourly", "51 * * * *", "24", null},
      {"daily", "21 0 * * *", "7", "hourly"},
      {"weekly", "31 0 * * 0", "4", "daily"},
      {"monthly", "41 0 8 * *", "12", "weekly"},
    };
    for (Object[] t : tiers) {
      Workload w = workload(objects, "CronJob", "backup-" + t[0]);
      assertThat(w.object().at("/spec/schedule").asText()).as("%s schedule", t[0]).isEqualTo(t[1]);
      assertThat(w.envValue("BACKUP_TYPE")).isEqualTo(t[0]);
      assertThat(w.envValue("BACKUP_COUNT")).as("%s count", t[0]).isEqualTo(t[2]);
      assertThat(w.envValue("BACKUP_PRIOR_TYPE")).isEqualTo(t[3]);
      assertThat(w.envValue("BACKUP_S3_URL"))
          .isEqualTo("s3://fragalysis-backups/production/database");
      assertThat(w.envValue("S3_ENDPOINT")).isEqualTo("https://ceph-rgw.example.org");
      assertThat(w.envValue("S3_PROVIDER")).isEqualTo("Ceph");
      assertThat(secretRef(w, "S3_SECRET_ACCESS_KEY")).isEqualTo("fragalysis-s3/secret-access-key");
      assertThat(volume(w, "/backup").at("/nfs/path").asText())
          .isEqualTo("/exports/fragalysis-production/database-backups");
    }
    Workload hourly = workload(objects, "CronJob", "backup-hourly");
    assertThat(hourly.envValue("DATABASE")).isEqualTo("frag");
    assertThat(hourly.envValue("PGHOST")).isEqualTo("database");
    assertThat(secretRef(hourly, "PGADMINPASS")).isEqualTo("database/root_password");
    assertThat(hourly.container().path("args").toString()).isEqualTo("[\"backup\"]");

    Workload s3 = workload(objects, "CronJob", "replicate-s3");
    assertThat(s3.object().at("/spec/schedule").asText()).isEqualTo("41 1 * * *");
    assertThat(s3.envValue("REPLICATE_SOURCE")).isEqualTo("/source");
    assertThat(s3.envValue("REPLICATE_TARGET"))
        .isEqualTo("s3://fragalysis-backups/production/media");
    assertThat(s3.envValue("USE_DOW_FOR_RCLONE")).isEqualTo("yes");
    assertThat(volume(s3, "/source").at("/persistentVolumeClaim/claimName").asText())
        .isEqualTo("media");
    assertThat(mount(s3, "/source").path("readOnly").asBoolean()).isTrue();
    Workload nfs = workload(objects, "CronJob", "replicate-nfs-copy");
    assertThat(nfs.envValue("REPLICATE_TARGET")).isEqualTo("/target");
    assertThat(volume(nfs, "/target").at("/nfs/server").asText()).isEqualTo("nfs.example.org");

    Workload verify = workload(objects, "CronJob", "verify");
    assertThat(verify.container().path("args").toString()).isEqualTo("[\"verify\"]");
    assertThat(mount(verify, "/backup").path("readOnly").asBoolean()).isTrue();

    JsonNode rule = HelmChart.named(objects, "PrometheusRule", "frag-backup-agents");
    assertThat(rule.at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus-stack");
    assertThat(rule.at("/spec/groups").size()).isEqualTo(3);
  }

  @Test
  void fragalysisProductionShipsTheDashboard() throws Exception {
    JsonNode map =
        HelmChart.named(
            render("fragalysis-production.yaml"), "ConfigMap", "frag-backup-agents-dashboard");
    assertThat(map.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
    JsonNode shipped = HelmChart.YAML.readTree(map.at("/data/backup-agents.json").asText());
    JsonNode source =
        HelmChart.YAML.readTree(Files.readString(Repo.chart().resolve("files/dashboard.json")));
    assertThat(shipped).isEqualTo(source);
  }

  @Test
  void infrastructureServerIsDumpedWholeWithCredentialsAsFiles() {
    List<JsonNode> objects = render("infrastructure-dumpall.yaml");
    Workload hourly = workload(objects, "CronJob", "backup-hourly");
    assertThat(hourly.env()).as("pg_dumpall: no DATABASE").doesNotContainKey("DATABASE");
    assertThat(hourly.envValue("PGHOST")).isEqualTo("postgres.infrastructure.svc");
    assertThat(hourly.env()).doesNotContainKey("PGADMINPASS");
    assertThat(hourly.envValue("PGADMINPASS_FILE"))
        .isEqualTo("/run/secrets/backup-agents/infra-postgres-admin/password");
    assertThat(
            volume(hourly, "/run/secrets/backup-agents/infra-postgres-admin")
                .at("/secret/secretName")
                .asText())
        .isEqualTo("infra-postgres-admin");
    JsonNode pvc = HelmChart.named(objects, "PersistentVolumeClaim", "frag-backup-agents-backups");
    assertThat(pvc.at("/metadata/annotations/helm.sh~1resource-policy").asText()).isEqualTo("keep");
    assertThat(pvc.at("/spec/resources/requests/storage").asText()).isEqualTo("100Gi");
    assertThat(volume(hourly, "/backup").at("/persistentVolumeClaim/claimName").asText())
        .isEqualTo("frag-backup-agents-backups");
    assertThat(HelmChart.ofKind(objects, "CronJob")).hasSize(4);
  }

  @Test
  void cloudNativePgClusterIsReachedThroughItsRwServiceAndSuperuserSecret() {
    Workload hourly = workload(render("cloudnativepg.yaml"), "CronJob", "backup-hourly");
    assertThat(hourly.envValue("PGHOST")).isEqualTo("app-db-rw");
    assertThat(hourly.envValue("PGUSER")).isEqualTo("postgres");
    assertThat(secretRef(hourly, "PGADMINPASS")).isEqualTo("app-db-superuser/password");
    assertThat(hourly.envValue("DATABASE")).isEqualTo("app");
    assertThat(hourly.envValue("S3_SSE")).isEqualTo("aes256");
    assertThat(hourly.envValue("BACKUP_S3_URL")).isEqualTo("s3://example-app-db-backups/logical");
  }

  @Test
  void cloudNativePgClusterIsVerifiedAgainstItsOwnCaUnderItsRwServiceName() {
    List<JsonNode> objects = render("cloudnativepg.yaml");
    for (Workload w :
        List.of(
            workload(objects, "CronJob", "backup-hourly"),
            workload(objects, "CronJob", "verify"))) {
      assertThat(w.envValue("PGHOST")).isEqualTo("app-db-rw");
      assertThat(w.envValue("PGSSLMODE")).isEqualTo("verify-full");
      assertThat(w.envValue("PGSSLROOTCERT"))
          .isEqualTo("/run/secrets/backup-agents/app-db-ca/ca.crt");
      JsonNode ca = volume(w, "/run/secrets/backup-agents/app-db-ca");
      assertThat(ca.at("/secret/secretName").asText()).isEqualTo("app-db-ca");
      assertThat(ca.at("/secret/items").toString())
          .as("the CA's Secret also holds its private key: only ca.crt is mounted")
          .isEqualTo("[{\"key\":\"ca.crt\",\"path\":\"ca.crt\"}]");
    }
  }

  @Test
  void stagingReplicaRecoversTheNewestBackupAndPullsTheMedia() {
    List<JsonNode> objects = render("staging-replica.yaml");
    assertThat(HelmChart.ofKind(objects, "CronJob")).as("a replica runs no schedules").isEmpty();
    Workload recover = workload(objects, "Job", "recover-1");
    assertThat(recover.container().path("args").toString()).isEqualTo("[\"recover\"]");
    assertThat(recover.envValue("FROM_BACKUP")).isEqualTo("LATEST");
    assertThat(recover.envValue("LATEST_BACKUP_MAXIMUM_AGE_H")).isEqualTo("26");
    assertThat(recover.envValue("DATABASE")).isEqualTo("frag");
    assertThat(recover.envValue("RESTORE_CREATE_DATABASE")).isEqualTo("yes");
    assertThat(recover.envValue("RESTORE_SOURCE")).isEqualTo("local");
    assertThat(mount(recover, "/recovery").path("readOnly").asBoolean()).isTrue();
    assertThat(recover.jobSpec().has("ttlSecondsAfterFinished"))
        .as("a restore Job is kept, or the next upgrade would run it again")
        .isFalse();
    assertThat(volume(recover, "/recovery").at("/nfs/path").asText())
        .isEqualTo("/exports/fragalysis-production/database-backups");
    Workload media = workload(objects, "Job", "media-pull-1");
    assertThat(media.envValue("REPLICATE_SOURCE")).isEqualTo("/source");
    assertThat(media.envValue("REPLICATE_TARGET")).isEqualTo("/target");
    assertThat(volume(media, "/source").at("/nfs/path").asText())
        .isEqualTo("/exports/fragalysis-production/media-copy");
    assertThat(volume(media, "/target").at("/persistentVolumeClaim/claimName").asText())
        .isEqualTo("media");
  }

  /** "secret/key" of a variable from a Secret. */
  static String secretRef(Workload w, String name) {
    JsonNode ref = w.env().get(name).at("/valueFrom/secretKeyRef");
    return ref.path("name").asText() + "/" + ref.path("key").asText();
  }

  static JsonNode mount(Workload w, String path) {
    for (JsonNode m : w.container().path("volumeMounts")) {
      if (m.path("mountPath").asText().equals(path)) {
        return m;
      }
    }
    throw new AssertionError(w + " mounts nothing at " + path);
  }

  /** The pod volume mounted at {@code path}. */
  static JsonNode volume(Workload w, String path) {
    String name = mount(w, path).path("name").asText();
    for (JsonNode v : w.podSpec().path("volumes")) {
      if (v.path("name").asText().equals(name)) {
        return v;
      }
    }
    throw new AssertionError(w + " has no volume " + name);
  }
}
