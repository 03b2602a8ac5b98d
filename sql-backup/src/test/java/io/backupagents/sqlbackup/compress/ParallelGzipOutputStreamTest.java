package io.backupagents.sqlbackup.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backupagents.sqlbackup.compress.BlockCompressors.Engine;
import io.backupagents.testing.Commands;
import io.backupagents.testing.RequiredTool;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParallelGzipOutputStreamTest {

  private static final int BLOCK = ParallelGzipOutputStream.BLOCK_SIZE;

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 1000, BLOCK - 1, BLOCK, BLOCK + 1, 3 * BLOCK + 17, 5_000_000})
  void roundTripsAnySizeThroughJavasGunzip(int size) throws IOException {
    byte[] input = SqlLikeText.generate(size, size);
    for (Engine engine : engines()) {
      byte[] gz = compress(input, 6, 3, false, engine);
      assertThat(gunzip(gz)).as(engine.name()).isEqualTo(input);
    }
  }

  @Test
  void usesLibdeflateOnJava22AndLater() {
    // The images and CI run Java 22+ on Debian with libdeflate0 installed: the fast engine must
    // load there rather than fall back quietly.
    Engine expected = Runtime.version().feature() >= 22 ? Engine.LIBDEFLATE : Engine.JDK;
    assertThat(BlockCompressors.best()).isEqualTo(expected);
  }

  @Test
  void incompressibleBlocksFitAndRoundTripWithBothEngines() throws IOException {
    byte[] input = new byte[2 * BLOCK + 333];
    new Random(7).nextBytes(input);
    for (Engine engine : engines()) {
      for (int level : new int[] {1, 9}) {
        byte[] gz = compress(input, level, 2, true, engine);
        assertThat(gunzip(gz)).as("%s level %d", engine, level).isEqualTo(input);
      }
    }
  }

  @Test
  void everyEngineCompressesAtLeastAsWellAsTheJdksZlib() throws IOException {
    byte[] input = SqlLikeText.generate(3 * BLOCK, 9);
    long jdk = compress(input, 6, 2, true, Engine.JDK).length;
    for (Engine engine : engines()) {
      long size = compress(input, 6, 2, true, engine).length;
      assertThat(size).as(engine.name()).isLessThanOrEqualTo(jdk * 101 / 100);
    }
  }

  @Test
  void writesByteBySmallWritesAndTransfersTheSame() throws IOException {
    byte[] input = SqlLikeText.generate(700_000, 7);
    assertThat(compress(input, 6, 2, false)).isEqualTo(compress(input, 6, 2, true));
  }

  @Test
  void gzipAndZcatAcceptTheOutputOfEveryEngine() throws IOException {
    Path gzip = RequiredTool.require("gzip");
    byte[] input = SqlLikeText.generate(3_000_000, 11);
    for (Engine engine : engines()) {
      Path file = dir.resolve(engine + ".sql.gz");
      Files.write(file, compress(input, 6, 4, true, engine));

      Commands.run(List.of(gzip.toString(), "-t", file.toString()));
      Path restored = dir.resolve(engine + ".sql");
      Commands.run(List.of("sh", "-c", "zcat '" + file + "' > '" + restored + "'"));
      assertThat(Files.readAllBytes(restored)).as(engine.name()).isEqualTo(input);
    }
  }

  @Test
  void isNoMoreThanOnePercentLargerThanGzipAtTheSameLevel() throws IOException {
    Path gzip = RequiredTool.require("gzip");
    byte[] input = SqlLikeText.generate(8_000_000, 5);
    Path plain = dir.resolve("plain.sql");
    Files.write(plain, input);
    for (int level : new int[] {1, 6, 9}) {
      Path reference = dir.resolve("reference-" + level + ".gz");
      Commands.run(
          List.of("sh", "-c", gzip + " -" + level + " -c '" + plain + "' > '" + reference + "'"));
      long ours = compress(input, level, 2, true).length;
      long theirs = Files.size(reference);
      assertThat(ours).as("level %d: ours vs gzip", level).isLessThanOrEqualTo(theirs * 101 / 100);
    }
  }

  @Test
  void keepsTheTailOfTheInputForTrailerChecks() throws IOException {
    byte[] body = SqlLikeText.generate(2 * BLOCK + 5, 3);
    byte[] end =
        "\n--\n-- PostgreSQL database dump complete\n--\n\n".getBytes(StandardCharsets.UTF_8);
    try (var gz = new ParallelGzipOutputStream(OutputStream.nullOutputStream(), 6, 2)) {
      gz.write(body);
      gz.write(end);
      assertThat(new String(gz.tail(64), StandardCharsets.UTF_8))
          .endsWith(new String(end, StandardCharsets.UTF_8));
      gz.finish();
      assertThat(gz.tail(end.length)).isEqualTo(end);
      assertThat(gz.inputBytes()).isEqualTo(body.length + end.length);
    }
  }

  @Test
  void reportsAFailingTargetToTheWriter() throws IOException {
    OutputStream full =
        new OutputStream() {
          private long written;

          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            written += len;
            if (written > 100_000) {
              throw new IOException("No space left on device");
            }
          }
        };
    var gz = new ParallelGzipOutputStream(full, 6, 2);
    byte[] input = new byte[12 * BLOCK]; // more than the blocks in flight
    new Random(1).nextBytes(input);
    assertThatThrownBy(() -> gz.transferFrom(new ByteArrayInputStream(input)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("No space left");
    gz.abort();
  }

  private static byte[] compress(byte[] input, int level, int threads, boolean transfer)
      throws IOException {
    return compress(input, level, threads, transfer, BlockCompressors.best());
  }

  static byte[] compress(byte[] input, int level, int threads, boolean transfer, Engine engine)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (var gz = new ParallelGzipOutputStream(out, level, threads, engine)) {
      if (transfer) {
        gz.transferFrom(new ByteArrayInputStream(input));
      } else {
        for (int i = 0; i < input.length; i += 1000) {
          gz.write(input, i, Math.min(1000, input.length - i));
        }
      }
    }
    return out.toByteArray();
  }

  /** Every engine this runtime has. */
  private static List<Engine> engines() {
    return BlockCompressors.best() == Engine.LIBDEFLATE
        ? List.of(Engine.LIBDEFLATE, Engine.JDK)
        : List.of(Engine.JDK);
  }

  private static byte[] gunzip(byte[] gz) throws IOException {
    try (var in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }
}
