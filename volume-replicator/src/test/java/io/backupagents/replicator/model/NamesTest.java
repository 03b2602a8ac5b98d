package io.backupagents.replicator.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamesTest {

  @Test
  void controlCharactersAreShownAsRsyncShowsThem() {
    assertThat(Names.shown("a\nERROR fake line")).isEqualTo("a\\#012ERROR fake line");
    assertThat(Names.shown("tab\there\r\u001b[31m\u007f"))
        .isEqualTo("tab\\#011here\\#015\\#033[31m\\#177");
    String plain = "Zürich/東京 file.jpg";
    assertThat(Names.shown(plain)).isSameAs(plain);
    assertThat(Names.shownAll("x\ny", 3, "z")).containsExactly("x\\#012y", 3, "z");
  }
}
