package io.backupagents.replicator.execute;

import io.backupagents.replicator.plan.Action.CheckKind;
import io.backupagents.replicator.plan.ChangeRule;
import io.backupagents.replicator.report.RunStats;
import io.backupagents.replicator.scan.Entry;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Optional;

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

  private final Object source;
  private final Object target;
  private final ChangeRule rule;
  private final BandwidthLimit limit;
  private final RunStats stats;

  /**
   * {@code source}: a DirectorySource or S3Source; {@code target}: a DirectoryTarget or S3Target.
   */
  public Transfer(
      Object source, Object target, ChangeRule rule, BandwidthLimit limit, RunStats stats) {
    this.source = source;
    this.target = target;
    this.rule = rule;
    this.limit = limit;
    this.stats = stats;
  }

  /** Copies {@code s}'s data to the target; returns the target's new state. */
  public Entry copy(Entry s) throws IOException, InterruptedException {
    if (limit != null
        && !(source instanceof DirectorySource && target instanceof DirectoryTarget)) {
      limit.acquire(s.size()); // S3 transfers are limited per file; local copies per MiB
    }
    if (source instanceof DirectorySource ds && target instanceof DirectoryTarget dt) {
      return dt.write(
          s,
          temp -> {
            try (FileChannel out =
                FileChannel.open(
                    temp,
                    StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)) {
              ds.copyTo(s, out);
            }
            return s;
          });
    }
    if (source instanceof S3Source ss && target instanceof DirectoryTarget dt) {
      return dt.write(
          s,
          temp -> {
            Entry o = ss.download(s, temp).entry();
            return Entry.file(s.key(), o.size(), o.mtimeNanos(), RESTORED_FILE_MODE, -1, -1);
          });
    }
    if (source instanceof DirectorySource ds && target instanceof S3Target st) {
      try {
        Entry done = st.upload(ds.path(s), s);
        ds.verifyUnchanged(s);
        return done;
      } catch (IOException | RuntimeException e) {
        ds.verifyUnchanged(s); // a source that changed explains the failure
        throw e;
      }
    }
    S3Source ss = (S3Source) source;
    S3Source.HeadResult head =
        ss.head(s)
            .orElseThrow(() -> new SourceChangedException("vanished before it could be copied"));
    return ((S3Target) target).copyFrom(ss, head);
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
    Optional<String> a = md5(source, s);
    Optional<String> b = md5(target, t);
    if (a.isEmpty() || b.isEmpty() || !a.get().equals(b.get())) {
      return new Done(Result.COPY, s, t);
    }
    if (!t.hasMtime() && target instanceof S3Target st) {
      t = st.head(t).map(S3Source.HeadResult::entry).orElse(t);
    }
    if (s.hasMtime() && !rule.sameTime(s, t)) {
      return new Done(Result.TIME, s, t);
    }
    Result r = rule.attributesDiffer(s, t) ? Result.ATTRIBUTES : Result.UNCHANGED;
    return new Done(r, s, t);
  }

  private Done metadata(Entry s, Entry t) throws IOException {
    if (!s.hasMtime() && source instanceof S3Source ss) {
      s =
          ss.head(s)
              .map(S3Source.HeadResult::entry)
              .orElseThrow(() -> new SourceChangedException("vanished before it could be copied"));
    }
    if (!t.hasMtime() && target instanceof S3Target st) {
      Optional<S3Source.HeadResult> head = st.head(t);
      if (head.isEmpty()) {
        return new Done(Result.COPY, s, t);
      }
      t = head.get().entry();
    }
    return switch (rule.files(s, t)) {
      case UNCHANGED -> new Done(Result.UNCHANGED, s, t);
      case FIX_ATTRIBUTES -> new Done(Result.ATTRIBUTES, s, t);
      case CHECK_TIME_ONLY -> check(s, t, CheckKind.TIME_ONLY);
      case CHECK_CONTENT -> check(s, t, CheckKind.CONTENT);
      default -> new Done(Result.COPY, s, t);
    };
  }

  /** Gives the target entry the source's time (its data is already right). */
  public Entry setTime(Entry s, Entry t) throws IOException {
    if (target instanceof DirectoryTarget dt) {
      dt.fixAttributes(s, t.withMtime(Entry.UNKNOWN_TIME));
      return s;
    }
    S3Target st = (S3Target) target;
    S3Source.HeadResult head =
        st.head(t).orElseThrow(() -> new IOException("the target object vanished"));
    return st.updateTime(head, s.mtimeNanos());
  }

  /** Sets mode and owner (directory targets; S3 keeps neither). */
  public Entry fixAttributes(Entry s, Entry t) throws IOException {
    if (target instanceof DirectoryTarget dt) {
      dt.fixAttributes(s, t);
      return s;
    }
    return t;
  }

  /** The content MD5 of an entry on either kind of side, when it can be known. */
  private Optional<String> md5(Object side, Entry e) throws IOException {
    if (side instanceof DirectorySource ds) {
      return Optional.of(HexFormat.of().formatHex(ds.md5(e)));
    }
    if (side instanceof DirectoryTarget dt) {
      return Optional.of(HexFormat.of().formatHex(dt.md5(e)));
    }
    Optional<String> plain = io.backupagents.common.s3.RcloneMetadata.plainMd5Etag(e.etag());
    if (plain.isPresent()) {
      return plain;
    }
    Optional<S3Source.HeadResult> head =
        side instanceof S3Source ss ? ss.head(e) : ((S3Target) side).head(e);
    return head.flatMap(S3Source.HeadResult::md5Hex);
  }
}
