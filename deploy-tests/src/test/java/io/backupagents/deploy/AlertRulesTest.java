package io.backupagents.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules: the plain rules file is exactly what the chart's PrometheusRule holds, every
 * rendering is valid for promtool, and the promtool unit tests (a firing and a quiet case for every
 * alert) pass. Each alert has its runbook line in the README.
 */
class AlertRulesTest {

  private static final Path PLAIN = Repo.monitoring().resolve("backup-agents.rules.yaml");
  private static final Path TESTS = Repo.monitoring().resolve("tests");

  static JsonNode chartGroups(Path values) {
    List<JsonNode> objects = HelmChart.render(List.of(values), Map.of());
    return HelmChart.ofKind(objects, "PrometheusRule").get(0).at("/spec/groups");
  }

  @Test
  void plainRulesFileIsWhatTheChartRenders() throws IOException {
    JsonNode expected = chartGroups(Repo.monitoring().resolve("plain-rules.values.yaml"));
    JsonNode actual = HelmChart.YAML.readTree(PLAIN.toFile()).path("groups");
    if (!expected.equals(actual)) {
      Path fresh = Path.of("target/backup-agents.rules.yaml").toAbsolutePath();
      HelmChart.YAML.writeValue(fresh.toFile(), Map.of("groups", expected));
      throw new AssertionError(
          PLAIN
              + " differs from the chart's rules; the chart renders "
              + fresh
              + " (keep the header)");
    }
  }

  @Test
  void plainRulesAreValid() {
    Promtool.checkRules(PLAIN);
  }

  @Test
  void alertsFireWhenTheyShouldAndOnlyThen() {
    Promtool.testRules(TESTS.resolve("alerts.test.yaml"));
  }

  @Test
  void chartRulesAreScopedToTheirRelease(@TempDir Path dir) throws IOException {
    Path values = Repo.chart().resolve("examples/fragalysis-production.yaml");
    writeRules(chartGroups(values), dir.resolve("fragalysis-production.rules.yaml"));
    Path tests = dir.resolve("fragalysis-production.test.yaml");
    Files.copy(TESTS.resolve("fragalysis-production.test.yaml"), tests);
    Promtool.testRules(tests);
  }

  @Test
  void everyExampleRendersValidRules(@TempDir Path dir) throws IOException {
    for (Path values : ChartExamplesTest.examples().toList()) {
      List<JsonNode> rules =
          HelmChart.ofKind(HelmChart.render(List.of(values), Map.of()), "PrometheusRule");
      for (JsonNode rule : rules) {
        Path file = dir.resolve(values.getFileName().toString().replace(".yaml", ".rules.yaml"));
        writeRules(rule.at("/spec/groups"), file);
        Promtool.checkRules(file);
      }
    }
  }

  @Test
  void everyAlertHasAFiringAndAQuietTestCase() throws IOException {
    Set<String> alerts = alertNames(HelmChart.YAML.readTree(PLAIN.toFile()).path("groups"));
    alerts.addAll(
        alertNames(chartGroups(Repo.chart().resolve("examples/fragalysis-production.yaml"))));
    Set<String> firing = new LinkedHashSet<>();
    Set<String> quiet = new LinkedHashSet<>();
    for (String file : List.of("alerts.test.yaml", "fragalysis-production.test.yaml")) {
      for (JsonNode test : HelmChart.YAML.readTree(TESTS.resolve(file).toFile()).path("tests")) {
        for (JsonNode check : test.path("alert_rule_test")) {
          String name = check.path("alertname").asText();
          (check.path("exp_alerts").isEmpty() ? quiet : firing).add(name);
        }
      }
    }
    assertThat(firing).as("alerts with a firing test case").containsAll(alerts);
    assertThat(quiet).as("alerts with a quiet test case").containsAll(alerts);
  }

  @Test
  void everyAlertHasARunbookLineInTheReadme() throws IOException {
    String readme = Files.readString(Repo.root().resolve("README.md"), StandardCharsets.UTF_8);
    int from = readme.indexOf("### Alert runbook");
    assertThat(from).as("README section 'Alert runbook'").isPositive();
    String runbook = readme.substring(from);
    Set<String> alerts = alertNames(HelmChart.YAML.readTree(PLAIN.toFile()).path("groups"));
    alerts.addAll(
        alertNames(chartGroups(Repo.chart().resolve("examples/fragalysis-production.yaml"))));
    for (String alert : alerts) {
      assertThat(runbook).as("runbook line for %s", alert).contains("**" + alert + "**");
    }
  }

  static Set<String> alertNames(JsonNode groups) {
    Set<String> names = new LinkedHashSet<>();
    for (JsonNode group : groups) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.has("alert")) {
          names.add(rule.path("alert").asText());
        }
      }
    }
    assertThat(names).isNotEmpty();
    return names;
  }

  private static void writeRules(JsonNode groups, Path file) throws IOException {
    List<JsonNode> list = new ArrayList<>();
    groups.forEach(list::add);
    HelmChart.YAML.writeValue(file.toFile(), Map.of("groups", list));
  }
}
