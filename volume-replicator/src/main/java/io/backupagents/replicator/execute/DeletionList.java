package io.backupagents.replicator.execute;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The extraneous target entries a run found, kept until the end of the run, when the guards decide
 * whether they are deleted. Non-directory keys go to a file in the work directory, so that a run
 * that would delete a whole large target does not hold it all in memory; directories (far fewer)
 * stay in memory, as they are removed deepest first.
 */
public final class DeletionList implements AutoCloseable {

  private final Path file;
  private final DataOutputStream out;
  private final List<String> directories = new ArrayList<>();
  private long files;

  public DeletionList(Path workDir) throws IOException {
    this.file = Files.createTempFile(workDir, "deletions-", ".bin");
    this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
  }

  /** Adds a key (directories end with '/'). */
  public void add(String key) throws IOException {
    if (key.endsWith("/")) {
      directories.add(key);
    } else {
      out.writeUTF(key);
      files++;
    }
  }

  public long files() {
    return files;
  }

  public long directories() {
    return directories.size();
  }

  /** Reads the non-directory keys back in the order they were added. */
  public void forEachFile(KeyConsumer consumer) throws IOException {
    out.flush();
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      for (long i = 0; i < files; i++) {
        consumer.accept(in.readUTF());
      }
    } catch (EOFException e) {
      throw new IOException("the deletion list is truncated", e);
    }
  }

  /** Directory keys, each after everything inside it. */
  public List<String> directoriesDeepestFirst() {
    return directories.reversed();
  }

  /** Receives keys; may fail. */
  @FunctionalInterface
  public interface KeyConsumer {
    void accept(String key) throws IOException;
  }

  @Override
  public void close() throws IOException {
    out.close();
    Files.deleteIfExists(file);
  }
}
