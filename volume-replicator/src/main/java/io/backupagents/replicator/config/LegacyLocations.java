package io.backupagents.replicator.config;

import static io.backupagents.replicator.config.ReplicatorSetting.AWS_ENDPOINTS;
import static io.backupagents.replicator.config.ReplicatorSetting.REPLICATE_DIRECTION;
import static io.backupagents.replicator.config.ReplicatorSetting.REPLICATE_SOURCE;
import static io.backupagents.replicator.config.ReplicatorSetting.REPLICATE_TARGET;
import static io.backupagents.replicator.config.ReplicatorSetting.S3_BUCKET_NAME;
import static io.backupagents.replicator.config.ReplicatorSetting.S3_REQUEST_STYLE;
import static io.backupagents.replicator.config.ReplicatorSetting.USE_DOW_FOR_RCLONE;
import static io.backupagents.replicator.config.ReplicatorSetting.USE_FIRST_OF_MONTH_FOR_RCLONE;
import static io.backupagents.replicator.config.ReplicatorSetting.USE_RCLONE;
import static io.backupagents.replicator.config.ReplicatorSetting.VOLUME_A_DIR;
import static io.backupagents.replicator.config.ReplicatorSetting.VOLUME_A_IS_S3;
import static io.backupagents.replicator.config.ReplicatorSetting.VOLUME_B_DIR;

import io.backupagents.common.s3.S3Location;
import io.backupagents.common.settings.SettingsReader;
import java.util.Locale;
import java.util.Optional;

/**
 * Maps either the new {@code REPLICATE_SOURCE}/{@code REPLICATE_TARGET} or the legacy image's
 * variables ({@code REPLICATE_DIRECTION} over volumes A and B, {@code USE_RCLONE}, {@code
 * VOLUME_A_IS_S3}, the day directories) onto a source, a target and the target's day directory.
 */
public record LegacyLocations(Location source, Location target, DayDirectory day) {

  /** What the legacy REPLICATE_DIRECTION accepts. */
  enum Direction {
    ATOB,
    BTOA
  }

  // Stand-ins while a location has a problem, so that validation goes on and reports it all.
  private static final Location PLACEHOLDER = new Location.Directory(java.nio.file.Path.of("/"));
  private static final Location BUCKET_PLACEHOLDER =
      new Location.Bucket(new S3Location("placeholder", ""));

  /** Reads the locations, recording every problem in {@code r}. */
  public static LegacyLocations read(SettingsReader r) {
    DayDirectory day =
        new DayDirectory(r.flag(USE_DOW_FOR_RCLONE), r.flag(USE_FIRST_OF_MONTH_FOR_RCLONE));
    boolean useRclone = r.flag(USE_RCLONE);
    boolean volumeAIsS3 = r.flag(VOLUME_A_IS_S3);
    LegacyLocations result;
    if (r.isSet(REPLICATE_SOURCE) || r.isSet(REPLICATE_TARGET)) {
      result = newStyle(r, day, useRclone, volumeAIsS3);
    } else {
      result = legacy(r, day, useRclone, volumeAIsS3);
    }
    if (r.isSet(S3_BUCKET_NAME) && !useRclone && !volumeAIsS3) {
      r.problem("S3_BUCKET_NAME is set but neither USE_RCLONE nor VOLUME_A_IS_S3 is yes");
    }
    if (!volumeAIsS3) {
      for (var s : new ReplicatorSetting[] {AWS_ENDPOINTS, S3_REQUEST_STYLE}) {
        if (r.isSet(s)) {
          r.problem(
              s.key() + " is only used with VOLUME_A_IS_S3=yes: remove it or set S3_ENDPOINT");
        }
      }
    }
    if (!day.isNone() && !result.target().isBucket()) {
      r.problem(
          "USE_DOW_FOR_RCLONE and USE_FIRST_OF_MONTH_FOR_RCLONE need an S3 target (USE_RCLONE=yes"
              + " or REPLICATE_TARGET=s3://...)");
    }
    boolean real = !isPlaceholder(result.source()) && !isPlaceholder(result.target());
    if (real && Location.overlap(result.source(), result.target())) {
      r.problem(
          "the source "
              + result.source()
              + " and the target "
              + result.target()
              + " overlap: one must not lie inside the other");
    }
    return result;
  }

  private static LegacyLocations newStyle(
      SettingsReader r, DayDirectory day, boolean useRclone, boolean volumeAIsS3) {
    if (r.isSet(REPLICATE_DIRECTION)) {
      conflict(r, REPLICATE_DIRECTION);
    }
    if (useRclone) {
      conflict(r, USE_RCLONE);
    }
    if (volumeAIsS3) {
      conflict(r, VOLUME_A_IS_S3);
    }
    Location source = location(r, REPLICATE_SOURCE);
    Location target = location(r, REPLICATE_TARGET);
    return new LegacyLocations(source, target, day);
  }

  private static boolean isPlaceholder(Location l) {
    return l == PLACEHOLDER || l == BUCKET_PLACEHOLDER;
  }

  private static void conflict(SettingsReader r, ReplicatorSetting legacy) {
    r.problem(
        legacy.key() + " cannot be combined with REPLICATE_SOURCE/REPLICATE_TARGET: use one style");
  }

  private static Location location(SettingsReader r, ReplicatorSetting s) {
    String value = r.required(s, "with the other of REPLICATE_SOURCE/REPLICATE_TARGET");
    if (value.isEmpty()) {
      return PLACEHOLDER;
    }
    Optional<Location> parsed = Location.parse(value);
    if (parsed.isEmpty()) {
      boolean bucket = value.strip().startsWith("s3://");
      r.invalid(
          s,
          bucket
              ? "s3://bucket/prefix with " + S3Location.RULES
              : "an absolute directory path or s3://bucket/prefix");
      // A bucket meant: the S3 settings are checked too, so every problem shows at once.
      return bucket ? BUCKET_PLACEHOLDER : PLACEHOLDER;
    }
    return parsed.get();
  }

  private static LegacyLocations legacy(
      SettingsReader r, DayDirectory day, boolean useRclone, boolean volumeAIsS3) {
    Direction direction = Direction.BTOA;
    if (!r.isSet(REPLICATE_DIRECTION)) {
      r.problem(
          "REPLICATE_DIRECTION is required (AtoB or BtoA), unless REPLICATE_SOURCE and"
              + " REPLICATE_TARGET are set");
    } else {
      direction = r.choice(REPLICATE_DIRECTION, Direction.class);
    }
    Location a = directory(r, VOLUME_A_DIR);
    Location b = directory(r, VOLUME_B_DIR);
    Optional<Location> bucket = Optional.empty();
    if (useRclone || volumeAIsS3) {
      String why = useRclone ? "with USE_RCLONE=yes" : "with VOLUME_A_IS_S3=yes";
      String name = r.required(S3_BUCKET_NAME, why);
      if (!name.isEmpty()) {
        bucket = S3Location.parse("s3://" + name.strip()).map(Location.Bucket::new);
        if (bucket.isEmpty()) {
          r.invalid(
              S3_BUCKET_NAME,
              "a bucket name, optionally with a path (media or media/copies): " + S3Location.RULES);
        }
      }
    }
    Location s3 = bucket.orElse(BUCKET_PLACEHOLDER);
    if (volumeAIsS3) {
      a = s3;
    }
    if (useRclone) {
      if (direction == Direction.ATOB) {
        r.problem(
            "USE_RCLONE=yes pushes volume B to S3 and needs REPLICATE_DIRECTION=BtoA (to pull from"
                + " S3, set REPLICATE_SOURCE=s3://... and REPLICATE_TARGET)");
      }
      return new LegacyLocations(b, s3, day);
    }
    return direction == Direction.ATOB
        ? new LegacyLocations(a, b, day)
        : new LegacyLocations(b, a, day);
  }

  private static Location directory(SettingsReader r, ReplicatorSetting s) {
    String value = r.string(s);
    Optional<Location> parsed = Location.parse(value);
    if (parsed.isEmpty() || parsed.get().isBucket()) {
      r.invalid(s, "an absolute directory path");
      return PLACEHOLDER;
    }
    return parsed.get();
  }

  /** The legacy s3fs addressing style: true for path-style, empty when not set. */
  public static Optional<Boolean> requestStylePath(SettingsReader r) {
    return r.optional(S3_REQUEST_STYLE)
        .flatMap(
            v -> {
              String style = v.strip().toLowerCase(Locale.ROOT);
              if (style.equals("path") || style.equals("use_path_request_style")) {
                return Optional.of(true);
              }
              if (style.equals("virtual") || style.equals("virtualhost")) {
                return Optional.of(false);
              }
              r.invalid(S3_REQUEST_STYLE, "path or virtual");
              return Optional.empty();
            });
  }
}
