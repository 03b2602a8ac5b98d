package io.backupagents.sqlbackup.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.sqlbackup.model.BackupName;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Database names in settings, on command lines and in backup file names. */
class DatabaseNamesTest {

  @Test
  void listsSplitAtCommasOutsideQuotedNames() {
    List<String> problems = new ArrayList<>();

    List<String> names =
        DatabaseNames.parseList(
            " app , db \"quoted\" ünï,\"a,b\",\"say \"\"hi\"\"\",,x ", "DATABASE", problems);

    assertThat(names).containsExactly("app", "db \"quoted\" ünï", "a,b", "say \"hi\"", "x");
    assertThat(problems).isEmpty();
  }

  @Test
  void malformedAndOverlongNamesAreReported() {
    List<String> problems = new ArrayList<>();

    DatabaseNames.parseList("\"open, x\"y, " + "é".repeat(32), "DATABASE", problems);

    assertThat(problems)
        .containsExactly(
            "DATABASE: the quoted name starting at \"open, x\"y, éééééééé is not closed by a double quote"
                + " before the next comma",
            "DATABASE="
                + "é".repeat(32)
                + ": a database name has at most 63 bytes, this one has 64");
  }

  @Test
  void namesReachTheToolsAsConnectionStrings() {
    assertThat(DatabaseNames.connInfo("a=b 'c' \\d")).isEqualTo("dbname='a=b \\'c\\' \\\\d'");
  }

  @Test
  void fileLabelsKeepSafeCharactersAndEncodeTheRest() {
    assertThat(BackupName.labelOf("frag")).isEqualTo("frag");
    assertThat(BackupName.labelOf("my_db-2.x")).isEqualTo("my_db-2.x");
    assertThat(BackupName.labelOf("db \"quoted\" ünï"))
        .isEqualTo("db%20%22quoted%22%20%C3%BCn%C3%AF");
    assertThat(BackupName.labelOf("a/b%")).isEqualTo("a%2Fb%25");
    for (String name : List.of("frag", "db \"quoted\" ünï", "a/b%", "100%", "x%2")) {
      assertThat(BackupName.databaseOf(BackupName.labelOf(name))).isEqualTo(name);
    }
  }
}
