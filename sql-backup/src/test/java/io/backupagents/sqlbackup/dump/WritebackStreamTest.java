package io.backupagents.sqlbackup.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup file is flushed to disk while it is written, and a failed flush fails the backup. */
class WritebackStreamTest {

  private static final byte[] KIB = new byte[1024];

  @Test
  void flushesInTheBackgroundOnceEveryIntervalWasWritten() throws Exception {
    CountDownLatch flushed = new CountDownLatch(1);
    WritebackStream stream =
        new WritebackStream(new ByteArrayOutputStream(), flushed::countDown, 4 * 1024);

    for (int i = 0; i < 3; i++) {
      stream.write(KIB);
    }
    assertThat(flushed.getCount()).as("no flush before 4 KiB").isEqualTo(1);
    stream.write(KIB);

    // Before finish: the flush runs while the writing goes on.
    assertThat(flushed.await(10, TimeUnit.SECONDS)).isTrue();
    stream.finish();
  }

  @Test
  void aFlushDueWhileAnotherRunsIsLeftToTheNext() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger started = new AtomicInteger();
    WritebackStream stream =
        new WritebackStream(
            new ByteArrayOutputStream(),
            () -> {
              started.incrementAndGet();
              try {
                release.await();
              } catch (InterruptedException e) {
                throw new IOException(e);
              }
            },
            1024);

    for (int i = 0; i < 20; i++) {
      stream.write(KIB);
    }
    release.countDown();
    stream.finish();

    assertThat(started).hasValue(1);
    // Once that one is over, the next interval starts another.
    stream.write(KIB);
    stream.finish();
    assertThat(started).hasValue(2);
  }

  @Test
  void aFailedFlushIsThrownByFinishAndByTheNextWrite() throws Exception {
    WritebackStream stream =
        new WritebackStream(
            new ByteArrayOutputStream(),
            () -> {
              throw new IOException("Input/output error");
            },
            1024);

    stream.write(KIB);

    assertThatThrownBy(stream::finish)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("flushing the backup file to disk failed: Input/output error")
        .cause()
        .hasMessage("Input/output error");
    assertThatThrownBy(() -> stream.write(KIB)).hasMessageContaining("Input/output error");
  }

  @Test
  void aRealFileHoldsEveryByteWrittenThroughIt(@TempDir Path dir) throws Exception {
    byte[] data = new byte[300_000];
    new Random(7).nextBytes(data);
    Path file = dir.resolve("backup.sql.zst");
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      WritebackStream stream =
          new WritebackStream(
              Channels.newOutputStream(channel), () -> channel.force(false), 16 * 1024);
      for (int off = 0; off < data.length; off += 10_000) {
        stream.write(data, off, Math.min(10_000, data.length - off));
      }
      stream.finish();
      channel.force(true);
    }

    assertThat(Files.readAllBytes(file)).isEqualTo(data);
  }
}
