package io.backupagents.sqlbackup.rotation;

import io.backupagents.sqlbackup.model.BackupName;
import io.backupagents.sqlbackup.model.Tier;
import io.backupagents.sqlbackup.store.StoredBackup;
import java.util.List;

/**
 * What a run changes in the tiers: the backups it promotes into its tier, then the backups it
 * prunes from its tier. Data only; {@link RotationExecutor} carries it out.
 */
public record RotationPlan(Tier tier, List<Promotion> promotions, List<StoredBackup> prunes) {

  /** Copy {@code name} from {@code from} into {@code to} under the same name. */
  public record Promotion(Tier from, BackupName name, Tier to) {}

  public RotationPlan {
    promotions = List.copyOf(promotions);
    prunes = List.copyOf(prunes);
  }
}
