package io.backupagents.common.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipeReadingTest {

  private static final boolean FOREIGN_FUNCTIONS = Runtime.version().feature() >= 22;

  @Test
  void bulkOutputArrivesWholeAndInOrder() throws Exception {
    int size = 24_000_000;
    AtomicLong read = new AtomicLong();
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    new LocalProcessRunner(Map.of("PATH", "/usr/bin:/bin"))
        .run(
            ProcessSpec.of("yes", List.of("sh", "-c", "yes 'a line of a dump' | head -c " + size))
                .withBulkStdout(
                    in ->
                        read.set(
                            new DigestInputStream(in, digest)
                                .transferTo(OutputStream.nullOutputStream()))));

    MessageDigest expected = MessageDigest.getInstance("SHA-256");
    byte[] line = "a line of a dump\n".getBytes(StandardCharsets.US_ASCII);
    for (int done = 0; done < size; done += line.length) {
      expected.update(line, 0, Math.min(line.length, size - done));
    }
    assertThat(read.get()).isEqualTo(size);
    assertThat(HexFormat.of().formatHex(digest.digest()))
        .isEqualTo(HexFormat.of().formatHex(expected.digest()));
  }

  @Test
  void theChildsOutputPipeIsWidenedWhereTheForeignFunctionApiIs() throws Exception {
    Process child = new ProcessBuilder("sleep", "30").start();
    try (InputStream stdout = child.getInputStream()) {
      OptionalInt fd = PipeReading.readEnd(child.pid());
      assertThat(fd).isPresent();
      assertThat(Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd.getAsInt())))
          .isEqualTo(Files.readSymbolicLink(Path.of("/proc/" + child.pid() + "/fd/1")));

      InputStream batched = PipeReading.batched(child.pid(), stdout);

      if (FOREIGN_FUNCTIONS) {
        assertThat(batched).isNotSameAs(stdout);
      } else {
        assertThat(batched).isSameAs(stdout);
      }
    } finally {
      child.destroyForcibly().waitFor();
    }
  }

  @Test
  void outputThatIsNoPipeIsReadAsItComes(@TempDir Path dir) throws Exception {
    Process child =
        new ProcessBuilder("sleep", "30").redirectOutput(dir.resolve("out.txt").toFile()).start();
    try (InputStream stdout = child.getInputStream()) {
      assertThat(PipeReading.readEnd(child.pid())).isEmpty();
      assertThat(PipeReading.batched(child.pid(), stdout)).isSameAs(stdout);
    } finally {
      child.destroyForcibly().waitFor();
    }
  }
}
