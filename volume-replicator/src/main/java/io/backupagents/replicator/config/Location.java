package io.backupagents.replicator.config;

import io.backupagents.common.s3.S3Location;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/** A sync source or target: a directory tree or a bucket prefix. */
public sealed interface Location {

  /** A directory tree on a mounted file system (local disk or NFS). */
  record Directory(Path root) implements Location {
    @Override
    public String toString() {
      return root.toString();
    }
  }

  /** The objects under a prefix of a bucket; keys are paths relative to the prefix. */
  record Bucket(S3Location location) implements Location {
    @Override
    public String toString() {
      return location.toString();
    }
  }

  /** Parses {@code s3://bucket/prefix} or an absolute path. */
  static Optional<Location> parse(String text) {
    String t = text.strip();
    if (t.startsWith("s3://")) {
      return S3Location.parse(t).map(Bucket::new);
    }
    try {
      Path p = Path.of(t);
      return p.isAbsolute() ? Optional.of(new Directory(p.normalize())) : Optional.empty();
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
  }

  /** This location one level down, e.g. the legacy {@code 5-Friday} directory; "" = itself. */
  default Location resolve(String sub) {
    if (sub.isEmpty()) {
      return this;
    }
    return switch (this) {
      case Directory d -> new Directory(d.root().resolve(sub));
      case Bucket b -> new Bucket(b.location().resolve(sub));
    };
  }

  default boolean isBucket() {
    return switch (this) {
      case Directory d -> false;
      case Bucket b -> true;
    };
  }

  /** True when one location lies inside the other (or they are the same). */
  static boolean overlap(Location a, Location b) {
    return switch (a) {
      case Directory x ->
          switch (b) {
            case Directory y -> x.root().startsWith(y.root()) || y.root().startsWith(x.root());
            case Bucket y -> false;
          };
      case Bucket x ->
          switch (b) {
            case Directory y -> false;
            case Bucket y -> overlap(x.location(), y.location());
          };
    };
  }

  private static boolean overlap(S3Location x, S3Location y) {
    if (!x.bucket().equals(y.bucket())) {
      return false;
    }
    String p = x.listPrefix();
    String q = y.listPrefix();
    return p.startsWith(q) || q.startsWith(p);
  }

  /** A label for metrics: {@code volume-b}, {@code s3-media}, {@code s3-media-copies}. */
  default String label() {
    String raw =
        switch (this) {
          case Directory d ->
              d.root().getFileName() == null ? "root" : d.root().getFileName().toString();
          case Bucket b ->
              "s3-"
                  + b.location().bucket()
                  + (b.location().prefix().isEmpty() ? "" : "-" + b.location().prefix());
        };
    return raw.replaceAll("[^A-Za-z0-9_.-]+", "-");
  }
}
