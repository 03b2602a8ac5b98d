package io.backupagents.common.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class SettingsReaderTest {

  enum Demo implements SettingDefinition {
    BACKUP_COUNT(Setting.of("BACKUP_COUNT", "24", "how many to keep")),
    BACKUP_TYPE(Setting.of("BACKUP_TYPE", "hourly", "tier")),
    BACKUP_PASSWORD(
        Setting.of("BACKUP_PASSWORD", null, "password").asSecret().withAliases("PGADMINPASS")),
    BACKUP_QUIET(Setting.of("BACKUP_QUIET", "yes", "no per-file output")),
    BACKUP_PART(Setting.of("BACKUP_PART", "16M", "part size"));

    private final Setting setting;

    Demo(Setting setting) {
      this.setting = setting;
    }

    @Override
    public Setting setting() {
      return setting;
    }
  }

  enum Tier {
    HOURLY,
    DAILY
  }

  private static SettingsReader reader(Map<String, String> env) {
    return new SettingsReader(env, List.of(Demo.values()), List.of("BACKUP_"));
  }

  @Test
  void aCheckStillRunningIsWaitedForAndListedWhenOtherSettingsAreBad() {
    SettingsReader r = reader(Map.of("BACKUP_COUNT", "0"));
    r.checkMeanwhile(
        "BACKUP_PASSWORD",
        () -> {
          sleep(200);
          throw new SettingsException(List.of("BACKUP_PASSWORD: too short"));
        });
    r.integer(Demo.BACKUP_COUNT, 1, 100);

    assertThat(problemsOfFinish(r))
        .containsExactly(
            "BACKUP_COUNT=0: expected a whole number from 1 to 100", "BACKUP_PASSWORD: too short");
  }

  @Test
  @Timeout(10) // finish() waiting for the check would hang on the latch: fail instead
  void withNoOtherProblemACheckGoesOnWhileTheRunStartsAndTellsItsProblemsWhenAsked()
      throws Exception {
    SettingsReader r = reader(Map.of());
    CountDownLatch release = new CountDownLatch(1);
    PendingCheck<String> check =
        r.checkMeanwhile(
            "BACKUP_PASSWORD",
            () -> {
              await(release);
              throw new SettingsException(List.of("BACKUP_PASSWORD: too short"));
            });

    r.finish(); // does not wait for the check, which cannot end before the latch is released
    release.countDown();

    assertThat(r.pendingProblems()).containsExactly("BACKUP_PASSWORD: too short");
    assertThatThrownBy(check::get)
        .isInstanceOfSatisfying(
            SettingsException.class,
            e -> assertThat(e.problems()).containsExactly("BACKUP_PASSWORD: too short"));
  }

  @Test
  void aPassingCheckGivesItsValueAndNoProblem() {
    SettingsReader r = reader(Map.of());
    PendingCheck<String> check = r.checkMeanwhile("BACKUP_PASSWORD", () -> "checked");

    r.finish();

    assertThat(check.get()).isEqualTo("checked");
    assertThat(r.pendingProblems()).isEmpty();
  }

  @Test
  void aCheckThatBreaksIsAProblemNamingTheSetting() {
    SettingsReader r = reader(Map.of("BACKUP_COUNT", "0"));
    PendingCheck<Object> check =
        r.checkMeanwhile(
            "BACKUP_PASSWORD_FILE",
            () -> {
              throw new IllegalStateException("unreadable");
            });
    r.integer(Demo.BACKUP_COUNT, 1, 100);

    assertThat(problemsOfFinish(r))
        .contains(
            "BACKUP_PASSWORD_FILE could not be checked:"
                + " java.lang.IllegalStateException: unreadable");
    assertThatThrownBy(check::get)
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("BACKUP_PASSWORD_FILE could not be checked");
  }

  private static List<String> problemsOfFinish(SettingsReader r) {
    try {
      r.finish();
    } catch (SettingsException e) {
      return e.problems();
    }
    throw new AssertionError("finish() reported no problem");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void secretFromFileWinsOverPlainValueAndIsMaskedInDump(@TempDir Path dir) throws Exception {
    Path secret = dir.resolve("password");
    Files.writeString(secret, "from-file-s3cret\n");
    SettingsReader r =
        reader(
            Map.of("BACKUP_PASSWORD", "plain-s3cret", "BACKUP_PASSWORD_FILE", secret.toString()));

    assertThat(r.optional(Demo.BACKUP_PASSWORD)).contains("from-file-s3cret");
    r.finish();
    assertThat(r.dump())
        .contains("BACKUP_PASSWORD=****** (from BACKUP_PASSWORD_FILE)")
        .noneMatch(line -> line.contains("s3cret"));
  }

  @Test
  void dumpShowsTheSettingsTheRunReadAndMarksThoseSetButNotRead() {
    SettingsReader r =
        reader(Map.of("BACKUP_TYPE", "daily", "BACKUP_PART", "8M", "PGADMINPASS", "s3cret"));

    r.integer(Demo.BACKUP_COUNT, 1, 100);
    r.string(Demo.BACKUP_TYPE);
    r.finish();

    // Read: with the value or the default. Set, not read: marked. Neither: left out.
    assertThat(r.dump())
        .containsExactly(
            "BACKUP_COUNT=24 (default)",
            "BACKUP_TYPE=daily",
            "BACKUP_PASSWORD=****** (from PGADMINPASS) (set, not used by this run)",
            "BACKUP_PART=8M (set, not used by this run)");
  }

  @Test
  void anEmptySecretFileIsASettingsProblemNotAMissingPassword(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("password"), "\n");
    SettingsReader r = reader(Map.of("PGADMINPASS_FILE", empty.toString()));

    assertThat(r.optional(Demo.BACKUP_PASSWORD)).isEmpty();
    assertThatThrownBy(r::finish)
        .hasMessageContaining(
            "PGADMINPASS_FILE="
                + empty
                + ": expected a file holding the secret,"
                + " but it is empty");
  }

  @Test
  void aBinarySecretFileSaysItIsNotText(@TempDir Path dir) throws Exception {
    // As gpg --export (without --armor) writes a key: not UTF-8.
    Path binary = Files.write(dir.resolve("key.gpg"), new byte[] {(byte) 0x99, 0x01, (byte) 0xff});
    SettingsReader r = reader(Map.of("PGADMINPASS_FILE", binary.toString()));

    assertThat(r.optional(Demo.BACKUP_PASSWORD)).isEmpty();
    assertThatThrownBy(r::finish)
        .hasMessageContaining(
            "PGADMINPASS_FILE="
                + binary
                + ": expected a text file (UTF-8), but it holds binary data (an OpenPGP key must"
                + " be exported armored");
  }

  @Test
  void aVariableOneTypoAwayFromASettingIsNamedWithoutItsValue() {
    SettingsReader r = reader(Map.of("PGADMINPAS", "s3cret", "HOME", "/root", "PGADMINPASS2", "x"));

    assertThat(r.nearMisses())
        .containsExactly(
            "PGADMINPAS is set but is no setting of this agent: did you mean PGADMINPASS?",
            "PGADMINPASS2 is set but is no setting of this agent: did you mean PGADMINPASS?")
        .noneMatch(line -> line.contains("s3cret"));
  }

  @Test
  void valuesLoseTheSpacesAroundThemButSecretsAreTakenAsGiven() {
    SettingsReader r = reader(Map.of("BACKUP_TYPE", " daily \t", "PGADMINPASS", " pass word "));

    assertThat(r.string(Demo.BACKUP_TYPE)).isEqualTo("daily");
    assertThat(r.optional(Demo.BACKUP_PASSWORD)).contains(" pass word ");
  }

  @Test
  void aUrlWithAPasswordInItIsRefusedAndNeverShown() {
    SettingsReader r =
        reader(Map.of("BACKUP_TYPE", "https://user:pa55-s3cret@push.example.org:9091/x"));

    assertThat(r.uri(Demo.BACKUP_TYPE)).isEmpty();
    assertThatThrownBy(r::finish)
        .hasMessageContaining(
            "BACKUP_TYPE=https://******@push.example.org:9091/x: expected a URL without a user or"
                + " password in it")
        .hasMessageNotContaining("s3cret");
    assertThat(r.dump()).noneMatch(line -> line.contains("s3cret"));
    // Passwords with a slash or an at sign, which a URL parser may not even accept.
    for (String url : List.of("https://u:pa/55-s3cret@h.example.org", "https://u:p@55-s3cret@h")) {
      SettingsReader odd = reader(Map.of("BACKUP_TYPE", url));
      odd.uri(Demo.BACKUP_TYPE);
      assertThatThrownBy(odd::finish).hasMessageNotContaining("s3cret");
    }
  }

  @Test
  void legacyAliasSuppliesTheValueAndItsFileFormWorksToo(@TempDir Path dir) throws Exception {
    Path secret = dir.resolve("legacy");
    Files.writeString(secret, "legacy-pw");
    assertThat(reader(Map.of("PGADMINPASS", "x")).optional(Demo.BACKUP_PASSWORD)).contains("x");
    assertThat(reader(Map.of("PGADMINPASS_FILE", secret.toString())).optional(Demo.BACKUP_PASSWORD))
        .contains("legacy-pw");
  }

  @Test
  void tellsWhichVariableSuppliedTheValue() {
    assertThat(reader(Map.of("PGADMINPASS", "x")).source(Demo.BACKUP_PASSWORD))
        .contains("PGADMINPASS");
    assertThat(reader(Map.of("BACKUP_PASSWORD", "x")).source(Demo.BACKUP_PASSWORD))
        .contains("BACKUP_PASSWORD");
    assertThat(reader(Map.of()).source(Demo.BACKUP_COUNT)).isEmpty();
  }

  @Test
  void aProblemFoundTwiceIsReportedOnce() {
    SettingsReader r = reader(Map.of("BACKUP_COUNT", "abc"));
    r.integer(Demo.BACKUP_COUNT, 1, 10_000);
    r.integer(Demo.BACKUP_COUNT, 1, 10_000); // two parts of an agent read the same setting
    assertThatThrownBy(r::finish)
        .hasMessage(
            """
            invalid settings (1 problem)
              - BACKUP_COUNT=abc: expected a whole number from 1 to 10000""");
  }

  @Test
  void reportsEveryProblemAtOnceWithVariableValueAndExpectedForm() {
    SettingsReader r =
        reader(
            Map.of(
                "BACKUP_COUNT", "abc",
                "BACKUP_TYPE", "hour",
                "BACKUP_QUIET", "maybe",
                "BACKUP_CUONT", "7",
                "BACKUP_PASSWORD_FILE", "/nonexistent/secret"));
    r.integer(Demo.BACKUP_COUNT, 1, 10_000);
    r.choice(Demo.BACKUP_TYPE, Tier.class);
    r.flag(Demo.BACKUP_QUIET);
    r.optional(Demo.BACKUP_PASSWORD);

    assertThatThrownBy(r::finish)
        .isInstanceOf(SettingsException.class)
        .hasMessage(
            """
            invalid settings (5 problems)
              - BACKUP_COUNT=abc: expected a whole number from 1 to 10000
              - BACKUP_TYPE=hour: expected one of hourly, daily
              - BACKUP_QUIET=maybe: expected yes or no
              - BACKUP_PASSWORD_FILE=/nonexistent/secret: expected a readable file holding the secret (NoSuchFileException)
              - unknown variable BACKUP_CUONT; did you mean BACKUP_COUNT?""");
  }

  @Test
  void unknownVariableOutsideOwnPrefixesOrAKubernetesServiceLinkIsIgnored() {
    SettingsReader r =
        reader(
            Map.of(
                "HOME", "/root",
                "BACKUP_SERVICE_HOST", "10.0.0.1",
                "BACKUP_PORT_5432_TCP_ADDR", "10.0.0.1",
                "BACKUP_ZZZZZZZZZZZZZZZZ", "1"));
    assertThatThrownBy(r::finish)
        .hasMessageEndingWith("- unknown variable BACKUP_ZZZZZZZZZZZZZZZZ")
        .hasMessageStartingWith("invalid settings (1 problem)");
  }

  @Test
  void newAndLegacyNamesWithDifferentValuesAreAConflict() {
    SettingsReader r = reader(Map.of("BACKUP_PASSWORD", "a", "PGADMINPASS", "b"));
    r.optional(Demo.BACKUP_PASSWORD);
    assertThatThrownBy(r::finish)
        .hasMessageContaining(
            "BACKUP_PASSWORD and PGADMINPASS are both set, to different values: keep one");
  }

  @Test
  void yamlBooleansSizesAndDefaultsAreParsed() {
    SettingsReader r = reader(Map.of("BACKUP_QUIET", "false", "BACKUP_PART", "5MiB"));
    assertThat(r.flag(Demo.BACKUP_QUIET)).isFalse();
    assertThat(r.bytes(Demo.BACKUP_PART, 1, Long.MAX_VALUE)).isEqualTo(5L << 20);
    assertThat(r.integer(Demo.BACKUP_COUNT, 1, 100)).isEqualTo(24);
    assertThat(r.choice(Demo.BACKUP_TYPE, Tier.class)).isEqualTo(Tier.HOURLY);
    r.finish();
  }

  @Test
  void blankValueCountsAsUnset() {
    SettingsReader r = reader(Map.of("BACKUP_COUNT", ""));
    assertThat(r.isSet(Demo.BACKUP_COUNT)).isFalse();
    assertThat(r.integer(Demo.BACKUP_COUNT, 1, 100)).isEqualTo(24);
  }

  @Test
  void durationsAcceptUnitsAndIso() {
    assertThat(SettingsReader.parseDuration("90s")).hasSeconds(90);
    assertThat(SettingsReader.parseDuration("15m")).hasMinutes(15);
    assertThat(SettingsReader.parseDuration("PT2H")).hasHours(2);
    assertThat(SettingsReader.parseDuration("soon")).isNull();
    // Negative, or beyond any use (they overflowed later): refused at start-up.
    assertThat(SettingsReader.parseDuration("PT-5S")).isNull();
    assertThat(SettingsReader.parseDuration("300000d")).isNull();
    assertThat(SettingsReader.parseDuration("99999999999999999999999s")).isNull();
    assertThat(SettingsReader.parseDuration("P99999999999D")).isNull();
    assertThat(SettingsReader.parseDuration("3650d")).hasDays(3650);
    assertThat(SettingsReader.parseDuration("0")).isZero();
  }

  @Test
  void tableListsEveryVariableWithItsLegacyNamesAndMarksSecrets() {
    String table = SettingsTable.markdown(List.of(Demo.values()));
    assertThat(table)
        .contains("| `BACKUP_PASSWORD` | `PGADMINPASS` |  | password (secret) |")
        .contains("| `BACKUP_COUNT` |  | `24` | how many to keep |");
  }
}
