package io.backupagents.replicator.fs;

import io.backupagents.replicator.model.Entry;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The directories of a tree (the target's, or the source's) held open, each opened from its
 * parent's descriptor without following a symlink or waiting on a FIFO ({@code openat(parent, name,
 * O_NOFOLLOW|O_NONBLOCK)}, see {@link NonBlockingOpen}), and the paths that reach an entry through
 * such a descriptor: {@code /proc/self/fd/<fd>/<name>}.
 *
 * <p>Why: a path such as {@code target/a/b} is walked again by the kernel on every call, so a
 * directory swapped for a symlink between two calls sends the write outside the target (the class
 * of rsync's CVE-2024-12087/12088, which rsync 3.4 closed with {@code openat}). The kernel resolves
 * {@code /proc/self/fd/<fd>} to the open directory itself, not by walking its old path, and the
 * calls made on {@code <fd>/<name>} never follow {@code <name>} itself; so every {@code mkdir},
 * {@code open}, {@code rename}, {@code unlink}, {@code lchown}, {@code chmod} and {@code utimensat}
 * acts inside the directory that was opened, the way {@code mkdirat}/{@code renameat}/... would
 * (the JDK has no {@code mkdirat}, {@code symlinkat} or {@code fchownat}). A directory replaced
 * before it is opened is refused (ELOOP, ENOTDIR), and so is everything below it.
 *
 * <p>Handles are counted while in use and at most {@link #KEEP_IDLE} idle ones stay open, so a
 * descriptor number is never closed (and reused) while a path through it is in use.
 */
public final class DirectoryHandles implements AutoCloseable {

  private static final int KEEP_IDLE = 256;
  private static final Path PROC_FD = Path.of("/proc/self/fd");
  private static final Pattern HELD_DIRECTORY = Pattern.compile("/proc/self/fd/\\d+/");
  private static final Class<?> UNIX_STREAM =
      UnixInternals.find("sun.nio.fs.UnixSecureDirectoryStream");
  private static final MethodHandle DFD = descriptorGetter();

  /** One open directory; {@link #at} gives the path of an entry in it. */
  public static final class Handle {
    private final SecureDirectoryStream<Path> stream;
    private final Path proc;
    private int users;

    private Handle(SecureDirectoryStream<Path> stream, int fd) {
      this.stream = stream;
      this.proc = PROC_FD.resolve(Integer.toString(fd));
    }

    /** The path of {@code name} in this directory, reached through its descriptor. */
    public Path at(String name) {
      return proc.resolve(name);
    }

    /** The directory itself (the descriptor's magic link: follow it, it leads nowhere else). */
    public Path self() {
      return proc;
    }
  }

  /** Work done with one open directory. */
  @FunctionalInterface
  public interface InDirectory<T> {
    T apply(Handle directory) throws IOException, InterruptedException;
  }

  private final Path root;
  private final String side;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, Handle> open = new LinkedHashMap<>(64, 0.75f, true);
  private final Set<String> failed = ConcurrentHashMap.newKeySet();

  /** {@code side} names the tree in messages: "source" or "target". */
  public DirectoryHandles(Path root, String side) {
    this.root = root;
    this.side = side;
  }

  /**
   * {@code message} with the paths it names through a held directory ({@code
   * /proc/self/fd/<fd>/<name>}) shown as the entry's place in the tree: {@code directoryKey}, then
   * the name.
   */
  public static String shown(String message, String directoryKey) {
    return HELD_DIRECTORY.matcher(message).replaceAll(Matcher.quoteReplacement(directoryKey));
  }

  /**
   * The path that reaches the directory {@code sds} holds open ({@code /proc/self/fd/<fd>}), when
   * it is the JDK's Unix directory stream; empty elsewhere (Jimfs).
   */
  public static Optional<Path> held(SecureDirectoryStream<Path> sds) throws IOException {
    OptionalInt fd = descriptorOf(sds);
    return fd.isPresent()
        ? Optional.of(PROC_FD.resolve(Integer.toString(fd.getAsInt())))
        : Optional.empty();
  }

  /** The descriptor of the directory {@code sds} holds open, when it is the JDK's Unix stream. */
  static OptionalInt descriptorOf(SecureDirectoryStream<Path> sds) throws IOException {
    return DFD != null && UNIX_STREAM.isInstance(sds)
        ? OptionalInt.of(descriptor(sds))
        : OptionalInt.empty();
  }

  /** Runs {@code work} with the directory {@code key} ("" for the root, else ending in '/'). */
  public <T> T in(String key, InDirectory<T> work) throws IOException, InterruptedException {
    Handle h = acquire(key);
    try {
      return work.apply(h);
    } finally {
      release(h);
    }
  }

  /** Records that the run could not create {@code key}: nothing below it is touched. */
  public void markFailed(String key) {
    failed.add(key);
  }

  private Handle acquire(String key) throws IOException {
    checkNotFailed(key);
    lock.lock();
    try {
      Handle h = open.get(key);
      if (h != null) {
        h.users++;
        return h;
      }
    } finally {
      lock.unlock();
    }
    Handle opened = key.isEmpty() ? openRoot() : openChild(key);
    lock.lock();
    try {
      Handle existing = open.get(key);
      if (existing != null) {
        closeQuietly(opened); // another worker opened it meanwhile
        existing.users++;
        return existing;
      }
      opened.users = 1;
      open.put(key, opened);
      return opened;
    } finally {
      lock.unlock();
    }
  }

  private void release(Handle h) {
    lock.lock();
    try {
      h.users--;
      if (open.size() <= KEEP_IDLE) {
        return;
      }
      Iterator<Handle> it = open.values().iterator(); // least recently used first
      while (open.size() > KEEP_IDLE && it.hasNext()) {
        Handle candidate = it.next();
        if (candidate.users == 0) {
          it.remove();
          closeQuietly(candidate);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private void checkNotFailed(String key) throws IOException {
    if (failed.isEmpty()) {
      return;
    }
    for (String k = key; !k.isEmpty(); k = Entry.parentKey(k)) {
      if (failed.contains(k)) {
        throw new IOException(
            "the directory " + k + " could not be created; nothing below it is touched");
      }
    }
  }

  @SuppressWarnings("StreamResourceLeak") // the returned handle owns the stream and closes it
  private Handle openRoot() throws IOException {
    DirectoryStream<Path> ds = Files.newDirectoryStream(root);
    if (!(ds instanceof SecureDirectoryStream<Path> sds) || DFD == null) {
      ds.close();
      throw new IOException(
          "cannot hold the "
              + side
              + " directory open (needs Linux, /proc and the JVM option"
              + " --add-opens java.base/sun.nio.fs=ALL-UNNAMED, which the jar's manifest sets)");
    }
    return new Handle(sds, descriptor(sds));
  }

  private Handle openChild(String key) throws IOException {
    String path = key.substring(0, key.length() - 1);
    String name = path.substring(path.lastIndexOf('/') + 1);
    Handle parent = acquire(Entry.parentKey(key));
    try {
      SecureDirectoryStream<Path> sds =
          NonBlockingOpen.directory(parent.stream, Path.of(name), root.resolve(path));
      return new Handle(sds, descriptor(sds));
    } catch (NoSuchFileException e) {
      // Gone (another shard, or the source's deletion, removed it): not a symlink race.
      throw new NoSuchFileException(path, null, "is no longer in the " + side);
    } catch (FileSystemException e) {
      // The JDK reports ENOTDIR (a file or FIFO there now) as NotDirectoryException, no reason.
      String reason = e instanceof NotDirectoryException ? "Not a directory" : e.getReason();
      throw new FileSystemException(
          path,
          null,
          "is no longer a directory of the "
              + side
              + " ("
              + reason
              + "); nothing below it is touched");
    } finally {
      release(parent);
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      open.values().forEach(DirectoryHandles::closeQuietly);
      open.clear();
    } finally {
      lock.unlock();
    }
  }

  private static void closeQuietly(Handle h) {
    try {
      h.stream.close();
    } catch (IOException e) {
      // closing a directory descriptor cannot lose data
    }
  }

  private static int descriptor(SecureDirectoryStream<Path> sds) throws IOException {
    try {
      return (int) DFD.invokeExact((Object) sds);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IOException("cannot read the directory's descriptor", e);
    }
  }

  private static MethodHandle descriptorGetter() {
    if (UNIX_STREAM == null) {
      return null;
    }
    try {
      Class<?> type = UNIX_STREAM;
      return MethodHandles.privateLookupIn(type, MethodHandles.lookup())
          .findGetter(type, "dfd", int.class)
          .asType(MethodType.methodType(int.class, Object.class));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
