package io.backupagents.bench;

import io.backupagents.common.s3.S3Clients;
import io.backupagents.common.s3.S3Settings;
import io.backupagents.common.s3.S3Connection;
import io.backupagents.common.s3.S3Store;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Uploads the same files with three clients against one S3 endpoint and prints a Markdown table:
 * the agents' own multipart upload on the SDK's Netty client (Content-MD5 on every part, rclone
 * metadata), the SDK's built-in multipart client, and the CRT client.
 */
public final class S3ClientBench {

  private static final long PART = 16L << 20;

  public static void main(String[] args) throws Exception {
    URI endpoint = URI.create(args[0]);
    Path data = Path.of(args[1]);
    int runs = Integer.parseInt(args[2]);
    Files.createDirectories(data);
    Path big = data.resolve("big.bin");
    List<Path> small = new ArrayList<>();
    Random random = new Random(7);
    if (!Files.exists(big)) {
      byte[] block = new byte[1 << 20];
      try (var out = Files.newOutputStream(big)) {
        for (int i = 0; i < 1024; i++) {
          random.nextBytes(block);
          out.write(block);
        }
      }
    }
    for (int i = 0; i < 400; i++) {
      Path f = data.resolve("small-" + i + ".bin");
      if (!Files.exists(f)) {
        byte[] b = new byte[256 << 10];
        random.nextBytes(b);
        Files.write(f, b);
      }
      small.add(f);
    }
    S3Settings settings =
        new S3Settings(
            Optional.of(endpoint),
            "us-east-1",
            true,
            "bench",
            "bench-secret",
            S3Settings.ChecksumMode.WHEN_REQUIRED,
            true,
            S3Settings.Encryption.NONE,
            Optional.empty(),
            Optional.empty(),
            64,
            200L << 20,
            PART,
            3);
    StringBuilder table = new StringBuilder();
    table.append("| client | 1 GiB file (median s) | 400 x 256 KiB, 32 at once (median s) |\n");
    table.append("|---|---|---|\n");
    List<String> variants =
        List.of(
            System.getProperty(
                    "variants", "netty-own-multipart,netty-default-client,netty-sdk-multipart,crt")
                .split(","));
    java.util.Map<String, double[]> bigTimes = new java.util.LinkedHashMap<>();
    java.util.Map<String, double[]> smallTimes = new java.util.LinkedHashMap<>();
    java.util.Map<String, String> failures = new java.util.HashMap<>();
    // Round-robin with an untimed warm-up round (run 0), so JIT warm-up and the machine's
    // noise spread evenly over the clients instead of penalising whichever goes first.
    for (int r = 0; r <= runs; r++) {
      for (String variant : variants) {
        if (failures.containsKey(variant)) {
          continue;
        }
        try (S3AsyncClient client = client(variant, settings)) {
          String bucket = "bench-" + variant;
          client.createBucket(b -> b.bucket(bucket)).exceptionally(e -> null).join();
          double bigSeconds =
              Boolean.getBoolean("smallOnly")
                  ? 0
                  : time(() -> upload(variant, client, settings, bucket, List.of(big), 1));
          double smallSeconds = time(() -> upload(variant, client, settings, bucket, small, 32));
          System.err.printf(
              Locale.ROOT,
              "%s run %d: big %.2fs small %.2fs%n",
              variant,
              r,
              bigSeconds,
              smallSeconds);
          if (r > 0) {
            bigTimes.computeIfAbsent(variant, v -> new double[runs])[r - 1] = bigSeconds;
            smallTimes.computeIfAbsent(variant, v -> new double[runs])[r - 1] = smallSeconds;
          }
        } catch (RuntimeException e) {
          Throwable root = e;
          while (root.getCause() != null) {
            root = root.getCause();
          }
          failures.put(variant, root.getMessage());
        }
      }
    }
    for (String variant : variants) {
      if (failures.containsKey(variant)) {
        table.append("| " + variant + " | failed: " + failures.get(variant) + " | |\n");
      } else {
        table.append(
            String.format(
                Locale.ROOT,
                "| %s | %.2f | %.2f |%n",
                variant,
                median(bigTimes.get(variant)),
                median(smallTimes.get(variant))));
      }
    }
    System.out.print(table);
  }

  private static S3AsyncClient client(String variant, S3Settings s) {
    var credentials =
        StaticCredentialsProvider.create(
            AwsBasicCredentials.create(s.accessKeyId(), s.secretAccessKey()));
    return switch (variant) {
      case "netty-own-multipart", "netty-own-client-plain-put" -> S3Clients.create(s).client();
      case "netty-default-client" ->
          S3AsyncClient.builder()
              .endpointOverride(s.endpoint().orElseThrow())
              .region(Region.US_EAST_1)
              .credentialsProvider(credentials)
              .forcePathStyle(true)
              .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
              .build();
      case "netty-sdk-multipart" ->
          S3AsyncClient.builder()
              .endpointOverride(s.endpoint().orElseThrow())
              .region(Region.US_EAST_1)
              .credentialsProvider(credentials)
              .forcePathStyle(true)
              .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
              .multipartEnabled(true)
              .multipartConfiguration(
                  m -> m.thresholdInBytes(s.multipartThreshold()).minimumPartSizeInBytes(PART))
              .build();
      default ->
          S3AsyncClient.crtBuilder()
              .endpointOverride(s.endpoint().orElseThrow())
              .region(Region.US_EAST_1)
              .credentialsProvider(credentials)
              .forcePathStyle(true)
              .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
              .minimumPartSizeInBytes(PART)
              .thresholdInBytes(s.multipartThreshold())
              .maxConcurrency(64)
              .build();
    };
  }

  private static void upload(
      String variant,
      S3AsyncClient client,
      S3Settings s,
      String bucket,
      List<Path> files,
      int parallel)
      throws Exception {
    Semaphore permits = new Semaphore(parallel);
    List<CompletableFuture<?>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        S3Connection own = S3Connection.open(s)) {
      for (Path f : files) {
        permits.acquire();
        String key = "k/" + f.getFileName();
        if (variant.equals("netty-own-multipart")) {
          futures.add(
              CompletableFuture.runAsync(
                  () -> {
                    try {
                      new S3Store(own, bucket).upload(f, key, Instant.now());
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    } finally {
                      permits.release();
                    }
                  },
                  pool));
        } else {
          futures.add(
              client
                  .putObject(b -> b.bucket(bucket).key(key), AsyncRequestBody.fromFile(f))
                  .whenComplete((r, e) -> permits.release()));
        }
      }
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
    }
  }

  private interface Work {
    void run() throws Exception;
  }

  private static double time(Work work) throws Exception {
    long start = System.nanoTime();
    work.run();
    return (System.nanoTime() - start) / 1e9;
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
