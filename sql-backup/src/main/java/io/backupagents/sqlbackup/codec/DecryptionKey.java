package io.backupagents.sqlbackup.codec;

import io.backupagents.common.exit.ExitCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.util.encoders.Hex;

/**
 * The private key(s) recover and verify decrypt backups with, unlocked once at start-up (a wrong
 * passphrase is a settings problem, not a surprise half-way through a restore). Messages never
 * carry the key or the passphrase.
 */
public final class DecryptionKey {

  private final List<PGPPrivateKey> keys;
  private final List<String> fingerprints;

  private DecryptionKey(List<PGPPrivateKey> keys, List<String> fingerprints) {
    this.keys = List.copyOf(keys);
    this.fingerprints = List.copyOf(fingerprints);
  }

  /** The primary keys' fingerprints, for the log. */
  public List<String> fingerprints() {
    return fingerprints;
  }

  /**
   * Reads an armored secret key block ({@code gpg --export-secret-keys --armor}) and unlocks every
   * secret (sub)key that can decrypt.
   *
   * @param passphrase the key's passphrase, or empty for a key without one; wiped afterwards
   * @throws IllegalArgumentException with a message fit for a settings problem
   */
  public static DecryptionKey unlock(String armored, Optional<char[]> passphrase) {
    char[] secret = passphrase.orElse(new char[0]);
    try (InputStream in =
        PGPUtil.getDecoderStream(
            new ByteArrayInputStream(armored.strip().getBytes(StandardCharsets.US_ASCII)))) {
      PGPSecretKeyRingCollection rings =
          new PGPSecretKeyRingCollection(in, new BcKeyFingerprintCalculator());
      List<PGPPrivateKey> keys = new ArrayList<>();
      List<String> fingerprints = new ArrayList<>();
      for (Iterator<PGPSecretKeyRing> it = rings.getKeyRings(); it.hasNext(); ) {
        PGPSecretKeyRing ring = it.next();
        fingerprints.add(
            Hex.toHexString(ring.getPublicKey().getFingerprint()).toUpperCase(Locale.ROOT));
        for (Iterator<PGPSecretKey> keysOf = ring.getSecretKeys(); keysOf.hasNext(); ) {
          PGPSecretKey key = keysOf.next();
          if (key.getPublicKey().isEncryptionKey() && !key.isPrivateKeyEmpty()) {
            keys.add(extract(key, secret));
          }
        }
      }
      if (keys.isEmpty()) {
        throw new IllegalArgumentException(
            "the key block holds no secret key that can decrypt (export it with gpg"
                + " --export-secret-keys --armor, subkeys included)");
      }
      return new DecryptionKey(keys, fingerprints);
    } catch (IOException | PGPException e) {
      throw new IllegalArgumentException(
          "it is not an armored OpenPGP secret key block (" + e.getClass().getSimpleName() + ")",
          e);
    } finally {
      Arrays.fill(secret, '\0');
    }
  }

  private static PGPPrivateKey extract(PGPSecretKey key, char[] passphrase) {
    try {
      return key.extractPrivateKey(
          new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider())
              .build(passphrase));
    } catch (PGPException e) {
      // BC reports a wrong passphrase as a checksum mismatch; its message names no secret.
      throw new IllegalArgumentException(
          passphrase.length == 0
              ? "the key is protected by a passphrase: set BACKUP_DECRYPTION_KEY_PASSPHRASE(_FILE)"
              : "the passphrase does not unlock the key");
    }
  }

  /** The private key for the (sub)key id a backup was encrypted to, if this is one of ours. */
  Optional<PGPPrivateKey> forKeyId(long keyId) {
    return keys.stream().filter(k -> k.getKeyID() == keyId).findFirst();
  }

  /** Why no key fitted, naming the backup's recipients by key id. */
  static CodecException noKeyFor(List<Long> keyIds, List<String> ours) {
    return new CodecException(
        ExitCode.DECRYPTION_FAILED,
        "it is encrypted to key id(s) "
            + keyIds.stream().map(id -> String.format("%016X", id)).toList()
            + ", none of which BACKUP_DECRYPTION_KEY holds (it holds "
            + ours
            + "): give the private key of one of its recipients",
        null);
  }
}
