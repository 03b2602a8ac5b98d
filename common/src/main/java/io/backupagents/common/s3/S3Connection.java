package io.backupagents.common.s3;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The clients of one S3 endpoint: listings and reads of small objects go through {@link
 * S3ReadClient} (signed requests over the JDK's HTTP client), everything else (HEAD, uploads,
 * downloads of files, copies, deletes) through the SDK's client, which is only built when the first
 * such request comes. A run that finds everything up to date therefore never starts the SDK's
 * client and its event loops. Thread-safe; close it once, at the end.
 */
public final class S3Connection implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(S3Connection.class);

  private final S3Settings settings;
  private final S3ReadClient reads;
  private volatile S3AsyncClient sdk;
  private volatile S3Client sync;
  private boolean closed;

  /**
   * Which client lists and reads small objects: {@code jdk} (S3ReadClient, the default) or {@code
   * sdk} (the SDK's synchronous client); read here only, for the side-by-side measurement of the
   * two in bench/volume-replicator.
   */
  static final boolean SDK_READS = "sdk".equals(System.getProperty("backupagents.s3.reads"));

  private S3Connection(S3Settings settings) {
    this.settings = settings;
    this.reads = new S3ReadClient(settings);
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

  /** The SDK's client, built on first use. */
  public S3AsyncClient sdk() {
    S3AsyncClient client = sdk;
    if (client == null) {
      synchronized (this) {
        if (closed) {
          throw new IllegalStateException("the S3 connection is closed");
        }
        client = sdk;
        if (client == null) {
          client = S3Clients.create(settings);
          sdk = client;
        }
      }
    }
    return client;
  }

  /** The SDK's synchronous client for listings and small reads, built on first use. */
  S3Client sync() {
    S3Client client = sync;
    if (client == null) {
      synchronized (this) {
        if (closed) {
          throw new IllegalStateException("the S3 connection is closed");
        }
        client = sync;
        if (client == null) {
          client = S3Clients.createSync(settings);
          sync = client;
        }
      }
    }
    return client;
  }

  /** Whether the SDK's client was needed (and built). */
  boolean sdkStarted() {
    return sdk != null;
  }

  S3ReadClient reads() {
    return reads;
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
    reads.close();
  }
}
