package io.backupagents.sqlbackup.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WriteBehindStreamTest {

  /** Collects what reaches it, slowly now and then, and counts its closes. */
  private static final class Sink extends ByteArrayOutputStream {
    int closes;
    long failAfter = Long.MAX_VALUE;
    int writes;

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      if (size() + len > failAfter) {
        throw new UncheckedWrapper(new IOException("No space left on device"));
      }
      if (++writes % 3 == 0) {
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      super.write(b, off, len);
    }

    @Override
    public void close() {
      closes++;
    }
  }

  /** Lets the sink throw an IOException through ByteArrayOutputStream's signature. */
  private static final class UncheckedWrapper extends RuntimeException {
    UncheckedWrapper(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  @Test
  void everythingArrivesInOrderAndTheStreamBelowIsClosedOnce() throws IOException {
    Random random = new Random(7);
    byte[] data = new byte[11 * WriteBehindStream.BLOCK_SIZE + 12_345];
    random.nextBytes(data);
    Sink sink = new Sink();
    WriteBehindStream stream = new WriteBehindStream(sink);
    int at = 0;
    while (at < data.length) {
      // Single bytes, pieces smaller than a block, and pieces larger than several blocks.
      int n =
          switch (random.nextInt(3)) {
            case 0 -> 1;
            case 1 -> random.nextInt(200_000);
            default -> random.nextInt(3 * WriteBehindStream.BLOCK_SIZE);
          };
      n = Math.min(n, data.length - at);
      if (n == 1) {
        stream.write(data[at]);
      } else {
        stream.write(data, at, n);
      }
      at += n;
      if (random.nextInt(10) == 0) {
        stream.flush();
      }
    }
    stream.close();
    stream.close();

    assertThat(sink.toByteArray()).isEqualTo(data);
    assertThat(sink.closes).isEqualTo(1);
    assertThat(stream.writing()).isFalse();
    assertThatThrownBy(() -> stream.write(1)).isInstanceOf(IOException.class);
  }

  @Test
  void aFailureBelowIsThrownToTheWriterWithItsCause() throws Exception {
    Sink sink = new Sink();
    sink.failAfter = 3L * WriteBehindStream.BLOCK_SIZE;
    WriteBehindStream stream = new WriteBehindStream(sink);
    byte[] block = new byte[WriteBehindStream.BLOCK_SIZE];

    assertThatThrownBy(
            () -> {
              // Far more than the blocks in flight: the failure must surface on a later write.
              for (int i = 0; i < 100; i++) {
                stream.write(block);
              }
              stream.close();
            })
        .isInstanceOf(IOException.class)
        .hasMessageContaining("No space left on device")
        .hasRootCauseInstanceOf(IOException.class);
    assertThatThrownBy(stream::close).isInstanceOf(IOException.class);
    stream.abort();
    assertThat(stream.writing()).isFalse();
    assertThat(sink.size()).isEqualTo(3 * WriteBehindStream.BLOCK_SIZE);
    assertThat(sink.closes).isZero();
  }

  @Test
  void anInterruptedCallersAbortStillEndsTheWriterThread() throws Exception {
    WriteBehindStream stream = new WriteBehindStream(new Sink());
    stream.write(new byte[10]);
    stream.flush();

    Thread.currentThread().interrupt();
    stream.abort();

    assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (stream.writing() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(stream.writing()).isFalse();
  }

  @Test
  void memoryIsBoundedWhileTheStreamBelowIsSlowAndAbortDropsTheRest() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicLong written = new AtomicLong();
    OutputStream stuck =
        new OutputStream() {
          @Override
          public void write(int b) {
            throw new UnsupportedOperationException();
          }

          @Override
          public void write(byte[] b, int off, int len) {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            written.addAndGet(len);
          }
        };
    WriteBehindStream stream = new WriteBehindStream(stuck);
    AtomicLong accepted = new AtomicLong();
    Thread producer =
        Thread.ofPlatform()
            .start(
                () -> {
                  byte[] piece = new byte[64 * 1024];
                  try {
                    for (int i = 0; i < 20 * 16; i++) {
                      stream.write(piece);
                      accepted.addAndGet(piece.length);
                    }
                  } catch (IOException e) {
                    // Interrupted below, once it waits for a block.
                  }
                });
    // The producer stops once every block is taken: one being written, the rest queued.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (producer.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(producer.getState()).isEqualTo(Thread.State.TIMED_WAITING);
    assertThat(accepted.get()).isLessThanOrEqualTo(5L * WriteBehindStream.BLOCK_SIZE);

    producer.interrupt();
    producer.join(TimeUnit.SECONDS.toMillis(20));
    assertThat(producer.isAlive()).isFalse();
    // abort waits for the write under way: the stream below is let go a moment after it starts.
    Thread.ofPlatform()
        .start(
            () -> {
              try {
                Thread.sleep(200);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              release.countDown();
            });
    stream.abort();
    assertThat(stream.writing()).isFalse();
    // At most the block being written when abort came; the queued ones were dropped.
    assertThat(written.get()).isLessThanOrEqualTo(WriteBehindStream.BLOCK_SIZE);
  }
}
