package io.backupagents.sqlbackup.lock;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock on the backup root that keeps the four tier CronJobs from overlapping: an OS file lock
 * on {@code <root>/.sql-backup.lock}, whose content names the owner and its start time.
 *
 * <p>The kernel (or the NFSv4 server, when its lease expires) releases the lock of a process that
 * died, so a lock file that still names an owner but can be locked was left by a dead run: it is
 * taken over, with a warning. Where the file system has no locks at all, the content decides: a
 * lock younger than {@code staleAfter} counts as held.
 *
 * <p>The file is emptied when the run ends, also when a SIGTERM ends it (a shutdown hook), so that
 * the next run finds no owner's line to take over. It is never deleted: deleting it would let a
 * waiter lock the unlinked file while a third run locks a new one. A process must not open the file
 * a second time while holding the lock (closing any descriptor of a file drops the process's POSIX
 * locks on it), so runs inside one JVM (tests, the demo) are kept apart by an in-process registry
 * first.
 */
public final class FileRunLock implements RunLock {

  /** The lock file's name in the backup root: hidden, not a backup, skipped by the mirror. */
  public static final String FILE_NAME = ".sql-backup.lock";

  private static final Logger log = LoggerFactory.getLogger(FileRunLock.class);
  private static final Duration POLL = Duration.ofSeconds(2);
  private static final Set<String> HELD_IN_THIS_PROCESS = ConcurrentHashMap.newKeySet();

  private final FileChannel channel;
  private final FileLock lock;
  private final String key;
  private final Thread onShutdown = new Thread(this::empty, "empty-the-run-lock");

  private FileRunLock(FileChannel channel, FileLock lock, String key) {
    this.channel = channel;
    this.lock = lock;
    this.key = key;
  }

  /** Takes the lock on {@code root}, waiting up to the configured time; fails with LOCKED. */
  public static RunLock acquire(
      Path root, LockOwner me, LockSettings settings, Clock clock, Sleeper sleeper)
      throws IOException, InterruptedException {
    Path file = root.resolve(FILE_NAME);
    String key = file.getFileSystem() + ":" + file.toAbsolutePath().normalize();
    long deadline = System.nanoTime() + settings.maxWait().toNanos();
    boolean announced = false;
    while (true) {
      String holder = "another run in this process";
      if (HELD_IN_THIS_PROCESS.add(key)) {
        Attempt attempt;
        try {
          attempt = tryTake(file, key, me, settings, clock);
        } catch (IOException | RuntimeException e) {
          HELD_IN_THIS_PROCESS.remove(key);
          throw e;
        }
        if (attempt.lock() != null) {
          return attempt.lock();
        }
        HELD_IN_THIS_PROCESS.remove(key);
        holder = attempt.holder();
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AgentException(
            ExitCode.LOCKED,
            "the backup root "
                + root
                + " is locked by "
                + holder
                + "; waited "
                + settings.maxWait()
                + " (BACKUP_LOCK_WAIT)");
      }
      if (!announced) {
        log.info("waiting up to {} for the lock held by {}", settings.maxWait(), holder);
        announced = true;
      }
      sleeper.sleep(Duration.ofNanos(Math.min(left, POLL.toNanos())));
    }
  }

  /** The lock, if taken; else who holds it. */
  private record Attempt(FileRunLock lock, String holder) {}

  private static Attempt tryTake(
      Path file, String key, LockOwner me, LockSettings settings, Clock clock) throws IOException {
    FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      String content = read(channel);
      String holder = LockOwner.parse(content).map(LockOwner::describe).orElse("another run");
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      } catch (IOException e) {
        // No lock support (e.g. NFS mounted with nolock): only the content can tell.
        if (!staleOrFree(content, settings, clock)) {
          channel.close();
          return new Attempt(null, holder);
        }
        log.warn("{} cannot be locked ({}); relying on its content", file, e.getMessage());
        return new Attempt(take(channel, null, key, me, content), holder);
      }
      if (lock == null) {
        channel.close();
        return new Attempt(null, holder);
      }
      return new Attempt(take(channel, lock, key, me, content), holder);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static FileRunLock take(
      FileChannel channel, FileLock lock, String key, LockOwner me, String previous)
      throws IOException {
    LockOwner.parse(previous)
        .ifPresent(
            dead ->
                log.warn(
                    "taking over the lock left by {}: that run ended without releasing it",
                    dead.describe()));
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(me.format().getBytes(StandardCharsets.UTF_8)), 0);
    channel.force(true);
    log.info("locked {} ({})", key.substring(key.indexOf(':') + 1), me.describe());
    FileRunLock taken = new FileRunLock(channel, lock, key);
    Runtime.getRuntime().addShutdownHook(taken.onShutdown);
    return taken;
  }

  private static boolean staleOrFree(String content, LockSettings settings, Clock clock) {
    return LockOwner.parse(content)
        .map(o -> o.started().plus(settings.staleAfter()).isBefore(clock.instant()))
        .orElse(true);
  }

  private static String read(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(4096);
    channel.read(buffer, 0);
    return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
  }

  /** Removes the owner's line; the kernel releases the lock itself when the process ends. */
  private void empty() {
    try {
      channel.truncate(0);
      channel.force(true);
    } catch (ClosedChannelException e) {
      // released meanwhile: emptied already
    } catch (IOException e) {
      log.warn("could not empty the lock file: {}", e.toString());
    }
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(onShutdown);
    } catch (IllegalStateException e) {
      // shutting down already: the hook empties it as well
    }
    empty();
    try {
      if (lock != null) {
        lock.release();
      }
      channel.close();
    } catch (IOException e) {
      log.warn("could not release the lock: {}", e.toString());
    } finally {
      HELD_IN_THIS_PROCESS.remove(key);
    }
  }
}
