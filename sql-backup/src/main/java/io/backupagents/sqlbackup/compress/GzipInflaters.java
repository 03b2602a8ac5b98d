package io.backupagents.sqlbackup.compress;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.util.zip.GZIPInputStream;

/**
 * Opens gzip data for reading. Where libdeflate is usable (Java 22+, {@code libdeflate.so.0}; see
 * {@link BlockCompressors}), the members sql-backup writes (one per 1 MiB of SQL) are inflated
 * whole by libdeflate, in about half the CPU time of zlib, which matters on two cores shared with
 * psql and the server; a member too large for that (a legacy {@code gzip} file is one member) and
 * everything after it go through the JDK's {@link GZIPInputStream}. Elsewhere the JDK's zlib reads
 * it all.
 */
public final class GzipInflaters {

  private static final int BUFFER = 1 << 16;
  private static final MethodHandle LIBDEFLATE =
      NativeEngines.find(
          "io.backupagents.sqlbackup.compress.LibdeflateDecompressor",
          MethodType.methodType(MemberDecompressor.class),
          open -> {
            try (MemberDecompressor trial = (MemberDecompressor) open.invokeExact()) {
              // An empty member: header, an empty final block, CRC and length of zero.
              byte[] empty = {
                0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0
              };
              return trial.decompress(empty, 0, empty.length, new byte[16]) == 0;
            }
          });

  private GzipInflaters() {}

  /** The decompressed content of {@code raw} (which the returned stream closes). */
  public static InputStream open(InputStream raw) throws IOException {
    if (LIBDEFLATE == null) {
      return new GZIPInputStream(raw, BUFFER);
    }
    try {
      return new MemberInflatingStream(raw, (MemberDecompressor) LIBDEFLATE.invokeExact());
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether libdeflate inflates here. */
  public static boolean nativeEngine() {
    return LIBDEFLATE != null;
  }
}
