package io.backupagents.replicator.config;

import static io.backupagents.replicator.config.ReplicatorSetting.AWS_ENDPOINTS;
import static io.backupagents.replicator.config.ReplicatorSetting.JOB_COMPLETION_INDEX;
import static io.backupagents.replicator.config.ReplicatorSetting.MAX_DELETE;
import static io.backupagents.replicator.config.ReplicatorSetting.RCLONE_EXTRA_OPTIONS;
import static io.backupagents.replicator.config.ReplicatorSetting.REPLICATE_BWLIMIT;
import static io.backupagents.replicator.config.ReplicatorSetting.REPLICATE_CHECKERS;
import static io.backupagents.replicator.config.ReplicatorSetting.REPLICATE_CHECKSUM;
import static io.backupagents.replicator.config.ReplicatorSetting.REPLICATE_DELETE;
import static io.backupagents.replicator.config.ReplicatorSetting.REPLICATE_DRY_RUN;
import static io.backupagents.replicator.config.ReplicatorSetting.REPLICATE_EXCLUDE;
import static io.backupagents.replicator.config.ReplicatorSetting.REPLICATE_FSYNC;
import static io.backupagents.replicator.config.ReplicatorSetting.REPLICATE_INCLUDE;
import static io.backupagents.replicator.config.ReplicatorSetting.REPLICATE_MANIFEST;
import static io.backupagents.replicator.config.ReplicatorSetting.REPLICATE_MANIFEST_PREFIX;
import static io.backupagents.replicator.config.ReplicatorSetting.REPLICATE_MTIME_WINDOW;
import static io.backupagents.replicator.config.ReplicatorSetting.REPLICATE_PROGRESS_INTERVAL;
import static io.backupagents.replicator.config.ReplicatorSetting.REPLICATE_QUIETLY;
import static io.backupagents.replicator.config.ReplicatorSetting.REPLICATE_STRICT_VANISHED;
import static io.backupagents.replicator.config.ReplicatorSetting.REPLICATE_TARGET_NAME;
import static io.backupagents.replicator.config.ReplicatorSetting.REPLICATE_TRANSFERS;
import static io.backupagents.replicator.config.ReplicatorSetting.SHARD_COUNT;
import static io.backupagents.replicator.config.ReplicatorSetting.SHARD_INDEX;
import static io.backupagents.replicator.config.ReplicatorSetting.VOLUME_A_IS_S3;

import io.backupagents.common.s3.S3Settings;
import io.backupagents.common.settings.SettingsReader;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Everything a replication run needs, read and validated from the environment at start-up. */
public record ReplicatorSettings(
    Location source,
    Location target,
    DayDirectory day,
    PathFilter filter,
    boolean delete,
    boolean quiet,
    boolean checksum,
    Duration mtimeWindow,
    DeleteLimit maxDelete,
    boolean dryRun,
    boolean strictVanished,
    int checkers,
    int transfers,
    OptionalLong bandwidthLimit,
    Fsync fsync,
    Duration progressInterval,
    boolean manifest,
    String manifestPrefix,
    String targetName,
    Shard shard,
    Optional<S3Settings> s3) {

  /** When copied files are flushed to stable storage (directory targets). */
  public enum Fsync {
    NO,
    END,
    EACH
  }

  /** Reads every setting, recording each problem in {@code r} (which the launcher finishes). */
  public static ReplicatorSettings read(SettingsReader r) {
    LegacyLocations locations = LegacyLocations.read(r);
    RcloneExtraOptions extra =
        r.optional(RCLONE_EXTRA_OPTIONS)
            .map(RcloneExtraOptions::parse)
            .orElse(RcloneExtraOptions.none());
    extra.problems().forEach(r::problem);
    boolean s3Target = locations.target().isBucket();
    List<String> bad = new ArrayList<>();
    PathFilter filter =
        PathFilter.of(
            PathFilter.split(r.string(REPLICATE_INCLUDE)),
            PathFilter.split(r.string(REPLICATE_EXCLUDE)),
            bad);
    bad.forEach(
        p -> r.problem("pattern '" + p + "' in REPLICATE_INCLUDE/REPLICATE_EXCLUDE is not valid"));
    return new ReplicatorSettings(
        locations.source(),
        locations.target(),
        locations.day(),
        filter,
        r.flag(REPLICATE_DELETE),
        r.flag(REPLICATE_QUIETLY),
        r.flag(REPLICATE_CHECKSUM),
        r.duration(REPLICATE_MTIME_WINDOW),
        maxDelete(r),
        r.flag(REPLICATE_DRY_RUN) || extra.dryRun(),
        r.flag(REPLICATE_STRICT_VANISHED),
        limit(r, REPLICATE_CHECKERS, extra.checkers(), s3Target ? 32 : 8),
        limit(r, REPLICATE_TRANSFERS, extra.transfers(), s3Target ? 32 : 4),
        bandwidth(r, extra.bandwidthLimit()),
        r.choice(REPLICATE_FSYNC, Fsync.class),
        interval(r),
        r.flag(REPLICATE_MANIFEST),
        manifestPrefix(r),
        r.optional(REPLICATE_TARGET_NAME).orElse(locations.target().label()),
        shard(r),
        s3(r, locations));
  }

  private static DeleteLimit maxDelete(SettingsReader r) {
    Optional<DeleteLimit> limit = DeleteLimit.parse(r.string(MAX_DELETE));
    if (limit.isEmpty()) {
      r.invalid(MAX_DELETE, "a number of files such as 1000 or a percentage such as 50%");
      return DeleteLimit.ofPercent(50);
    }
    return limit.get();
  }

  private static int limit(
      SettingsReader r, ReplicatorSetting s, OptionalInt legacy, int defaultValue) {
    if (!r.isSet(s)) {
      return legacy.orElse(defaultValue);
    }
    int value = r.integer(s, 1, 1024);
    if (legacy.isPresent() && legacy.getAsInt() != value) {
      r.problem(s.key() + " and RCLONE_EXTRA_OPTIONS disagree: keep one");
    }
    return value;
  }

  private static OptionalLong bandwidth(SettingsReader r, OptionalLong legacy) {
    if (!r.isSet(REPLICATE_BWLIMIT)) {
      return legacy;
    }
    long value = r.bytes(REPLICATE_BWLIMIT, 1024, Long.MAX_VALUE / 2);
    if (legacy.isPresent() && legacy.getAsLong() != value) {
      r.problem("REPLICATE_BWLIMIT and RCLONE_EXTRA_OPTIONS --bwlimit disagree: keep one");
    }
    return OptionalLong.of(value);
  }

  private static Duration interval(SettingsReader r) {
    Duration d = r.duration(REPLICATE_PROGRESS_INTERVAL);
    if (d.compareTo(Duration.ofSeconds(1)) < 0) {
      r.invalid(REPLICATE_PROGRESS_INTERVAL, "a duration of at least 1s, such as 30s");
      return Duration.ofSeconds(30);
    }
    return d;
  }

  private static String manifestPrefix(SettingsReader r) {
    String prefix = r.string(REPLICATE_MANIFEST_PREFIX).strip();
    while (prefix.endsWith("/")) {
      prefix = prefix.substring(0, prefix.length() - 1);
    }
    if (prefix.isEmpty() || prefix.startsWith("/") || prefix.contains("//")) {
      r.invalid(REPLICATE_MANIFEST_PREFIX, "a key prefix such as .volume-replicator/manifests");
      return ".volume-replicator/manifests";
    }
    return prefix;
  }

  private static Shard shard(SettingsReader r) {
    int count = r.integer(SHARD_COUNT, 1, 10_000);
    int index = 0;
    if (r.isSet(SHARD_INDEX)) {
      index = r.integer(SHARD_INDEX, 0, 10_000);
    } else if (r.isSet(JOB_COMPLETION_INDEX)) {
      index = r.integer(JOB_COMPLETION_INDEX, 0, 10_000);
    } else if (count > 1) {
      r.problem(
          "SHARD_COUNT=" + count + " needs SHARD_INDEX (or an Indexed Job's JOB_COMPLETION_INDEX)");
    }
    if (index >= count) {
      r.problem(
          "shard index "
              + index
              + " is not below SHARD_COUNT="
              + count
              + ": set SHARD_COUNT to the Job's completions");
      return Shard.WHOLE;
    }
    return new Shard(index, count);
  }

  private static Optional<S3Settings> s3(SettingsReader r, LegacyLocations locations) {
    if (!locations.source().isBucket() && !locations.target().isBucket()) {
      return Optional.empty();
    }
    S3Settings s = S3Settings.read(r, "when the source or the target is in S3");
    if (!r.flag(VOLUME_A_IS_S3)) {
      return Optional.of(s);
    }
    // The legacy s3fs mount named its endpoint and addressing style with its own variables.
    Optional<URI> endpoint = s.endpoint().isPresent() ? s.endpoint() : r.uri(AWS_ENDPOINTS);
    boolean pathStyle =
        LegacyLocations.requestStylePath(r).orElse(s.pathStyle() || endpoint.isPresent());
    return Optional.of(
        new S3Settings(
            endpoint,
            s.region(),
            pathStyle,
            s.accessKeyId(),
            s.secretAccessKey(),
            s.checksumMode(),
            s.verifyTls(),
            s.encryption(),
            s.kmsKeyId(),
            s.storageClass(),
            s.maxConnections(),
            s.multipartThreshold(),
            s.partSize(),
            s.maxAttempts()));
  }
}
