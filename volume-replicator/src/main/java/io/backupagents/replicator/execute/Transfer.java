package io.backupagents.replicator.execute;

import io.backupagents.common.s3.RcloneMetadata;
import io.backupagents.replicator.model.Entry;
import io.backupagents.replicator.plan.Action.CheckKind;
import io.backupagents.replicator.plan.ChangeRule;
import io.backupagents.replicator.report.RunStats;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Copies data from a source to a target of either kind (file copy, upload, download or server-side
 * copy) and settles the plan's checks by asking S3 or comparing contents. Each method returns the
 * target entry's state afterwards, which the S3 manifest records.
 */
public final class Transfer {

  /** What a check found must happen. */
  public enum Result {
    COPY,
    UNCHANGED,
    ATTRIBUTES,
    TIME
  }

  /** A check's finding, with both entries as the check came to know them. */
  public record Done(Result result, Entry source, Entry target) {}

  /** Mode of files restored from S3, which keeps no modes: what rclone gives them. */
  static final int RESTORED_FILE_MODE = 0644;

  private final SourceSide source;
  private final TargetSide target;
  private final ChangeRule rule;
  private final BandwidthLimit limit;
  private final RunStats stats;

  public Transfer(
      SourceSide source, TargetSide target, ChangeRule rule, BandwidthLimit limit, RunStats stats) {
    this.source = source;
    this.target = target;
    this.rule = rule;
    this.limit = limit;
    this.stats = stats;
  }

  /** Copies {@code s}'s data to the target; returns the target's new state. */
  public Entry copy(Entry s) throws IOException, InterruptedException {
    // S3 transfers are limited per file here; local copies per MiB (by DirectorySource).
    return switch (target) {
      case DirectoryTarget dt ->
          switch (source) {
            case DirectorySource ds -> dt.write(s, temp -> copyFile(ds, s, temp));
            case S3Source ss -> {
              acquire(s);
              yield dt.write(
                  s,
                  temp -> {
                    Entry o = ss.download(s, temp).entry();
                    return Entry.file(
                        s.key(), o.size(), o.mtimeNanos(), RESTORED_FILE_MODE, -1, -1);
                  });
            }
          };
      case S3Target st ->
          switch (source) {
            case DirectorySource ds -> {
              acquire(s);
              yield upload(ds, st, s);
            }
            case S3Source ss -> {
              acquire(s);
              S3Source.HeadResult head =
                  ss.head(s)
                      .orElseThrow(
                          () -> new SourceChangedException("vanished before it could be copied"));
              yield st.copyFrom(ss, head);
            }
          };
    };
  }

  private void acquire(Entry s) throws InterruptedException {
    if (limit != null) {
      limit.acquire(s.size());
    }
  }

  private static Entry copyFile(DirectorySource ds, Entry s, Path temp)
      throws IOException, InterruptedException {
    try (FileChannel out =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS)) {
      ds.copyTo(s, out);
    }
    return s;
  }

  private static Entry upload(DirectorySource ds, S3Target st, Entry s) throws IOException {
    try {
      Entry done = ds.withPath(s, file -> st.upload(file, s));
      try {
        ds.verifyUnchanged(s);
      } catch (SourceChangedException changed) {
        throw SourceChangedException.afterUpload(changed);
      }
      return done;
    } catch (IOException | RuntimeException e) {
      ds.verifyUnchanged(s); // a source that changed explains the failure
      throw e;
    }
  }

  /**
   * Settles a check by looking closer (HEAD requests, content digests); changes nothing. The caller
   * carries out the finding with {@link #copy}, {@link #setTime} or {@link #fixAttributes}.
   */
  public Done check(Entry s, Entry t, CheckKind kind) throws IOException {
    stats.checked.increment();
    if (kind == CheckKind.METADATA) {
      return metadata(s, t);
    }
    Optional<String> a = sourceMd5(s);
    Optional<String> b = targetMd5(t);
    if (a.isEmpty() || b.isEmpty() || !a.get().equals(b.get())) {
      return new Done(Result.COPY, s, t);
    }
    t = targetWithTime(t).orElse(t);
    if (s.hasMtime() && !rule.sameTime(s, t)) {
      return new Done(Result.TIME, s, t);
    }
    Result r = rule.attributesDiffer(s, t) ? Result.ATTRIBUTES : Result.UNCHANGED;
    return new Done(r, s, t);
  }

  private Done metadata(Entry s, Entry t) throws IOException {
    s = sourceWithTime(s);
    Optional<Entry> timed = targetWithTime(t);
    if (timed.isEmpty()) {
      return new Done(Result.COPY, s, t);
    }
    t = timed.get();
    return switch (rule.files(s, t)) {
      case UNCHANGED -> new Done(Result.UNCHANGED, s, t);
      case FIX_ATTRIBUTES -> new Done(Result.ATTRIBUTES, s, t);
      case CHECK_TIME_ONLY -> check(s, t, CheckKind.TIME_ONLY);
      case CHECK_CONTENT -> check(s, t, CheckKind.CONTENT);
      default -> new Done(Result.COPY, s, t);
    };
  }

  /** The source entry with its time, from a HEAD when the S3 listing did not show it. */
  private Entry sourceWithTime(Entry s) throws SourceChangedException {
    if (s.hasMtime()) {
      return s;
    }
    return switch (source) {
      case DirectorySource ds -> s;
      case S3Source ss ->
          ss.head(s)
              .map(S3Source.HeadResult::entry)
              .orElseThrow(() -> new SourceChangedException("vanished before it could be copied"));
    };
  }

  /**
   * The target entry with its time, from a HEAD when the S3 listing did not show it; empty when the
   * object is gone.
   */
  private Optional<Entry> targetWithTime(Entry t) {
    if (t.hasMtime()) {
      return Optional.of(t);
    }
    return switch (target) {
      case DirectoryTarget dt -> Optional.of(t);
      case S3Target st -> st.head(t).map(S3Source.HeadResult::entry);
    };
  }

  /** Gives the target entry the source's time (its data is already right). */
  public Entry setTime(Entry s, Entry t) throws IOException {
    return switch (target) {
      case DirectoryTarget dt -> {
        dt.fixAttributes(s, t.withMtime(Entry.UNKNOWN_TIME));
        yield s;
      }
      case S3Target st -> {
        S3Source.HeadResult head =
            st.head(t).orElseThrow(() -> new IOException("the target object vanished"));
        yield st.updateTime(head, s.mtimeNanos());
      }
    };
  }

  /** Sets mode and owner (directory targets; S3 keeps neither). */
  public Entry fixAttributes(Entry s, Entry t) throws IOException {
    return switch (target) {
      case DirectoryTarget dt -> {
        dt.fixAttributes(s, t);
        yield s;
      }
      case S3Target st -> t;
    };
  }

  /** The content MD5 of a source entry, when it can be known. */
  private Optional<String> sourceMd5(Entry e) throws IOException {
    return switch (source) {
      case DirectorySource ds -> Optional.of(HexFormat.of().formatHex(ds.md5(e)));
      case S3Source ss -> objectMd5(e, () -> ss.head(e));
    };
  }

  /** The content MD5 of a target entry, when it can be known. */
  private Optional<String> targetMd5(Entry e) throws IOException {
    return switch (target) {
      case DirectoryTarget dt -> Optional.of(HexFormat.of().formatHex(dt.md5(e)));
      case S3Target st -> objectMd5(e, () -> st.head(e));
    };
  }

  /** An object's MD5: from a plain ETag, else from a HEAD (rclone's metadata). */
  private static Optional<String> objectMd5(Entry e, Supplier<Optional<S3Source.HeadResult>> head) {
    Optional<String> plain = RcloneMetadata.plainMd5Etag(e.etag());
    if (plain.isPresent()) {
      return plain;
    }
    return head.get().flatMap(S3Source.HeadResult::md5Hex);
  }
}
