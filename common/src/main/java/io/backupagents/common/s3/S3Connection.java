package io.backupagents.common.s3;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The SDK's clients of one S3 endpoint, each built when the first request needs it: the synchronous
 * client (url-connection) lists and reads small objects, the asynchronous one (Netty) does
 * everything else (HEAD, uploads, downloads of files, copies, deletes). A run that finds everything
 * up to date therefore never starts the asynchronous client and its event loops. Thread-safe; close
 * it once, at the end.
 */
public final class S3Connection implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(S3Connection.class);

  private final S3Settings settings;
  private volatile S3Clients.Async sdk;
  private volatile S3Client sync;
  private boolean closed;

  private S3Connection(S3Settings settings) {
    this.settings = settings;
  }

  public static S3Connection open(S3Settings settings) {
    if (!settings.verifyTls()) {
      log.warn(
          "TLS certificate verification is OFF for the S3 endpoint (S3_NO_CHECK_CERTIFICATE): "
              + "traffic can be intercepted; use a trusted certificate instead");
    }
    return new S3Connection(settings);
  }

  public S3Settings settings() {
    return settings;
  }

  /** The SDK's asynchronous client, built on first use. */
  public S3AsyncClient sdk() {
    S3Clients.Async client = sdk;
    if (client == null) {
      synchronized (this) {
        checkOpen();
        client = sdk;
        if (client == null) {
          client = S3Clients.create(settings);
          sdk = client;
        }
      }
    }
    return client.client();
  }

  /** The SDK's synchronous client for listings and small reads, built on first use. */
  S3Client sync() {
    S3Client client = sync;
    if (client == null) {
      synchronized (this) {
        checkOpen();
        client = sync;
        if (client == null) {
          client = S3Clients.createSync(settings);
          sync = client;
        }
      }
    }
    return client;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the S3 connection is closed");
    }
  }

  /** Whether the asynchronous client was needed (and built). */
  boolean sdkStarted() {
    return sdk != null;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (sdk != null) {
      sdk.close();
    }
    if (sync != null) {
      sync.close();
    }
  }
}
