package io.backupagents.replicator.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.replicator.model.Entry;
import io.backupagents.replicator.model.KeyOrder;
import io.backupagents.replicator.plan.TempNames;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeysTest {

  @Test
  void keysSortInUtf8ByteOrderLikeS3ListsThem() {
    List<String> keys =
        new ArrayList<>(List.of("a/b", "a.txt", "a", "\uFF21", "\uD83D\uDE00", "é", "Z", "a-"));
    keys.sort(KeyOrder.COMPARATOR);
    byte[][] utf8 =
        keys.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    for (int i = 1; i < utf8.length; i++) {
      assertThat(Arrays.compareUnsigned(utf8[i - 1], utf8[i])).as(keys.toString()).isNegative();
    }
    assertThat(keys).containsExactly("Z", "a", "a-", "a.txt", "a/b", "é", "\uFF21", "\uD83D\uDE00");
  }

  @Test
  void keysOfOneDirectoryCompareTheSameFromTheirSharedPrefixOn() {
    List<String> names = List.of("a/b", "a.txt", "a", "\uFF21", "\uD83D\uDE00", "é", "Z", "a-", "");
    String dir = "site-01/2012/album-003/";
    for (String x : names) {
      for (String y : names) {
        assertThat(Integer.signum(KeyOrder.compare(dir + x, dir + y, dir.length())))
            .as("%s vs %s", x, y)
            .isEqualTo(Integer.signum(KeyOrder.compare(dir + x, dir + y)))
            .isEqualTo(Integer.signum(KeyOrder.compare(x, y)));
      }
    }
  }

  @Test
  void keysThatWouldEscapeTheTargetAreRefused() {
    assertThat(SafeKeys.problem("photos/2024/a.jpg")).isNull();
    assertThat(SafeKeys.problem("dir/")).isNull();
    assertThat(SafeKeys.problem("../etc/passwd")).contains("escape");
    assertThat(SafeKeys.problem("a/../../b")).contains("escape");
    assertThat(SafeKeys.problem("/etc/passwd")).isEqualTo("absolute path");
    assertThat(SafeKeys.problem("a//b")).isEqualTo("empty path component");
    assertThat(SafeKeys.problem("./a")).isEqualTo("'.' component");
    assertThat(SafeKeys.problem("a\0b")).isEqualTo("NUL character");
  }

  @Test
  void temporaryNamesAreRecognisedAndStayWithinTheNameLimit() {
    String temp = TempNames.forName("photo.jpg");
    assertThat(temp).matches("\\.vr-tmp-photo\\.jpg\\.[0-9a-f]{8}");
    assertThat(TempNames.isTemp(temp)).isTrue();
    assertThat(TempNames.finalName(temp)).contains("photo.jpg");
    assertThat(TempNames.isTemp("photo.jpg")).isFalse();
    assertThat(TempNames.isTemp(".vr-tmp-photo.jpg")).isFalse();
    assertThat(TempNames.isTemp(".tmp-photo.jpg.deadbeef"))
        .as("another tool's temporary name")
        .isFalse();
    String longName = "é".repeat(127);
    String longTemp = TempNames.forName(longName);
    assertThat(longTemp.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
    assertThat(TempNames.isTemp(longTemp)).isTrue();
    assertThat(TempNames.finalName(longTemp)).isEmpty();
  }

  @Test
  void parentKeysAndPaths() {
    assertThat(Entry.parentKey("a/b/c")).isEqualTo("a/b/");
    assertThat(Entry.parentKey("a/b/")).isEqualTo("a/");
    assertThat(Entry.parentKey("a")).isEmpty();
    assertThat(Entry.directory("a/b/", 0, 0, 0, 0).path()).isEqualTo("a/b");
    assertThat(Entry.file("x", 0, -1_500_000_000L, 0, 0, 0).mtime())
        .hasToString("1969-12-31T23:59:58.500Z");
  }
}
