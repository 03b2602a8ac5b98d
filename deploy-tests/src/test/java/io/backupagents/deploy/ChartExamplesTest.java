package io.backupagents.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example values file lints with {@code helm lint --strict}, renders, and produces workloads
 * an operator can trust: hardened pods, secrets only by reference, Jobs that fail fast on settings
 * no retry can fix, and settings the agents themselves accept.
 */
class ChartExamplesTest {

  // Names the agents treat as secrets (and other credential-looking names): never plain values.
  private static final Pattern SECRET_NAME =
      Pattern.compile(".*(PASS|SECRET|TOKEN|ACCESS_KEY|PASSWORD).*");

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(Repo.chart().resolve("examples"))) {
      List<Path> list = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
      assertThat(list).as("example values files").hasSizeGreaterThanOrEqualTo(4);
      return list.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("examples")
  void lintsStrictly(Path values) {
    HelmChart.assertLintsClean(HelmChart.lint(values), values.getFileName().toString());
  }

  @ParameterizedTest
  @MethodSource("examples")
  void referencesSecretsWithoutInliningThem(Path values) {
    List<JsonNode> objects = HelmChart.render(List.of(values), Map.of());
    assertThat(HelmChart.ofKind(objects, "Secret")).as("the chart never creates Secrets").isEmpty();
    for (Workload w : HelmChart.workloads(objects)) {
      List<String> mounted = new ArrayList<>();
      w.container().path("volumeMounts").forEach(m -> mounted.add(m.path("mountPath").asText()));
      w.env()
          .forEach(
              (name, entry) -> {
                if (name.endsWith("_FILE")) {
                  String path = entry.path("value").asText();
                  assertThat(mounted)
                      .as("%s: %s=%s lies in a mounted volume", w, name, path)
                      .anyMatch(dir -> path.startsWith(dir + "/"));
                } else if (SECRET_NAME.matcher(name).matches()) {
                  assertThat(entry.has("value"))
                      .as("%s: %s must come from a Secret, not a plain value", w, name)
                      .isFalse();
                  assertThat(entry.at("/valueFrom/secretKeyRef/name").asText())
                      .as("%s: %s's Secret", w, name)
                      .isNotEmpty();
                }
              });
    }
  }

  @ParameterizedTest
  @MethodSource("examples")
  void runsHardenedPodsThatFailFastOnBadSettings(Path values) {
    List<Workload> workloads = HelmChart.workloads(HelmChart.render(List.of(values), Map.of()));
    assertThat(workloads).as("workloads of %s", values.getFileName()).isNotEmpty();
    for (Workload w : workloads) {
      JsonNode job = w.jobSpec();
      JsonNode pod = w.podSpec();
      JsonNode security = w.container().path("securityContext");
      assertThat(pod.path("restartPolicy").asText()).as("%s restartPolicy", w).isEqualTo("Never");
      assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).as("%s non-root", w).isTrue();
      assertThat(security.path("readOnlyRootFilesystem").asBoolean()).as("%s ro root", w).isTrue();
      assertThat(security.path("allowPrivilegeEscalation").asBoolean())
          .as("%s escalation", w)
          .isFalse();
      assertThat(security.at("/capabilities/drop").toString()).as("%s caps", w).contains("\"ALL\"");
      assertThat(mountPaths(w)).as("%s mounts", w).contains("/tmp");
      assertThat(w.container().path("resources").path("requests").isObject())
          .as("%s resources", w)
          .isTrue();
      assertThat(job.has("backoffLimit")).as("%s backoffLimit", w).isTrue();
      assertThat(job.path("activeDeadlineSeconds").asInt()).as("%s deadline", w).isPositive();
      assertThat(failJobExitCodes(w)).as("%s podFailurePolicy", w).contains(2, 10);
      if (w.isCronJob()) {
        assertThat(w.object().at("/spec/concurrencyPolicy").asText()).isEqualTo("Forbid");
        assertThat(w.object().at("/spec/startingDeadlineSeconds").asInt()).isPositive();
      }
    }
  }

  @ParameterizedTest
  @MethodSource("examples")
  void setsOnlySettingsTheAgentsAccept(Path values, @TempDir Path scratch) {
    for (Workload w : HelmChart.workloads(HelmChart.render(List.of(values), Map.of()))) {
      AgentSettings.assertAccepted(w, scratch);
    }
  }

  static List<Integer> failJobExitCodes(Workload w) {
    List<Integer> codes = new ArrayList<>();
    for (JsonNode rule : w.jobSpec().at("/podFailurePolicy/rules")) {
      if (rule.path("action").asText().equals("FailJob")) {
        assertThat(rule.at("/onExitCodes/containerName").asText()).isEqualTo(w.agent());
        assertThat(rule.at("/onExitCodes/operator").asText()).isEqualTo("In");
        rule.at("/onExitCodes/values").forEach(v -> codes.add(v.asInt()));
      }
    }
    return codes;
  }

  static List<String> mountPaths(Workload w) {
    List<String> paths = new ArrayList<>();
    w.container().path("volumeMounts").forEach(m -> paths.add(m.path("mountPath").asText()));
    return paths;
  }
}
