package io.backupagents.common.docs;

import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.launch.CommonSetting;
import io.backupagents.common.s3.S3Setting;
import io.backupagents.common.settings.SettingsTable;
import io.backupagents.testing.Readme;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadmeTablesTest {

  @Test
  void exitCodeTableMatchesTheEnum() {
    Readme.assertGeneratedBlock("exit-codes", ExitCode.markdownTable());
  }

  @Test
  void commonSettingsTableMatchesTheDefinitions() {
    Readme.assertGeneratedBlock(
        "common-settings", SettingsTable.markdown(List.of(CommonSetting.values())));
  }

  @Test
  void s3SettingsTableMatchesTheDefinitions() {
    Readme.assertGeneratedBlock("s3-settings", SettingsTable.markdown(List.of(S3Setting.values())));
  }
}
