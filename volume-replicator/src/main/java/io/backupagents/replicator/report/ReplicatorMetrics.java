package io.backupagents.replicator.report;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.ToDoubleFunction;

/**
 * Every meter the volume-replicator exports, each tagged with the target's name (one value per
 * CronJob, so low cardinality). Values describe the last run; the launcher adds the run's outcome,
 * duration and last-success time, and the Pushgateway groups by the same target name.
 */
public final class ReplicatorMetrics {

  /** One exported meter: its Micrometer name, base unit, Prometheus name and meaning. */
  public enum Meter {
    FILES_COPIED(
        "last.run.files.copied", null, "files copied by the last run", s -> s.copiedFiles.sum()),
    BYTES_COPIED(
        "last.run.copied", "bytes", "bytes copied by the last run", s -> s.copiedBytes.sum()),
    FILES_DELETED(
        "last.run.files.deleted", null, "files deleted by the last run", s -> s.deletedFiles.sum()),
    FILES_UNCHANGED(
        "last.run.files.unchanged",
        null,
        "files found unchanged by the last run",
        s -> s.unchanged.sum()),
    ERRORS(
        "last.run.errors",
        null,
        "entries that failed to copy, or could not be read or listed",
        s -> s.errors.sum() + s.readErrors.sum()),
    VANISHED(
        "last.run.files.vanished",
        null,
        "source files that vanished or changed while being copied",
        s -> s.vanished.sum()),
    DELETIONS_REFUSED(
        "last.run.deletions.refused",
        null,
        "1 when the deletion guard refused the last run's deletions",
        s -> s.deletionRefusals.sum()),
    PLANNED_DELETIONS(
        "last.run.deletions.planned",
        null,
        "deletions the last run's plan asked for",
        s -> s.plannedDeletions.sum()),
    SOURCE_FILES(
        "source.files",
        null,
        "regular files in the source at the last run",
        s -> s.sourceFiles.sum()),
    SOURCE_BYTES(
        "source",
        "bytes",
        "bytes in the source's regular files at the last run",
        s -> s.sourceBytes.sum()),
    S3_HEADS(
        "last.run.s3.heads",
        null,
        "HEAD requests of the last run (objects the manifest could not vouch for)",
        s -> s.s3Heads.sum()),
    S3_REQUESTS(
        "last.run.s3.requests",
        null,
        "S3 requests of the last run (a multipart upload counts once)",
        RunStats::s3Requests);

    private final String name;
    private final String unit;
    private final String description;
    private final ToDoubleFunction<RunStats> value;

    Meter(String name, String unit, String description, ToDoubleFunction<RunStats> value) {
      this.name = "volume.replicator." + name;
      this.unit = unit;
      this.description = description;
      this.value = value;
    }

    /** The name Prometheus shows. */
    public String prometheusName() {
      return name.replace('.', '_') + (unit == null ? "" : "_" + unit);
    }

    public String description() {
      return description;
    }
  }

  /** The per-target last-success gauge, set only by successful runs. */
  public static final String TARGET_LAST_SUCCESS =
      "volume_replicator_target_last_success_timestamp_seconds";

  private final MeterRegistry registry;
  private final Tags tags;

  public ReplicatorMetrics(MeterRegistry registry, String target) {
    this.registry = registry;
    this.tags = Tags.of("target", target);
  }

  /** Registers every meter with the run's final counts. */
  public void record(RunStats stats) {
    for (Meter m : Meter.values()) {
      double v = m.value.applyAsDouble(stats);
      Gauge.builder(m.name, () -> v)
          .description(m.description)
          .baseUnit(m.unit)
          .tags(tags)
          .register(registry);
    }
  }

  /** Records a successful run's end. */
  public void success(Instant when) {
    double seconds = when.toEpochMilli() / 1000.0;
    Gauge.builder("volume.replicator.target.last.success.timestamp", () -> seconds)
        .description("when a run to this target last succeeded")
        .baseUnit("seconds")
        .tags(tags)
        .register(registry);
  }

  /** The README's metrics table. */
  public static String markdownTable() {
    StringBuilder sb = new StringBuilder("| metric (label `target`) | meaning |\n|---|---|\n");
    Arrays.stream(Meter.values())
        .forEach(
            m ->
                sb.append("| `")
                    .append(m.prometheusName())
                    .append("` | ")
                    .append(m.description)
                    .append(" |\n"));
    sb.append("| `")
        .append(TARGET_LAST_SUCCESS)
        .append(
            "` | when a run to this target last succeeded (pushed only by successful runs) |\n");
    return sb.toString();
  }
}
