package io.backupagents.common.settings;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The check of a setting that takes long enough to be worth doing while the run starts (reading
 * OpenPGP keys: a third of a second in a fresh JVM), on a thread of its own from the moment the
 * setting is read (see {@link SettingsReader#checkMeanwhile}). Its problems are reported with all
 * others when there are others ({@link SettingsReader#finish()}); otherwise the run waits for it
 * where it needs its value ({@link #get()}), and the launcher when the run ends without having
 * needed it, failed or not ({@link SettingsReader#pendingProblems()}): a bad setting is always
 * reported as one, exit code 2.
 *
 * @param <T> what the check makes of the setting
 */
public final class PendingCheck<T> {

  private final CompletableFuture<T> result;

  private PendingCheck(CompletableFuture<T> result) {
    this.result = result;
  }

  /**
   * Starts {@code check} of {@code what} (e.g. "BACKUP_ENCRYPTION_RECIPIENTS_FILE"); the check
   * throws a {@link SettingsException} naming the setting's problems.
   */
  static <T> PendingCheck<T> start(String what, Supplier<T> check) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread.ofPlatform()
        .daemon()
        .name("check of " + what)
        .start(
            () -> {
              try {
                result.complete(check.get());
              } catch (SettingsException e) {
                result.completeExceptionally(e);
              } catch (RuntimeException | Error e) {
                // A check that breaks leaves the setting unchecked: a problem of the setting too.
                result.completeExceptionally(
                    new SettingsException(List.of(what + " could not be checked: " + e)));
              }
            });
    return new PendingCheck<>(result);
  }

  /** A check already done, with {@code value} as its result. */
  public static <T> PendingCheck<T> done(T value) {
    return new PendingCheck<>(CompletableFuture.completedFuture(value));
  }

  /**
   * The checked value, once the check is done.
   *
   * @throws SettingsException listing the setting's problems when the check found any
   */
  public T get() {
    try {
      return result.join();
    } catch (CompletionException e) {
      throw new SettingsException(problems()); // with this thread's stack
    }
  }

  /** The setting's problems, none when the check passed; waits for the check. */
  List<String> problems() {
    try {
      result.join();
      return List.of();
    } catch (CompletionException e) {
      return ((SettingsException) e.getCause()).problems();
    }
  }
}
