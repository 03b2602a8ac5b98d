package io.backupagents.sqlbackup.dump;

import io.backupagents.sqlbackup.model.ChecksumRecord;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Passes bytes through while computing their SHA-256 and counting them: no second read. */
public final class HashingOutputStream extends FilterOutputStream {

  private final MessageDigest sha256;
  private long count;

  public HashingOutputStream(OutputStream out) {
    super(out);
    this.sha256 = newSha256();
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    sha256.update((byte) b);
    count++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    sha256.update(b, off, len);
    count += len;
  }

  /** Bytes written so far. */
  public long count() {
    return count;
  }

  /** The SHA-256 of everything written, as lower-case hex; call once, at the end. */
  public String sha256Hex() {
    return HexFormat.of().formatHex(sha256.digest());
  }

  /** A new SHA-256 digest (every Java platform has one). */
  public static MessageDigest newSha256() {
    return ChecksumRecord.newDigest();
  }
}
