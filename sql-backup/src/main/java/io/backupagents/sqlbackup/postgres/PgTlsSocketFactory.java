package io.backupagents.sqlbackup.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Properties;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.postgresql.ssl.WrappedFactory;

/**
 * pgjdbc's TLS sockets with libpq's meaning of the same settings ({@code sslmode}, {@code
 * sslrootcert}, {@code sslcert}, {@code sslkey}, {@code sslcrl}), which pgjdbc's own factory does
 * not give: PEM keys of every kind libpq reads, and revocation lists. The chain is checked under
 * verify-ca and verify-full ({@link PgTls#effectiveMode()} turns require with root certificates
 * into verify-ca); pgjdbc itself checks the host name under verify-full.
 */
public final class PgTlsSocketFactory extends WrappedFactory {

  /** pgjdbc calls this with the connection's properties. */
  public PgTlsSocketFactory(Properties info) throws GeneralSecurityException, IOException {
    SslMode mode = SslMode.parse(info.getProperty("sslmode", "prefer")).orElse(SslMode.VERIFY_FULL);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers(info), trustManagers(mode, info), null);
    factory = context.getSocketFactory();
  }

  private static KeyManager[] keyManagers(Properties info)
      throws GeneralSecurityException, IOException {
    String cert = info.getProperty("sslcert");
    String key = info.getProperty("sslkey");
    if (cert == null || key == null) {
      return null;
    }
    List<X509Certificate> chain = Pem.certificates(Path.of(cert));
    char[] none = new char[0];
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(
        "client",
        Pem.privateKey(Files.readString(Path.of(key), StandardCharsets.UTF_8)),
        none,
        chain.toArray(new X509Certificate[0]));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, none);
    return kmf.getKeyManagers();
  }

  private static TrustManager[] trustManagers(SslMode mode, Properties info)
      throws GeneralSecurityException, IOException {
    if (!mode.verifiesChain()) {
      // libpq's prefer and require without root certificates: encrypted, server not checked.
      return new TrustManager[] {new UncheckedServer()};
    }
    KeyStore roots = KeyStore.getInstance("PKCS12");
    roots.load(null, null);
    int i = 0;
    for (X509Certificate ca : Pem.certificates(Path.of(info.getProperty("sslrootcert")))) {
      roots.setCertificateEntry("ca-" + i++, ca);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    String crl = info.getProperty("sslcrl");
    if (crl == null) {
      tmf.init(roots);
    } else {
      PKIXBuilderParameters parameters = new PKIXBuilderParameters(roots, new X509CertSelector());
      parameters.setRevocationEnabled(true);
      parameters.addCertStore(
          CertStore.getInstance(
              "Collection", new CollectionCertStoreParameters(Pem.crls(Path.of(crl)))));
      tmf.init(new CertPathTrustManagerParameters(parameters));
    }
    return tmf.getTrustManagers();
  }

  /** Accepts any server certificate: libpq's behaviour without verification. */
  private static final class UncheckedServer implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
