package io.backupagents.replicator.scan;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.replicator.model.Entry;
import io.backupagents.replicator.model.KeyOrder;
import java.util.Iterator;

/**
 * Passes a listing through and stops the run at the first key out of {@link KeyOrder}: the merge
 * that plans a sync trusts the order, and a wrong order could turn copies into deletions. Listings
 * from S3 go through it (the store decides their order); directory scans sort their own.
 */
public final class OrderCheck implements Iterator<Entry> {

  private final Iterator<Entry> delegate;
  private final String side;
  private String last;

  public OrderCheck(Iterator<Entry> delegate, String side) {
    this.delegate = delegate;
    this.side = side;
  }

  @Override
  public boolean hasNext() {
    return delegate.hasNext();
  }

  @Override
  public Entry next() {
    Entry e = delegate.next();
    if (last != null && KeyOrder.compare(last, e.key()) >= 0) {
      throw new AgentException(
          ExitCode.OPERATION_FAILED,
          "the "
              + side
              + " listing is out of order at '"
              + e.key()
              + "' after '"
              + last
              + "': stopping before anything is deleted");
    }
    last = e.key();
    return e;
  }
}
