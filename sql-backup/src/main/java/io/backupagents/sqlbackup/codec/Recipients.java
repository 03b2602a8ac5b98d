package io.backupagents.sqlbackup.codec;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKeyReader;

/**
 * The OpenPGP public keys backups are encrypted to, read from armored key blocks (as {@code gpg
 * --export --armor} writes them; several blocks may follow each other). Each key contributes the
 * key gpg would encrypt to ({@link EncryptionKeyChoice}); a key gpg would refuse is refused here
 * too, at start-up, with every other problem of the setting.
 */
public final class Recipients {

  private static final String BEGIN = "-----BEGIN PGP PUBLIC KEY BLOCK-----";
  private static final String PRIVATE = "-----BEGIN PGP PRIVATE KEY BLOCK-----";

  /** One recipient: the key to encrypt to and the primary key's fingerprint, which gpg shows. */
  public record Recipient(String fingerprint, String userId, PGPPublicKey encryptionKey) {
    @Override
    public String toString() {
      return fingerprint + (userId.isEmpty() ? "" : " (" + userId + ")");
    }
  }

  /** The setting's problems, each one a sentence fit for the settings report. */
  public static final class Refused extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    Refused(List<String> problems) {
      super(String.join("; ", problems));
      this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
      return problems;
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
   * Parses armored public keys and chooses each one's encryption key as of {@code now}.
   *
   * @throws Refused listing every problem: a block that does not parse, a key that is revoked,
   *     expired or cannot encrypt, a private key block
   */
  public static Recipients parse(String armored, Instant now) {
    List<String> problems = new ArrayList<>();
    if (armored.contains(PRIVATE)) {
      // The backup pod needs public keys only; a private key there could read every backup.
      problems.add(
          "it holds a private key block ("
              + PRIVATE
              + "): give public keys only (gpg --export --armor), a private key does not belong in"
              + " the backup's settings");
    }
    List<String> blocks = ArmoredBlocks.split(armored, BEGIN);
    if (blocks.isEmpty()) {
      problems.add(
          "expected armored OpenPGP public keys (gpg --export --armor), but no "
              + BEGIN
              + " line was found");
    }
    List<Recipient> found = new ArrayList<>();
    OpenPGPKeyReader reader =
        new OpenPGPKeyReader(JdkRsa.implementation(), EncryptionKeyChoice.POLICY);
    for (String block : blocks) {
      List<OpenPGPCertificate> certs;
      try {
        certs = reader.parseCertificates(block);
      } catch (IOException | RuntimeException e) {
        problems.add("a public key block could not be read (" + e.getMessage() + ")");
        continue;
      }
      for (OpenPGPCertificate cert : certs) {
        String fingerprint = EncryptionKeyChoice.fingerprint(cert.getFingerprint());
        String userId = userId(cert);
        switch (EncryptionKeyChoice.of(cert, now)) {
          case EncryptionKeyChoice.Chosen c ->
              found.add(new Recipient(fingerprint, userId, c.key().getPGPPublicKey()));
          case EncryptionKeyChoice.Refused r ->
              problems.add(
                  "key "
                      + new Recipient(fingerprint, userId, null)
                      + " "
                      + r.reason()
                      + ": gpg would not encrypt to it either");
        }
      }
    }
    if (problems.isEmpty() && found.isEmpty()) {
      problems.add("the key blocks hold no public key");
    }
    if (!problems.isEmpty()) {
      throw new Refused(problems);
    }
    return new Recipients(found);
  }

  private static String userId(OpenPGPCertificate cert) {
    Iterator<String> ids = cert.getPrimaryKey().getPGPPublicKey().getUserIDs();
    return ids.hasNext() ? ids.next() : "";
  }
}
