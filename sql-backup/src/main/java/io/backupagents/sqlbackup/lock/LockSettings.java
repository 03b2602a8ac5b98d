package io.backupagents.sqlbackup.lock;

import java.time.Duration;

/**
 * How long to wait for another run's lock, and when a lock whose owner cannot be checked counts as
 * abandoned.
 */
public record LockSettings(Duration maxWait, Duration staleAfter) {}
