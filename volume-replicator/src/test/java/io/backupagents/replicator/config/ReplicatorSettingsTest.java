package io.backupagents.replicator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backupagents.common.s3.S3Location;
import io.backupagents.common.settings.SettingsException;
import io.backupagents.common.settings.SettingsReader;
import io.backupagents.replicator.VolumeReplicatorAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicatorSettingsTest {

  private static final Map<String, String> S3 =
      Map.of("AWS_ACCESS_KEY_ID", "key", "AWS_SECRET_ACCESS_KEY", "secret");

  private static ReplicatorSettings read(Map<String, String> env) {
    VolumeReplicatorAgent agent = new VolumeReplicatorAgent("UTF-8");
    SettingsReader r = new SettingsReader(env, agent.settings(), agent.ownedPrefixes());
    ReplicatorSettings s = ReplicatorSettings.read(r);
    r.finish();
    return s;
  }

  private static List<String> problems(Map<String, String> env) {
    try {
      read(env);
    } catch (SettingsException e) {
      return e.problems();
    }
    throw new AssertionError("no problems for " + env);
  }

  @Test
  void legacyAtoBCopiesVolumeAToVolumeBWithDeletionsOn() {
    ReplicatorSettings s = read(Map.of("REPLICATE_DIRECTION", "AtoB"));
    assertThat(s.source()).isEqualTo(new Location.Directory(Path.of("/volume-a")));
    assertThat(s.target()).isEqualTo(new Location.Directory(Path.of("/volume-b")));
    assertThat(s.delete()).isTrue();
    assertThat(s.quiet()).isTrue();
    assertThat(s.maxDelete()).isEqualTo(DeleteLimit.ofPercent(50));
    assertThat(s.checkers()).isEqualTo(8);
    assertThat(s.transfers()).isEqualTo(4);
    assertThat(s.targetName()).isEqualTo("volume-b");
  }

  @Test
  void legacyBtoAWithOverriddenVolumesAndYamlFalse() {
    ReplicatorSettings s =
        read(
            Map.of(
                "REPLICATE_DIRECTION", "BtoA",
                "VOLUME_A_DIR", "/data/a",
                "VOLUME_B_DIR", "/data/b",
                "REPLICATE_DELETE", "no",
                "REPLICATE_QUIETLY", "false"));
    assertThat(s.source()).isEqualTo(new Location.Directory(Path.of("/data/b")));
    assertThat(s.target()).isEqualTo(new Location.Directory(Path.of("/data/a")));
    assertThat(s.delete()).isFalse();
    assertThat(s.quiet()).isFalse();
  }

  @Test
  void useRclonePushesVolumeBToTheBucketUnderTheDayDirectory() {
    Map<String, String> env = new HashMap<>(S3);
    env.putAll(
        Map.of(
            "REPLICATE_DIRECTION", "BtoA",
            "USE_RCLONE", "yes",
            "S3_BUCKET_NAME", "media",
            "USE_DOW_FOR_RCLONE", "yes",
            "USE_FIRST_OF_MONTH_FOR_RCLONE", "yes",
            "RCLONE_S3_ENDPOINT", "https://rgw.example.org",
            "RCLONE_S3_PROVIDER", "Ceph",
            "USE_RCLONE_NO_CHECK_CERTIFICATE", "yes"));
    ReplicatorSettings s = read(env);
    assertThat(s.source()).isEqualTo(new Location.Directory(Path.of("/volume-b")));
    assertThat(s.target()).isEqualTo(new Location.Bucket(new S3Location("media", "")));
    assertThat(s.target().resolve(s.day().forDate(LocalDate.of(2025, 3, 14))).toString())
        .isEqualTo("s3://media/5-Friday");
    assertThat(s.target().resolve(s.day().forDate(LocalDate.of(2025, 3, 1))).toString())
        .isEqualTo("s3://media/First-Of-Month");
    assertThat(s.s3().orElseThrow().pathStyle()).isTrue();
    assertThat(s.s3().orElseThrow().verifyTls()).isFalse();
    assertThat(s.s3().orElseThrow().endpoint().orElseThrow())
        .hasToString("https://rgw.example.org");
    assertThat(s.checkers()).isEqualTo(32);
    assertThat(s.transfers()).isEqualTo(32);
    assertThat(s.targetName()).isEqualTo("s3-media");
  }

  @Test
  void rcloneExtraOptionsMapOntoTheSettings() {
    Map<String, String> env = new HashMap<>(S3);
    env.putAll(
        Map.of(
            "REPLICATE_DIRECTION", "BtoA",
            "USE_RCLONE", "yes",
            "S3_BUCKET_NAME", "media",
            "RCLONE_EXTRA_OPTIONS", "--bwlimit 10M --transfers=8 --checkers 16 --dry-run"));
    ReplicatorSettings s = read(env);
    assertThat(s.bandwidthLimit()).hasValue(10L << 20);
    assertThat(s.transfers()).isEqualTo(8);
    assertThat(s.checkers()).isEqualTo(16);
    assertThat(s.dryRun()).isTrue();
  }

  @Test
  void volumeAIsS3ReadsTheBucketDirectlyWithTheS3fsEndpointAndStyle() {
    Map<String, String> env = new HashMap<>(S3);
    env.putAll(
        Map.of(
            "REPLICATE_DIRECTION", "AtoB",
            "VOLUME_A_IS_S3", "yes",
            "S3_BUCKET_NAME", "media",
            "AWS_ENDPOINTS", "https://s3.example.org",
            "S3_REQUEST_STYLE", "path"));
    ReplicatorSettings s = read(env);
    assertThat(s.source()).isEqualTo(new Location.Bucket(new S3Location("media", "")));
    assertThat(s.target()).isEqualTo(new Location.Directory(Path.of("/volume-b")));
    assertThat(s.s3().orElseThrow().endpoint().orElseThrow()).hasToString("https://s3.example.org");
    assertThat(s.s3().orElseThrow().pathStyle()).isTrue();
  }

  @Test
  void newStyleSettingsWithShardFromTheIndexedJob() {
    ReplicatorSettings s =
        read(
            Map.of(
                "REPLICATE_SOURCE", "/media",
                "REPLICATE_TARGET", "/mnt/nfs/media",
                "REPLICATE_EXCLUDE", "*.tmp,cache/",
                "REPLICATE_MTIME_WINDOW", "2s",
                "MAX_DELETE", "1000",
                "SHARD_COUNT", "4",
                "JOB_COMPLETION_INDEX", "3"));
    assertThat(s.shard()).isEqualTo(new Shard(3, 4));
    assertThat(s.mtimeWindow()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.maxDelete()).isEqualTo(DeleteLimit.ofCount(1000));
    assertThat(s.filter().excludes("a/b.tmp", false)).isTrue();
    assertThat(s.filter().excludes("x/cache", true)).isTrue();
    assertThat(s.filter().excludes("x/cache", false)).isFalse();
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertThat(
            problems(
                Map.of(
                    "REPLICATE_DIRECTION", "sideways",
                    "REPLICATE_DELETE", "maybe",
                    "MAX_DELETE", "lots",
                    "SHARD_COUNT", "2",
                    "RCLONE_EXTRA_OPTIONS", "--fast-list --transfers x",
                    "REPLICATE_TRANFERS", "8")))
        .containsExactlyInAnyOrder(
            "RCLONE_EXTRA_OPTIONS: --fast-list is not supported (only --bwlimit, --transfers,"
                + " --checkers, --dry-run are; use the REPLICATE_* settings for the rest)",
            "RCLONE_EXTRA_OPTIONS: --transfers x: expected a number from 1 to 1024",
            "REPLICATE_DIRECTION=sideways: expected one of atob, btoa",
            "REPLICATE_DELETE=maybe: expected yes or no",
            "MAX_DELETE=lots: expected a number of files such as 1000 or a percentage such as 50%",
            "SHARD_COUNT=2 needs SHARD_INDEX (or an Indexed Job's JOB_COMPLETION_INDEX)",
            "unknown variable REPLICATE_TRANFERS; did you mean REPLICATE_TRANSFERS?");
  }

  @Test
  void missingDirectionAndMixedStylesAreRefused() {
    assertThat(problems(Map.of()))
        .containsExactly(
            "REPLICATE_DIRECTION is required (AtoB or BtoA), unless REPLICATE_SOURCE and"
                + " REPLICATE_TARGET are set");
    assertThat(
            problems(
                Map.of(
                    "REPLICATE_DIRECTION", "AtoB",
                    "REPLICATE_SOURCE", "/a")))
        .containsExactlyInAnyOrder(
            "REPLICATE_DIRECTION cannot be combined with REPLICATE_SOURCE/REPLICATE_TARGET: use"
                + " one style",
            "REPLICATE_TARGET is required with the other of REPLICATE_SOURCE/REPLICATE_TARGET");
  }

  @Test
  void s3LegacyVariablesNeedTheirCompanions() {
    assertThat(problems(Map.of("REPLICATE_DIRECTION", "AtoB", "USE_RCLONE", "yes")))
        .containsExactlyInAnyOrder(
            "S3_BUCKET_NAME is required with USE_RCLONE=yes",
            "USE_RCLONE=yes pushes volume B to S3 and needs REPLICATE_DIRECTION=BtoA (to pull"
                + " from S3, set REPLICATE_SOURCE=s3://... and REPLICATE_TARGET)",
            "S3_ACCESS_KEY_ID is required when the source or the target is in S3",
            "S3_SECRET_ACCESS_KEY is required when the source or the target is in S3");
    assertThat(
            problems(
                Map.of(
                    "REPLICATE_DIRECTION", "AtoB",
                    "USE_DOW_FOR_RCLONE", "yes",
                    "AWS_ENDPOINTS", "https://x.example.org",
                    "S3_BUCKET_NAME", "media")))
        .containsExactlyInAnyOrder(
            "S3_BUCKET_NAME is set but neither USE_RCLONE nor VOLUME_A_IS_S3 is yes",
            "AWS_ENDPOINTS is only used with VOLUME_A_IS_S3=yes: remove it or set S3_ENDPOINT",
            "USE_DOW_FOR_RCLONE and USE_FIRST_OF_MONTH_FOR_RCLONE need an S3 target"
                + " (USE_RCLONE=yes or REPLICATE_TARGET=s3://...)");
  }

  @Test
  void aRefusedLocationSaysWhy() {
    assertThat(problems(Map.of("REPLICATE_SOURCE", "media", "REPLICATE_TARGET", "s3://b1/media")))
        .containsExactlyInAnyOrder(
            "REPLICATE_SOURCE=media: expected an absolute directory path or s3://bucket/prefix",
            "REPLICATE_TARGET=s3://b1/media: expected s3://bucket/prefix with a bucket name of 3"
                + " to 63 lower-case letters, digits, dots and hyphens, and no empty segment (//)"
                + " in the path",
            // A bucket was meant: its other settings are checked in the same run.
            "S3_ACCESS_KEY_ID is required when the source or the target is in S3",
            "S3_SECRET_ACCESS_KEY is required when the source or the target is in S3");
  }

  @Test
  void overlappingLocationsAreRefused() {
    assertThat(problems(Map.of("REPLICATE_SOURCE", "/media", "REPLICATE_TARGET", "/media/copy")))
        .containsExactly(
            "the source /media and the target /media/copy overlap: one must not lie inside the"
                + " other");
  }

  @Test
  void locationsThatOverlapThroughASymlinkAreRefusedToo(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path source = Files.createDirectories(dir.resolve("src"));
    Path target = Files.createDirectories(dir.resolve("tgt/inner"));
    Files.createSymbolicLink(dir.resolve("link-to-src"), source);
    Files.createSymbolicLink(dir.resolve("link-to-inner"), target);

    // A target inside the source, reached through a link (the copy would nest in every run).
    assertThat(
            problems(
                Map.of(
                    "REPLICATE_SOURCE", source.toString(),
                    "REPLICATE_TARGET", dir.resolve("link-to-src/backup").toString())))
        .singleElement()
        .asString()
        .contains("overlap: one must not lie inside the other");
    // A source inside the target, reached through a link (the run would delete the source).
    assertThat(
            problems(
                Map.of(
                    "REPLICATE_SOURCE", dir.resolve("link-to-inner").toString(),
                    "REPLICATE_TARGET", dir.resolve("tgt").toString())))
        .singleElement()
        .asString()
        .contains("overlap");
    assertThat(
            read(Map.of(
                    "REPLICATE_SOURCE", source.toString(),
                    "REPLICATE_TARGET", dir.resolve("tgt").toString()))
                .source()
                .toString())
        .isEqualTo(source.toString());
  }

  @Test
  void aNonUtf8LocaleIsRefusedForDirectories() {
    VolumeReplicatorAgent agent = new VolumeReplicatorAgent("ANSI_X3.4-1968");
    SettingsReader r =
        new SettingsReader(
            Map.of("REPLICATE_DIRECTION", "AtoB"), agent.settings(), agent.ownedPrefixes());
    agent.configure(r, List.of());
    assertThatThrownBy(r::finish)
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining(
            "file names would be decoded as ANSI_X3.4-1968, which mangles non-ASCII names: run"
                + " with LANG=C.UTF-8");
  }
}
