package io.backupagents.sqlbackup.compress;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * Inflates whole gzip members with libdeflate ({@code libdeflate.so.0}) through the foreign
 * function API, reading and writing the Java arrays in place (a critical call: one member takes
 * about a millisecond). Compiled for Java 22 and only loaded there, see {@link GzipInflaters}.
 */
@SuppressWarnings("restricted") // native access is the point of this class
final class LibdeflateDecompressor implements MemberDecompressor {

  private static final int SUCCESS = 0;
  private static final int INSUFFICIENT_SPACE = 3;

  private static final MethodHandle ALLOC;
  private static final MethodHandle GZIP_DECOMPRESS;
  private static final MethodHandle FREE;

  static {
    Linker linker = Linker.nativeLinker();
    SymbolLookup lib = SymbolLookup.libraryLookup("libdeflate.so.0", Arena.global());
    ALLOC =
        linker.downcallHandle(
            find(lib, "libdeflate_alloc_decompressor"), FunctionDescriptor.of(ADDRESS));
    GZIP_DECOMPRESS =
        linker.downcallHandle(
            find(lib, "libdeflate_gzip_decompress_ex"),
            FunctionDescriptor.of(
                JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS),
            Linker.Option.critical(true));
    FREE =
        linker.downcallHandle(
            find(lib, "libdeflate_free_decompressor"), FunctionDescriptor.ofVoid(ADDRESS));
  }

  private final MemorySegment decompressor;
  private final long[] sizes = new long[2];
  private boolean open = true;

  private LibdeflateDecompressor() {
    try {
      decompressor = (MemorySegment) ALLOC.invokeExact();
    } catch (Throwable e) {
      throw new IllegalStateException("libdeflate_alloc_decompressor failed", e);
    }
    if (decompressor.equals(MemorySegment.NULL)) {
      throw new IllegalStateException("libdeflate could not allocate a decompressor");
    }
  }

  static LibdeflateDecompressor open() {
    return new LibdeflateDecompressor();
  }

  @Override
  public long decompress(byte[] in, int off, int len, byte[] out) {
    MemorySegment sizeSegment = MemorySegment.ofArray(sizes);
    int result;
    try {
      result =
          (int)
              GZIP_DECOMPRESS.invokeExact(
                  decompressor,
                  MemorySegment.ofArray(in).asSlice(off, len),
                  (long) len,
                  MemorySegment.ofArray(out),
                  (long) out.length,
                  sizeSegment.asSlice(0, Long.BYTES),
                  sizeSegment.asSlice(Long.BYTES, Long.BYTES));
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
    if (result == SUCCESS) {
      return sizes[1];
    }
    return result == INSUFFICIENT_SPACE ? TOO_LARGE : BAD_DATA;
  }

  @Override
  public int consumed() {
    return (int) sizes[0];
  }

  @Override
  public void close() {
    if (open) {
      open = false;
      try {
        FREE.invokeExact(decompressor);
      } catch (Throwable e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static MemorySegment find(SymbolLookup lookup, String name) {
    return lookup.find(name).orElseThrow(() -> new UnsupportedOperationException("no " + name));
  }
}
