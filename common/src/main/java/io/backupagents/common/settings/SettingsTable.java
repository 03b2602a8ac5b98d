package io.backupagents.common.settings;

import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Renders settings definitions as the Markdown table the README shows (and a test checks), or as
 * the plain text {@code --help} prints.
 */
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

  /** One entry a setting: its name, legacy names and default, then its meaning, indented. */
  public static String text(Collection<? extends SettingDefinition> definitions) {
    StringBuilder sb = new StringBuilder();
    for (SettingDefinition d : definitions) {
      Setting s = d.setting();
      sb.append("  ").append(s.key());
      if (!s.aliases().isEmpty()) {
        sb.append(" (legacy: ").append(String.join(", ", s.aliases())).append(')');
      }
      if (s.defaultValue() != null) {
        sb.append(" [default: ").append(s.defaultValue()).append(']');
      }
      sb.append("\n      ")
          .append(s.description())
          .append(s.secret() ? " (secret: also read from " + s.key() + "_FILE)" : "")
          .append('\n');
    }
    return sb.toString();
  }
}
