package io.backupagents.common.settings;

/** Implemented by the settings enums of each concern; each constant carries its {@link Setting}. */
public interface SettingDefinition {

  Setting setting();

  default String key() {
    return setting().key();
  }
}
