package io.backupagents.common.s3;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3BaseClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * Builds the SDK's S3 clients from {@link S3Settings}, asynchronous (Netty) and synchronous
 * (url-connection); {@link S3Connection} creates each when a request needs it.
 *
 * <p>Path-style addressing for non-AWS stores; the SDK's newer checksum headers only when asked for
 * (Ceph RGW rejects them); TLS verification unless explicitly disabled; retries with jittered
 * exponential backoff on 5xx, SlowDown throttling, RequestTimeout and network errors.
 */
public final class S3Clients {

  /** Waits between attempts of a failed request. */
  private static final BackoffStrategy BACKOFF =
      BackoffStrategy.exponentialDelay(Duration.ofMillis(200), Duration.ofSeconds(20));

  /** Waits between attempts of a request the store throttled (SlowDown). */
  private static final BackoffStrategy THROTTLING_BACKOFF =
      BackoffStrategy.exponentialDelay(Duration.ofSeconds(1), Duration.ofSeconds(30));

  private static final Set<String> RETRYABLE_CODES =
      Set.of("RequestTimeout", "RequestTimeoutException", "SlowDown", "InternalError");

  private S3Clients() {}

  /**
   * The asynchronous client and the event loops it runs on, which {@link #close} stops and waits
   * for: closing the client alone lets the SDK's own loops end after a quiet period, and a JVM that
   * exits while they still wait in {@code epoll_wait} waits 0.3 s for them (see {@link
   * io.backupagents.common.launch.Threads}).
   */
  public record Async(S3AsyncClient client, SdkEventLoopGroup loops) implements AutoCloseable {
    @Override
    public void close() {
      client.close();
      loops
          .eventLoopGroup()
          .shutdownGracefully(0, 5, TimeUnit.SECONDS)
          .awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
  }

  /** The asynchronous client on Netty: uploads, downloads of files, copies, deletes, HEAD. */
  public static Async create(S3Settings settings) {
    SdkEventLoopGroup loops = SdkEventLoopGroup.builder().build();
    SdkAsyncHttpClient httpClient =
        NettyNioAsyncHttpClient.builder()
            .eventLoopGroup(loops)
            .maxConcurrency(settings.maxConnections())
            .connectionAcquisitionTimeout(Duration.ofMinutes(10))
            .connectionTimeout(Duration.ofSeconds(10))
            .readTimeout(Duration.ofMinutes(2))
            .writeTimeout(Duration.ofMinutes(2))
            .buildWithDefaults(tls(settings));
    return new Async(
        configure(S3AsyncClient.builder().httpClient(httpClient), settings, Duration.ofMinutes(15))
            .build(),
        loops);
  }

  /**
   * The synchronous client on the JDK's {@code HttpURLConnection}: listings and small reads, which
   * a pass that finds everything unchanged makes and nothing else. It starts without event loops.
   */
  static S3Client createSync(S3Settings settings) {
    SdkHttpClient httpClient =
        UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(10))
            .socketTimeout(Duration.ofMinutes(2))
            .buildWithDefaults(tls(settings));
    return configure(S3Client.builder().httpClient(httpClient), settings, Duration.ofMinutes(5))
        .build();
  }

  /** TLS verification unless explicitly disabled (S3_NO_CHECK_CERTIFICATE). */
  private static AttributeMap tls(S3Settings settings) {
    AttributeMap.Builder http = AttributeMap.builder();
    if (!settings.verifyTls()) {
      http.put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, true);
    }
    return http.build();
  }

  /** What both clients share: region, keys, addressing, checksums, retries, attempt timeout. */
  private static <B extends S3BaseClientBuilder<B, ?>> B configure(
      B builder, S3Settings settings, Duration attemptTimeout) {
    boolean required = settings.checksumMode() == S3Settings.ChecksumMode.WHEN_REQUIRED;
    builder
        .region(Region.of(settings.region()))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey())))
        .forcePathStyle(settings.pathStyle())
        .requestChecksumCalculation(
            required
                ? RequestChecksumCalculation.WHEN_REQUIRED
                : RequestChecksumCalculation.WHEN_SUPPORTED)
        .responseChecksumValidation(
            required
                ? ResponseChecksumValidation.WHEN_REQUIRED
                : ResponseChecksumValidation.WHEN_SUPPORTED)
        .overrideConfiguration(
            ClientOverrideConfiguration.builder()
                .retryStrategy(retryStrategy(settings.maxAttempts()))
                .apiCallAttemptTimeout(attemptTimeout)
                .build());
    settings.endpoint().ifPresent(builder::endpointOverride);
    return builder;
  }

  static RetryStrategy retryStrategy(int maxAttempts) {
    return software.amazon.awssdk.retries.StandardRetryStrategy.builder()
        .maxAttempts(maxAttempts)
        .backoffStrategy(BACKOFF)
        .throttlingBackoffStrategy(THROTTLING_BACKOFF)
        .retryOnException(S3Clients::retryable)
        .treatAsThrottling(S3Clients::throttled)
        .circuitBreakerEnabled(false)
        .build();
  }

  static boolean retryable(Throwable t) {
    Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (e instanceof S3Exception s3) {
      String code = errorCode(s3);
      return s3.statusCode() >= 500
          || s3.statusCode() == 429
          || (code != null && RETRYABLE_CODES.contains(code));
    }
    return e instanceof SdkClientException;
  }

  /** Whether the store asked to slow down (S3's SlowDown), which backs off longer. */
  static boolean throttled(Throwable t) {
    return t instanceof S3Exception e && "SlowDown".equals(errorCode(e));
  }

  private static String errorCode(S3Exception e) {
    return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
  }
}
