package io.backupagents.replicator.report;

import io.backupagents.common.logging.Units;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Periodic progress lines while a sync runs: entries planned, files and bytes copied of those
 * planned so far (final once the scan is done), rate and time left.
 */
public final class SyncProgress implements AutoCloseable {

  private final RunStats stats;
  private final Duration interval;
  private final Consumer<String> sink;
  private final long start = System.nanoTime();
  private volatile boolean planned;
  private Thread thread;

  public SyncProgress(RunStats stats, Duration interval, Consumer<String> sink) {
    this.stats = stats;
    this.interval = interval;
    this.sink = sink;
  }

  /** Starts printing a line every interval. */
  public SyncProgress start() {
    thread =
        Thread.ofVirtual()
            .name("progress")
            .start(
                () -> {
                  try {
                    while (true) {
                      TimeUnit.MILLISECONDS.sleep(interval.toMillis());
                      sink.accept(line());
                    }
                  } catch (InterruptedException e) {
                    // closed
                  }
                });
    return this;
  }

  /** The scan and the plan are complete: the totals are final from now on. */
  public void planned() {
    planned = true;
  }

  public String line() {
    double seconds = Math.max(0.001, (System.nanoTime() - start) / 1e9);
    long files = stats.copiedFiles.sum();
    long bytes = stats.copiedBytes.sum();
    long totalFiles = stats.plannedCopies.sum();
    long totalBytes = stats.plannedBytes.sum();
    double rate = bytes / seconds;
    StringBuilder sb = new StringBuilder("progress: ");
    sb.append(
        String.format(
            Locale.ROOT,
            "%,d entries %s; ",
            stats.handled.sum(),
            planned ? "planned" : "planned so far"));
    sb.append(String.format(Locale.ROOT, "copied %,d of %,d files, ", files, totalFiles));
    sb.append(Units.bytes(bytes)).append(" of ").append(Units.bytes(totalBytes));
    if (totalBytes > 0) {
      sb.append(String.format(Locale.ROOT, " (%d%%)", Math.min(100, bytes * 100 / totalBytes)));
    }
    sb.append(", ").append(Units.bytes((long) rate)).append("/s");
    if (planned && rate > 0 && bytes < totalBytes) {
      sb.append(", ETA ")
          .append(Units.duration(Duration.ofSeconds((long) ((totalBytes - bytes) / rate))));
    }
    return sb.toString();
  }

  @Override
  public void close() {
    if (thread != null) {
      thread.interrupt();
    }
  }
}
