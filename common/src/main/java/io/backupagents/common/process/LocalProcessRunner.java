package io.backupagents.common.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs children with {@link ProcessBuilder}: stdout streamed to the spec's reader, stderr drained
 * at the same time (a child blocked on a full stderr pipe would never exit), a watchdog for the
 * timeout, and every live child killed when the JVM receives SIGTERM.
 *
 * <p>The child's environment is not inherited wholesale: it gets only the harmless basics of the
 * injected base environment plus the spec's own variables, so no unrelated secret leaks into it.
 */
public final class LocalProcessRunner implements ProcessRunner {

  private static final Logger log = LoggerFactory.getLogger(LocalProcessRunner.class);
  private static final int TAIL_LINES = 20;
  private static final int MAX_LINE = 1000;
  private static final Duration KILL_GRACE = Duration.ofSeconds(5);
  private static final List<String> PASSED_THROUGH =
      List.of("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "USER");
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> LIVE.forEach(LocalProcessRunner::kill), "kill-children-on-shutdown"));
  }

  private final Map<String, String> baseEnvironment;

  /** {@code baseEnvironment} is the agent's environment; only PATH, HOME, locale and TZ pass. */
  public LocalProcessRunner(Map<String, String> baseEnvironment) {
    this.baseEnvironment = Map.copyOf(baseEnvironment);
  }

  @Override
  public ProcessResult run(ProcessSpec spec)
      throws ProcessFailedException, IOException, InterruptedException {
    long start = System.nanoTime();
    ProcessBuilder builder = new ProcessBuilder(spec.command());
    Map<String, String> env = builder.environment();
    env.clear();
    for (String name : PASSED_THROUGH) {
      String value = baseEnvironment.get(name);
      if (value != null) {
        env.put(name, value);
      }
    }
    env.putAll(spec.environment());
    if (spec.workingDirectory() != null) {
      builder.directory(spec.workingDirectory().toFile());
    }
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new ProcessFailedException(
          spec.name(), ProcessFailedException.NOT_STARTED, false, List.of(e.getMessage()));
    }
    LIVE.add(process);
    try {
      return await(spec, process, start);
    } finally {
      LIVE.remove(process);
      if (process.isAlive()) {
        kill(process);
      }
    }
  }

  private ProcessResult await(ProcessSpec spec, Process process, long start)
      throws ProcessFailedException, IOException, InterruptedException {
    ArrayDeque<String> tail = new ArrayDeque<>();
    Thread stderr = Thread.ofVirtual().start(() -> drainStderr(spec, process, tail));
    AtomicBoolean timedOut = new AtomicBoolean();
    Thread watchdog = spec.timeout() == null ? null : startWatchdog(spec, process, timedOut);
    AtomicReference<IOException> stdinFailure = new AtomicReference<>();
    Thread stdin = Thread.ofVirtual().start(() -> feedStdin(spec, process, stdinFailure));

    IOException stdoutFailure = null;
    try (InputStream out = process.getInputStream()) {
      if (spec.stdout() != null) {
        spec.stdout().read(spec.bulkStdout() ? PipeReading.batched(process.pid(), out) : out);
      }
      out.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      stdoutFailure = e;
      kill(process);
    } catch (RuntimeException e) {
      kill(process);
      throw e;
    } finally {
      if (Thread.interrupted()) {
        kill(process);
        Thread.currentThread().interrupt();
      }
    }
    int status = process.waitFor();
    stderr.join();
    stdin.join();
    if (watchdog != null) {
      watchdog.interrupt();
    }
    List<String> lines;
    synchronized (tail) {
      lines = new ArrayList<>(tail);
    }
    if (timedOut.get()) {
      // Killing the child closed its pipes: the reader's "Stream closed" is a consequence, the
      // time limit is the cause.
      throw new ProcessFailedException(spec.name(), status, true, lines);
    }
    if (stdoutFailure != null) {
      throw stdoutFailure;
    }
    if (status != 0) {
      throw new ProcessFailedException(spec.name(), status, timedOut.get(), lines);
    }
    if (stdinFailure.get() != null) {
      throw stdinFailure.get();
    }
    return new ProcessResult(lines, Duration.ofNanos(System.nanoTime() - start));
  }

  private static Thread startWatchdog(ProcessSpec spec, Process process, AtomicBoolean timedOut) {
    return Thread.ofVirtual()
        .start(
            () -> {
              try {
                if (!process.waitFor(spec.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                  timedOut.set(true);
                  log.error("{} ran longer than {}; killing it", spec.name(), spec.timeout());
                  kill(process);
                }
              } catch (InterruptedException e) {
                // The child finished first: nothing to do.
              }
            });
  }

  private static void feedStdin(
      ProcessSpec spec, Process process, AtomicReference<IOException> failure) {
    try (OutputStream in = process.getOutputStream()) {
      if (spec.stdin() != null) {
        spec.stdin().write(in);
      }
    } catch (IOException e) {
      // A child that exits early closes the pipe; its exit status tells the real story.
      failure.set(e);
    }
  }

  private static void drainStderr(ProcessSpec spec, Process process, ArrayDeque<String> tail) {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        String kept = line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + "..." : line;
        synchronized (tail) {
          if (tail.size() == TAIL_LINES) {
            tail.removeFirst();
          }
          tail.addLast(kept);
        }
        if (spec.stderrLine() != null) {
          spec.stderrLine().accept(kept);
        } else if (!kept.isBlank()) {
          log.warn("[{}] {}", spec.name(), kept);
        }
      }
    } catch (IOException e) {
      log.debug("stderr of {} closed: {}", spec.name(), e.toString());
    }
  }

  /** Asks the child and its descendants to stop, then forces them after a grace period. */
  static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
