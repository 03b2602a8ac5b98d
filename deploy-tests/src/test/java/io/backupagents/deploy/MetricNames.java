package io.backupagents.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The agents' metric names the alert rules and the dashboard query. */
final class MetricNames {

  private static final Pattern NAME =
      Pattern.compile("\\b(?:sql_backup|volume_replicator)_[a-z0-9_]+");

  private MetricNames() {}

  /** Every metric name with this prefix in the plain rules file and the dashboard. */
  static Set<String> queried(String prefix) throws IOException {
    Set<String> names = new TreeSet<>();
    for (String text :
        new String[] {
          Files.readString(Repo.monitoring().resolve("backup-agents.rules.yaml")),
          Files.readString(Repo.chart().resolve("files/dashboard.json"))
        }) {
      Matcher m = NAME.matcher(text);
      while (m.find()) {
        if (m.group().startsWith(prefix)) {
          names.add(m.group());
        }
      }
    }
    assertThat(names).as("metrics named %s* in the rules and the dashboard", prefix).isNotEmpty();
    return names;
  }

  /** The metric names of the series carrying {@code label} in a text exposition. */
  static Set<String> exposed(String exposition, String label) {
    Set<String> names = new TreeSet<>();
    for (String line : exposition.lines().toList()) {
      if (!line.startsWith("#") && line.contains(label)) {
        names.add(line.substring(0, line.indexOf('{') > 0 ? line.indexOf('{') : line.indexOf(' ')));
      }
    }
    return names;
  }
}
