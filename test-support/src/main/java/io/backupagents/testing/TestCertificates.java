package io.backupagents.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A certificate authority made by a test, as CloudNativePG makes one per cluster: EC P-256 keys,
 * server certificates naming hosts and addresses, client certificates naming a role, and revocation
 * lists. Keys are written as SEC1 PEM ({@code EC PRIVATE KEY}), the form CloudNativePG's Secrets
 * carry.
 */
public final class TestCertificates {

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  /** A certificate and its key pair. */
  public record Issued(X509Certificate certificate, KeyPair keys) {
    /** Writes the certificate as PEM. */
    public Path writeCertificate(Path file) {
      return writePem(file, certificate);
    }

    /** Writes the private key as SEC1 PEM ({@code EC PRIVATE KEY}). */
    public Path writeKey(Path file) {
      return writePem(file, sec1(keys));
    }

    /** The private key as SEC1 PEM text. */
    public String keyPem() {
      return pem(sec1(keys));
    }
  }

  private final Issued ca;

  private TestCertificates(Issued ca) {
    this.ca = ca;
  }

  /** A new CA named {@code name}. */
  public static TestCertificates authority(String name) {
    KeyPair keys = keyPair();
    X500Name subject = new X500Name("CN=" + name);
    try {
      X509v3CertificateBuilder builder = builder(subject, subject, keys);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return new TestCertificates(new Issued(sign(builder, keys), keys));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Issued ca() {
    return ca;
  }

  /** A server certificate for these host names and IP addresses. */
  public Issued server(String commonName, List<String> dnsNames, List<String> addresses) {
    List<GeneralName> names = new ArrayList<>();
    dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
    addresses.forEach(a -> names.add(new GeneralName(GeneralName.iPAddress, a)));
    return issue(commonName, names);
  }

  /** A client certificate for the role {@code role} (its common name). */
  public Issued client(String role) {
    return issue(role, List.of());
  }

  /** A PEM revocation list of this CA that revokes {@code revoked}. */
  @SuppressWarnings("JavaUtilDate") // Bouncy Castle's CRL builder takes java.util.Date
  public Path writeCrl(Path file, X509Certificate... revoked) {
    try {
      Date now = new Date();
      X509v2CRLBuilder builder =
          new X509v2CRLBuilder(
              X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()), now);
      builder.setNextUpdate(Date.from(Instant.now().plus(Duration.ofDays(30))));
      for (X509Certificate c : revoked) {
        builder.addCRLEntry(c.getSerialNumber(), now, CRLReason.keyCompromise);
      }
      X509CRL crl = new JcaX509CRLConverter().getCRL(builder.build(signer(ca.keys())));
      return writePem(file, crl);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private Issued issue(String commonName, List<GeneralName> names) {
    KeyPair keys = keyPair();
    try {
      X509v3CertificateBuilder builder =
          builder(
              X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
              new X500Name("CN=" + commonName),
              keys);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      if (!names.isEmpty()) {
        builder.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(names.toArray(new GeneralName[0])));
      }
      return new Issued(sign(builder, ca.keys()), keys);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        BigInteger.valueOf(SERIAL.incrementAndGet()),
        Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(30))),
        subject,
        keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signerKeys) {
    try {
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer(signerKeys)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ContentSigner signer(KeyPair keys) {
    try {
      return new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
    } catch (OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The address of the loopback interface, for certificates naming 127.0.0.1. */
  public static String loopback() {
    return InetAddress.getLoopbackAddress().getHostAddress();
  }

  /**
   * SEC1 with the curve named: the JDK's encoding leaves it to the outer PKCS#8 structure, and
   * OpenSSL cannot read an SEC1 key without it.
   */
  private static PemObject sec1(KeyPair keys) {
    try {
      PrivateKeyInfo info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
      ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
      SubjectPublicKeyInfo pub = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
      ECPrivateKey full =
          new ECPrivateKey(
              256,
              inner.getKey(),
              pub.getPublicKeyData(),
              info.getPrivateKeyAlgorithm().getParameters());
      return new PemObject("EC PRIVATE KEY", full.getEncoded());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String pem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static Path writePem(Path file, Object object) {
    try {
      Files.writeString(file, pem(object), StandardCharsets.US_ASCII);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
