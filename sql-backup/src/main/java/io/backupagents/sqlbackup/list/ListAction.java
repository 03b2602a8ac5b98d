package io.backupagents.sqlbackup.list;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.launch.Job;
import io.backupagents.common.launch.RunContext;
import io.backupagents.common.s3.S3Connection;
import io.backupagents.common.s3.S3Location;
import io.backupagents.common.s3.S3Settings;
import io.backupagents.common.s3.S3Store;
import io.backupagents.common.settings.SettingsReader;
import io.backupagents.sqlbackup.codec.EncryptedHeader;
import io.backupagents.sqlbackup.codec.OpenPgpEncryption;
import io.backupagents.sqlbackup.codec.Recipients;
import io.backupagents.sqlbackup.model.Tier;
import io.backupagents.sqlbackup.offsite.RemoteTiers;
import io.backupagents.sqlbackup.settings.BackupSettings;
import io.backupagents.sqlbackup.settings.HostEnvironment;
import io.backupagents.sqlbackup.store.LocalBackupStore;
import io.backupagents.sqlbackup.store.StoredBackup;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code list} action: what each tier holds on the volume and, when configured, in the bucket
 * (name, size, age, checksum status). {@code --json} prints one JSON object on one line; {@code
 * --check} re-reads local backups and compares them with their recorded SHA-256 (a mismatch fails
 * the run with VERIFY_FAILED).
 */
public final class ListAction {

  private ListAction() {}

  public static Job configure(SettingsReader settings, List<String> args, HostEnvironment host) {
    return configure(settings, args, host, System.out);
  }

  public static Job configure(
      SettingsReader settings, List<String> args, HostEnvironment host, PrintStream out) {
    boolean json = false;
    boolean check = false;
    for (String arg : args) {
      switch (arg) {
        case "--json" -> json = true;
        case "--check" -> check = true;
        default -> settings.problem("list: unknown option " + arg + "; expected --json, --check");
      }
    }
    BackupSettings backup = BackupSettings.read(settings, host);
    return new ListJob(backup, json, check, out);
  }

  private record ListJob(BackupSettings settings, boolean json, boolean check, PrintStream out)
      implements Job {

    @Override
    public Map<String, String> metricsGroupingKey() {
      return Map.of("action", "list");
    }

    @Override
    public void run(RunContext context) throws IOException {
      // The recipients' keys are checked while the run starts; a refused key fails every list
      // alike, whatever the tiers hold.
      Optional<Recipients> recipients =
          settings.dump().encryption().map(OpenPgpEncryption::recipients);
      List<TierReport.Location> locations = new ArrayList<>();
      if (settings.bucketVolume().isPresent()) {
        var v = settings.bucketVolume().get();
        locations.add(remote("s3", v.location(), v.s3()));
      } else {
        locations.add(local(recipients));
      }
      settings.offsite().ifPresent(m -> locations.add(remote("s3", m.location(), m.s3())));
      TierReport report = new TierReport(context.clock().instant(), locations);
      out.println(json ? report.json() : report.text());
      out.flush();
      long bad = report.mismatches();
      if (bad > 0) {
        throw new AgentException(
            ExitCode.VERIFY_FAILED, bad + " backups do not match their recorded SHA-256");
      }
    }

    private TierReport.Location local(Optional<Recipients> recipients) throws IOException {
      if (!Files.isDirectory(settings.root())) {
        throw new AgentException(
            ExitCode.NOT_FOUND, "the backup root " + settings.root() + " does not exist");
      }
      LocalBackupStore store = new LocalBackupStore(settings.root());
      Map<Tier, List<TierReport.Entry>> tiers = new EnumMap<>(Tier.class);
      for (Tier t : Tier.values()) {
        List<TierReport.Entry> entries = new ArrayList<>();
        for (StoredBackup b : store.list(t)) {
          entries.add(
              TierReport.Entry.of(
                  b, check ? Checks.verify(store, b) : null, recipients(store, t, b, recipients)));
        }
        tiers.put(t, entries);
      }
      return new TierReport.Location("local", settings.root().toString(), tiers);
    }

    /** Who a local encrypted backup is encrypted to, from its header. */
    private static List<String> recipients(
        LocalBackupStore store, Tier t, StoredBackup b, Optional<Recipients> recipients) {
      if (!b.name().encrypted()) {
        return List.of();
      }
      return EncryptedHeader.recipients(
              store.tierDirectory(t).resolve(b.name().fileName()), recipients)
          .orElse(List.of());
    }

    private TierReport.Location remote(String kind, S3Location location, S3Settings s3) {
      try (S3Connection connection = S3Connection.open(s3)) {
        Map<Tier, List<StoredBackup>> listing =
            RemoteTiers.list(new S3Store(connection, location.bucket()), location);
        Map<Tier, List<TierReport.Entry>> tiers = new EnumMap<>(Tier.class);
        listing.forEach(
            (t, backups) ->
                tiers.put(
                    t,
                    backups.stream().map(b -> TierReport.Entry.of(b, null, List.of())).toList()));
        return new TierReport.Location(kind, location.toString(), tiers);
      }
    }
  }
}
