package io.backupagents.replicator.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.backupagents.common.exit.AgentException;
import io.backupagents.replicator.config.PathFilter;
import io.backupagents.replicator.config.Shard;
import io.backupagents.replicator.model.Entry;
import io.backupagents.replicator.scan.DirectoryScanner;
import io.backupagents.replicator.scan.Listing;
import io.backupagents.replicator.scan.ScanEvents;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SyncPlannerTest {

  private static final PlanRules DIRECTORY =
      new PlanRules(true, true, 0, false, false, Shard.WHOLE);

  private FileSystem fs;
  private Path source;
  private Path target;

  @BeforeEach
  void trees() throws IOException {
    fs =
        Jimfs.newFileSystem(
            Configuration.unix().toBuilder()
                .setAttributeViews("basic", "owner", "posix", "unix")
                .build());
    source = Files.createDirectories(fs.getPath("/source"));
    target = Files.createDirectories(fs.getPath("/target"));
  }

  @AfterEach
  void close() throws IOException {
    fs.close();
  }

  private static void file(Path root, String path, String content, long mtimeSeconds)
      throws IOException {
    Path p = root.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    Files.setLastModifiedTime(p, FileTime.from(mtimeSeconds, TimeUnit.SECONDS));
  }

  private List<Action> plan(PlanRules rules) {
    List<Action> actions = new ArrayList<>();
    try (Listing s =
            new DirectoryScanner(source, PathFilter.defaults(), 4, ScanEvents.IGNORE).open("s");
        Listing t =
            new DirectoryScanner(target, PathFilter.defaults(), 4, ScanEvents.IGNORE).open("t")) {
      new SyncPlanner(rules).plan(s, t, actions::add);
    }
    return actions;
  }

  private static List<String> describe(List<Action> actions) {
    return actions.stream().map(SyncPlannerTest::describe).toList();
  }

  private static String describe(Action a) {
    String name = a.getClass().getSimpleName();
    return switch (a) {
      case Action.Check c -> name + " " + c.kind() + " " + a.subject().key();
      case Action.FinishDirectory f ->
          name + (f.changedInside() ? " changed " : " ") + a.subject().key();
      default -> name + " " + a.subject().key();
    };
  }

  @Test
  void newChangedAndUnchangedFilesAreTellApartBySizeAndTime() throws IOException {
    file(source, "same.jpg", "aaaa", 1000);
    file(target, "same.jpg", "bbbb", 1000);
    file(source, "newer.jpg", "aaaa", 2000);
    file(target, "newer.jpg", "aaaa", 1000);
    file(source, "longer.jpg", "aaaaa", 1000);
    file(target, "longer.jpg", "aaaa", 1000);
    file(source, "new.jpg", "x", 1000);

    assertThat(describe(plan(DIRECTORY)))
        .containsExactly(
            "MakeDirectory ",
            "Copy longer.jpg",
            "Copy new.jpg",
            "Copy newer.jpg",
            "Unchanged same.jpg",
            "FinishDirectory changed ");
  }

  @Test
  void aDirectoryComesRightBeforeItsContentsAndAfterSiblingsThatSortLower() throws IOException {
    for (Path root : List.of(source, target)) {
      file(root, "a.txt", "1", 1000);
      file(root, "a/x", "2", 1000);
      file(root, "a-b", "3", 1000);
      Files.setLastModifiedTime(root.resolve("a"), FileTime.from(5, TimeUnit.SECONDS));
      Files.setLastModifiedTime(root, FileTime.from(5, TimeUnit.SECONDS));
    }
    List<Action> actions = plan(DIRECTORY);
    assertThat(actions.stream().map(a -> a.subject().key()).toList())
        .containsExactly("", "a-b", "a.txt", "a/", "a/x");
    assertThat(actions).noneMatch(a -> a instanceof Action.Delete || a instanceof Action.Copy);
  }

  @Test
  void extraneousEntriesAreDeletedOnlyWhenDeletionIsOn() throws IOException {
    file(source, "keep.jpg", "1", 1000);
    file(target, "keep.jpg", "1", 1000);
    file(target, "old/gone.jpg", "2", 1000);
    file(target, "gone.jpg", "3", 1000);

    List<Action> on = plan(DIRECTORY);
    assertThat(describe(on))
        .contains(
            "Delete gone.jpg", "Delete old/", "Delete old/gone.jpg", "FinishDirectory changed ");
    List<Action> off = plan(new PlanRules(true, false, 0, false, false, Shard.WHOLE));
    assertThat(off).noneMatch(a -> a instanceof Action.Delete);
  }

  @Test
  void theGuardCountsComeWithThePlan() throws IOException {
    file(source, "a", "1", 1000);
    file(target, "a", "1", 1000);
    file(target, "b", "1", 1000);
    file(target, "c/d", "1", 1000);
    try (Listing s =
            new DirectoryScanner(source, PathFilter.defaults(), 2, ScanEvents.IGNORE).open("s");
        Listing t =
            new DirectoryScanner(target, PathFilter.defaults(), 2, ScanEvents.IGNORE).open("t")) {
      PlanTotals totals = new SyncPlanner(DIRECTORY).plan(s, t, a -> {});
      assertThat(totals).isEqualTo(new PlanTotals(1, 3, 2));
    }
  }

  @Test
  void onlyDirectoriesWithChangesOrDifferentAttributesAreFinished() throws IOException {
    for (Path root : List.of(source, target)) {
      file(root, "quiet/a", "1", 1000);
      file(root, "busy/a", "1", 1000);
      Files.setLastModifiedTime(root.resolve("quiet"), FileTime.from(5, TimeUnit.SECONDS));
      Files.setLastModifiedTime(root.resolve("busy"), FileTime.from(5, TimeUnit.SECONDS));
      Files.setLastModifiedTime(root, FileTime.from(5, TimeUnit.SECONDS));
    }
    file(source, "busy/b", "new", 1000);
    Files.setLastModifiedTime(source.resolve("busy"), FileTime.from(5, TimeUnit.SECONDS));
    assertThat(describe(plan(DIRECTORY)))
        .containsExactly(
            "MakeDirectory ",
            "MakeDirectory busy/",
            "Unchanged busy/a",
            "Copy busy/b",
            "FinishDirectory changed busy/",
            "MakeDirectory quiet/",
            "Unchanged quiet/a");
  }

  @Test
  void staleTemporaryFilesAreRemovedWhileLookalikesInTheSourceAreCopied() throws IOException {
    file(source, "photo.jpg", "1", 1000);
    file(source, ".vr-tmp-real.jpg.0badf00d", "user data", 1000);
    file(target, ".vr-tmp-photo.jpg.deadbeef", "partial", 1000);
    assertThat(describe(plan(new PlanRules(true, false, 0, false, false, Shard.WHOLE))))
        .contains(
            "Copy .vr-tmp-real.jpg.0badf00d",
            "RemoveTemp .vr-tmp-photo.jpg.deadbeef",
            "Copy photo.jpg");
  }

  @Test
  void otherToolsTemporaryNamesAreUserFilesKeptWhenDeletionIsOff() throws IOException {
    file(source, "photo.jpg", "1", 1000);
    file(target, ".tmp-photo.jpg.deadbeef", "someone else's", 1000);
    assertThat(describe(plan(new PlanRules(true, false, 0, false, false, Shard.WHOLE))))
        .contains("Copy photo.jpg")
        .noneMatch(action -> action.contains(".tmp-photo.jpg.deadbeef"));
  }

  @Test
  void checksumModeAndTheTimeWindowChangeTheComparison() throws IOException {
    file(source, "a", "1", 1000);
    file(target, "a", "2", 1001);
    assertThat(describe(plan(new PlanRules(true, true, 0, true, false, Shard.WHOLE))))
        .contains("Check CONTENT a");
    assertThat(describe(plan(new PlanRules(true, true, 1_000_000_000L, false, false, Shard.WHOLE))))
        .contains("Unchanged a");
    assertThat(describe(plan(DIRECTORY))).contains("Copy a");
  }

  @Test
  void modeDifferencesAreFixedInPlace() throws IOException {
    file(source, "a", "1", 1000);
    file(target, "a", "1", 1000);
    Files.setAttribute(
        source.resolve("a"),
        "posix:permissions",
        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    assertThat(describe(plan(DIRECTORY))).contains("FixAttributes a");
  }

  @Test
  void symlinksAreComparedByTheirTextAndNeverFollowed() throws IOException {
    Files.createDirectories(source.resolve("real"));
    file(source, "real/inside", "1", 1000);
    Files.createSymbolicLink(source.resolve("link"), fs.getPath("real"));
    Files.createSymbolicLink(target.resolve("link"), fs.getPath("elsewhere"));
    List<String> actions = describe(plan(DIRECTORY));
    assertThat(actions).contains("Link link").doesNotContain("Copy link/inside");
  }

  @Test
  void s3TargetsGetFilesOnlyAndAskForUnknownTimes() {
    List<Entry> src =
        List.of(
            Entry.directory("", 0, 0755, 0, 0),
            Entry.file("a", 1, 5, 0644, 0, 0),
            Entry.symlink("b", "a", 5, 0, 0),
            Entry.directory("d/", 0, 0755, 0, 0),
            Entry.file("d/e", 2, 5, 0644, 0, 0),
            Entry.file("f", 3, 5, 0644, 0, 0));
    List<Entry> tgt =
        List.of(
            Entry.object("a", 1, Entry.UNKNOWN_TIME, "e1"),
            Entry.object("d/e", 2, 5, "e2"),
            Entry.object("f", 3, 6, "e3"),
            Entry.object("z", 1, 5, "e4"));
    List<Action> actions = new ArrayList<>();
    new SyncPlanner(new PlanRules(false, true, 0, false, false, Shard.WHOLE))
        .plan(src.iterator(), tgt.iterator(), actions::add);
    assertThat(describe(actions))
        .containsExactly(
            "Check METADATA a", "Skip b", "Unchanged d/e", "Check TIME_ONLY f", "Delete z");
  }

  @Test
  void specialFilesAreSkippedAndWhatTheTargetHasUnderTheirNameIsKept() {
    List<Entry> src = List.of(new Entry("fifo", Entry.Kind.SPECIAL, 0, 5, 0644, 0, 0, null, null));
    List<Entry> tgt = List.of(Entry.file("fifo", 1, 5, 0644, 0, 0));
    List<Action> actions = new ArrayList<>();
    new SyncPlanner(DIRECTORY).plan(src.iterator(), tgt.iterator(), actions::add);
    assertThat(describe(actions)).containsExactly("Skip fifo");
  }

  @Test
  void anOutOfOrderListingStopsThePlanBeforeAnyDeletion() {
    List<Entry> src = List.of(Entry.file("b", 1, 5, 0644, 0, 0), Entry.file("a", 1, 5, 0644, 0, 0));
    List<Action> actions = new ArrayList<>();
    assertThatThrownBy(
            () ->
                new SyncPlanner(DIRECTORY)
                    .plan(
                        new io.backupagents.replicator.scan.OrderCheck(src.iterator(), "source"),
                        List.<Entry>of(Entry.file("c", 1, 5, 0644, 0, 0)).iterator(),
                        actions::add))
        .isInstanceOf(AgentException.class)
        .hasMessage(
            "the source listing is out of order at 'a' after 'b': stopping before anything is"
                + " deleted");
    assertThat(actions).noneMatch(a -> a instanceof Action.Delete);
  }

  @Test
  void shardsPlanDisjointPartsThatTogetherMakeTheWholePlan() throws IOException {
    for (int i = 0; i < 60; i++) {
      file(source, "d" + (i % 5) + "/f" + i, "x" + i, 1000);
      if (i % 3 == 0) {
        file(target, "d" + (i % 5) + "/old" + i, "y", 1000);
      }
    }
    Set<String> whole = new HashSet<>(fileWork(plan(DIRECTORY)));
    Set<String> union = new HashSet<>();
    int total = 0;
    for (int s = 0; s < 3; s++) {
      List<String> part =
          fileWork(plan(new PlanRules(true, true, 0, false, false, new Shard(s, 3))));
      total += part.size();
      union.addAll(part);
    }
    assertThat(union).isEqualTo(whole);
    assertThat(total).isEqualTo(whole.size());
    assertThat(whole).hasSize(80);
  }

  private static List<String> fileWork(List<Action> actions) {
    return actions.stream()
        .filter(a -> !a.subject().isDirectory())
        .filter(a -> a instanceof Action.Copy || a instanceof Action.Delete)
        .map(SyncPlannerTest::describe)
        .toList();
  }
}
