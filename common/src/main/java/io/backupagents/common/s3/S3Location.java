package io.backupagents.common.s3;

import java.util.Optional;

/**
 * A bucket and a key prefix (no leading or trailing slash; empty for the bucket's root).
 *
 * <p>Parses {@code s3://bucket/prefix} and the legacy rclone form {@code /bucket/prefix}.
 */
public record S3Location(String bucket, String prefix) {

  /** What {@link #parse} accepts, for the messages that refuse a location. */
  public static final String RULES =
      "a bucket name of 3 to 63 lower-case letters, digits, dots and hyphens, and no empty"
          + " segment (//) in the path";

  public S3Location {
    prefix = trimSlashes(prefix);
  }

  /** Parses a location, or empty when it is not of either form. */
  public static Optional<S3Location> parse(String text) {
    String rest;
    if (text.startsWith("s3://")) {
      rest = text.substring("s3://".length());
    } else if (text.startsWith("/")) {
      rest = text.substring(1);
    } else {
      return Optional.empty();
    }
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : rest.substring(slash + 1);
    // See RULES.
    if (!bucket.matches("[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]") || prefix.contains("//")) {
      return Optional.empty();
    }
    return Optional.of(new S3Location(bucket, prefix));
  }

  /** The key of a path relative to this location, e.g. {@code prefix/hourly/backup-...}. */
  public String key(String relativePath) {
    String rel = trimSlashes(relativePath);
    return prefix.isEmpty() ? rel : prefix + "/" + rel;
  }

  /** The prefix to list everything under this location: empty or ending with a slash. */
  public String listPrefix() {
    return prefix.isEmpty() ? "" : prefix + "/";
  }

  /** The path of a key relative to this location, or empty when the key lies outside it. */
  public Optional<String> relativize(String key) {
    String lp = listPrefix();
    return key.startsWith(lp) && key.length() > lp.length()
        ? Optional.of(key.substring(lp.length()))
        : Optional.empty();
  }

  public S3Location resolve(String subPrefix) {
    return new S3Location(bucket, key(subPrefix));
  }

  @Override
  public String toString() {
    return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
  }

  private static String trimSlashes(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == '/') {
      start++;
    }
    while (end > start && s.charAt(end - 1) == '/') {
      end--;
    }
    return s.substring(start, end);
  }
}
