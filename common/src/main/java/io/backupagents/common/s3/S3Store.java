package io.backupagents.common.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.Predicate;
import software.amazon.awssdk.core.FileRequestBodyConfiguration;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.internal.util.Mimetype;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Blocking operations on one bucket, written for virtual threads: listing by pages, HEAD, uploads
 * with rclone's metadata and server-verified MD5s, verified downloads, batched deletes.
 *
 * <p>Never sets an ACL: objects get the bucket's default (private) access.
 */
public final class S3Store {

  private static final int DELETE_BATCH = 1000;
  private static final int MAX_PARTS = 10_000;
  private static final int MAX_PARTS_IN_FLIGHT = 16;
  // CopyObject takes sources up to 5 GiB; larger ones are copied in parts (UploadPartCopy).
  private static final long MAX_SINGLE_COPY = 5L << 30;

  private final S3Connection connection;
  private final String bucket;
  private final S3Settings settings;

  public S3Store(S3Connection connection, String bucket) {
    this.connection = connection;
    this.bucket = bucket;
    this.settings = connection.settings();
  }

  public String bucket() {
    return bucket;
  }

  /**
   * Lists every object under {@code prefix}, one ListObjectsV2 page (up to 1000 keys) at a time, in
   * key order. Returns the number of list requests made.
   */
  public int list(String prefix, Consumer<RemoteObject> sink) {
    return list(
        prefix,
        null,
        o -> {
          sink.accept(o);
          return true;
        });
  }

  /**
   * Lists the objects under {@code prefix} whose keys sort after {@code startAfter} (all of them
   * when null), in key order, until {@code sink} returns false; no further page is requested after
   * that. Several such ranges listed at once read a large bucket in a fraction of the time one
   * sequential listing takes. Returns the number of list requests made.
   */
  public int list(String prefix, String startAfter, Predicate<RemoteObject> sink) {
    String token = null;
    int requests = 0;
    do {
      ListObjectsV2Response page;
      String after = token == null ? startAfter : null;
      String continuation = token;
      try {
        page =
            connection
                .sync()
                .listObjectsV2(
                    b ->
                        b.bucket(bucket)
                            .prefix(prefix.isEmpty() ? null : prefix)
                            .maxKeys(1000)
                            .startAfter(after)
                            .continuationToken(continuation));
      } catch (RuntimeException e) {
        throw S3Errors.classify("list of " + where(prefix), e);
      }
      requests++;
      for (S3Object o : page.contents()) {
        if (!sink.test(new RemoteObject(o.key(), o.size(), o.eTag(), o.lastModified(), Map.of()))) {
          return requests;
        }
      }
      token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
    } while (token != null);
    return requests;
  }

  /** Every object under {@code prefix}, in key order. */
  public List<RemoteObject> listAll(String prefix) {
    List<RemoteObject> all = new ArrayList<>();
    list(prefix, all::add);
    return all;
  }

  /** The object's size, ETag and user metadata, or empty when there is no such key. */
  public Optional<RemoteObject> head(String key) {
    try {
      HeadObjectResponse r = sdk().headObject(b -> b.bucket(bucket).key(key)).join();
      return Optional.of(
          new RemoteObject(key, r.contentLength(), r.eTag(), r.lastModified(), r.metadata()));
    } catch (RuntimeException e) {
      if (isNotFound(e)) {
        return Optional.empty();
      }
      throw S3Errors.classify("HEAD of " + where(key), e);
    }
  }

  /**
   * Uploads {@code file} to {@code key} with rclone's mtime metadata. Small files go in one PUT
   * with Content-MD5; files above the multipart threshold go in parts, each with its own
   * Content-MD5, and carry the whole file's MD5 as rclone's md5chksum metadata (their ETag is not
   * an MD5). A failed multipart upload is aborted so no parts are left behind. The object returned
   * has no modification time: the store's responses to an upload do not say it.
   */
  public RemoteObject upload(Path file, String key, Instant mtime) throws IOException {
    long size = Files.size(file);
    Map<String, String> metadata = new HashMap<>();
    metadata.put(RcloneMetadata.MTIME, RcloneMetadata.formatMtime(mtime));
    AsyncRequestBody whole = AsyncRequestBody.fromFile(file);
    // Typed by the extension of the key's last name (the SDK's mime.types), as rclone types an
    // object by its key's, not by the file's path: the replicator hands in a path through a
    // descriptor (/proc/self/fd/<n>). An upload in parts gets the same type, so the type does not
    // depend on the size.
    String contentType = Mimetype.getInstance().getMimetype(Path.of(lastName(key)));
    if (size <= settings.multipartThreshold()) {
      ContentDigests digests = ContentDigests.of(file, 0);
      PutObjectRequest.Builder put =
          PutObjectRequest.builder()
              .bucket(bucket)
              .key(key)
              .contentType(contentType)
              .contentLength(size)
              .contentMD5(base64(digests.whole()))
              .metadata(metadata);
      encryption(put);
      var response = join("upload of " + where(key), sdk().putObject(put.build(), whole));
      return new RemoteObject(key, size, response.eTag(), null, metadata);
    }
    long partSize = Math.max(settings.partSize(), ceilDiv(size, MAX_PARTS - 1));
    ContentDigests digests = ContentDigests.of(file, partSize);
    metadata.put(RcloneMetadata.MD5, base64(digests.whole()));
    return uploadParts(file, key, size, partSize, digests, metadata, contentType);
  }

  /** The last name of {@code key} ("movie.mp4" of "media/2024/movie.mp4"). */
  private static String lastName(String key) {
    return key.substring(key.lastIndexOf('/') + 1);
  }

  private RemoteObject uploadParts(
      Path file,
      String key,
      long size,
      long partSize,
      ContentDigests digests,
      Map<String, String> metadata,
      String contentType) {
    CreateMultipartUploadRequest.Builder create =
        CreateMultipartUploadRequest.builder()
            .bucket(bucket)
            .key(key)
            .contentType(contentType)
            .metadata(metadata);
    storageAndEncryption(create::storageClass, create::serverSideEncryption, create::ssekmsKeyId);
    String uploadId =
        join(
                "start of multipart upload of " + where(key),
                sdk().createMultipartUpload(create.build()))
            .uploadId();
    List<CompletableFuture<CompletedPart>> futures = new ArrayList<>();
    try {
      // Parts of one file go up in parallel, within a share of the connection pool.
      Semaphore inFlight =
          new Semaphore(Math.max(2, Math.min(MAX_PARTS_IN_FLIGHT, settings.maxConnections() / 4)));
      for (int i = 0; i < digests.parts().size(); i++) {
        int partNumber = i + 1;
        long offset = i * partSize;
        long length = Math.min(partSize, size - offset);
        String md5 = base64(digests.parts().get(i));
        inFlight.acquireUninterruptibly();
        AsyncRequestBody body =
            AsyncRequestBody.fromFile(
                FileRequestBodyConfiguration.builder()
                    .path(file)
                    .position(offset)
                    .numBytesToRead(length)
                    .build());
        futures.add(
            sdk()
                .uploadPart(
                    b ->
                        b.bucket(bucket)
                            .key(key)
                            .uploadId(uploadId)
                            .partNumber(partNumber)
                            .contentLength(length)
                            .contentMD5(md5),
                    body)
                .whenComplete((r, e) -> inFlight.release())
                .thenApply(
                    r -> CompletedPart.builder().partNumber(partNumber).eTag(r.eTag()).build()));
      }
      List<CompletedPart> parts = new ArrayList<>();
      for (CompletableFuture<CompletedPart> f : futures) {
        parts.add(join("upload of a part of " + where(key), f));
      }
      String etag = complete("completion of " + where(key), key, uploadId, parts);
      return new RemoteObject(key, size, etag, null, metadata);
    } catch (RuntimeException e) {
      // The parts still under way end first: none reaches the store after the abort, and none
      // reads the file after the caller has let go of it.
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
          .handle((r, x) -> null)
          .join();
      abort(key, uploadId);
      throw e;
    }
  }

  /** Completes a multipart upload; returns the object's ETag. */
  private String complete(String what, String key, String uploadId, List<CompletedPart> parts) {
    CompletedMultipartUpload upload = CompletedMultipartUpload.builder().parts(parts).build();
    return join(
            what,
            sdk()
                .completeMultipartUpload(
                    b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(upload)))
        .eTag();
  }

  /** Aborts a multipart upload so that no parts are left behind; a failure to abort is ignored. */
  private void abort(String key, String uploadId) {
    sdk()
        .abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId))
        .exceptionally(x -> null)
        .join();
  }

  /**
   * Downloads {@code key} into {@code target} (created or replaced; callers pass a temporary name
   * and rename it themselves) and checks the content MD5 when the object has one. Returns the
   * object with its metadata.
   */
  public RemoteObject download(String key, Path target) throws IOException {
    ResponseInputStream<GetObjectResponse> in;
    try {
      in =
          sdk()
              .getObject(
                  b -> b.bucket(bucket).key(key), AsyncResponseTransformer.toBlockingInputStream())
              .join();
    } catch (RuntimeException e) {
      throw S3Errors.classify("download of " + where(key), e);
    }
    GetObjectResponse r = in.response();
    RemoteObject object =
        new RemoteObject(key, r.contentLength(), r.eTag(), r.lastModified(), r.metadata());
    MessageDigest md5 = ContentDigests.md5();
    try (InputStream body = new DigestInputStream(in, md5);
        OutputStream out =
            Files.newOutputStream(
                target,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE,
                // never write through a symlink someone put in place of the temporary name
                LinkOption.NOFOLLOW_LINKS)) {
      body.transferTo(out);
    }
    checkMd5(object, md5.digest());
    return object;
  }

  /**
   * A small object (a manifest, a checksum record) read whole into memory with its metadata, its
   * MD5 checked as {@link #download} checks it; empty when there is no such key. Read through the
   * synchronous client (see {@link S3Connection}); large objects go through {@link #download}.
   */
  public Optional<FetchedObject> fetch(String key) throws IOException {
    FetchedObject fetched;
    try {
      ResponseBytes<GetObjectResponse> bytes =
          connection.sync().getObjectAsBytes(b -> b.bucket(bucket).key(key));
      GetObjectResponse r = bytes.response();
      fetched =
          new FetchedObject(
              new RemoteObject(key, r.contentLength(), r.eTag(), r.lastModified(), r.metadata()),
              bytes.asByteArrayUnsafe());
    } catch (RuntimeException e) {
      if (isNotFound(e)) {
        return Optional.empty();
      }
      throw S3Errors.classify("download of " + where(key), e);
    }
    checkMd5(fetched.object(), ContentDigests.md5().digest(fetched.content()));
    return Optional.of(fetched);
  }

  private void checkMd5(RemoteObject object, byte[] md5) throws IOException {
    Optional<String> expected = object.md5Hex();
    String actual = HexFormat.of().formatHex(md5);
    if (expected.isPresent() && !expected.get().equals(actual)) {
      throw new IOException(
          "download of "
              + where(object.key())
              + " is corrupt: MD5 "
              + actual
              + ", expected "
              + expected.get());
    }
  }

  /** Deletes keys in batches of 1000; any key the store refuses fails the call. */
  public void delete(Collection<String> keys) {
    List<String> all = List.copyOf(keys);
    for (int from = 0; from < all.size(); from += DELETE_BATCH) {
      List<ObjectIdentifier> ids =
          all.subList(from, Math.min(all.size(), from + DELETE_BATCH)).stream()
              .map(k -> ObjectIdentifier.builder().key(k).build())
              .toList();
      DeleteObjectsResponse r =
          join(
              "delete in " + where(""),
              sdk()
                  .deleteObjects(
                      b ->
                          b.bucket(bucket)
                              .delete(Delete.builder().objects(ids).quiet(true).build())));
      if (r.hasErrors() && !r.errors().isEmpty()) {
        var first = r.errors().get(0);
        throw S3Errors.classify(
            "delete of " + r.errors().size() + " objects in " + where(""),
            new IOException(first.key() + ": " + first.code() + " " + first.message()));
      }
    }
  }

  /**
   * Copies {@code sourceBucket/sourceKey} (of {@code size} bytes) to {@code key} in this bucket
   * without moving the data through this process. With {@code metadata} null the object keeps the
   * source's user metadata; otherwise it gets exactly {@code metadata} (so copying an object onto
   * itself updates its metadata, as rclone does to change a modification time) and keeps the
   * source's Content-Type and other content headers, read by a HEAD first. Sources above 5 GiB are
   * copied in parts and then need {@code metadata}. Returns the new object.
   */
  public RemoteObject copy(
      String sourceBucket, String sourceKey, long size, String key, Map<String, String> metadata) {
    String what = "copy of s3://" + sourceBucket + "/" + sourceKey + " to " + where(key);
    if (size > MAX_SINGLE_COPY) {
      if (metadata == null) {
        throw new IllegalArgumentException("a copy in parts needs the metadata");
      }
      return copyParts(sourceBucket, sourceKey, size, key, metadata, what);
    }
    CopyObjectRequest.Builder copy =
        CopyObjectRequest.builder()
            .sourceBucket(sourceBucket)
            .sourceKey(sourceKey)
            .destinationBucket(bucket)
            .destinationKey(key);
    if (metadata != null) {
      copy.metadataDirective(MetadataDirective.REPLACE).metadata(metadata);
      sourceHeaders(sourceBucket, sourceKey, key, what).applyTo(copy);
    }
    storageAndEncryption(copy::storageClass, copy::serverSideEncryption, copy::ssekmsKeyId);
    var result = join(what, sdk().copyObject(copy.build())).copyObjectResult();
    return new RemoteObject(
        key, size, result.eTag(), result.lastModified(), metadata == null ? Map.of() : metadata);
  }

  private RemoteObject copyParts(
      String sourceBucket,
      String sourceKey,
      long size,
      String key,
      Map<String, String> metadata,
      String what) {
    CreateMultipartUploadRequest.Builder create =
        CreateMultipartUploadRequest.builder().bucket(bucket).key(key).metadata(metadata);
    sourceHeaders(sourceBucket, sourceKey, key, what).applyTo(create);
    storageAndEncryption(create::storageClass, create::serverSideEncryption, create::ssekmsKeyId);
    String uploadId = join(what, sdk().createMultipartUpload(create.build())).uploadId();
    long partSize = Math.max(MAX_SINGLE_COPY / 5, ceilDiv(size, MAX_PARTS - 1));
    try {
      List<CompletedPart> parts = new ArrayList<>();
      for (int i = 0; (long) i * partSize < size; i++) {
        int partNumber = i + 1;
        long from = (long) i * partSize;
        long to = Math.min(size, from + partSize) - 1;
        var r =
            join(
                what,
                sdk()
                    .uploadPartCopy(
                        b ->
                            b.sourceBucket(sourceBucket)
                                .sourceKey(sourceKey)
                                .destinationBucket(bucket)
                                .destinationKey(key)
                                .uploadId(uploadId)
                                .partNumber(partNumber)
                                .copySourceRange("bytes=" + from + "-" + to)));
        parts.add(
            CompletedPart.builder().partNumber(partNumber).eTag(r.copyPartResult().eTag()).build());
      }
      return new RemoteObject(key, size, complete(what, key, uploadId, parts), null, metadata);
    } catch (RuntimeException e) {
      abort(key, uploadId);
      throw e;
    }
  }

  /** Writes a small object (a manifest, a marker) in one request. */
  public void putBytes(String key, byte[] content, String contentType) {
    PutObjectRequest.Builder put =
        PutObjectRequest.builder()
            .bucket(bucket)
            .key(key)
            .contentType(contentType)
            .contentMD5(base64(ContentDigests.md5().digest(content)));
    encryption(put);
    join(
        "upload of " + where(key),
        sdk().putObject(put.build(), AsyncRequestBody.fromBytes(content)));
  }

  /** Reads a small object, or empty when there is no such key. */
  public Optional<byte[]> getBytes(String key) {
    try {
      return fetch(key).map(FetchedObject::content);
    } catch (IOException e) {
      throw S3Errors.classify("download of " + where(key), e);
    }
  }

  private S3AsyncClient sdk() {
    return connection.sdk();
  }

  /**
   * The content headers of the source of a copy that replaces the metadata, by a HEAD. A copy onto
   * the object itself (a metadata update) also keeps its storage class unless one is configured; a
   * copy to another key is a new object and gets the configured class (else STANDARD), as an upload
   * does.
   */
  private ObjectHeaders sourceHeaders(
      String sourceBucket, String sourceKey, String key, String what) {
    HeadObjectResponse head =
        join(what, sdk().headObject(b -> b.bucket(sourceBucket).key(sourceKey)));
    boolean update = sourceBucket.equals(bucket) && sourceKey.equals(key);
    return ObjectHeaders.of(head, update);
  }

  private void encryption(PutObjectRequest.Builder put) {
    storageAndEncryption(put::storageClass, put::serverSideEncryption, put::ssekmsKeyId);
  }

  /**
   * Applies the storage class and server-side encryption settings to any request builder that
   * creates an object (PUT, multipart upload, copy); the SDK's builders share no interface.
   */
  private void storageAndEncryption(
      java.util.function.Consumer<String> storageClass,
      java.util.function.Consumer<ServerSideEncryption> encryption,
      java.util.function.Consumer<String> kmsKeyId) {
    settings.storageClass().ifPresent(storageClass);
    switch (settings.encryption()) {
      case AES256 -> encryption.accept(ServerSideEncryption.AES256);
      case AWS_KMS -> {
        encryption.accept(ServerSideEncryption.AWS_KMS);
        settings.kmsKeyId().ifPresent(kmsKeyId);
      }
      case NONE -> {}
    }
  }

  private String where(String key) {
    return "s3://" + bucket + "/" + key;
  }

  private static <T> T join(String what, CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (RuntimeException e) {
      throw S3Errors.classify(what, e);
    }
  }

  private static boolean isNotFound(Throwable t) {
    Throwable e = S3Errors.unwrap(t);
    return e instanceof NoSuchKeyException
        || (e instanceof S3Exception s3 && s3.statusCode() == 404);
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  /**
   * What S3 keeps with an object besides its user metadata, and a copy loses unless its request
   * sends it again: a copy with MetadataDirective REPLACE resets the content headers (Content-Type
   * becomes binary/octet-stream), and any copy the storage class (to STANDARD); see <a
   * href="https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html">CopyObject</a>.
   * Server-side encryption is not here: every request that writes an object sends the configured
   * one. Null fields are not sent.
   */
  private record ObjectHeaders(
      String contentType,
      String contentEncoding,
      String contentDisposition,
      String contentLanguage,
      String cacheControl,
      String storageClass) {

    static ObjectHeaders of(HeadObjectResponse head, boolean withStorageClass) {
      return new ObjectHeaders(
          head.contentType(),
          head.contentEncoding(),
          head.contentDisposition(),
          head.contentLanguage(),
          head.cacheControl(),
          withStorageClass ? head.storageClassAsString() : null);
    }

    void applyTo(CopyObjectRequest.Builder copy) {
      copy.contentType(contentType)
          .contentEncoding(contentEncoding)
          .contentDisposition(contentDisposition)
          .contentLanguage(contentLanguage)
          .cacheControl(cacheControl)
          .storageClass(storageClass);
    }

    void applyTo(CreateMultipartUploadRequest.Builder create) {
      create
          .contentType(contentType)
          .contentEncoding(contentEncoding)
          .contentDisposition(contentDisposition)
          .contentLanguage(contentLanguage)
          .cacheControl(cacheControl)
          .storageClass(storageClass);
    }
  }
}
