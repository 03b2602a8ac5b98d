package io.backupagents.replicator.plan;

import io.backupagents.replicator.model.Entry;

/**
 * Decides whether a source entry and the target entry under the same key differ: rsync's and
 * rclone's quick check (same size and modification time, within a window), or contents in checksum
 * mode; then mode, owner and group for directory targets.
 */
public final class ChangeRule {

  /** The outcome for two entries under one key. */
  public enum Decision {
    UNCHANGED,
    FIX_ATTRIBUTES,
    COPY,
    CHECK_METADATA,
    CHECK_CONTENT,
    CHECK_TIME_ONLY
  }

  private final PlanRules rules;

  public ChangeRule(PlanRules rules) {
    this.rules = rules;
  }

  /** Two regular files (or objects). */
  public Decision files(Entry s, Entry t) {
    if (s.size() != t.size()) {
      return Decision.COPY;
    }
    if (rules.checksum()) {
      return Decision.CHECK_CONTENT;
    }
    if (!s.hasMtime() || !t.hasMtime()) {
      return Decision.CHECK_METADATA;
    }
    if (!sameTime(s, t)) {
      // Between a directory and S3 a matching MD5 proves the data equal and saves the transfer
      // (rclone does the same); between two directories rsync simply copies.
      return rules.directoryTarget() && s.etag() == null ? Decision.COPY : Decision.CHECK_TIME_ONLY;
    }
    return attributesDiffer(s, t) ? Decision.FIX_ATTRIBUTES : Decision.UNCHANGED;
  }

  /** Two symlinks: equal when they point to the same text. */
  public Decision links(Entry s, Entry t) {
    if (!s.linkTarget().equals(t.linkTarget())) {
      return Decision.COPY;
    }
    return !sameTime(s, t) || ownersDiffer(s, t) ? Decision.FIX_ATTRIBUTES : Decision.UNCHANGED;
  }

  /** Whether a directory's mode, owner or time must be set. */
  public boolean directoryDiffers(Entry s, Entry t) {
    if (t == null) {
      return true;
    }
    boolean time = s.hasMtime() && t.hasMtime() && s.mtimeNanos() != t.mtimeNanos();
    return time || attributesDiffer(s, t);
  }

  public boolean sameTime(Entry s, Entry t) {
    if (!s.hasMtime() || !t.hasMtime()) {
      return false;
    }
    return Math.abs(s.mtimeNanos() - t.mtimeNanos()) <= rules.windowNanos();
  }

  /** Mode and (when running as root) owner and group; only sides that know them are compared. */
  public boolean attributesDiffer(Entry s, Entry t) {
    if (!rules.directoryTarget()) {
      return false;
    }
    boolean mode = s.mode() != Entry.UNKNOWN && t.mode() != Entry.UNKNOWN && s.mode() != t.mode();
    return mode || ownersDiffer(s, t);
  }

  private boolean ownersDiffer(Entry s, Entry t) {
    return rules.owners()
        && s.uid() != Entry.UNKNOWN
        && t.uid() != Entry.UNKNOWN
        && (s.uid() != t.uid() || s.gid() != t.gid());
  }
}
