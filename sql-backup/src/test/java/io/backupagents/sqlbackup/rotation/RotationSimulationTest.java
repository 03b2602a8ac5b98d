package io.backupagents.sqlbackup.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.sqlbackup.model.BackupName;
import io.backupagents.sqlbackup.model.Tier;
import io.backupagents.sqlbackup.model.VerifiedDump;
import io.backupagents.sqlbackup.store.LocalBackupStore;
import io.backupagents.sqlbackup.store.StoredBackup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The four CronJobs of a typical deployment over simulated weeks, on an in-memory file system:
 * hourly at :51 (24 kept), daily at 00:21 (7), weekly on Sundays at 00:31 (4), monthly on the 8th
 * at 00:41 (12), with legacy 15.8 semantics.
 */
class RotationSimulationTest {

  private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

  private FileSystem fs;
  private LocalBackupStore store;
  private Path notes;

  @BeforeEach
  void setUp() throws IOException {
    fs = Jimfs.newFileSystem(Configuration.unix());
    Path root = Files.createDirectories(fs.getPath("/backup"));
    store = new LocalBackupStore(root);
    notes = Files.writeString(store.ensureTier(Tier.HOURLY).resolve("notes.txt"), "keep me");
  }

  @AfterEach
  void tearDown() throws IOException {
    fs.close();
  }

  @Test
  void tiersHoldTheLegacySelectionAfterFiftyDays() throws IOException {
    Instant end = START.plus(Duration.ofDays(50));
    for (Instant t = START; t.isBefore(end); t = t.plus(Duration.ofMinutes(1))) {
      ZonedDateTime z = t.atZone(ZoneOffset.UTC);
      if (z.getMinute() == 51) {
        hourly(Clock.fixed(t, ZoneOffset.UTC));
      } else if (z.getHour() == 0 && z.getMinute() == 21) {
        promote(Tier.DAILY, Tier.HOURLY, 7);
      } else if (z.getHour() == 0 && z.getMinute() == 31 && z.getDayOfWeek() == DayOfWeek.SUNDAY) {
        promote(Tier.WEEKLY, Tier.DAILY, 4);
      } else if (z.getHour() == 0 && z.getMinute() == 41 && z.getDayOfMonth() == 8) {
        promote(Tier.MONTHLY, Tier.WEEKLY, 12);
      }
    }
    // Simulation ends 2025-02-20T00:00Z.
    assertThat(times(Tier.HOURLY)).hasSize(24).first().isEqualTo("2025-02-19T00:51:00Z");
    assertThat(times(Tier.HOURLY)).last().isEqualTo("2025-02-19T23:51:00Z");
    // Each daily run (00:21) promoted the oldest hourly backup: 00:51 of the day before.
    assertThat(times(Tier.DAILY))
        .containsExactly(
            "2025-02-12T00:51:00Z",
            "2025-02-13T00:51:00Z",
            "2025-02-14T00:51:00Z",
            "2025-02-15T00:51:00Z",
            "2025-02-16T00:51:00Z",
            "2025-02-17T00:51:00Z",
            "2025-02-18T00:51:00Z");
    // Each Sunday run promoted the oldest daily backup, the one of the Sunday before.
    assertThat(times(Tier.WEEKLY))
        .containsExactly(
            "2025-01-19T00:51:00Z",
            "2025-01-26T00:51:00Z",
            "2025-02-02T00:51:00Z",
            "2025-02-09T00:51:00Z");
    // The monthly runs (Jan 8, Feb 8) promoted the oldest weekly backup of the time: the first
    // weekly run (Sunday Jan 5) had promoted Jan 1, the second (Jan 12) Jan 5.
    assertThat(times(Tier.MONTHLY)).containsExactly("2025-01-01T00:51:00Z", "2025-01-05T00:51:00Z");
    assertThat(notes).hasContent("keep me");
  }

  @Test
  void promotionHardLinksTheFileAndCopiesItsChecksum() throws IOException {
    hourly(Clock.fixed(Instant.parse("2025-03-01T10:51:00Z"), ZoneOffset.UTC));
    hourly(Clock.fixed(Instant.parse("2025-03-01T11:51:00Z"), ZoneOffset.UTC));
    promote(Tier.DAILY, Tier.HOURLY, 7);
    String name = "backup-2025-03-01T10:51:00Z-dumpall.sql.gz";
    Path hourly = store.tierDirectory(Tier.HOURLY).resolve(name);
    Path daily = store.tierDirectory(Tier.DAILY).resolve(name);
    assertThat(Files.isSameFile(hourly, daily)).isTrue();
    assertThat(daily.resolveSibling("." + name + ".sha256"))
        .hasSameTextualContentAs(hourly.resolveSibling("." + name + ".sha256"));
    assertThat(store.list(Tier.DAILY)).singleElement().matches(StoredBackup::checksumRecorded);
  }

  @Test
  void theTiersRotationRenamesRecordsUnderTheEarlierNameAndRemovesStaleOnes() throws IOException {
    Path dir = store.ensureTier(Tier.HOURLY);
    List<String> names = new ArrayList<>();
    for (String time : List.of("10", "11", "12")) {
      String name = "backup-2025-03-01T" + time + ":51:00Z-dumpall.sql.gz";
      Files.writeString(dir.resolve(name), "dump of " + name);
      Files.writeString(dir.resolve(name + ".sha256"), "record of " + name);
      names.add(name);
    }
    // 11:51 has a record under both names: the current one wins.
    Files.writeString(dir.resolve("." + names.get(1) + ".sha256"), "current record");
    // Records whose backup is gone.
    Files.writeString(dir.resolve("backup-2025-03-01T09:51:00Z-dumpall.sql.gz.sha256"), "x");
    Files.writeString(dir.resolve(".backup-2025-03-01T08:51:00Z-dumpall.sql.gz.sha256"), "x");
    assertThat(store.list(Tier.HOURLY)).allMatch(StoredBackup::checksumRecorded);

    // Keeping two prunes 10:51, with its record under the earlier name.
    rotate(Tier.HOURLY, 2, List.of(), Set.of());

    assertThat(listing(dir))
        .containsExactly(
            "." + names.get(1) + ".sha256",
            "." + names.get(2) + ".sha256",
            names.get(1),
            names.get(2),
            "notes.txt");
    assertThat(dir.resolve("." + names.get(1) + ".sha256")).hasContent("current record");
    assertThat(dir.resolve("." + names.get(2) + ".sha256")).hasContent("record of " + names.get(2));
    assertThat(store.list(Tier.HOURLY)).allMatch(StoredBackup::checksumRecorded);
  }

  @Test
  void promotionGivesTheCopyARecordUnderTheCurrentName() throws IOException {
    Path hourly = store.ensureTier(Tier.HOURLY);
    String name = "backup-2025-03-01T10:51:00Z-dumpall.sql.gz";
    Files.writeString(hourly.resolve(name), "dump");
    Files.writeString(hourly.resolve(name + ".sha256"), "record");

    promote(Tier.DAILY, Tier.HOURLY, 7);

    assertThat(listing(store.tierDirectory(Tier.DAILY)))
        .containsExactly("." + name + ".sha256", name);
    assertThat(store.tierDirectory(Tier.DAILY).resolve("." + name + ".sha256"))
        .hasContent("record");
    assertThat(hourly.resolve(name + ".sha256")).hasContent("record");
  }

  @Test
  void neverPrunesWhatTheRunWroteEvenWhenItsNameIsOldest() {
    BackupName future = name("2030-01-01T00:00:00Z");
    BackupName now = name("2025-01-01T00:51:00Z");
    List<StoredBackup> listing = List.of(stored(Tier.HOURLY, now), stored(Tier.HOURLY, future));
    RotationPlan plan = RotationPlanner.plan(Tier.HOURLY, 1, listing, List.of(), Set.of(now));
    assertThat(plan.prunes()).extracting(StoredBackup::name).containsExactly(future);
  }

  @Test
  void prunesEachDatabaseToTheCountSeparately() {
    List<StoredBackup> listing = new ArrayList<>();
    for (int h = 10; h < 15; h++) {
      for (String db : List.of("bank", "shop")) {
        listing.add(
            stored(
                Tier.HOURLY,
                new BackupName(
                    Instant.parse("2025-01-01T" + h + ":51:00Z"), db, BackupName.Format.SQL_GZ)));
      }
    }
    RotationPlan plan = RotationPlanner.plan(Tier.HOURLY, 2, listing, List.of(), Set.of());
    assertThat(plan.prunes())
        .extracting(b -> b.name().fileName())
        .containsExactly(
            "backup-2025-01-01T10:51:00Z-bank.sql.gz",
            "backup-2025-01-01T10:51:00Z-shop.sql.gz",
            "backup-2025-01-01T11:51:00Z-bank.sql.gz",
            "backup-2025-01-01T11:51:00Z-shop.sql.gz",
            "backup-2025-01-01T12:51:00Z-bank.sql.gz",
            "backup-2025-01-01T12:51:00Z-shop.sql.gz");
  }

  @Test
  void promotionFromAnEmptyTierFailsWithoutPruning() {
    assertThatThrownBy(() -> RotationPlanner.promotions(Tier.DAILY, Tier.HOURLY, List.of()))
        .isInstanceOfSatisfying(
            AgentException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.NOT_FOUND))
        .hasMessage(
            "the hourly tier holds no backup to promote to daily: check that the hourly backups"
                + " succeed");
  }

  private void hourly(Clock clock) throws IOException {
    BackupName name = new BackupName(clock.instant(), "dumpall", BackupName.Format.SQL_GZ);
    Path temp = store.tempFor(Tier.HOURLY, name);
    byte[] content = ("dump of " + name).getBytes(StandardCharsets.UTF_8);
    Files.write(temp, content);
    store.publish(
        new VerifiedDump(
            name, temp, content.length, "0".repeat(64), 0, Duration.ZERO, Duration.ZERO, 0),
        Tier.HOURLY);
    rotate(Tier.HOURLY, 24, List.of(), Set.of(name));
  }

  private void promote(Tier tier, Tier prior, int count) throws IOException {
    if (store.list(prior).isEmpty()) {
      return; // the first days: the real run fails with NOT_FOUND here
    }
    rotate(tier, count, RotationPlanner.promotions(tier, prior, store.list(prior)), Set.of());
  }

  private void rotate(
      Tier tier, int count, List<RotationPlan.Promotion> promotions, Set<BackupName> written)
      throws IOException {
    RotationPlan plan = RotationPlanner.plan(tier, count, store.list(tier), promotions, written);
    new RotationExecutor(store).execute(plan);
    List<StoredBackup> after = store.list(tier);
    assertThat(after).hasSizeBetween(1, count);
    for (BackupName n : written) {
      assertThat(after).extracting(StoredBackup::name).contains(n);
    }
    for (RotationPlan.Promotion p : promotions) {
      assertThat(after).extracting(StoredBackup::name).contains(p.name());
    }
  }

  private static List<String> listing(Path dir) throws IOException {
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private List<String> times(Tier tier) throws IOException {
    return store.list(tier).stream().map(b -> b.name().time().toString()).toList();
  }

  private static BackupName name(String time) {
    return new BackupName(Instant.parse(time), "dumpall", BackupName.Format.SQL_GZ);
  }

  private static StoredBackup stored(Tier tier, BackupName name) {
    return new StoredBackup(tier, name, 1, name.time(), true);
  }
}
