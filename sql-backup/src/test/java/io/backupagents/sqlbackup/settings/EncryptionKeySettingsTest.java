package io.backupagents.sqlbackup.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.sqlbackup.codec.Recipients;
import io.backupagents.sqlbackup.testing.AgentRun;
import io.backupagents.sqlbackup.testing.GpgKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The encryption settings with keys made by the real gpg: keys gpg would not encrypt to are refused
 * at start-up, each named with its reason and all at once, and a private key is refused where only
 * public keys belong.
 */
class EncryptionKeySettingsTest {

  @TempDir static Path keysDir;
  @TempDir Path work;

  private static GpgKeys good;
  private static GpgKeys revoked;
  private static GpgKeys expired;
  private static GpgKeys rsaSignOnly;
  private static GpgKeys signingSubkeyOnly;

  @BeforeAll
  static void makeKeys() {
    good = GpgKeys.generate(keysDir, "good@example.org", "");
    revoked = GpgKeys.generate(keysDir, "revoked@example.org", "").revoke();
    expired =
        GpgKeys.generate(
            keysDir, "expired@example.org", "", "default", "default", "1y", "20200101T000000");
    rsaSignOnly =
        GpgKeys.generate(
            keysDir, "rsa-sign@example.org", "", "rsa2048", "default", "never", GpgKeys.CREATED);
    signingSubkeyOnly =
        GpgKeys.generate(
                keysDir, "ed-sign@example.org", "", "ed25519", "default", "never", GpgKeys.CREATED)
            .addSubkey("rsa2048", "sign");
  }

  @Test
  void keysGpgWouldNotEncryptToAreRefusedAtStartUpEachWithItsReason() throws Exception {
    Path recipients = keysDir.resolve("mixed.pub.asc");
    Files.writeString(
        recipients,
        good.publicKey()
            + revoked.publicKey()
            + expired.publicKey()
            + rsaSignOnly.publicKey()
            + signingSubkeyOnly.publicKey());
    String expiredOn =
        expired.expiry().orElseThrow().atOffset(ZoneOffset.UTC).toLocalDate().toString();

    AgentRun.Result result = backup(recipients);

    String prefix = " - BACKUP_ENCRYPTION_RECIPIENTS_FILE: key ";
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.termination())
        .startsWith("FAILURE (2: invalid settings (4 problems)")
        .contains(
            prefix
                + revoked.fingerprint()
                + " (Backup Test <revoked@example.org>) is revoked (since 2025-01-01): gpg would"
                + " not encrypt to it either",
            prefix
                + expired.fingerprint()
                + " (Backup Test <expired@example.org>) expired on "
                + expiredOn
                + ": gpg would not encrypt to it either",
            prefix
                + rsaSignOnly.fingerprint()
                + " (Backup Test <rsa-sign@example.org>) has no encryption-capable key (its keys"
                + " only sign and certify: make an encryption subkey with gpg --quick-add-key)",
            prefix
                + signingSubkeyOnly.fingerprint()
                + " (Backup Test <ed-sign@example.org>) has no encryption-capable key (its keys"
                + " only sign and certify")
        .doesNotContain(good.fingerprint());
  }

  @Test
  void theGoodKeyOfTheSameFileIsEncryptedToWithItsEncryptionSubkey() {
    Recipients parsed = Recipients.parse(good.publicKey(), Instant.now());

    assertThat(parsed.fingerprints()).containsExactly(good.fingerprint());
    assertThat(parsed.list().get(0).encryptionKey().isMasterKey()).isFalse();
  }

  @Test
  void aRecipientsFileHoldingAPrivateKeyIsRefused() throws Exception {
    Path recipients = keysDir.resolve("with-private.asc");
    Files.writeString(recipients, good.secretKey() + rsaSignOnly.publicKey() + good.publicKey());

    AgentRun.Result result = backup(recipients);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.termination())
        .contains(
            "BACKUP_ENCRYPTION_RECIPIENTS_FILE: it holds a private key block (-----BEGIN PGP"
                + " PRIVATE KEY BLOCK-----): give public keys only (gpg --export --armor), a"
                + " private key does not belong in the backup's settings")
        .contains(rsaSignOnly.fingerprint() + " (Backup Test <rsa-sign@example.org>) has no");
  }

  private AgentRun.Result backup(Path recipients) {
    return AgentRun.in(work)
        .env("BACKUP_ROOT_DIR", work.resolve("backup").toString())
        .env("BACKUP_ENCRYPTION_RECIPIENTS_FILE", recipients.toString())
        .run("backup");
  }
}
