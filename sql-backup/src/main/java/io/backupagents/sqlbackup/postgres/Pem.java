package io.backupagents.sqlbackup.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CRL;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads the PEM files libpq reads: certificates, revocation lists and private keys. Bouncy Castle
 * parses the keys, since the JDK reads only PKCS#8 while libpq (and CloudNativePG's EC keys) also
 * use PKCS#1 and SEC1.
 */
final class Pem {

  private Pem() {}

  /** Every certificate in the file, in order; at least one. */
  static List<X509Certificate> certificates(Path file)
      throws IOException, GeneralSecurityException {
    List<X509Certificate> result = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        result.add((X509Certificate) c);
      }
    }
    if (result.isEmpty()) {
      throw new GeneralSecurityException("no certificate in it");
    }
    return result;
  }

  /** Every certificate revocation list in the file; at least one. */
  static List<X509CRL> crls(Path file) throws IOException, GeneralSecurityException {
    List<X509CRL> result = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      for (CRL c : CertificateFactory.getInstance("X.509").generateCRLs(in)) {
        result.add((X509CRL) c);
      }
    }
    if (result.isEmpty()) {
      throw new GeneralSecurityException("no revocation list in it");
    }
    return result;
  }

  /**
   * The first private key in {@code pem}. Messages never quote the key: they say only what kind of
   * problem it has.
   */
  static PrivateKey privateKey(String pem) throws IOException {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof PEMKeyPair pair) {
          return converter.getKeyPair(pair).getPrivate();
        }
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
          throw new IOException("the private key is encrypted: give it unencrypted");
        }
      }
    } catch (IOException | RuntimeException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("the private key")) {
        throw e;
      }
      throw new IOException("not a PEM private key (" + e.getClass().getSimpleName() + ")");
    }
    throw new IOException("no PEM private key in it");
  }

  /** True when {@code key} is the private half of {@code cert}'s public key. */
  static boolean matches(PrivateKey key, X509Certificate cert) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> null;
        };
    if (algorithm == null) {
      return true; // an unusual key type: the server will say whether it fits
    }
    try {
      byte[] probe = new byte[32];
      new SecureRandom().nextBytes(probe);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
