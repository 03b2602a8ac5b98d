package io.backupagents.sqlbackup.codec;

import io.backupagents.common.launch.Job;
import io.backupagents.common.launch.RunContext;
import java.util.Map;
import java.util.Optional;

/** Runs a job that reads backups with the run's decryption key installed (see BackupDecoding). */
public final class DecryptingJob implements Job {

  private final Job job;
  private final Optional<DecryptionKey> key;

  public DecryptingJob(Job job, Optional<DecryptionKey> key) {
    this.job = job;
    this.key = key;
  }

  /** The job itself, for tests that look at its configuration. */
  public Job job() {
    return job;
  }

  @Override
  public void run(RunContext context) throws Exception {
    BackupDecoding.Installed installed = BackupDecoding.using(key);
    try {
      job.run(context);
    } finally {
      installed.close();
    }
  }

  @Override
  public Map<String, String> metricsGroupingKey() {
    return job.metricsGroupingKey();
  }
}
