package io.backupagents.sqlbackup.codec;

import io.backupagents.common.exit.ExitCode;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPEncryptedData;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPOnePassSignatureList;
import org.bouncycastle.openpgp.PGPPBEEncryptedData;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyDataDecryptorFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens an OpenPGP message encrypted to one of our keys as a stream of its content. The content is
 * only as good as the message's integrity check, which covers everything: the stream therefore
 * fails at its end, not with a short read, when the check fails, and messages without integrity
 * protection (which an attacker could alter unnoticed) are refused outright.
 */
public final class OpenPgpDecryption {

  private static final Logger log = LoggerFactory.getLogger(OpenPgpDecryption.class);

  private OpenPgpDecryption() {}

  /** The decrypted content of {@code stored}; the caller closes it. */
  public static InputStream open(InputStream stored, Optional<DecryptionKey> key)
      throws IOException {
    try {
      BcPGPObjectFactory objects = new BcPGPObjectFactory(PGPUtil.getDecoderStream(stored));
      Object first = objects.nextObject();
      while (first instanceof PGPMarker) {
        first = objects.nextObject();
      }
      if (!(first instanceof PGPEncryptedDataList list)) {
        throw corrupt("it is not an OpenPGP encrypted message", null);
      }
      if (passphraseOnly(list)) {
        throw new CodecException(
            ExitCode.DECRYPTION_FAILED,
            "it is encrypted with a passphrase (gpg --symmetric), which recover and verify do not"
                + " support: encrypt backups to a public key (gpg --encrypt --recipient)",
            null);
      }
      if (key.isEmpty()) {
        throw new CodecException(
            ExitCode.DECRYPTION_FAILED,
            "it is encrypted and no decryption key is given: set BACKUP_DECRYPTION_KEY_FILE (and"
                + " BACKUP_DECRYPTION_KEY_PASSPHRASE_FILE if the key has a passphrase)",
            null);
      }
      List<Long> recipients = new ArrayList<>();
      for (Iterator<PGPEncryptedData> it = list.getEncryptedDataObjects(); it.hasNext(); ) {
        if (it.next() instanceof PGPPublicKeyEncryptedData data) {
          long id = keyId(data);
          recipients.add(id);
          Optional<PGPPrivateKey> mine = key.get().forKeyId(id);
          if (mine.isPresent()) {
            return content(data, mine.get());
          }
        }
      }
      throw key.get().noKeyFor(recipients);
    } catch (PGPException e) {
      throw corrupt("the OpenPGP message cannot be decrypted (" + e.getMessage() + ")", e);
    } catch (CodecException e) {
      throw e;
    } catch (IOException e) {
      // Bouncy Castle reports packets it cannot parse as plain IOExceptions: the file is at fault.
      throw corrupt("its OpenPGP packets cannot be read (" + e.getMessage() + ")", e);
    }
  }

  /** Whether the message's session key is only encrypted with a passphrase, to no public key. */
  private static boolean passphraseOnly(PGPEncryptedDataList list) {
    boolean symmetric = false;
    for (Iterator<PGPEncryptedData> it = list.getEncryptedDataObjects(); it.hasNext(); ) {
      PGPEncryptedData data = it.next();
      if (data instanceof PGPPublicKeyEncryptedData) {
        return false;
      }
      symmetric |= data instanceof PGPPBEEncryptedData;
    }
    return symmetric;
  }

  @SuppressWarnings("deprecation") // getKeyIdentifier() of newer releases gives the same id
  private static long keyId(PGPPublicKeyEncryptedData data) {
    return data.getKeyID();
  }

  @SuppressWarnings("deprecation") // the constructor taking the private key is the plain Bc one
  private static InputStream content(PGPPublicKeyEncryptedData data, PGPPrivateKey key)
      throws IOException, PGPException {
    if (!data.isIntegrityProtected()) {
      throw corrupt(
          "its OpenPGP message has no integrity protection (a modification could go unnoticed)",
          null);
    }
    InputStream clear = data.getDataStream(new BcPublicKeyDataDecryptorFactory(key));
    BcPGPObjectFactory packets = new BcPGPObjectFactory(clear);
    Object inner = packets.nextObject();
    if (inner instanceof PGPCompressedData compressed) {
      // gpg compresses what it encrypts unless told not to: read such files too.
      packets = new BcPGPObjectFactory(compressed.getDataStream());
      inner = packets.nextObject();
    }
    while (inner instanceof PGPOnePassSignatureList || inner instanceof PGPSignatureList) {
      // gpg --sign --encrypt puts the signature around the data. It is not checked: no signer's
      // key is configured, and the integrity check already covers every byte of the content.
      log.debug("the backup is signed as well as encrypted; its signature is not verified");
      inner = packets.nextObject();
    }
    if (!(inner instanceof PGPLiteralData literal)) {
      throw corrupt("its OpenPGP message holds no data packet", null);
    }
    return new Verified(literal.getInputStream(), clear, data);
  }

  static CodecException corrupt(String message, Throwable cause) {
    return new CodecException(ExitCode.VERIFY_FAILED, message, cause);
  }

  /** Checks the modification detection code when the content has been read to its end. */
  private static final class Verified extends FilterInputStream {
    private final InputStream clear;
    private final PGPPublicKeyEncryptedData data;
    private boolean verified;

    Verified(InputStream literal, InputStream clear, PGPPublicKeyEncryptedData data) {
      super(literal);
      this.clear = clear;
      this.data = data;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n;
      try {
        n = in.read(b, off, len);
      } catch (IOException e) {
        throw corrupt("its OpenPGP message is truncated or corrupt (" + e.getMessage() + ")", e);
      }
      if (n < 0) {
        verify();
      }
      return n;
    }

    private void verify() throws IOException {
      if (verified) {
        return;
      }
      try {
        // Whatever follows the literal packet (a compressed packet's end, a signature) belongs to
        // the check: cut short there, the message is as truncated as anywhere else.
        try {
          clear.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
          throw corrupt("its OpenPGP message is truncated or corrupt (" + e.getMessage() + ")", e);
        }
        if (!data.verify()) {
          throw corrupt(
              "its OpenPGP integrity check failed: the file was modified or is corrupt", null);
        }
      } catch (PGPException e) {
        throw corrupt(
            "its OpenPGP integrity check failed ("
                + e.getMessage()
                + "): it is truncated or"
                + " corrupt",
            e);
      }
      verified = true;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] skipped = new byte[(int) Math.min(Math.max(n, 0), 8192)];
      return Math.max(0, read(skipped, 0, skipped.length));
    }
  }
}
