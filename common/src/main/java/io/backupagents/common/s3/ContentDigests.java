package io.backupagents.common.s3;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/** MD5 of a whole file and of each of its parts, in one pass over the file. */
public record ContentDigests(byte[] whole, List<byte[]> parts) {

  private static final int BUFFER = 1 << 20;

  /**
   * Reads {@code file} once; {@code partSize} &lt;= 0 means no parts.
   *
   * <p>S3 verifies Content-MD5 on every PutObject and UploadPart, so these digests make the server
   * reject any upload that was corrupted on the way.
   */
  public static ContentDigests of(Path file, long partSize) throws IOException {
    MessageDigest whole = md5();
    List<byte[]> parts = new ArrayList<>();
    MessageDigest part = partSize > 0 ? md5() : null;
    long inPart = 0;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      // No bigger than the file: uploads of many small files would otherwise allocate 1 MiB each.
      ByteBuffer buffer = ByteBuffer.allocate((int) Math.max(1, Math.min(BUFFER, ch.size())));
      while (ch.read(buffer) >= 0) {
        buffer.flip();
        while (buffer.hasRemaining()) {
          int n = buffer.remaining();
          if (part != null) {
            n = (int) Math.min(n, partSize - inPart);
          }
          byte[] array = buffer.array();
          int offset = buffer.position();
          whole.update(array, offset, n);
          if (part != null) {
            part.update(array, offset, n);
            inPart += n;
            if (inPart == partSize) {
              parts.add(part.digest());
              inPart = 0;
            }
          }
          buffer.position(offset + n);
        }
        buffer.clear();
      }
    }
    if (part != null && inPart > 0) {
      parts.add(part.digest());
    }
    return new ContentDigests(whole.digest(), parts);
  }

  public static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has MD5", e);
    }
  }
}
