package io.backupagents.sqlbackup.codec;

import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.api.bc.BcOpenPGPImplementation;
import org.bouncycastle.openpgp.operator.PGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.PublicKeyKeyEncryptionMethodGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyKeyEncryptionMethodGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyKeyEncryptionMethodGenerator;

/**
 * Bouncy Castle's OpenPGP operations with the JDK's RSA for the recipients' RSA keys: verifying
 * their certificates' self-signatures and encrypting each backup's session key. Bouncy Castle's own
 * RSA first tests every public modulus for compositeness (Miller-Rabin rounds over a 3072-bit
 * number, each time a key is used), a defence against crafted keys that buys nothing here: the
 * recipients are the operator's own setting, and whoever can change it can name any key. Measured
 * in a fresh JVM with the image's class archive and a gpg-made RSA-3072 key: reading the key
 * 110-133 ms with Bouncy Castle's RSA (three runs), 33-45 ms with the JDK's (six runs); the first
 * encryption 67-78 ms and 18-28 ms; and the JIT no longer compiles BigInteger's arithmetic during
 * an encrypted backup. Other algorithms (ECDH, EdDSA, ElGamal, DSA) stay with Bouncy Castle.
 */
final class JdkRsa {

  private JdkRsa() {}

  /** Bouncy Castle's implementation, verifying RSA signatures with the JDK's RSA. */
  static BcOpenPGPImplementation implementation() {
    return new BcOpenPGPImplementation() {
      @Override
      public PGPContentVerifierBuilderProvider pgpContentVerifierBuilderProvider() {
        PGPContentVerifierBuilderProvider bc = super.pgpContentVerifierBuilderProvider();
        PGPContentVerifierBuilderProvider jdk = new JcaPGPContentVerifierBuilderProvider();
        return (keyAlgorithm, hashAlgorithm) ->
            isRsa(keyAlgorithm)
                ? jdk.get(keyAlgorithm, hashAlgorithm)
                : bc.get(keyAlgorithm, hashAlgorithm);
      }
    };
  }

  /** Encrypts the session key to {@code key}. */
  static PublicKeyKeyEncryptionMethodGenerator sessionKeyTo(PGPPublicKey key) {
    return isRsa(key.getAlgorithm())
        ? new JcePublicKeyKeyEncryptionMethodGenerator(key)
        : new BcPublicKeyKeyEncryptionMethodGenerator(key);
  }

  @SuppressWarnings("deprecation") // the encrypt-only and sign-only ids: old keys still carry them
  private static boolean isRsa(int algorithm) {
    return algorithm == PublicKeyAlgorithmTags.RSA_GENERAL
        || algorithm == PublicKeyAlgorithmTags.RSA_ENCRYPT
        || algorithm == PublicKeyAlgorithmTags.RSA_SIGN;
  }
}
