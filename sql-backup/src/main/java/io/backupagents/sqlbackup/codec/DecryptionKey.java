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
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPCertificate.OpenPGPComponentKey;
import org.bouncycastle.openpgp.api.bc.BcOpenPGPImplementation;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;

/**
 * The private key(s) recover and verify decrypt backups with, unlocked once at start-up (a wrong
 * passphrase is a settings problem, not a surprise half-way through a restore). Every armored block
 * of the setting is read: during a key rotation it holds the old key and the new one. Messages
 * never carry the key or the passphrase.
 */
public final class DecryptionKey {

  private static final String BEGIN = "-----BEGIN PGP PRIVATE KEY BLOCK-----";

  /** A secret (sub)key that decrypts, named as gpg lists it. */
  private record Held(PGPPrivateKey key, String keyId, String fingerprint, String primary) {
    @Override
    public String toString() {
      return keyId + " (fingerprint " + fingerprint + ", of key " + primary + ")";
    }
  }

  private final List<Held> keys;
  private final List<String> fingerprints;

  private DecryptionKey(List<Held> keys, List<String> fingerprints) {
    this.keys = List.copyOf(keys);
    this.fingerprints = List.copyOf(fingerprints);
  }

  /** The primary keys' fingerprints, for the log. */
  public List<String> fingerprints() {
    return fingerprints;
  }

  /**
   * Reads armored secret key blocks ({@code gpg --export-secret-keys --armor}; several may follow
   * each other) and unlocks every secret (sub)key meant for encryption.
   *
   * @param passphrase the keys' passphrase, or empty for keys without one; wiped afterwards
   * @throws IllegalArgumentException with a message fit for a settings problem
   */
  public static DecryptionKey unlock(String armored, Optional<char[]> passphrase) {
    char[] secret = passphrase.orElse(new char[0]);
    try {
      List<String> blocks = ArmoredBlocks.split(armored, BEGIN);
      if (blocks.isEmpty()) {
        throw new IllegalArgumentException(
            armored.contains("-----BEGIN PGP PUBLIC KEY BLOCK-----")
                ? "it holds a public key only: give the private key (gpg --export-secret-keys"
                    + " --armor)"
                : "expected an armored OpenPGP private key (gpg --export-secret-keys --armor),"
                    + " but no "
                    + BEGIN
                    + " line was found");
      }
      List<Held> keys = new ArrayList<>();
      List<String> fingerprints = new ArrayList<>();
      for (String block : blocks) {
        for (PGPSecretKeyRing ring : rings(block)) {
          String primary = EncryptionKeyChoice.fingerprint(ring.getPublicKey().getFingerprint());
          fingerprints.add(primary);
          keys.addAll(decrypting(ring, primary, secret));
        }
      }
      if (keys.isEmpty()) {
        throw new IllegalArgumentException(
            "the key block holds no secret key that can decrypt (export it with gpg"
                + " --export-secret-keys --armor, subkeys included)");
      }
      return new DecryptionKey(keys, fingerprints);
    } finally {
      Arrays.fill(secret, '\0');
    }
  }

  private static List<PGPSecretKeyRing> rings(String block) {
    try (InputStream in =
        PGPUtil.getDecoderStream(
            new ByteArrayInputStream(block.strip().getBytes(StandardCharsets.US_ASCII)))) {
      List<PGPSecretKeyRing> rings = new ArrayList<>();
      new PGPSecretKeyRingCollection(in, new BcKeyFingerprintCalculator())
          .getKeyRings()
          .forEachRemaining(rings::add);
      return rings;
    } catch (IOException | PGPException e) {
      throw new IllegalArgumentException(
          "a private key block could not be read (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  /** The ring's secret keys meant for encryption (by their key flags), unlocked. */
  private static List<Held> decrypting(PGPSecretKeyRing ring, String primary, char[] passphrase) {
    OpenPGPCertificate cert =
        new OpenPGPCertificate(ring, new BcOpenPGPImplementation(), EncryptionKeyChoice.POLICY);
    List<Held> held = new ArrayList<>();
    for (Iterator<PGPSecretKey> it = ring.getSecretKeys(); it.hasNext(); ) {
      PGPSecretKey key = it.next();
      OpenPGPComponentKey component = cert.getKey(key.getPublicKey().getKeyIdentifier());
      if (component != null
          && EncryptionKeyChoice.encrypts(component)
          && !key.isPrivateKeyEmpty()) {
        held.add(
            new Held(
                extract(key, passphrase, primary),
                EncryptionKeyChoice.keyId(component),
                EncryptionKeyChoice.fingerprint(key.getPublicKey().getFingerprint()),
                primary));
      }
    }
    return held;
  }

  private static PGPPrivateKey extract(PGPSecretKey key, char[] passphrase, String primary) {
    try {
      return key.extractPrivateKey(
          new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider())
              .build(passphrase));
    } catch (PGPException e) {
      // BC reports a wrong passphrase as a checksum mismatch; its message names no secret.
      throw new IllegalArgumentException(
          passphrase.length == 0
              ? "the key "
                  + primary
                  + " is protected by a passphrase: set BACKUP_DECRYPTION_KEY_PASSPHRASE(_FILE)"
              : "the passphrase does not unlock the key "
                  + primary
                  + " (all keys given must share it, or have none)");
    }
  }

  /** The private key for the (sub)key id a backup was encrypted to, if this is one of ours. */
  Optional<PGPPrivateKey> forKeyId(long keyId) {
    return keys.stream().map(Held::key).filter(k -> k.getKeyID() == keyId).findFirst();
  }

  /**
   * Why no key fitted: the backup's recipients by key id, against the ids (and fingerprints) of the
   * decryption subkeys held, which is what a backup names.
   */
  CodecException noKeyFor(List<Long> keyIds) {
    return new CodecException(
        ExitCode.DECRYPTION_FAILED,
        "it is encrypted to key id(s) "
            + keyIds.stream().map(id -> String.format(Locale.ROOT, "%016X", id)).toList()
            + ", none of which BACKUP_DECRYPTION_KEY holds (it holds the decryption (sub)keys "
            + keys
            + "): give the private key of one of its recipients",
        null);
  }
}
