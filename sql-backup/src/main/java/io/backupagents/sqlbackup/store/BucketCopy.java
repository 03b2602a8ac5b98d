package io.backupagents.sqlbackup.store;

import io.backupagents.common.s3.RemoteObject;
import io.backupagents.common.s3.S3Errors;
import io.backupagents.common.s3.S3Settings;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Server-side copy of an object within one bucket, keeping its user metadata (rclone's mtime and
 * md5chksum) and applying the configured encryption and storage class: one CopyObject up to 5 GiB,
 * a multipart copy beyond (CopyObject's limit). The data never leaves the store.
 */
final class BucketCopy {

  private static final long SINGLE_COPY_LIMIT = 5L << 30;
  private static final long PART = 512L << 20;

  private final S3AsyncClient client;
  private final String bucket;
  private final S3Settings settings;

  BucketCopy(S3AsyncClient client, String bucket, S3Settings settings) {
    this.client = client;
    this.bucket = bucket;
    this.settings = settings;
  }

  void copy(RemoteObject source, String targetKey) {
    String what = "copy of s3://" + bucket + "/" + source.key() + " to " + targetKey;
    try {
      if (source.size() <= SINGLE_COPY_LIMIT) {
        CopyObjectRequest.Builder copy =
            CopyObjectRequest.builder()
                .sourceBucket(bucket)
                .sourceKey(source.key())
                .destinationBucket(bucket)
                .destinationKey(targetKey)
                .metadataDirective(MetadataDirective.COPY);
        settings.storageClass().ifPresent(copy::storageClass);
        switch (settings.encryption()) {
          case AES256 -> copy.serverSideEncryption(ServerSideEncryption.AES256);
          case AWS_KMS -> {
            copy.serverSideEncryption(ServerSideEncryption.AWS_KMS);
            settings.kmsKeyId().ifPresent(copy::ssekmsKeyId);
          }
          case NONE -> {}
        }
        client.copyObject(copy.build()).join();
      } else {
        copyInParts(source, targetKey);
      }
    } catch (RuntimeException e) {
      throw S3Errors.classify(what, e);
    }
  }

  private void copyInParts(RemoteObject source, String targetKey) {
    var head = client.headObject(b -> b.bucket(bucket).key(source.key())).join();
    CreateMultipartUploadRequest.Builder create =
        CreateMultipartUploadRequest.builder()
            .bucket(bucket)
            .key(targetKey)
            .metadata(head.metadata());
    settings.storageClass().ifPresent(create::storageClass);
    switch (settings.encryption()) {
      case AES256 -> create.serverSideEncryption(ServerSideEncryption.AES256);
      case AWS_KMS -> {
        create.serverSideEncryption(ServerSideEncryption.AWS_KMS);
        settings.kmsKeyId().ifPresent(create::ssekmsKeyId);
      }
      case NONE -> {}
    }
    String uploadId = client.createMultipartUpload(create.build()).join().uploadId();
    try {
      List<CompletedPart> parts = new ArrayList<>();
      for (long offset = 0, n = 1; offset < source.size(); offset += PART, n++) {
        long end = Math.min(source.size(), offset + PART) - 1;
        int partNumber = (int) n;
        String range = "bytes=" + offset + "-" + end;
        var r =
            client
                .uploadPartCopy(
                    b ->
                        b.sourceBucket(bucket)
                            .sourceKey(source.key())
                            .destinationBucket(bucket)
                            .destinationKey(targetKey)
                            .uploadId(uploadId)
                            .partNumber(partNumber)
                            .copySourceRange(range))
                .join();
        parts.add(
            CompletedPart.builder().partNumber(partNumber).eTag(r.copyPartResult().eTag()).build());
      }
      client
          .completeMultipartUpload(
              b ->
                  b.bucket(bucket)
                      .key(targetKey)
                      .uploadId(uploadId)
                      .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()))
          .join();
    } catch (RuntimeException e) {
      client
          .abortMultipartUpload(b -> b.bucket(bucket).key(targetKey).uploadId(uploadId))
          .exceptionally(x -> null)
          .join();
      throw e;
    }
  }
}
