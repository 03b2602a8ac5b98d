package io.backupagents.replicator.manifest;

import io.backupagents.replicator.model.Entry;
import io.backupagents.replicator.model.KeyOrder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supplies modification times from a manifest while a listing streams past, in the same key order,
 * so no per-object state is held. An entry counts only when the listed object still has the size
 * and ETag it recorded and was not modified after the manifest was written; anything else (a
 * missing, stale or corrupt manifest) just means "unknown", and the caller asks S3 instead.
 */
public final class ManifestReader implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ManifestReader.class);

  private final BufferedReader reader;
  private final Path file;
  private final Instant writtenAt;
  private final String name;
  private ManifestEntry head;
  private boolean usable;
  private long hits;

  private ManifestReader(BufferedReader reader, Path file, Instant writtenAt, String name) {
    this.reader = reader;
    this.file = file;
    this.writtenAt = writtenAt;
    this.name = name;
    this.usable = reader != null;
  }

  /** A reader that knows nothing. */
  public static ManifestReader none() {
    return new ManifestReader(null, null, Instant.MIN, "none");
  }

  /**
   * Opens a downloaded manifest file; {@code writtenAt} is the manifest object's Last-Modified time
   * as the store reported it (so store and objects share one clock).
   */
  public static ManifestReader open(Path file, Instant writtenAt, String name) throws IOException {
    BufferedReader r = reader(file);
    String header = r.readLine();
    if (!ManifestEntry.HEADER.equals(header)) {
      r.close();
      throw new IOException("not a manifest of this version");
    }
    ManifestReader m = new ManifestReader(r, file, writtenAt, name);
    m.advance();
    return m;
  }

  /**
   * The modification time of the listed object {@code key}, or {@link Entry#UNKNOWN_TIME}. Calls
   * must come in key order.
   */
  public long mtime(String key, long size, String etag, Instant lastModified) {
    while (usable && head != null && KeyOrder.compare(head.key(), key) < 0) {
      advance();
    }
    if (!usable || head == null || !head.key().equals(key)) {
      return Entry.UNKNOWN_TIME;
    }
    ManifestEntry e = head;
    advance();
    boolean same = e.size() == size && e.etag().equals(etag);
    boolean untouched = lastModified == null || !lastModified.isAfter(writtenAt);
    if (same && untouched) {
      hits++;
      return e.mtimeNanos();
    }
    return Entry.UNKNOWN_TIME;
  }

  /**
   * Every {@code every}-th key of the manifest but the last one, in order: where a listing of the
   * location can be split into ranges of that many keys, each listed on its own. Empty when there
   * is no (readable) manifest.
   */
  public List<String> splitKeys(int every) {
    List<String> keys = new ArrayList<>();
    if (file == null) {
      return keys;
    }
    try (BufferedReader r = reader(file)) {
      r.readLine();
      long n = 0;
      String previous = null;
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (++n % every == 0) {
          String key = ManifestEntry.parse(line).key();
          if (previous != null && KeyOrder.compare(previous, key) >= 0) {
            return new ArrayList<>();
          }
          keys.add(key);
          previous = key;
        }
      }
      if (n > 0 && n % every == 0) {
        // The last key would only open an empty range (for keys added after it): the range
        // before it covers those with the same request.
        keys.remove(keys.size() - 1);
      }
    } catch (IOException | RuntimeException e) {
      return new ArrayList<>();
    }
    return keys;
  }

  private static BufferedReader reader(Path file) throws IOException {
    return new BufferedReader(
        new InputStreamReader(
            new GZIPInputStream(Files.newInputStream(file), 1 << 16), StandardCharsets.UTF_8),
        1 << 16);
  }

  /** How many listed objects the manifest could vouch for. */
  public long hits() {
    return hits;
  }

  private void advance() {
    try {
      String line = reader.readLine();
      if (line == null) {
        head = null;
        return;
      }
      ManifestEntry next = ManifestEntry.parse(line);
      if (head != null && KeyOrder.compare(head.key(), next.key()) >= 0) {
        throw new IllegalArgumentException("keys out of order");
      }
      head = next;
    } catch (IOException | RuntimeException e) {
      log.warn(
          "manifest {} is unreadable from here on ({}); asking S3 instead", name, e.toString());
      usable = false;
      head = null;
    }
  }

  @Override
  public void close() {
    if (reader != null) {
      try {
        reader.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
