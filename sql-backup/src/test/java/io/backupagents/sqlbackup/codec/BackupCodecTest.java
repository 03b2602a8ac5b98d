package io.backupagents.sqlbackup.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backupagents.common.exit.ExitCode;
import io.backupagents.sqlbackup.testing.GpgKeys;
import io.backupagents.testing.Commands;
import io.backupagents.testing.RequiredTool;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The codec layer on its own: gzip and zstd, with and without OpenPGP encryption to a key made by
 * the real gpg, read back by the agent and by gpg, gunzip and zstd; and the ways a backup can be
 * unreadable (wrong or missing key, truncated, tampered with).
 */
class BackupCodecTest {

  private static final String PASSPHRASE = "correct horse battery staple";

  @TempDir static Path keysDir;
  @TempDir Path dir;

  private static GpgKeys keys;
  private static GpgKeys otherKeys;
  private static byte[] sql;

  @BeforeAll
  static void makeKeys() {
    keys = GpgKeys.generate(keysDir, "backup@example.org", PASSPHRASE);
    otherKeys = GpgKeys.generate(keysDir, "other@example.org", "");
    StringBuilder sb = new StringBuilder("--\n-- PostgreSQL database dump\n--\n");
    for (int i = 0; i < 200_000; i++) {
      sb.append("INSERT INTO t VALUES (").append(i).append(", 'row ").append(i * 7).append("');\n");
    }
    sb.append("--\n-- PostgreSQL database dump complete\n--\n");
    sql = sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  @AfterEach
  void forgetKey() {
    BackupDecoding.using(Optional.empty()).close();
  }

  @ParameterizedTest
  @CsvSource({"GZIP,false", "GZIP,true", "ZSTD,false", "ZSTD,true"})
  void whatIsEncodedDecodesToTheSameDump(Compression compression, boolean encrypted)
      throws IOException {
    Path file = encode(compression, encrypted, 2);
    BackupDecoding.using(Optional.of(decryptionKey()));

    assertThat(decode(file)).isEqualTo(sql);
    if (encrypted) {
      assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
          .doesNotContain("INSERT INTO");
    }
  }

  @Test
  void zstdOutputIsReadByTheZstdToolAndItsOutputByTheAgent() throws IOException {
    RequiredTool.require("zstd");
    Path ours = encode(Compression.ZSTD, false, 2);
    Path back = dir.resolve("back.sql");
    Commands.run(List.of("zstd", "-q", "-d", ours.toString(), "-o", back.toString()));
    assertThat(Files.readAllBytes(back)).isEqualTo(sql);

    Path theirs =
        Files.createDirectories(dir.resolve("theirs"))
            .resolve("backup-2025-09-10T12:00:00Z-shop.sql.zst");
    Commands.run(List.of("zstd", "-q", "-19", back.toString(), "-o", theirs.toString()));
    assertThat(decode(theirs)).isEqualTo(sql);
  }

  @ParameterizedTest
  @CsvSource({"GZIP,gzip", "ZSTD,zstd"})
  void gpgDecryptsTheAgentsBackupsAndTheAgentDecryptsGpgs(Compression compression, String tool)
      throws IOException {
    RequiredTool.require(tool);
    Path ours = encode(compression, true, 2);
    Path inner = dir.resolve("inner");
    keys.decrypt(ours, inner);
    Path back = dir.resolve("back.sql");
    Commands.run(List.of("bash", "-c", tool + " -dc '" + inner + "' > '" + back + "'"));
    assertThat(Files.readAllBytes(back)).isEqualTo(sql);

    // gpg's own encryption of the same compressed file (gpg compresses it again by default).
    Path theirs = dir.resolve(ours.getFileName() + ".bygpg");
    keys.encrypt(inner, theirs);
    Path named = Files.move(theirs, dir.resolve("gpg-" + ours.getFileName()));
    BackupDecoding.using(Optional.of(decryptionKey()));
    assertThat(decode(named)).isEqualTo(sql);
  }

  @Test
  void gpgReadsABackupWhoseEncryptedPacketsSpanSeveralPartialChunks() throws IOException {
    RequiredTool.require("gzip");
    // Hex of random bytes compresses to about half: several of the 1 MiB partial-length chunks.
    byte[] random = new byte[6 << 20];
    new Random(11).nextBytes(random);
    String hex = HexFormat.of().formatHex(random);
    StringBuilder sb = new StringBuilder("--\n-- PostgreSQL database dump\n--\n");
    for (int i = 0; i < hex.length(); i += 100) {
      sb.append("-- ").append(hex, i, Math.min(i + 100, hex.length())).append('\n');
    }
    byte[] large =
        sb.append("--\n-- PostgreSQL database dump complete\n--\n")
            .toString()
            .getBytes(StandardCharsets.UTF_8);
    Path ours = encode(Compression.GZIP, true, 2, large);
    assertThat(Files.size(ours)).isGreaterThan(5L << 20);

    Path inner = dir.resolve("inner");
    keys.decrypt(ours, inner);
    Path back = dir.resolve("back.sql");
    Commands.run(List.of("bash", "-c", "gzip -dc '" + inner + "' > '" + back + "'"));
    assertThat(Files.readAllBytes(back)).isEqualTo(large);
    BackupDecoding.using(Optional.of(decryptionKey()));
    assertThat(decode(ours)).isEqualTo(large);
  }

  @Test
  void anEllipticCurveAndAnRsaRecipientCanEachDecryptTheBackup() throws IOException {
    // RSA keys go through the JDK's RSA, the others through Bouncy Castle's (JdkRsa).
    GpgKeys curve =
        GpgKeys.generate(
                keysDir, "curve@example.org", "", "ed25519", "default", "never", GpgKeys.CREATED)
            .addSubkey("cv25519", "encr");
    Recipients both = Recipients.parse(curve.publicKey() + keys.publicKey(), Instant.now());
    assertThat(both.fingerprints()).containsExactly(curve.fingerprint(), keys.fingerprint());
    Path file = dir.resolve("backup-2025-09-10T12:00:00Z-shop.sql.gz.gpg");
    try (OutputStream out = Files.newOutputStream(file);
        OutputStream encrypting =
            new OpenPgpEncryption(both, Clock.systemUTC())
                .encrypting(out, "backup-2025-09-10T12:00:00Z-shop.sql.gz")) {
      encrypting.write(sql);
    }

    for (GpgKeys key : List.of(curve, keys)) {
      Path inner = dir.resolve("inner-" + key.fingerprint());
      key.decrypt(file, inner);
      assertThat(Files.readAllBytes(inner)).isEqualTo(sql);
    }
  }

  @Test
  void aBackupEncryptedToAnotherKeyFailsWithItsOwnCause() throws IOException {
    Path file = encode(Compression.GZIP, true, 1);
    BackupDecoding.using(
        Optional.of(DecryptionKey.unlock(otherKeys.secretKey(), Optional.empty())));

    assertThatThrownBy(() -> decode(file))
        .isInstanceOfSatisfying(
            CodecException.class,
            e -> assertThat(e.exitCode()).isEqualTo(ExitCode.DECRYPTION_FAILED))
        .hasMessageContaining("none of which BACKUP_DECRYPTION_KEY holds");
  }

  @Test
  void theWrongKeyMessageListsTheDecryptionSubkeysHeldAgainstTheBackupsRecipients()
      throws IOException {
    Path file = encode(Compression.GZIP, true, 1);
    BackupDecoding.using(
        Optional.of(DecryptionKey.unlock(otherKeys.secretKey(), Optional.empty())));
    String held = otherKeys.encryptionSubkeyFingerprint();
    String recipient = keys.encryptionSubkeyFingerprint();

    assertThatThrownBy(() -> decode(file))
        .hasMessage(
            "it is encrypted to key id(s) ["
                + recipient.substring(24)
                + "], none of which BACKUP_DECRYPTION_KEY holds (it holds the decryption (sub)keys ["
                + held.substring(24)
                + " (fingerprint "
                + held
                + ", of key "
                + otherKeys.fingerprint()
                + ")]): give the private key of one of its recipients");
  }

  @Test
  void aKeySettingWithSeveralPrivateKeyBlocksDecryptsBackupsEncryptedToAnyOfThem()
      throws IOException {
    // Key rotation: the old key and the new one, one after the other as cat writes them.
    Path file = encode(Compression.ZSTD, true, 1);
    DecryptionKey both =
        DecryptionKey.unlock(
            otherKeys.secretKey() + keys.secretKey(), Optional.of(PASSPHRASE.toCharArray()));
    BackupDecoding.using(Optional.of(both));

    assertThat(both.fingerprints()).containsExactly(otherKeys.fingerprint(), keys.fingerprint());
    assertThat(decode(file)).isEqualTo(sql);
  }

  @Test
  void aPassphraseEncryptedFileIsNamedAsSuch() throws IOException {
    Path plain = encode(Compression.GZIP, false, 1);
    Path symmetric = dir.resolve(plain.getFileName() + ".gpg");
    keys.encryptSymmetrically(plain, symmetric);
    BackupDecoding.using(Optional.of(decryptionKey()));

    assertThatThrownBy(() -> decode(symmetric))
        .isInstanceOfSatisfying(
            CodecException.class,
            e -> assertThat(e.exitCode()).isEqualTo(ExitCode.DECRYPTION_FAILED))
        .hasMessage(
            "it is encrypted with a passphrase (gpg --symmetric), which recover and verify do not"
                + " support: encrypt backups to a public key (gpg --encrypt --recipient)");
  }

  @Test
  void aKeySettingThatIsNoArmoredPrivateKeySaysWhatIsExpected() {
    assertThatThrownBy(() -> DecryptionKey.unlock(keys.publicKey(), Optional.empty()))
        .hasMessage(
            "it holds a public key only: give the private key (gpg --export-secret-keys --armor)");
    assertThatThrownBy(() -> DecryptionKey.unlock("mQINBGZ...", Optional.empty()))
        .hasMessage(
            "expected an armored OpenPGP private key (gpg --export-secret-keys --armor), but no"
                + " -----BEGIN PGP PRIVATE KEY BLOCK----- line was found");
  }

  @Test
  void anEncryptedBackupWithoutAKeyFailsWithItsOwnCause() throws IOException {
    Path file = encode(Compression.ZSTD, true, 1);

    assertThatThrownBy(() -> decode(file))
        .isInstanceOfSatisfying(
            CodecException.class,
            e -> assertThat(e.exitCode()).isEqualTo(ExitCode.DECRYPTION_FAILED))
        .hasMessageContaining("set BACKUP_DECRYPTION_KEY_FILE");
  }

  @ParameterizedTest
  @CsvSource({"GZIP", "ZSTD"})
  void aTruncatedEncryptedBackupFailsAsCorrupt(Compression compression) throws IOException {
    Path file = encode(compression, true, 2);
    byte[] whole = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(whole, whole.length * 2 / 3));
    BackupDecoding.using(Optional.of(decryptionKey()));

    assertThatThrownBy(() -> decode(file))
        .isInstanceOfSatisfying(
            CodecException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.VERIFY_FAILED));
  }

  @ParameterizedTest
  @CsvSource({"GZIP", "ZSTD"})
  void aTamperedCiphertextFailsTheIntegrityCheck(Compression compression) throws IOException {
    Path file = encode(compression, true, 2);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(file, bytes);
    BackupDecoding.using(Optional.of(decryptionKey()));

    assertThatThrownBy(() -> decode(file))
        .isInstanceOfSatisfying(
            CodecException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.VERIFY_FAILED));
  }

  @Test
  void aWrongPassphraseIsRefusedWithoutRepeatingItOrTheKey() {
    String armored = keys.secretKey();

    assertThatThrownBy(
            () -> DecryptionKey.unlock(armored, Optional.of("wrong horse".toCharArray())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the passphrase does not unlock the key "
                + keys.fingerprint()
                + " (all keys given must share it, or have none)")
        .satisfies(e -> assertThat(stackText(e)).doesNotContain("wrong horse"));
    assertThatThrownBy(() -> DecryptionKey.unlock(armored, Optional.empty()))
        .hasMessageContaining("protected by a passphrase");
  }

  @Test
  void recipientsAreTheGpgKeysFingerprints() {
    Recipients recipients =
        Recipients.parse(keys.publicKey() + "\n" + otherKeys.publicKey(), Instant.now());

    assertThat(recipients.fingerprints())
        .containsExactly(keys.fingerprint(), otherKeys.fingerprint());
    assertThatThrownBy(() -> Recipients.parse("not a key", Instant.now()))
        .hasMessageContaining("expected armored OpenPGP public keys (gpg --export --armor)");
  }

  private static String stackText(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      sb.append(t).append('\n');
    }
    return sb.toString();
  }

  private static DecryptionKey decryptionKey() {
    return DecryptionKey.unlock(keys.secretKey(), Optional.of(PASSPHRASE.toCharArray()));
  }

  private Path encode(Compression compression, boolean encrypted, int threads) throws IOException {
    return encode(compression, encrypted, threads, sql);
  }

  private Path encode(Compression compression, boolean encrypted, int threads, byte[] sql)
      throws IOException {
    Optional<OpenPgpEncryption> encryption =
        encrypted
            ? Optional.of(
                new OpenPgpEncryption(
                    Recipients.parse(keys.publicKey(), Instant.now()), Clock.systemUTC()))
            : Optional.empty();
    BackupEncoding encoding =
        new BackupEncoding(compression, compression.defaultLevel(), threads, encryption);
    String inner =
        "backup-2025-09-10T12:00:00Z-shop"
            + (compression == Compression.GZIP ? ".sql.gz" : ".sql.zst");
    Path file = dir.resolve(inner + (encrypted ? ".gpg" : ""));
    try (OutputStream out = Files.newOutputStream(file)) {
      PlainEncoder encoder = encoding.plain(out, inner);
      try {
        encoder.transferFrom(new ByteArrayInputStream(sql));
        encoder.finish();
      } finally {
        encoder.abort();
      }
      assertThat(new String(encoder.tail(64), StandardCharsets.UTF_8))
          .endsWith("dump complete\n--\n");
      assertThat(encoder.inputBytes()).isEqualTo(sql.length);
    }
    return file;
  }

  private static byte[] decode(Path file) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String name = file.getFileName().toString().replaceFirst("^gpg-", "");
    try (InputStream in = BackupDecoding.plainSql(name, Files.newInputStream(file))) {
      in.transferTo(out);
    }
    return out.toByteArray();
  }
}
