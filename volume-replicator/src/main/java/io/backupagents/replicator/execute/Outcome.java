package io.backupagents.replicator.execute;

import io.backupagents.replicator.plan.PlanTotals;

/**
 * How a run that got to the end went: the plan's totals, the deletion guard's verdict, and whether
 * the source existed at all.
 */
public record Outcome(PlanTotals totals, DeletionGuard.Verdict verdict, boolean sourceMissing) {}
