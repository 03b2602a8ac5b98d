package io.backupagents.sqlbackup.codec;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.operator.PGPDataEncryptor;
import org.bouncycastle.openpgp.operator.PGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcePGPDataEncryptorBuilder;

/**
 * Bouncy Castle's JCE data encryptor (AES-256 in CFB mode, as an integrity-protected OpenPGP packet
 * needs) whose cipher stream reuses one output buffer: Bouncy Castle's own returns a new array for
 * every chunk, which made the JVM touch its whole initial heap (about 370 MiB of RSS instead of
 * 130) while a multi-GB backup went through. Everything but that stream is Bouncy Castle's.
 */
final class JdkAesEncryptorBuilder implements PGPDataEncryptorBuilder {

  private final JcePGPDataEncryptorBuilder delegate =
      new JcePGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256);

  JdkAesEncryptorBuilder(SecureRandom random) {
    delegate.setWithIntegrityPacket(true).setSecureRandom(random);
  }

  @Override
  public PGPDataEncryptor build(byte[] keyBytes) throws PGPException {
    PGPDataEncryptor jce = delegate.build(keyBytes);
    Cipher cipher;
    try {
      // What Bouncy Castle's JCE encryptor uses for an integrity-protected packet: plain CFB
      // with a zero IV (the packet's random prefix takes the IV's place).
      cipher = Cipher.getInstance("AES/CFB/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(keyBytes, "AES"),
          new IvParameterSpec(new byte[cipher.getBlockSize()]));
    } catch (GeneralSecurityException e) {
      throw new PGPException("AES/CFB is not available: " + e.getMessage(), e);
    }
    return new PGPDataEncryptor() {
      @Override
      public OutputStream getOutputStream(OutputStream out) {
        return new CipherStream(out, cipher);
      }

      @Override
      public PGPDigestCalculator getIntegrityCalculator() {
        return jce.getIntegrityCalculator();
      }

      @Override
      public int getBlockSize() {
        return jce.getBlockSize();
      }
    };
  }

  @Override
  public PGPDataEncryptor build(byte[] keyBytes, byte[] associatedData) throws PGPException {
    return delegate.build(keyBytes, associatedData);
  }

  @Override
  public int getAlgorithm() {
    return delegate.getAlgorithm();
  }

  @Override
  public int getAeadAlgorithm() {
    return delegate.getAeadAlgorithm();
  }

  @Override
  public int getChunkSize() {
    return delegate.getChunkSize();
  }

  @Override
  public boolean isV5StyleAEAD() {
    return delegate.isV5StyleAEAD();
  }

  @Override
  public SecureRandom getSecureRandom() {
    return delegate.getSecureRandom();
  }

  @Override
  public PGPDataEncryptorBuilder setWithIntegrityPacket(boolean withIntegrityPacket) {
    if (!withIntegrityPacket) {
      throw new IllegalArgumentException("backups are always integrity-protected");
    }
    return this;
  }

  @Override
  public PGPDataEncryptorBuilder setWithAEAD(int aeadAlgorithm, int chunkSize) {
    throw new UnsupportedOperationException("gpg 2.2 reads no AEAD packets");
  }

  @Override
  public PGPDataEncryptorBuilder setUseV5AEAD() {
    throw new UnsupportedOperationException("gpg 2.2 reads no AEAD packets");
  }

  @Override
  public PGPDataEncryptorBuilder setUseV6AEAD() {
    throw new UnsupportedOperationException("gpg 2.2 reads no AEAD packets");
  }

  /** Encrypts through one reused buffer; a stream cipher mode keeps no bytes back. */
  private static final class CipherStream extends FilterOutputStream {
    private final Cipher cipher;
    private byte[] buffer = new byte[1 << 16];

    CipherStream(OutputStream out, Cipher cipher) {
      super(out);
      this.cipher = cipher;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      int size = cipher.getOutputSize(len);
      if (size > buffer.length) {
        buffer = new byte[size];
      }
      try {
        int n = cipher.update(b, off, len, buffer, 0);
        out.write(buffer, 0, n);
      } catch (ShortBufferException e) {
        throw new IOException(e);
      }
    }

    @Override
    public void close() throws IOException {
      try {
        byte[] last = cipher.doFinal();
        out.write(last);
      } catch (GeneralSecurityException e) {
        throw new IOException(e);
      }
      out.close();
    }
  }
}
