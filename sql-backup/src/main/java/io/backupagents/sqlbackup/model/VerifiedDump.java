package io.backupagents.sqlbackup.model;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A dump that completed and passed its checks, still under its temporary name, fsynced.
 *
 * @param file the temporary file
 * @param size its size in bytes
 * @param sha256 its SHA-256, lower-case hex
 * @param dumpBytes what the dump tool wrote (uncompressed for plain dumps)
 * @param elapsed wall time of the dump, compression included
 * @param compressBusy time the compression threads were busy, summed
 * @param warnings stderr lines the tool printed besides errors
 */
public record VerifiedDump(
    BackupName name,
    Path file,
    long size,
    String sha256,
    long dumpBytes,
    Duration elapsed,
    Duration compressBusy,
    int warnings) {}
