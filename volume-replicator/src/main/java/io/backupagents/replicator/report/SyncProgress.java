package io.backupagents.replicator.report;

import io.backupagents.common.logging.Progress;
import io.backupagents.common.logging.Units;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Periodic progress lines while a sync runs: entries planned, files and bytes copied of those
 * planned so far (final once the scan is done), rate and time left. Common's {@link Progress} keeps
 * the time: its heartbeat prints every interval (nothing here calls {@code add}), and its rate and
 * time left are those of the bytes copied.
 */
public final class SyncProgress implements AutoCloseable {

  private final RunStats stats;
  private final Progress clockwork;
  private volatile boolean planned;
  private Progress.Heartbeat heartbeat;

  public SyncProgress(RunStats stats, Clock clock, Duration interval, Consumer<String> sink) {
    this.stats = stats;
    // Each line is this class's own (entries and files besides the bytes).
    this.clockwork = new Progress("progress", 0, clock, interval, ignored -> sink.accept(line()));
  }

  /** Starts printing a line every interval. */
  public SyncProgress start() {
    heartbeat = clockwork.heartbeat();
    return this;
  }

  /** The scan and the plan are complete: the totals are final from now on. */
  public void planned() {
    planned = true;
  }

  public String line() {
    long files = stats.copiedFiles.sum();
    long bytes = stats.copiedBytes.sum();
    long totalFiles = stats.plannedCopies.sum();
    long totalBytes = stats.plannedBytes.sum();
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
    // The time left only once the totals are final.
    return sb.append(", ").append(clockwork.rate(bytes, planned ? totalBytes : 0)).toString();
  }

  @Override
  public void close() {
    if (heartbeat != null) {
      heartbeat.close();
    }
  }
}
