package io.backupagents.replicator.config;

import io.backupagents.common.s3.S3Location;
import java.io.IOException;
import java.nio.file.Files;
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

  /**
   * True when one location lies inside the other (or they are the same), as written or once
   * symlinks are resolved (a target reached through a link into the source would grow a copy of
   * itself in every run; a source reached through a link into the target would be deleted).
   */
  static boolean overlap(Location a, Location b) {
    return switch (a) {
      case Directory x ->
          switch (b) {
            case Directory y ->
                nested(x.root(), y.root()) || nested(real(x.root()), real(y.root()));
            case Bucket y -> false;
          };
      case Bucket x ->
          switch (b) {
            case Directory y -> false;
            case Bucket y -> overlap(x.location(), y.location());
          };
    };
  }

  private static boolean nested(Path x, Path y) {
    return x.startsWith(y) || y.startsWith(x);
  }

  /**
   * {@code p} with its symlinks resolved: its deepest existing ancestor's real path and the rest as
   * written (a target may not exist yet).
   */
  private static Path real(Path p) {
    Path absolute = p.toAbsolutePath().normalize();
    Path existing = absolute;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return absolute;
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(absolute));
    } catch (IOException e) {
      return absolute; // unreadable: the run reports it; here the path as written is compared
    }
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
