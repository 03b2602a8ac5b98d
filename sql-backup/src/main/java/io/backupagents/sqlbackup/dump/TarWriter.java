package io.backupagents.sqlbackup.dump;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes the regular files of one directory (no subdirectories: a pg_dump directory-format dump is
 * flat) as a POSIX ustar archive that {@code tar -x} reads. Names and sizes are checked against the
 * format's limits.
 */
final class TarWriter {

  private static final int RECORD = 512;
  private static final long MAX_SIZE = 077777777777L; // 11 octal digits

  private TarWriter() {}

  /**
   * Writes {@code directory} as {@code topName/} into {@code out}, every entry dated {@code
   * modified}.
   */
  static void write(Path directory, String topName, OutputStream out, Instant modified)
      throws IOException {
    writeHeader(out, topName + "/", 0, '5', 0755, modified);
    List<Path> files;
    try (Stream<Path> list = Files.list(directory)) {
      files = list.sorted().toList();
    }
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        throw new IOException("unexpected non-file in the dump directory: " + file.getFileName());
      }
      long size = Files.size(file);
      writeHeader(out, topName + "/" + file.getFileName(), size, '0', 0644, modified);
      long copied = Files.copy(file, out);
      if (copied != size) {
        throw new IOException(file.getFileName() + " changed while being archived");
      }
      pad(out, size);
    }
    out.write(new byte[2 * RECORD]); // end of archive
  }

  private static void writeHeader(
      OutputStream out, String name, long size, char type, int mode, Instant modified)
      throws IOException {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    if (nameBytes.length > 100 || size > MAX_SIZE) {
      throw new IOException("cannot archive " + name + ": name or size beyond the tar format");
    }
    byte[] h = new byte[RECORD];
    System.arraycopy(nameBytes, 0, h, 0, nameBytes.length);
    octal(h, 100, 8, mode);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, size);
    octal(h, 136, 12, modified.getEpochSecond());
    java.util.Arrays.fill(h, 148, 156, (byte) ' ');
    h[156] = (byte) type;
    byte[] magic = "ustar\u000000".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(magic, 0, h, 257, magic.length);
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    octal(h, 148, 7, sum);
    out.write(h);
  }

  /** Writes {@code value} as zero-padded octal in {@code length - 1} digits plus a NUL. */
  private static void octal(byte[] h, int offset, int length, long value) {
    String digits = Long.toOctalString(value);
    String padded = "0".repeat(length - 1 - digits.length()) + digits;
    byte[] b = padded.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, offset, b.length);
    h[offset + length - 1] = 0;
  }

  private static void pad(OutputStream out, long size) throws IOException {
    int rest = (int) (size % RECORD);
    if (rest != 0) {
      out.write(new byte[RECORD - rest]);
    }
  }
}
