package io.backupagents.sqlbackup.codec;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.util.encoders.Hex;

/**
 * The OpenPGP public keys backups are encrypted to, read from armored key blocks (as {@code gpg
 * --export --armor} writes them; several blocks may follow each other). Each key contributes its
 * encryption subkey (or its primary key when that can encrypt).
 */
public final class Recipients {

  private static final String BEGIN = "-----BEGIN PGP PUBLIC KEY BLOCK-----";

  /** One recipient: the key to encrypt to and the primary key's fingerprint, which gpg shows. */
  public record Recipient(String fingerprint, String userId, PGPPublicKey encryptionKey) {
    @Override
    public String toString() {
      return fingerprint + (userId.isEmpty() ? "" : " (" + userId + ")");
    }
  }

  private final List<Recipient> recipients;

  private Recipients(List<Recipient> recipients) {
    this.recipients = List.copyOf(recipients);
  }

  public List<Recipient> list() {
    return recipients;
  }

  /** The primary keys' fingerprints, upper-case hex as gpg prints them. */
  public List<String> fingerprints() {
    return recipients.stream().map(Recipient::fingerprint).toList();
  }

  /**
   * Parses armored public keys; a (sub)key that expired by {@code now} is not used.
   *
   * @throws IllegalArgumentException with a message fit for a settings problem
   */
  public static Recipients parse(String armored, Instant now) {
    List<String> blocks = blocks(armored);
    if (blocks.isEmpty()) {
      throw new IllegalArgumentException(
          "no armored OpenPGP public key block (" + BEGIN + ") found");
    }
    List<Recipient> found = new ArrayList<>();
    for (String block : blocks) {
      try (InputStream in =
          PGPUtil.getDecoderStream(
              new ByteArrayInputStream(block.getBytes(StandardCharsets.US_ASCII)))) {
        PGPPublicKeyRingCollection rings =
            new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator());
        for (Iterator<PGPPublicKeyRing> it = rings.getKeyRings(); it.hasNext(); ) {
          found.add(recipient(it.next(), now));
        }
      } catch (IOException | PGPException | RuntimeException e) {
        throw new IllegalArgumentException(
            "a public key block could not be read (" + e.getMessage() + ")", e);
      }
    }
    if (found.isEmpty()) {
      throw new IllegalArgumentException("the key blocks hold no public key");
    }
    return new Recipients(found);
  }

  private static Recipient recipient(PGPPublicKeyRing ring, Instant now) {
    PGPPublicKey primary = ring.getPublicKey();
    String fingerprint = Hex.toHexString(primary.getFingerprint()).toUpperCase(Locale.ROOT);
    Iterator<String> ids = primary.getUserIDs();
    String userId = ids.hasNext() ? ids.next() : "";
    PGPPublicKey encryption = null;
    for (Iterator<PGPPublicKey> it = ring.getPublicKeys(); it.hasNext(); ) {
      PGPPublicKey key = it.next();
      // A subkey made for encryption is preferred to a primary key that could also encrypt.
      if (key.isEncryptionKey() && !key.hasRevocation() && !expired(key, now)) {
        if (encryption == null || encryption.isMasterKey()) {
          encryption = key;
        }
      }
    }
    if (encryption == null) {
      throw new IllegalArgumentException(
          "key " + fingerprint + " has no usable encryption (sub)key");
    }
    return new Recipient(fingerprint, userId, encryption);
  }

  private static boolean expired(PGPPublicKey key, Instant now) {
    long seconds = key.getValidSeconds();
    return seconds > 0 && key.getCreationTime().toInstant().plusSeconds(seconds).isBefore(now);
  }

  private static List<String> blocks(String armored) {
    List<String> blocks = new ArrayList<>();
    int at = armored.indexOf(BEGIN);
    while (at >= 0) {
      int next = armored.indexOf(BEGIN, at + BEGIN.length());
      blocks.add(next < 0 ? armored.substring(at) : armored.substring(at, next));
      at = next;
    }
    return blocks;
  }
}
