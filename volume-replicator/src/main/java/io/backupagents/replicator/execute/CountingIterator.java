package io.backupagents.replicator.execute;

import io.backupagents.replicator.model.Entry;
import io.backupagents.replicator.report.RunStats;
import java.util.Iterator;

/** Counts a listing's entries into the run's statistics as the planner reads them. */
final class CountingIterator implements Iterator<Entry> {

  private final Iterator<Entry> delegate;
  private final RunStats stats;
  private final boolean source;
  private long targetEntries;
  private long files;
  private long bytes;
  private long directories;
  private long links;
  private long specials;
  private int pending;

  CountingIterator(Iterator<Entry> delegate, RunStats stats, boolean source) {
    this.delegate = delegate;
    this.stats = stats;
    this.source = source;
  }

  @Override
  public boolean hasNext() {
    boolean more = delegate.hasNext();
    if (!more) {
      publish();
    }
    return more;
  }

  @Override
  public Entry next() {
    Entry e = delegate.next();
    if (!source) {
      targetEntries++;
    } else {
      switch (e.kind()) {
        case FILE -> {
          files++;
          bytes += e.size();
        }
        case DIRECTORY -> directories += e.key().isEmpty() ? 0 : 1;
        case SYMLINK -> links++;
        case SPECIAL -> specials++;
      }
    }
    // The counters are shared with the progress thread; publishing in batches keeps the
    // per-entry cost at a few plain additions.
    if (++pending == 1024) {
      publish();
    }
    return e;
  }

  private void publish() {
    stats.targetEntries.add(targetEntries);
    stats.sourceFiles.add(files);
    stats.sourceBytes.add(bytes);
    stats.sourceDirectories.add(directories);
    stats.sourceLinks.add(links);
    stats.sourceSpecials.add(specials);
    targetEntries = files = bytes = directories = links = specials = pending = 0;
  }
}
