package io.backupagents.sqlbackup.source;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.sqlbackup.model.BackupName;
import io.backupagents.sqlbackup.model.FromBackup;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Picks the backup a restore asks for from what the search found, or says why it cannot, listing
 * the candidates. Pure: the same backups, request and time give the same answer.
 *
 * <p>A dumpall is restored into the server and a single-database backup into {@code DATABASE}, so
 * the kind the target wants narrows the choice: LATEST is the newest backup of that kind (of the
 * database named {@code DATABASE} when there are such backups).
 */
public final class BackupSelection {

  private static final int LISTED = 10;

  private BackupSelection() {}

  /**
   * The backup {@code from} asks for among {@code found}; fails when there is none or, for the
   * latest, when it is older than {@code maxAge}.
   *
   * @param found every backup found, in any order
   * @param database the target database of a single-database restore; empty for a dumpall
   * @param searched where the search looked, for the message when nothing was found
   */
  public static FoundBackup select(
      List<FoundBackup> found,
      FromBackup from,
      Optional<String> database,
      Instant now,
      Optional<Duration> maxAge,
      String searched) {
    return select(found, from, database, now, maxAge, searched, false);
  }

  private static FoundBackup select(
      List<FoundBackup> found,
      FromBackup from,
      Optional<String> database,
      Instant now,
      Optional<Duration> maxAge,
      String searched,
      boolean anyKind) {
    List<FoundBackup> newestFirst =
        found.stream().sorted(Comparator.comparing(FoundBackup::name).reversed()).toList();
    if (newestFirst.isEmpty()) {
      throw new AgentException(
          ExitCode.NOT_FOUND,
          "no backups found in "
              + searched
              + " (looked for <tier>/backup-<time>Z-<database or dumpall>.sql.gz)");
    }
    if (anyKind) {
      return newestFirst.get(0);
    }
    return switch (from.mode()) {
      case LATEST -> latest(newestFirst, database, now, maxAge);
      case CONTAINING -> containing(newestFirst, from.text(), database);
      case NONE -> throw new IllegalArgumentException("FROM_BACKUP=NONE only lists backups");
    };
  }

  /**
   * The backups of one backup run, for verification: LATEST gives every backup made at the newest
   * time (one per database when several are dumped), a name fragment those it matches, which must
   * all come from one run.
   */
  public static List<FoundBackup> selectRun(
      List<FoundBackup> found,
      FromBackup from,
      Instant now,
      Optional<Duration> maxAge,
      String searched) {
    FoundBackup newest =
        select(found, FromBackup.LATEST, Optional.empty(), now, Optional.empty(), searched, true);
    List<FoundBackup> run;
    if (from.mode() == FromBackup.Mode.LATEST) {
      run = found.stream().filter(b -> b.name().time().equals(newest.name().time())).toList();
      requireFresh(newest, now, maxAge);
    } else {
      run = found.stream().filter(b -> b.name().fileName().contains(from.text())).toList();
      if (run.isEmpty()) {
        throw new AgentException(
            ExitCode.NOT_FOUND,
            "no backup's name contains '" + from.text() + "'; newest found: " + names(found));
      }
      if (run.stream().map(b -> b.name().time()).distinct().count() > 1) {
        throw new AgentException(
            ExitCode.BAD_SETTINGS,
            "FROM_BACKUP="
                + from.text()
                + " matches backups of several runs: "
                + names(run)
                + ": give more of the name");
      }
    }
    return run.stream().sorted(Comparator.comparing(FoundBackup::name)).toList();
  }

  private static FoundBackup latest(
      List<FoundBackup> newestFirst,
      Optional<String> database,
      Instant now,
      Optional<Duration> maxAge) {
    List<FoundBackup> fitting = ofDatabase(fitting(newestFirst, database), database);
    if (fitting.isEmpty()) {
      throw new AgentException(
          ExitCode.NOT_FOUND,
          (database.isEmpty()
                  ? "no dumpall backup among the " + newestFirst.size() + " found"
                  : "no single-database backup among the " + newestFirst.size() + " found")
              + " (newest: "
              + names(newestFirst)
              + "): "
              + kindHint(database));
    }
    FoundBackup newest = fitting.get(0);
    List<FoundBackup> tied =
        fitting.stream().filter(b -> b.name().time().equals(newest.name().time())).toList();
    if (tied.size() > 1) {
      throw new AgentException(
          ExitCode.BAD_SETTINGS,
          "several backups share the newest time: "
              + names(tied)
              + ": set DATABASE to the database to restore, or FROM_BACKUP to the full name of"
              + " the backup");
    }
    requireFresh(newest, now, maxAge);
    return newest;
  }

  private static void requireFresh(FoundBackup newest, Instant now, Optional<Duration> maxAge) {
    Duration age = Duration.between(newest.name().time(), now);
    if (maxAge.isPresent() && age.compareTo(maxAge.get()) > 0) {
      throw new AgentException(
          ExitCode.NOT_FOUND,
          "the newest backup, "
              + newest
              + ", is "
              + BackupListing.age(age)
              + " old: more than LATEST_BACKUP_MAXIMUM_AGE_H="
              + maxAge.get().toHours());
    }
  }

  private static FoundBackup containing(
      List<FoundBackup> newestFirst, String text, Optional<String> database) {
    List<FoundBackup> matches =
        newestFirst.stream().filter(b -> b.name().fileName().contains(text)).toList();
    if (matches.isEmpty()) {
      throw new AgentException(
          ExitCode.NOT_FOUND,
          "no backup's name contains '" + text + "'; newest found: " + names(newestFirst));
    }
    if (matches.size() == 1) {
      FoundBackup only = matches.get(0);
      if (fitting(matches, database).isEmpty()) {
        throw new AgentException(
            ExitCode.BAD_SETTINGS,
            only
                + (only.isDumpall()
                    ? " is a dumpall, but DATABASE="
                        + database.orElse("")
                        + " asks for a single-database restore: unset DATABASE"
                    : " holds one database, but DATABASE is not set: set DATABASE to the"
                        + " database to restore it into"));
      }
      return only;
    }
    List<FoundBackup> narrowed = ofDatabase(fitting(matches, database), database);
    if (narrowed.size() == 1) {
      return narrowed.get(0);
    }
    throw new AgentException(
        ExitCode.BAD_SETTINGS,
        "FROM_BACKUP="
            + text
            + " matches "
            + matches.size()
            + " backups: "
            + names(matches)
            + ": give more of the name");
  }

  /** The backups of the kind the target wants: dumpalls for a server, others for a database. */
  private static List<FoundBackup> fitting(List<FoundBackup> backups, Optional<String> database) {
    return backups.stream().filter(b -> b.isDumpall() == database.isEmpty()).toList();
  }

  /** Backups of the database named DATABASE, when there are any; else all of them. */
  private static List<FoundBackup> ofDatabase(
      List<FoundBackup> backups, Optional<String> database) {
    if (database.isEmpty()) {
      return backups;
    }
    List<FoundBackup> same =
        backups.stream()
            .filter(b -> b.name().label().equals(BackupName.labelOf(database.get())))
            .toList();
    return same.isEmpty() ? backups : same;
  }

  private static String kindHint(Optional<String> database) {
    return database.isEmpty()
        ? "set DATABASE to restore a single-database backup into that database"
        : "unset DATABASE to restore a dumpall into the server";
  }

  static String names(List<FoundBackup> backups) {
    String listed =
        backups.stream().limit(LISTED).map(FoundBackup::toString).collect(Collectors.joining(", "));
    return backups.size() > LISTED
        ? listed + " and " + (backups.size() - LISTED) + " more"
        : listed;
  }
}
