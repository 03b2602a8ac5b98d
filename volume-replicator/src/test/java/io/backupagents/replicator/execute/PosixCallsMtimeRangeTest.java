package io.backupagents.replicator.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.backupagents.common.fs.NativeTimes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Setting times before 1970 with a fraction of a second, which the JDK refuses or gets wrong. */
class PosixCallsMtimeRangeTest {

  private static final long PRE_1970 = -301_233_599_750_000_000L; // 1960-06-15T12:00:00.25Z
  private static final long NOW = 1_741_919_400_000_000_000L;

  @TempDir Path dir;

  @BeforeEach
  void foreignFunctionApi() {
    assumeThat(Runtime.version().feature())
        .as("the foreign function API that calls utimensat for such times")
        .isGreaterThanOrEqualTo(22);
  }

  private static Instant mtime(Path p) throws IOException {
    return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant();
  }

  @Test
  void onlyTimesBefore1970WithAFractionNeedTheDirectCall() {
    assertThat(NativeTimes.beyondTheJdk(PRE_1970)).isTrue();
    assertThat(NativeTimes.beyondTheJdk(-1)).isTrue();
    assertThat(NativeTimes.beyondTheJdk(Long.MIN_VALUE + 1)).isTrue();
    assertThat(NativeTimes.beyondTheJdk(-301_233_600_000_000_000L)).isFalse();
    assertThat(NativeTimes.beyondTheJdk(0)).isFalse();
    assertThat(NativeTimes.beyondTheJdk(NOW + 1)).isFalse();
  }

  @Test
  void aFileAndASymlinkItselfGetTheirExactTimesBefore1970() throws IOException {
    Path file = Files.writeString(dir.resolve("f"), "x");
    Path link = Files.createSymbolicLink(dir.resolve("l"), Path.of("f"));

    PosixCalls.setTimes(file, NOW, PRE_1970, false);
    PosixCalls.setTimes(link, NOW, -1_500_000_000L, true);

    assertThat(mtime(file)).isEqualTo(Instant.parse("1960-06-15T12:00:00.25Z"));
    assertThat(mtime(link)).isEqualTo(Instant.ofEpochSecond(-2, 500_000_000));
    assertThat(mtime(file)).as("the symlink's target is left alone").isNotEqualTo(mtime(link));
  }

  @Test
  void aMissingFileFailsAsTheJdkWouldSay() {
    Path missing = dir.resolve("missing");

    assertThatThrownBy(() -> PosixCalls.setTimes(missing, NOW, PRE_1970, true))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining(missing.toString());
  }
}
