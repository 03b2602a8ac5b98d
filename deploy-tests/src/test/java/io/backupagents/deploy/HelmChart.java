package io.backupagents.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The chart as Helm sees it (Helm embedded through helm-java): {@code helm template} parsed into
 * objects, and {@code helm lint --strict} with a values file.
 */
final class HelmChart {

  static final String RELEASE = "frag";
  static final YAMLMapper YAML = new YAMLMapper();

  private HelmChart() {}

  /** Every object {@code helm template} renders with these values files and --set values. */
  static List<JsonNode> render(List<Path> valuesFiles, Map<String, Object> set) {
    TemplateCommand command = new Helm(Repo.chart()).template().withName(RELEASE);
    for (Path file : valuesFiles) {
      command = command.withValuesFile(file);
    }
    for (Map.Entry<String, Object> e : set.entrySet()) {
      command = command.set(e.getKey(), e.getValue());
    }
    return parse(command.call());
  }

  static List<JsonNode> render(Map<String, Object> set) {
    return render(List.of(), set);
  }

  /** The error {@code helm template} fails with for these values (fails the test if it renders). */
  static String renderError(Map<String, Object> set) {
    try {
      render(set);
    } catch (IllegalStateException e) {
      return e.getMessage();
    }
    throw new AssertionError("the chart rendered with " + set + " but should have failed");
  }

  static List<JsonNode> parse(String yaml) {
    List<JsonNode> objects = new ArrayList<>();
    if (yaml == null) {
      return objects; // nothing rendered
    }
    try (var parser = new YAMLFactory().createParser(yaml)) {
      Iterator<JsonNode> docs = YAML.readValues(parser, JsonNode.class);
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode() && doc.size() > 0) {
          objects.add(doc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("helm template rendered invalid YAML:\n" + yaml, e);
    }
    return objects;
  }

  /**
   * {@code helm lint --strict} with a values file. This Helm binding lints only a chart's own
   * values, so the chart is copied and the file is merged into its values.yaml first (maps merge,
   * everything else is replaced: Helm's own rule).
   */
  static LintResult lint(Path valuesFile) {
    try {
      Path copy = Files.createTempDirectory("chart-lint-").resolve("backup-agents");
      copyTree(Repo.chart(), copy);
      JsonNode values = YAML.readTree(Repo.chart().resolve("values.yaml").toFile());
      JsonNode overrides = YAML.readTree(valuesFile.toFile());
      merge((ObjectNode) values, overrides);
      YAML.writeValue(copy.resolve("values.yaml").toFile(), values);
      return new Helm(copy).lint().strict().call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void assertLintsClean(LintResult result, String what) {
    assertThat(result.isFailed())
        .as("helm lint --strict %s:\n%s", what, String.join("\n", result.getMessages()))
        .isFalse();
  }

  static void merge(ObjectNode target, JsonNode overrides) {
    for (Map.Entry<String, JsonNode> e : overrides.properties()) {
      JsonNode existing = target.get(e.getKey());
      if (existing instanceof ObjectNode map && e.getValue().isObject()) {
        merge(map, e.getValue());
      } else {
        target.set(e.getKey(), e.getValue());
      }
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path dest = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  /** The objects of one kind. */
  static List<JsonNode> ofKind(List<JsonNode> objects, String kind) {
    return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
  }

  /** The one object of this kind and name. */
  static JsonNode named(List<JsonNode> objects, String kind, String name) {
    return ofKind(objects, kind).stream()
        .filter(o -> name.equals(o.path("metadata").path("name").asText()))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no "
                        + kind
                        + " "
                        + name
                        + " among "
                        + objects.stream()
                            .map(
                                o ->
                                    o.path("kind").asText() + "/" + o.at("/metadata/name").asText())
                            .toList()));
  }

  /** The Jobs and CronJobs, as workloads. */
  static List<Workload> workloads(List<JsonNode> objects) {
    List<Workload> result = new ArrayList<>();
    for (JsonNode o : objects) {
      String kind = o.path("kind").asText();
      if (kind.equals("CronJob") || kind.equals("Job")) {
        result.add(new Workload(o));
      }
    }
    return result;
  }
}
