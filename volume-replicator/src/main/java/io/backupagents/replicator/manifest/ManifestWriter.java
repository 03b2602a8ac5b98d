package io.backupagents.replicator.manifest;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.zip.GZIPOutputStream;

/**
 * Writes the next manifest during the run, in key order, although the objects it describes are
 * uploaded in parallel and finish out of order: the planner reserves a slot per key in order,
 * workers fill slots in as uploads and checks finish, and completed slots at the head are written
 * out. Only the planner's thread touches the queue; slots are filled through volatile fields.
 * Memory stays bounded: when too many slots wait behind a slow head, the head is left out (its
 * object will simply be checked with a HEAD next time).
 */
public final class ManifestWriter implements AutoCloseable {

  /** One key's place in the manifest, filled in when its object is known. */
  public static final class Slot {
    private final String key;
    private volatile boolean done;
    private volatile boolean dropped;
    private long size;
    private String etag;
    private long mtimeNanos;

    Slot(String key) {
      this.key = key;
    }

    /** The object now has this size, ETag and modification time. */
    public void complete(long objectSize, String objectEtag, long mtime) {
      size = objectSize;
      etag = objectEtag;
      mtimeNanos = mtime;
      done = true;
    }

    /** The object's state is not known (failed, vanished, skipped): leave it out. */
    public void drop() {
      dropped = true;
    }
  }

  private static final int MAX_WAITING = 100_000;

  private final BufferedWriter out;
  private final ArrayDeque<Slot> waiting = new ArrayDeque<>();
  private long written;

  public ManifestWriter(Path file) throws IOException {
    this.out =
        new BufferedWriter(
            new OutputStreamWriter(
                new GZIPOutputStream(Files.newOutputStream(file), 1 << 16), StandardCharsets.UTF_8),
            1 << 16);
    out.write(ManifestEntry.HEADER);
    out.write('\n');
  }

  /** Reserves the next key's place; keys must come in key order. */
  public Slot reserve(String key) throws IOException {
    Slot slot = new Slot(key);
    waiting.add(slot);
    drain(false);
    return slot;
  }

  /** Reserves a place and fills it in at once (the object is known unchanged). */
  public void add(String key, long size, String etag, long mtime) throws IOException {
    reserve(key).complete(size, etag, mtime);
    drain(false);
  }

  private void drain(boolean all) throws IOException {
    while (!waiting.isEmpty()) {
      Slot head = waiting.peek();
      if (head.dropped || (all && !head.done) || (waiting.size() > MAX_WAITING && !head.done)) {
        waiting.poll();
        continue;
      }
      if (!head.done) {
        return;
      }
      waiting.poll();
      out.write(new ManifestEntry(head.key, head.size, head.etag, head.mtimeNanos).line());
      out.write('\n');
      written++;
    }
  }

  /** Writes every completed slot (call once all work is done) and closes the file. */
  public long finish() throws IOException {
    drain(true);
    out.close();
    return written;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
