package io.backupagents.replicator.execute;

import io.backupagents.replicator.config.DeleteLimit;
import io.backupagents.replicator.plan.PlanTotals;
import java.util.Optional;

/**
 * Decides whether a run's deletions may happen: never after an error (rsync's rule: a file that
 * could not be read looks extraneous), never when the source is empty or missing (an unmounted
 * volume must not wipe the copies), never beyond {@code MAX_DELETE}.
 */
public final class DeletionGuard {

  /** Why deletions were not made; empty when they may be. */
  public record Verdict(boolean refused, boolean skippedForErrors, String reason) {
    static Verdict allow() {
      return new Verdict(false, false, null);
    }
  }

  private DeletionGuard() {}

  /**
   * Whether the run may delete what the source no longer has.
   *
   * @param errors copy or read errors of this run
   * @param sourceMissing the source's root did not exist
   */
  public static Verdict decide(
      PlanTotals totals, long errors, boolean sourceMissing, DeleteLimit limit) {
    if (totals.deletions() == 0) {
      return Verdict.allow();
    }
    if (errors > 0) {
      return new Verdict(
          false,
          true,
          errors
              + " errors occurred, so none of the "
              + totals.deletions()
              + " deletions were made");
    }
    Optional<String> refusal = refusal(totals, sourceMissing, limit);
    return refusal.map(r -> new Verdict(true, false, r)).orElse(Verdict.allow());
  }

  private static Optional<String> refusal(
      PlanTotals totals, boolean sourceMissing, DeleteLimit limit) {
    if (sourceMissing) {
      return Optional.of(
          "the source does not exist, so the target's "
              + totals.deletions()
              + " files were not deleted (is the volume mounted?)");
    }
    if (totals.sourceFiles() == 0) {
      return Optional.of(
          "the source is empty, so the target's "
              + totals.deletions()
              + " files were not deleted (is the volume mounted?)");
    }
    long allowed = limit.allowed(totals.targetFiles());
    if (totals.deletions() > allowed) {
      return Optional.of(
          "the run would delete "
              + totals.deletions()
              + " of the target's "
              + totals.targetFiles()
              + " files, more than MAX_DELETE="
              + limit
              + " allows ("
              + allowed
              + "): nothing was deleted");
    }
    return Optional.empty();
  }
}
