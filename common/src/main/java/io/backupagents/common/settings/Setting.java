package io.backupagents.common.settings;

import java.util.List;
import java.util.Objects;

/**
 * One environment variable: its name, legacy aliases, default, meaning and whether it is secret.
 *
 * <p>Agents declare their settings as enum constants that carry one of these, so the README tables,
 * the start-up dump and validation all come from the same place.
 */
public record Setting(
    String key, String defaultValue, String description, boolean secret, List<String> aliases) {

  public Setting {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(description, "description");
    aliases = List.copyOf(aliases);
  }

  /** A plain setting; {@code defaultValue} may be null when there is none. */
  public static Setting of(String key, String defaultValue, String description) {
    return new Setting(key, defaultValue, description, false, List.of());
  }

  /** The same setting, marked secret: masked in dumps, readable from {@code <NAME>_FILE}. */
  public Setting asSecret() {
    return new Setting(key, defaultValue, description, true, aliases);
  }

  /** The same setting, also accepted under these (legacy) names. */
  public Setting withAliases(String... legacyNames) {
    return new Setting(key, defaultValue, description, secret, List.of(legacyNames));
  }

  /** Every name this setting is read from, the canonical one first. */
  public List<String> names() {
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(key), aliases.stream())
        .toList();
  }
}
