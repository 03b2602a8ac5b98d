package io.backupagents.sqlbackup.compress;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens gzip data for reading. Where libdeflate is usable (Java 22+, {@code libdeflate.so.0}; see
 * {@link BlockCompressors}), the members sql-backup writes (one per 1 MiB of SQL) are inflated
 * whole by libdeflate, in about half the CPU time of zlib, which matters on two cores shared with
 * psql and the server; a member too large for that (a legacy {@code gzip} file is one member) and
 * everything after it go through the JDK's {@link GZIPInputStream}. Elsewhere the JDK's zlib reads
 * it all.
 */
public final class GzipInflaters {

  private static final Logger log = LoggerFactory.getLogger(GzipInflaters.class);
  private static final int BUFFER = 1 << 16;
  private static final MethodHandle LIBDEFLATE =
      findNative("io.backupagents.sqlbackup.compress.LibdeflateDecompressor");

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

  private static MethodHandle findNative(String className) {
    if (Runtime.version().feature() < 22) {
      return null;
    }
    try {
      Class<?> c = Class.forName(className);
      MethodHandle open =
          MethodHandles.lookup()
              .findStatic(c, "open", MethodType.methodType(c))
              .asType(MethodType.methodType(MemberDecompressor.class));
      try (MemberDecompressor trial = (MemberDecompressor) open.invokeExact()) {
        // An empty gzip member: header, an empty final block, CRC and length of zero.
        byte[] empty = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        if (trial.decompress(empty, 0, empty.length, new byte[16]) != 0) {
          return null;
        }
      }
      return open;
    } catch (Throwable e) {
      log.debug("{} is not usable here ({}); using the JDK's zlib", className, e.toString());
      return null;
    }
  }
}
