package io.backupagents.sqlbackup.rotation;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.sqlbackup.model.BackupName;
import io.backupagents.sqlbackup.model.Tier;
import io.backupagents.sqlbackup.store.StoredBackup;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Plans rotation with the legacy image's (15.8) semantics, per database label:
 *
 * <ul>
 *   <li>hourly: after the new dump, prune the oldest backups beyond the count;
 *   <li>daily, weekly, monthly: promote the <em>oldest</em> backup of the prior tier into this tier
 *       (same name), then prune this tier to the count.
 * </ul>
 *
 * Only backups (names that parse) are ever pruned; what this run wrote or promoted never is, and as
 * the count is at least one, every tier keeps a backup of every label it had.
 */
public final class RotationPlanner {

  private RotationPlanner() {}

  /**
   * The promotions a run of {@code tier} makes, from the listing of {@code prior}. Fails with
   * NOT_FOUND when the prior tier has no backup to promote.
   */
  public static List<RotationPlan.Promotion> promotions(
      Tier tier, Tier prior, List<StoredBackup> priorListing) {
    if (tier == Tier.HOURLY) {
      return List.of();
    }
    if (priorListing.isEmpty()) {
      throw new AgentException(
          ExitCode.NOT_FOUND,
          "the "
              + prior
              + " tier holds no backup to promote to "
              + tier
              + ": check that the "
              + prior
              + " backups succeed");
    }
    List<RotationPlan.Promotion> promotions = new ArrayList<>();
    for (List<StoredBackup> ofLabel : byLabel(priorListing).values()) {
      BackupName oldest = ofLabel.get(0).name();
      promotions.add(new RotationPlan.Promotion(prior, oldest, tier));
    }
    return promotions;
  }

  /**
   * The full plan of a run: {@code promotions} (from {@link #promotions}), then pruning of {@code
   * listing} (the tier as it is before the promotions) to {@code count} per label, never touching
   * {@code written} (what this run dumped or promoted).
   */
  public static RotationPlan plan(
      Tier tier,
      int count,
      List<StoredBackup> listing,
      List<RotationPlan.Promotion> promotions,
      Set<BackupName> written) {
    if (count < 1) {
      throw new IllegalArgumentException("a tier keeps at least one backup");
    }
    Set<BackupName> protectedNames =
        java.util.stream.Stream.concat(
                written.stream(), promotions.stream().map(RotationPlan.Promotion::name))
            .collect(Collectors.toSet());
    List<StoredBackup> prunes = new ArrayList<>();
    for (List<StoredBackup> ofLabel : byLabel(listing).values()) {
      List<BackupName> names = new ArrayList<>(ofLabel.stream().map(StoredBackup::name).toList());
      protectedNames.stream()
          .filter(n -> n.label().equals(ofLabel.get(0).name().label()) && !names.contains(n))
          .forEach(names::add);
      names.sort(null);
      int excess = names.size() - count;
      for (StoredBackup candidate : ofLabel) {
        if (excess <= 0) {
          break;
        }
        if (!protectedNames.contains(candidate.name())) {
          prunes.add(candidate);
          excess--;
        }
      }
    }
    prunes.sort(null);
    return new RotationPlan(tier, promotions, prunes);
  }

  /** Listings grouped by label, each group oldest first, labels in name order. */
  static Map<String, List<StoredBackup>> byLabel(Collection<StoredBackup> listing) {
    Map<String, List<StoredBackup>> groups = new TreeMap<>();
    for (StoredBackup b : listing) {
      groups.computeIfAbsent(b.name().label(), k -> new ArrayList<>()).add(b);
    }
    groups.values().forEach(l -> l.sort(null));
    return groups;
  }
}
