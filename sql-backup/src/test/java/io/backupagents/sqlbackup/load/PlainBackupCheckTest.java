package io.backupagents.sqlbackup.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.sqlbackup.script.DumpKind;
import io.backupagents.sqlbackup.source.ChecksumCheck;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PlainBackupCheckTest {

  private static final String DUMPALL =
      resource("/io/backupagents/sqlbackup/testing/pg15-dumpall.sql");
  private static final String NAME = "backup-2025-09-10T10:51:01Z-dumpall.sql.gz";
  private static final String ZSTD_NAME = "backup-2025-09-10T10:51:01Z-dumpall.sql.zst";

  private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
  private final Path file = fs.getPath("/backup/hourly", NAME);

  @AfterEach
  void close() throws IOException {
    fs.close();
  }

  @Test
  void aCompleteDumpallPassesWithItsKindAndSize() throws Exception {
    write(gzip(DUMPALL));

    PlainBackupCheck.Result result = check(Optional.of(sha256(Files.readAllBytes(file))));

    assertThat(result.kind()).isEqualTo(DumpKind.CLUSTER);
    assertThat(result.sqlBytes()).isEqualTo(DUMPALL.getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void concatenatedGzipMembersAreOneStream() throws Exception {
    byte[] bytes = DUMPALL.getBytes(StandardCharsets.UTF_8);
    int half = bytes.length / 2;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(gzip(Arrays.copyOfRange(bytes, 0, half)));
    out.write(gzip(Arrays.copyOfRange(bytes, half, bytes.length)));
    write(out.toByteArray());

    assertThat(check(Optional.empty()).sqlBytes()).isEqualTo(bytes.length);
  }

  @Test
  void aTruncatedFileFails() throws Exception {
    byte[] whole = gzip(DUMPALL);
    write(Arrays.copyOf(whole, whole.length / 2));

    assertVerifyFailed(Optional.empty())
        .hasMessage(
            NAME
                + " is not a complete gzip file (Unexpected end of ZLIB input stream): it is"
                + " truncated or corrupt");
  }

  @Test
  void aFlippedByteFails() throws Exception {
    byte[] bytes = gzip(DUMPALL);
    bytes[bytes.length / 2] ^= 0x40;
    write(bytes);

    assertVerifyFailed(Optional.empty())
        .hasMessageStartingWith(NAME + " is not a complete gzip file (")
        .hasMessageEndingWith("): it is truncated or corrupt");
  }

  @Test
  void aFlipTheGzipChecksDoNotCoverFailsAgainstTheChecksumRecord() throws Exception {
    byte[] bytes = gzip(DUMPALL);
    String recorded = sha256(bytes);
    bytes[5] ^= 0x01; // the gzip header's modification time: no CRC covers it
    write(bytes);

    assertVerifyFailed(Optional.of(recorded))
        .hasMessage(
            NAME
                + " is corrupt: its SHA-256 is "
                + sha256(bytes)
                + ", but its checksum record says "
                + recorded);
  }

  @Test
  void aWholeGzipOfADumpThatWasCutShortFails() throws Exception {
    write(gzip(DUMPALL.substring(0, DUMPALL.indexOf("-- Database \"postgres\" dump"))));

    assertVerifyFailed(Optional.empty())
        .hasMessage(
            NAME
                + " is a pg_dumpall of a whole server that was cut short: it does not end with"
                + " '-- PostgreSQL database cluster dump complete'");
  }

  @Test
  void somethingElseThanADumpFails() throws Exception {
    write(gzip("hello\nworld\n"));
    assertVerifyFailed(Optional.empty())
        .hasMessage(NAME + " does not start like a pg_dump or pg_dumpall SQL file");

    write(DUMPALL.getBytes(StandardCharsets.UTF_8));
    assertVerifyFailed(Optional.empty())
        .hasMessage(
            NAME + " is not a complete gzip file (Not in GZIP format): it is truncated or corrupt");
  }

  @Test
  void aBackupWithItsRecordIsCheckedByItsDigestAndHeadAlone() throws Exception {
    for (String name : List.of(NAME, ZSTD_NAME)) {
      Path backup = file.resolveSibling(name);
      byte[] bytes =
          name.endsWith(".zst")
              ? Zstd.compress(DUMPALL.getBytes(StandardCharsets.UTF_8))
              : gzip(DUMPALL);
      Files.createDirectories(backup.getParent());
      Files.write(backup, bytes);

      PlainBackupCheck.Result result = quick(backup, sha256(bytes));

      assertThat(result.kind()).as(name).isEqualTo(DumpKind.CLUSTER);
      assertThat(result.sqlBytes()).as(name).isEqualTo(-1);
    }
  }

  @Test
  void theQuickCheckRefusesAnotherFileOrOneThatIsNotADump() throws Exception {
    Path backup = file.resolveSibling(ZSTD_NAME);
    Files.createDirectories(backup.getParent());
    byte[] bytes = Zstd.compress(DUMPALL.getBytes(StandardCharsets.UTF_8));
    Files.write(backup, bytes);
    String other = sha256(gzip(DUMPALL));
    assertThatThrownBy(() -> quick(backup, other))
        .isInstanceOfSatisfying(
            AgentException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.VERIFY_FAILED))
        .hasMessageStartingWith(ZSTD_NAME + " is corrupt: its SHA-256 is " + sha256(bytes));

    byte[] gzipped = gzip(DUMPALL);
    Files.write(backup, gzipped);
    assertThatThrownBy(() -> quick(backup, sha256(gzipped)))
        .isInstanceOfSatisfying(
            AgentException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.VERIFY_FAILED))
        .hasMessageStartingWith(ZSTD_NAME + " does not start as a zstd file: ");

    byte[] text = Zstd.compress("hello\nworld\n".getBytes(StandardCharsets.UTF_8));
    Files.write(backup, text);
    assertThatThrownBy(() -> quick(backup, sha256(text)))
        .hasMessage(ZSTD_NAME + " does not start like a pg_dump or pg_dumpall SQL file");
  }

  @Test
  void checksumRecordsAreReadInSha256sumFormat() {
    String hex = "ab".repeat(32);
    assertThat(ChecksumCheck.parse(hex.toUpperCase(Locale.ROOT) + "  " + NAME + "\n", "r"))
        .isEqualTo(hex);
    assertThat(ChecksumCheck.parse(hex + "\n", "r")).isEqualTo(hex);
    assertThatThrownBy(() -> ChecksumCheck.parse("not a digest  " + NAME, "." + NAME + ".sha256"))
        .hasMessage(
            "."
                + NAME
                + ".sha256 does not hold a SHA-256 digest: the checksum record is damaged (remove"
                + " it to restore without it)");
  }

  private PlainBackupCheck.Result check(Optional<String> sha) {
    return PlainBackupCheck.check(file, sha, RestoreProgress.logged("check", 0, Clock.systemUTC()));
  }

  private static PlainBackupCheck.Result quick(Path backup, String sha) {
    return PlainBackupCheck.quick(
        backup, sha, RestoreProgress.logged("check", 0, Clock.systemUTC()));
  }

  private AbstractThrowableAssert<?, ? extends Throwable> assertVerifyFailed(Optional<String> sha) {
    return assertThatThrownBy(() -> check(sha))
        .isInstanceOfSatisfying(
            AgentException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.VERIFY_FAILED));
  }

  private void write(byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
  }

  private static byte[] gzip(String text) throws IOException {
    return gzip(text.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  static String resource(String name) {
    try (InputStream in = PlainBackupCheckTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
