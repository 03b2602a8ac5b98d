package io.backupagents.replicator;

import io.backupagents.common.launch.Agent;
import io.backupagents.common.launch.Job;
import io.backupagents.common.s3.S3Setting;
import io.backupagents.common.settings.SettingDefinition;
import io.backupagents.common.settings.SettingsReader;
import io.backupagents.replicator.config.ReplicatorSetting;
import io.backupagents.replicator.config.ReplicatorSettings;
import io.backupagents.replicator.job.ReplicationJob;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The volume-replicator agent: mirrors a directory tree or an S3 location to another, with rsync's
 * and rclone's semantics, from the new settings or the legacy image's variables.
 */
public final class VolumeReplicatorAgent implements Agent {

  private final String fileNameEncoding;

  public VolumeReplicatorAgent() {
    this(System.getProperty("sun.jnu.encoding", "UTF-8"));
  }

  /** {@code fileNameEncoding}: how this JVM decodes file names (from the locale). */
  public VolumeReplicatorAgent(String fileNameEncoding) {
    this.fileNameEncoding = fileNameEncoding;
  }

  @Override
  public String name() {
    return "volume-replicator";
  }

  @Override
  public String usage() {
    return """
        volume-replicator: mirrors a directory tree to another directory or to S3, and back, with
        rsync's and rclone's semantics (deletions weighed by guards first).

        Usage: volume-replicator           (no arguments: settings come from the environment)
               volume-replicator --help    this text
        """;
  }

  @Override
  public List<SettingDefinition> settings() {
    List<SettingDefinition> all = new ArrayList<>(Arrays.asList(ReplicatorSetting.values()));
    all.addAll(Arrays.asList(S3Setting.values()));
    return all;
  }

  @Override
  public List<String> ownedPrefixes() {
    return List.of(
        "REPLICATE_",
        "VOLUME_",
        "USE_RCLONE",
        "USE_DOW",
        "USE_FIRST_OF_MONTH",
        "RCLONE_",
        "SHARD_",
        "MAX_DELETE",
        "S3_");
  }

  @Override
  public Job configure(SettingsReader settings, List<String> args) {
    if (!args.isEmpty()) {
      settings.problem("volume-replicator takes no arguments (got " + args + "); use the settings");
    }
    ReplicatorSettings s = ReplicatorSettings.read(settings);
    boolean directories = !s.source().isBucket() || !s.target().isBucket();
    if (directories && !fileNameEncoding.replace("-", "").equalsIgnoreCase("UTF8")) {
      settings.problem(
          "file names would be decoded as "
              + fileNameEncoding
              + ", which mangles non-ASCII names: run with LANG=C.UTF-8 (or another UTF-8 locale)");
    }
    return new ReplicationJob(s);
  }
}
