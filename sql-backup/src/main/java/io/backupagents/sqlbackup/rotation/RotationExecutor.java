package io.backupagents.sqlbackup.rotation;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.logging.Units;
import io.backupagents.sqlbackup.dump.DumpErrors;
import io.backupagents.sqlbackup.store.BackupStore;
import io.backupagents.sqlbackup.store.StoredBackup;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a {@link RotationPlan} on a store: promotions first, pruning only after them, then
 * the tier's checksum records are put in order ({@link BackupStore#tidyRecords}).
 */
public final class RotationExecutor {

  private static final Logger log = LoggerFactory.getLogger(RotationExecutor.class);

  private final BackupStore store;

  public RotationExecutor(BackupStore store) {
    this.store = store;
  }

  /** What was done. */
  public record Outcome(List<StoredBackup> promoted, List<StoredBackup> pruned) {}

  public Outcome execute(RotationPlan plan) {
    List<StoredBackup> promoted = new ArrayList<>();
    for (RotationPlan.Promotion p : plan.promotions()) {
      try {
        promoted.add(store.promote(p.from(), p.name(), p.to()));
      } catch (IOException | RuntimeException e) {
        throw failure(
            ExitCode.OPERATION_FAILED,
            "promotion of " + p.name() + " from " + p.from() + " to " + p.to() + " failed",
            e);
      }
    }
    List<StoredBackup> pruned = new ArrayList<>();
    for (StoredBackup b : plan.prunes()) {
      try {
        store.delete(b.tier(), b.name());
        pruned.add(b);
        log.info("pruned {}/{} ({})", b.tier(), b.name(), Units.bytes(b.size()));
      } catch (IOException | RuntimeException e) {
        throw failure(
            ExitCode.OPERATION_FAILED,
            "pruning "
                + b.tier()
                + "/"
                + b.name()
                + " failed after "
                + pruned.size()
                + " of "
                + plan.prunes().size(),
            e);
      }
    }
    tidyRecords(plan);
    return new Outcome(promoted, pruned);
  }

  /**
   * Records go with their backups: renamed from the name earlier versions gave them, or removed.
   */
  private void tidyRecords(RotationPlan plan) {
    try {
      int changed = store.tidyRecords(plan.tier());
      if (changed > 0) {
        log.info("{} checksum records of {} renamed or removed", changed, plan.tier());
      }
    } catch (IOException | RuntimeException e) {
      throw failure(ExitCode.OPERATION_FAILED, "tidying the checksum records of " + plan.tier(), e);
    }
  }

  private AgentException failure(ExitCode code, String what, Throwable e) {
    if (e instanceof AgentException agent) {
      return agent;
    }
    ExitCode c = DumpErrors.mentionsDiskFull(e) ? ExitCode.NO_SPACE : code;
    return new AgentException(c, what + " in " + store.describe() + ": " + e, e);
  }
}
