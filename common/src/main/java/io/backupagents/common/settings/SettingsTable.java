package io.backupagents.common.settings;

import java.util.Collection;
import java.util.stream.Collectors;

/** Renders settings definitions as the Markdown table the README shows (and a test checks). */
public final class SettingsTable {

  private SettingsTable() {}

  public static String markdown(Collection<? extends SettingDefinition> definitions) {
    StringBuilder sb = new StringBuilder();
    sb.append("| variable | legacy names | default | meaning |\n");
    sb.append("|---|---|---|---|\n");
    for (SettingDefinition d : definitions) {
      Setting s = d.setting();
      String aliases =
          s.aliases().stream().map(a -> "`" + a + "`").collect(Collectors.joining(", "));
      String def = s.defaultValue() == null ? "" : "`" + s.defaultValue() + "`";
      String meaning = s.description().replace("|", "\\|") + (s.secret() ? " (secret)" : "");
      sb.append("| `")
          .append(s.key())
          .append("` | ")
          .append(aliases)
          .append(" | ")
          .append(def)
          .append(" | ")
          .append(meaning)
          .append(" |\n");
    }
    return sb.toString();
  }
}
