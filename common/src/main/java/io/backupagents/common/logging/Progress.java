package io.backupagents.common.logging;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Periodic progress lines for long work: done of total, rate and time left, at most one line per
 * interval. Thread-safe: workers call {@link #add}; the caller sees lines through its sink.
 */
public final class Progress {

  private final String what;
  private final Clock clock;
  private final Duration interval;
  private final Consumer<String> sink;
  private final Instant start;
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong lines = new AtomicLong();
  private volatile long total;
  private volatile Instant lastLine;

  public Progress(String what, long total, Clock clock, Duration interval, Consumer<String> sink) {
    this.what = what;
    this.total = total;
    this.clock = clock;
    this.interval = interval;
    this.sink = sink;
    this.start = clock.instant();
    this.lastLine = start;
  }

  /** Updates the total when it is only known later (0: unknown). */
  public void total(long newTotal) {
    this.total = newTotal;
  }

  public long done() {
    return done.get();
  }

  /** Counts {@code amount} more done and prints a line when the interval has passed. */
  public void add(long amount) {
    long now = done.addAndGet(amount);
    Instant t = clock.instant();
    Instant last = lastLine;
    if (Duration.between(last, t).compareTo(interval) >= 0) {
      synchronized (this) {
        if (lastLine == last) {
          lastLine = t;
          lines.incrementAndGet();
          sink.accept(line(now, t));
        }
      }
    }
  }

  /** {@code in}, counting every byte read (or skipped) through it as done. */
  public InputStream counting(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
          add(1);
        }
        return b;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n > 0) {
          add(n);
        }
        return n;
      }

      @Override
      public long skip(long n) throws IOException {
        long skipped = in.skip(n);
        add(skipped);
        return skipped;
      }
    };
  }

  /** Stops a {@link #heartbeat()}. */
  public interface Heartbeat extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Also prints a line whenever a whole interval passes without one, even when nothing moves: a
   * stalled upload or download still says, every interval, how far it got. Close it when done.
   */
  public Heartbeat heartbeat() {
    Thread beat =
        Thread.ofVirtual()
            .name("progress-" + what)
            .start(
                () -> {
                  try {
                    while (!Thread.currentThread().isInterrupted()) {
                      long printed = lines.get();
                      Thread.sleep(Math.max(1, interval.toMillis()));
                      if (lines.get() == printed) {
                        // Counted in real time, not by the (possibly fixed) clock.
                        synchronized (this) {
                          lastLine = clock.instant();
                          lines.incrementAndGet();
                          sink.accept(line());
                        }
                      }
                    }
                  } catch (InterruptedException e) {
                    // closed
                  }
                });
    return beat::interrupt;
  }

  /** The line for the current state, e.g. {@code restore: 1.2 GiB of 3.4 GiB (35%), ...}. */
  public String line() {
    return line(done.get(), clock.instant());
  }

  private String line(long now, Instant t) {
    StringBuilder sb = new StringBuilder(what).append(": ").append(Units.bytes(now));
    if (total > 0) {
      sb.append(" of ").append(Units.bytes(total));
      sb.append(String.format(Locale.ROOT, " (%d%%)", Math.min(100, now * 100 / total)));
    }
    return sb.append(", ").append(rate(now, total, t)).toString();
  }

  /**
   * The rate of {@code bytes} done since the start, and the time left until {@code total} (none
   * when {@code total} is 0: unknown), e.g. {@code 12.0 MiB/s, ETA 3m}: for lines that count more
   * than bytes.
   */
  public String rate(long bytes, long total) {
    return rate(bytes, total, clock.instant());
  }

  private String rate(long now, long total, Instant t) {
    double seconds = Math.max(0.001, Duration.between(start, t).toMillis() / 1000.0);
    double rate = now / seconds;
    StringBuilder sb = new StringBuilder(Units.bytes((long) rate)).append("/s");
    if (total > 0 && rate > 0 && now < total) {
      sb.append(", ETA ").append(Units.duration(Duration.ofSeconds((long) ((total - now) / rate))));
    }
    return sb.toString();
  }
}
