package io.backupagents.replicator.plan;

import io.backupagents.replicator.model.Entry;
import io.backupagents.replicator.model.KeyOrder;
import io.backupagents.replicator.plan.Action.CheckKind;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * Turns two sorted listings into a sync plan by merging them in one pass: a key only in the source
 * is copied, a key on both sides is compared, a key only in the target is extraneous. Holds nothing
 * but the directories above the current key, so a tree of any size is planned in bounded memory.
 * Pure: no I/O, no clock; actions go to the sink in key order. Listings must be in {@link
 * KeyOrder}: ones from outside (S3) go through {@link io.backupagents.replicator.scan.OrderCheck}.
 */
public final class SyncPlanner {

  /** A source directory whose subtree is being planned. */
  private static final class Frame {
    final Entry source;
    final Entry target;
    boolean changed;

    Frame(Entry source, Entry target) {
      this.source = source;
      this.target = target;
    }
  }

  private final PlanRules rules;
  private final ChangeRule change;
  private final ArrayDeque<Frame> open = new ArrayDeque<>();
  private Consumer<Action> sink;
  private long sourceFiles;
  private long targetFiles;
  private long deletions;

  public SyncPlanner(PlanRules rules) {
    this.rules = rules;
    this.change = new ChangeRule(rules);
  }

  /** Plans the whole sync; returns the counts the deletion guard needs. */
  public PlanTotals plan(Iterator<Entry> source, Iterator<Entry> target, Consumer<Action> out) {
    this.sink = out;
    Entry a = next(source);
    Entry b = next(target);
    while (a != null || b != null) {
      int c = a == null ? 1 : b == null ? -1 : KeyOrder.compare(a.key(), b.key());
      String key = c <= 0 ? a.key() : b.key();
      leave(key);
      if (c < 0) {
        both(a, null);
        a = next(source);
      } else if (c > 0) {
        targetOnly(b);
        b = next(target);
      } else {
        both(a, b);
        a = next(source);
        b = next(target);
      }
    }
    leave(null);
    return new PlanTotals(sourceFiles, targetFiles, deletions);
  }

  /** A source entry, with the target entry of the same key or null. */
  private void both(Entry s, Entry t) {
    if (!s.isDirectory()) {
      sourceFiles++;
      if (!rules.shard().owns(s.key())) {
        return;
      }
      if (t != null) {
        targetFiles++;
      }
    }
    switch (s.kind()) {
      case DIRECTORY -> directory(s, t);
      case FILE -> file(s, t);
      case SYMLINK -> symlink(s, t);
      case SPECIAL -> emit(new Action.Skip(s, "special file (FIFO, socket or device)"), false);
    }
  }

  private void directory(Entry s, Entry t) {
    if (!rules.directoryTarget()) {
      return; // S3 keeps no directories
    }
    if (t != null && !t.isDirectory()) {
      t = null;
    }
    emit(new Action.MakeDirectory(s, t), t == null);
    open.push(new Frame(s, t));
  }

  private void file(Entry s, Entry t) {
    if (t == null || t.kind() != Entry.Kind.FILE) {
      emit(new Action.Copy(s, t), true);
      return;
    }
    switch (change.files(s, t)) {
      case UNCHANGED -> emit(new Action.Unchanged(s, t), false);
      case FIX_ATTRIBUTES -> emit(new Action.FixAttributes(s, t), false);
      case COPY -> emit(new Action.Copy(s, t), true);
      case CHECK_METADATA -> emit(new Action.Check(s, t, CheckKind.METADATA), true);
      case CHECK_CONTENT -> emit(new Action.Check(s, t, CheckKind.CONTENT), true);
      case CHECK_TIME_ONLY -> emit(new Action.Check(s, t, CheckKind.TIME_ONLY), true);
    }
  }

  private void symlink(Entry s, Entry t) {
    if (!rules.directoryTarget()) {
      emit(new Action.Skip(s, "symlink (S3 keeps no symlinks)"), false);
      return;
    }
    if (t != null && t.kind() == Entry.Kind.FILE) {
      // The file's data goes: a deletion like any other, which the guard weighs first.
      if (!rules.delete()) {
        emit(
            new Action.Skip(s, "symlink where the target keeps a file (REPLICATE_DELETE=no)"),
            false);
        return;
      }
      deletions++;
      emit(new Action.Delete(t), true);
      emit(new Action.Link(s, t), true);
      return;
    }
    if (t == null || t.kind() != Entry.Kind.SYMLINK) {
      emit(new Action.Link(s, t), true);
      return;
    }
    switch (change.links(s, t)) {
      case UNCHANGED -> emit(new Action.Unchanged(s, t), false);
      case FIX_ATTRIBUTES -> emit(new Action.FixAttributes(s, t), false);
      default -> emit(new Action.Link(s, t), true);
    }
  }

  private void targetOnly(Entry t) {
    if (t.key().isEmpty()) {
      return; // the target's root is never extraneous
    }
    if (t.isDirectory()) {
      if (rules.delete()) {
        emit(new Action.Delete(t), true);
      }
      return;
    }
    String name = t.path().substring(t.path().lastIndexOf('/') + 1);
    boolean ours = t.kind() == Entry.Kind.FILE || t.kind() == Entry.Kind.SYMLINK;
    if (rules.directoryTarget() && ours && TempNames.isTemp(name)) {
      String finalKey = TempNames.finalName(name).map(n -> t.parentKey() + n).orElse(null);
      if (rules.shard().isWhole() || (finalKey != null && rules.shard().owns(finalKey))) {
        emit(new Action.RemoveTemp(t), true);
      }
      return;
    }
    if (!rules.shard().owns(t.key())) {
      return;
    }
    targetFiles++;
    if (rules.delete()) {
      deletions++;
      emit(new Action.Delete(t), true);
    }
  }

  /** Emits an action; {@code writes} marks the containing directory as changed. */
  private void emit(Action action, boolean writes) {
    if (writes && !open.isEmpty()) {
      String parent = Entry.parentKey(action.subject().key());
      Frame top = open.peek();
      if (top.source.key().equals(parent)) {
        top.changed = true;
      }
    }
    sink.accept(action);
  }

  /** Closes the directories that {@code key} is not inside of (all of them for null). */
  private void leave(String key) {
    while (!open.isEmpty() && (key == null || !key.startsWith(open.peek().source.key()))) {
      Frame f = open.pop();
      if (f.changed || change.directoryDiffers(f.source, f.target)) {
        sink.accept(new Action.FinishDirectory(f.source, f.target, f.changed));
      }
    }
  }

  private static Entry next(Iterator<Entry> it) {
    return it.hasNext() ? it.next() : null;
  }
}
