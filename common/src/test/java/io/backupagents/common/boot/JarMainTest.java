package io.backupagents.common.boot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JarMainTest {

  @Test
  void anOlderJavaIsNamedWithTheOneTheAgentNeeds() {
    assertThat(JarMain.problem("sql-backup", 21, "17", "/usr/lib/jvm/java-17"))
        .isEqualTo(
            "sql-backup needs Java 21 or later; found 17 (/usr/lib/jvm/java-17): run it with a"
                + " newer java, or use the container image");
    assertThat(JarMain.problem("volume-replicator", 21, "1.8", "/opt/jre8"))
        .startsWith("volume-replicator needs Java 21 or later; found 8 (/opt/jre8)");
  }

  @Test
  void theNeededJavaOrANewerOneHasNoProblem() {
    assertThat(JarMain.problem("sql-backup", 21, "21", "/j")).isNull();
    assertThat(JarMain.problem("sql-backup", 21, "25", "/j")).isNull();
  }

  @Test
  void anUnreadableVersionIsQuotedAsItIs() {
    assertThat(JarMain.feature("1.8")).isEqualTo(8);
    assertThat(JarMain.feature("17")).isEqualTo(17);
    assertThat(JarMain.feature("x")).isZero();
    assertThat(JarMain.problem("sql-backup", 21, "x", "/j")).contains("found x (/j)");
  }
}
