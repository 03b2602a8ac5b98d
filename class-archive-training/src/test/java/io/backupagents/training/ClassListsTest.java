package io.backupagents.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassListsTest {

  @Test
  void classListsMergeWithoutTheirClashingIds() {
    List<String> merged =
        ClassLists.merge(
            List.of(
                List.of("# NOTE: comment", "java/lang/Object id: 0", "a/B id: 1", "@cp a/B 1 2"),
                List.of("java/lang/Object id: 0", "a/C id: 1", "x/Y id: 2 super: 0 source: /x.jar"),
                List.of("a/B id: 7", "@cp a/B 1 2")));
    assertThat(merged).containsExactly("java/lang/Object", "a/B", "@cp a/B 1 2", "a/C");
  }
}
