package io.backupagents.replicator.execute;

import io.backupagents.replicator.report.RunStats;
import io.backupagents.replicator.scan.Entry;
import java.util.Iterator;

/** Counts a listing's entries into the run's statistics as the planner reads them. */
final class CountingIterator implements Iterator<Entry> {

  private final Iterator<Entry> delegate;
  private final RunStats stats;
  private final boolean source;

  CountingIterator(Iterator<Entry> delegate, RunStats stats, boolean source) {
    this.delegate = delegate;
    this.stats = stats;
    this.source = source;
  }

  @Override
  public boolean hasNext() {
    return delegate.hasNext();
  }

  @Override
  public Entry next() {
    Entry e = delegate.next();
    if (!source) {
      stats.targetEntries.increment();
      return e;
    }
    switch (e.kind()) {
      case FILE -> {
        stats.sourceFiles.increment();
        stats.sourceBytes.add(e.size());
      }
      case DIRECTORY -> {
        if (!e.key().isEmpty()) {
          stats.sourceDirectories.increment();
        }
      }
      case SYMLINK -> stats.sourceLinks.increment();
      case SPECIAL -> stats.sourceSpecials.increment();
    }
    return e;
  }
}
