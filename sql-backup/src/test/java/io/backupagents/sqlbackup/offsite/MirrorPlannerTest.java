package io.backupagents.sqlbackup.offsite;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.common.s3.RemoteObject;
import io.backupagents.common.s3.S3Location;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MirrorPlannerTest {

  private static final S3Location WHERE = S3Location.parse("s3://bucket/prod").orElseThrow();
  private static final Instant T0 = Instant.parse("2025-09-10T10:51:05Z");
  private static final MirrorPlanner.Policy POLICY = new MirrorPlanner.Policy(true, 50);
  private static final String A = "hourly/backup-2025-09-10T08:51:00Z-dumpall.sql.gz";
  private static final String B = "hourly/backup-2025-09-10T09:51:00Z-dumpall.sql.gz";
  private static final String C = "hourly/backup-2025-09-10T10:51:00Z-dumpall.sql.gz";
  private static final String A_SUM = "hourly/.backup-2025-09-10T08:51:00Z-dumpall.sql.gz.sha256";
  private static final String B_SUM = "hourly/.backup-2025-09-10T09:51:00Z-dumpall.sql.gz.sha256";
  private static final String C_SUM = "hourly/.backup-2025-09-10T10:51:00Z-dumpall.sql.gz.sha256";

  @Test
  void uploadsWhatIsMissingOrOfAnotherSizeAndSkipsWhatWasStoredAfterTheFileChanged() {
    List<LocalFile> local =
        List.of(file(A, 100, T0), file(B, 200, T0), file(C, 300, T0), file(C_SUM, 90, T0));
    List<RemoteObject> remote =
        List.of(object(A, 100, T0.plusSeconds(30)), object(B, 199, T0.plusSeconds(30)));

    MirrorPlan plan = MirrorPlanner.plan(local, remote, WHERE, POLICY);

    assertThat(plan.uploads()).extracting(LocalFile::relativePath).containsExactly(B, C, C_SUM);
    assertThat(plan.unchanged()).isEqualTo(1);
    assertThat(plan.toVerify()).isEmpty();
    assertThat(plan.deletions()).isEmpty();
    assertThat(plan.refusal()).isEmpty();
  }

  @Test
  void checksTheContentOfASameSizeObjectOlderThanTheFile() {
    MirrorPlan plan =
        MirrorPlanner.plan(
            List.of(file(A, 100, T0)), List.of(object(A, 100, T0.minusSeconds(5))), WHERE, POLICY);
    assertThat(plan.toVerify()).extracting(v -> v.local().relativePath()).containsExactly(A);
    assertThat(plan.uploads()).isEmpty();
  }

  @Test
  void deletesOnlyOurOwnNamesAndLeavesOtherObjectsAlone() {
    List<RemoteObject> remote =
        List.of(
            object(A, 1, T0),
            object(A_SUM, 1, T0),
            object(A + ".sha256", 1, T0),
            object(B, 1, T0),
            object(C, 1, T0),
            object("hourly/notes.txt", 1, T0),
            object("other-prefix-file", 1, T0));
    MirrorPlan plan =
        MirrorPlanner.plan(List.of(file(B, 1, T0), file(C, 1, T0)), remote, WHERE, POLICY);
    assertThat(plan.deletions())
        .extracting(RemoteObject::key)
        .containsExactly("prod/" + A_SUM, "prod/" + A, "prod/" + A + ".sha256");
    assertThat(plan.foreign()).isEqualTo(1); // other-prefix-file is outside prod/
    assertThat(plan.refusal()).isEmpty();
  }

  @Test
  void recordsUnderTheEarlierNameGiveWayToTheCurrentOnes() {
    // The bucket as an earlier version left it; the root after rotation renamed its records.
    List<RemoteObject> remote =
        List.of(
            object(B, 1, T0),
            object(B + ".sha256", 90, T0),
            object("hourly/.hidden-notes", 1, T0),
            object("hourly/.backup-notes.sha256", 1, T0));
    MirrorPlan plan =
        MirrorPlanner.plan(List.of(file(B, 1, T0), file(B_SUM, 90, T0)), remote, WHERE, POLICY);
    assertThat(plan.uploads()).extracting(LocalFile::relativePath).containsExactly(B_SUM);
    assertThat(plan.deletions())
        .extracting(RemoteObject::key)
        .containsExactly("prod/" + B + ".sha256");
    assertThat(plan.foreign()).isEqualTo(2);
    assertThat(plan.refusal()).isEmpty();
  }

  @Test
  void guardRefusesAnyDeletionWhenTheRootHoldsNoBackup() {
    MirrorPlan plan = MirrorPlanner.plan(List.of(), List.of(object(A, 1, T0)), WHERE, POLICY);
    assertThat(plan.refusal())
        .contains(
            "the backup root holds no backup: refusing to delete 1 backups from s3://bucket/prod"
                + " (an empty or unmounted volume must not wipe the off-site copy)");
  }

  @Test
  void guardRefusesDeletingMoreThanTheShareOfRemoteBackups() {
    List<RemoteObject> remote = List.of(object(A, 1, T0), object(B, 1, T0));
    MirrorPlan plan =
        MirrorPlanner.plan(
            List.of(file(C, 1, T0)), remote, WHERE, new MirrorPlanner.Policy(true, 50));
    // Deleting 2 of 3 (the two remote ones and the one uploaded now) is above 50%.
    assertThat(plan.refusal())
        .contains(
            "the mirror would delete 2 of 3 backups in s3://bucket/prod, more than"
                + " BACKUP_S3_MAX_DELETE_PERCENT=50%: refusing; check the backup volume, or raise"
                + " the limit for one run");
    // The usual hourly rotation (one new, one old gone) passes with the default limit.
    MirrorPlan usual =
        MirrorPlanner.plan(List.of(file(B, 1, T0), file(C, 1, T0)), remote, WHERE, POLICY);
    assertThat(usual.refusal()).isEmpty();
    assertThat(usual.deletions()).extracting(RemoteObject::key).containsExactly("prod/" + A);
  }

  @Test
  void deletesNothingWhenDeletionIsOff() {
    MirrorPlan plan =
        MirrorPlanner.plan(
            List.of(file(C, 1, T0)),
            List.of(object(A, 1, T0)),
            WHERE,
            new MirrorPlanner.Policy(false, 50));
    assertThat(plan.deletions()).isEmpty();
    assertThat(plan.refusal()).isEmpty();
  }

  private static LocalFile file(String path, long size, Instant modified) {
    return new LocalFile(path, size, modified);
  }

  private static RemoteObject object(String rel, long size, Instant stored) {
    String key = rel.startsWith("other") ? rel : "prod/" + rel;
    return new RemoteObject(key, size, "\"etag\"", stored, Map.of());
  }
}
