package io.backupagents.sqlbackup.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;

/** Reading gzip files: sql-backup's own members by libdeflate, anything else by zlib. */
class GzipInflatersTest {

  private static final int BLOCK = ParallelGzipOutputStream.BLOCK_SIZE;

  @Test
  void libdeflateInflatesOnJava22AndLater() {
    assertThat(GzipInflaters.nativeEngine()).isEqualTo(Runtime.version().feature() >= 22);
  }

  @Test
  void readsSqlBackupsOwnMembersAndOneLargeMemberAlike() throws IOException {
    byte[] sql = SqlLikeText.generate(5 * BLOCK + 123, 3);
    byte[] members =
        ParallelGzipOutputStreamTest.compress(sql, 6, 2, false, BlockCompressors.best());
    byte[] single = gzip(sql);

    assertThat(inflate(members)).isEqualTo(sql);
    assertThat(inflate(single)).isEqualTo(sql);
    // Members first, then one too large for a member buffer: the rest goes through zlib.
    assertThat(inflate(concat(members, single))).isEqualTo(concat(sql, sql));
  }

  @Test
  void theFileStaysOpenForItsReaderAfterALargeMemberEnds() throws IOException {
    // PlainBackupCheck reads on after the content (the digest covers the whole file).
    // One member larger than the inflater's window, so the file is still open when it ends.
    byte[] sql = new byte[6 * BLOCK];
    new java.util.Random(6).nextBytes(sql);
    byte[] file = gzip(sql);
    AtomicBoolean closed = new AtomicBoolean();
    InputStream raw =
        new FilterInputStream(new ByteArrayInputStream(file)) {
          @Override
          public void close() {
            closed.set(true);
          }
        };
    InputStream in = GzipInflaters.open(raw);

    assertThat(in.readAllBytes()).isEqualTo(sql);
    assertThat(closed).as("closed by the inflater before its reader was done").isFalse();
    in.close();
    assertThat(closed).isTrue();
  }

  @Test
  void bytesAfterTheLastMemberEndTheContentAsForZlib() throws IOException {
    byte[] sql = SqlLikeText.generate(2 * BLOCK, 4);
    byte[] members =
        ParallelGzipOutputStreamTest.compress(sql, 6, 2, false, BlockCompressors.best());

    assertThat(inflate(concat(members, new byte[] {0, 0, 0, 0, 0, 0, 0, 0}))).isEqualTo(sql);
  }

  @Test
  void truncatedAndCorruptFilesFail() throws IOException {
    byte[] sql = SqlLikeText.generate(3 * BLOCK, 5);
    byte[] members =
        ParallelGzipOutputStreamTest.compress(sql, 6, 2, false, BlockCompressors.best());
    byte[] corrupt = members.clone();
    corrupt[corrupt.length / 2] ^= 0x10;

    assertThatThrownBy(() -> inflate(Arrays.copyOf(members, members.length * 2 / 3)))
        .isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> inflate(corrupt)).isInstanceOf(ZipException.class);
    assertThatThrownBy(() -> inflate(new byte[] {1, 2, 3})).isInstanceOf(ZipException.class);
  }

  private static byte[] inflate(byte[] gz) throws IOException {
    try (InputStream in = GzipInflaters.open(new ByteArrayInputStream(gz))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[7777]; // reads that do not line up with members
      int n;
      while ((n = in.read(buffer)) > 0) {
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    }
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
