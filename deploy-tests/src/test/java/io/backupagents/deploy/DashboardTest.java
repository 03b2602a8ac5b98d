package io.backupagents.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard: every panel query is evaluated by a promtool test (with the instance
 * variable at "All") against series named and labelled as the agents push them.
 */
class DashboardTest {

  private static final Path DASHBOARD = Repo.chart().resolve("files/dashboard.json");
  private static final Path TESTS = Repo.monitoring().resolve("tests/dashboard.test.yaml");

  static List<String> panelQueries() throws IOException {
    JsonNode dashboard = HelmChart.YAML.readTree(DASHBOARD.toFile());
    List<String> queries = new ArrayList<>();
    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(ids.add(panel.path("id").asInt()))
          .as("panel id %s is unique", panel.path("id"))
          .isTrue();
      if (panel.path("type").asText().equals("row")) {
        continue;
      }
      assertThat(panel.path("targets").size())
          .as("panel '%s' queries", panel.path("title"))
          .isPositive();
      for (JsonNode target : panel.path("targets")) {
        queries.add(target.path("expr").asText().replace("$instance", ".*"));
      }
    }
    return queries;
  }

  @Test
  void everyPanelQueryHasATest() throws IOException {
    Set<String> tested = new HashSet<>();
    for (JsonNode test : HelmChart.YAML.readTree(TESTS.toFile()).path("tests")) {
      for (JsonNode check : test.path("promql_expr_test")) {
        assertThat(check.path("exp_samples").size())
            .as("%s expects samples", check.path("expr"))
            .isPositive();
        tested.add(check.path("expr").asText().strip());
      }
    }
    List<String> queries = panelQueries();
    assertThat(queries).hasSizeGreaterThanOrEqualTo(10);
    assertThat(tested).as("queries tested in %s", TESTS).containsAll(queries);
  }

  @Test
  void panelQueriesComputeWhatTheirPanelsShow() {
    Promtool.testRules(TESTS);
  }

  @Test
  void instanceVariableListsOnlyTheAgentsInstances() throws IOException {
    JsonNode variables = HelmChart.YAML.readTree(DASHBOARD.toFile()).at("/templating/list");
    List<String> names = new ArrayList<>();
    variables.forEach(v -> names.add(v.path("name").asText()));
    assertThat(names).containsExactly("datasource", "instance");
    assertThat(variables.get(1).path("allValue").asText()).isEqualTo(".*");
    assertThat(variables.get(1).at("/query/query").asText())
        .contains("sql_backup_last_run_timestamp_seconds")
        .contains("volume_replicator_last_run_timestamp_seconds");
  }
}
