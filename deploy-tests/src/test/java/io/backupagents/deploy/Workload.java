package io.backupagents.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** A rendered CronJob or Job: its Job spec, pod spec, agent container and environment. */
record Workload(JsonNode object) {

  String kind() {
    return object.path("kind").asText();
  }

  String name() {
    return object.at("/metadata/name").asText();
  }

  boolean isCronJob() {
    return kind().equals("CronJob");
  }

  JsonNode jobSpec() {
    return isCronJob() ? object.at("/spec/jobTemplate/spec") : object.path("spec");
  }

  JsonNode podSpec() {
    return jobSpec().at("/template/spec");
  }

  JsonNode container() {
    return podSpec().path("containers").path(0);
  }

  /** The container's variables by name: the value, or the whole entry for valueFrom ones. */
  Map<String, JsonNode> env() {
    Map<String, JsonNode> env = new LinkedHashMap<>();
    for (JsonNode e : container().path("env")) {
      env.put(e.path("name").asText(), e);
    }
    return env;
  }

  /** A plain variable's value, or null. */
  String envValue(String name) {
    JsonNode e = env().get(name);
    return e == null || !e.has("value") ? null : e.path("value").asText();
  }

  /** The image's agent: sql-backup or volume-replicator. */
  String agent() {
    return container().path("name").asText();
  }

  @Override
  public String toString() {
    return kind() + "/" + name();
  }
}
