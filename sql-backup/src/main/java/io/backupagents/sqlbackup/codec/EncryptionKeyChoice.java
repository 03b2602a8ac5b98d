package io.backupagents.sqlbackup.codec;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPCertificate.OpenPGPComponentKey;
import org.bouncycastle.openpgp.api.OpenPGPDefaultPolicy;
import org.bouncycastle.openpgp.api.OpenPGPPolicy;
import org.bouncycastle.openpgp.api.OpenPGPSignature;
import org.bouncycastle.util.encoders.Hex;

/**
 * Picks the (sub)key of a recipient's certificate that backups are encrypted to, as gpg does: the
 * certificate must be neither revoked nor expired, and the key must be validly bound, unexpired,
 * unrevoked and flagged for encryption (or, without key flags, of an algorithm that encrypts); the
 * newest such key wins. Bouncy Castle's certificate evaluation verifies the self-signatures.
 */
final class EncryptionKeyChoice {

  private static final int ENCRYPTS = KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE;

  /**
   * Bouncy Castle's defaults, but DSA and ElGamal keys as gpg still makes and uses them (its
   * default policy refuses those algorithms outright, where gpg encrypts to them).
   */
  static final OpenPGPPolicy POLICY =
      new OpenPGPDefaultPolicy()
          .acceptPublicKeyAlgorithmWithMinimalStrength(PublicKeyAlgorithmTags.DSA, 1024)
          .acceptPublicKeyAlgorithmWithMinimalStrength(
              PublicKeyAlgorithmTags.ELGAMAL_ENCRYPT, 1024);

  private EncryptionKeyChoice() {}

  /** The key to encrypt to, or why there is none (a settings problem naming the key). */
  sealed interface Choice {}

  record Chosen(OpenPGPComponentKey key) implements Choice {}

  record Refused(String reason) implements Choice {}

  @SuppressWarnings("JavaUtilDate") // Bouncy Castle's evaluation takes java.util.Date
  static Choice of(OpenPGPCertificate cert, Instant now) {
    Date at = Date.from(now);
    OpenPGPSignature revocation = cert.getRevocation(at);
    if (revocation != null) {
      return new Refused("is revoked (since " + day(revocation.getCreationTime()) + ")");
    }
    Date expiry = cert.getExpirationTime(at);
    if (expiry != null && !expiry.after(at)) {
      return new Refused("expired on " + day(expiry));
    }
    if (cert.getPrimaryKey().getCreationTime().after(at)) {
      return new Refused(
          "was created on "
              + day(cert.getPrimaryKey().getCreationTime())
              + ", after this run's time "
              + now
              + " (is the clock right?)");
    }
    if (!cert.getPrimaryKey().isBoundAt(at)) {
      return new Refused(
          "has no valid self-signature (or uses an algorithm or hash too weak to trust)");
    }
    List<OpenPGPComponentKey> usable = new ArrayList<>(cert.getEncryptionKeys(at));
    for (OpenPGPComponentKey key : cert.getValidKeys(at)) {
      // Keys without key flags (older than RFC 4880's flags) encrypt when their algorithm does.
      if (key.getKeyFlags(at) == null && key.getPGPPublicKey().isEncryptionKey()) {
        usable.add(key);
      }
    }
    return usable.stream()
        .max(Comparator.comparing(OpenPGPComponentKey::getCreationTime))
        .<Choice>map(Chosen::new)
        .orElseGet(() -> new Refused("has no encryption-capable key" + unusable(cert, at)));
  }

  /** Why the certificate's encryption keys, if it has any, cannot be used now. */
  @SuppressWarnings("JavaUtilDate")
  private static String unusable(OpenPGPCertificate cert, Date at) {
    List<String> why = new ArrayList<>();
    for (OpenPGPComponentKey key : cert.getKeys()) {
      if (!encrypts(key)) {
        continue;
      }
      String id = (key.isPrimaryKey() ? "primary key " : "subkey ") + keyId(key);
      if (key.getRevocation(at) != null) {
        why.add(id + " is revoked");
      } else if (key.getKeyExpirationDateAt(at) != null
          && !key.getKeyExpirationDateAt(at).after(at)) {
        why.add(id + " expired on " + day(key.getKeyExpirationDateAt(at)));
      } else {
        why.add(id + " is not validly bound to the key");
      }
    }
    return why.isEmpty()
        ? " (its keys only sign and certify: make an encryption subkey with gpg --quick-add-key)"
        : " (" + String.join(", ", why) + ")";
  }

  /**
   * Whether {@code key} is meant to encrypt, whatever its validity now: its newest self-signature's
   * key flags say so, or without key flags its algorithm can. (An expired or revoked key still
   * decrypts the backups made while it was valid.)
   */
  static boolean encrypts(OpenPGPComponentKey key) {
    KeyFlags flags = key.getKeyFlags();
    return key.getPGPPublicKey().isEncryptionKey()
        && (flags == null || (flags.getFlags() & ENCRYPTS) != 0);
  }

  static String keyId(OpenPGPComponentKey key) {
    return String.format(Locale.ROOT, "%016X", key.getKeyIdentifier().getKeyId());
  }

  static String fingerprint(byte[] fingerprint) {
    return Hex.toHexString(fingerprint).toUpperCase(Locale.ROOT);
  }

  @SuppressWarnings("JavaUtilDate")
  private static String day(Date date) {
    return date.toInstant().atOffset(ZoneOffset.UTC).toLocalDate().toString();
  }
}
