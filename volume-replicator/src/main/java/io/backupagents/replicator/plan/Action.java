package io.backupagents.replicator.plan;

import io.backupagents.replicator.model.Entry;

/**
 * One step of a sync plan. The planner emits them in key order; executors carry them out. A {@code
 * target} of null means the target has no entry under that key.
 */
public sealed interface Action {

  /** The entry the action is about (the source side when there is one). */
  Entry subject();

  /** The source directory must exist in the target (created when {@code target} is null). */
  record MakeDirectory(Entry source, Entry target) implements Action {
    @Override
    public Entry subject() {
      return source;
    }
  }

  /** The source file's data must be copied (new, or different from the target's). */
  record Copy(Entry source, Entry target) implements Action {
    @Override
    public Entry subject() {
      return source;
    }
  }

  /** The files may differ: the executor must look closer before it copies or not. */
  record Check(Entry source, Entry target, CheckKind kind) implements Action {
    @Override
    public Entry subject() {
      return source;
    }
  }

  /** What a {@link Check} must find out. */
  enum CheckKind {
    /** A modification time is unknown (an S3 object outside the manifest): ask S3. */
    METADATA,
    /** Checksum mode: compare contents. */
    CONTENT,
    /** Same size, other time: if the contents match, only the time needs updating. */
    TIME_ONLY
  }

  /** The symlink must be created or replaced. */
  record Link(Entry source, Entry target) implements Action {
    @Override
    public Entry subject() {
      return source;
    }
  }

  /** Same data; mode, owner or times differ and are set in place. */
  record FixAttributes(Entry source, Entry target) implements Action {
    @Override
    public Entry subject() {
      return source;
    }
  }

  /** Nothing to do. */
  record Unchanged(Entry source, Entry target) implements Action {
    @Override
    public Entry subject() {
      return source;
    }
  }

  /** An extraneous target entry; deleted only at the end of a clean run, within the guards. */
  record Delete(Entry target) implements Action {
    @Override
    public Entry subject() {
      return target;
    }
  }

  /** A temporary file a killed run left behind: removed at once. */
  record RemoveTemp(Entry target) implements Action {
    @Override
    public Entry subject() {
      return target;
    }
  }

  /** A source entry that this kind of target cannot hold (special files, symlinks in S3). */
  record Skip(Entry source, String reason) implements Action {
    @Override
    public Entry subject() {
      return source;
    }
  }

  /**
   * A directory's subtree has been planned; its mode, owner and times must be set once its contents
   * are done ({@code changedInside}: entries inside it were written or removed).
   */
  record FinishDirectory(Entry source, Entry target, boolean changedInside) implements Action {
    @Override
    public Entry subject() {
      return source;
    }
  }
}
