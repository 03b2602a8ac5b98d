package io.backupagents.sqlbackup.compress;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.util.function.IntFunction;

/**
 * Chooses how blocks are compressed. On a Java 22+ runtime where libdeflate ({@code
 * libdeflate.so.0}) is installed (the image has it), each block becomes a gzip member written by
 * libdeflate through the foreign function API: half the CPU time of zlib at the same level, and
 * smaller output, and compression is most of a backup's CPU time. Otherwise (Java 21, no
 * libdeflate, native access denied) the JDK's {@link java.util.zip.Deflater} writes one continuous
 * gzip member. Both are standard gzip files that {@code gzip -t}, {@code zcat} and {@code gunzip}
 * read.
 */
public final class BlockCompressors {

  /** The implementations, best first. */
  public enum Engine {
    LIBDEFLATE("libdeflate"),
    JDK("the JDK's zlib");

    private final String description;

    Engine(String description) {
      this.description = description;
    }

    /** For logs: "libdeflate", "the JDK's zlib". */
    public String description() {
      return description;
    }
  }

  private static final MethodHandle LIBDEFLATE =
      NativeEngines.find(
          "io.backupagents.sqlbackup.compress.LibdeflateCompressor",
          MethodType.methodType(BlockCompressor.class, int.class),
          open -> {
            try (BlockCompressor trial = (BlockCompressor) open.invokeExact(6)) {
              GzipBlock block = new GzipBlock(64);
              block.length = 64;
              block.last = true;
              trial.compress(block);
              return block.outputLength > 0;
            }
          });

  private BlockCompressors() {}

  /** The fastest engine available in this runtime. */
  public static Engine best() {
    return LIBDEFLATE != null ? Engine.LIBDEFLATE : Engine.JDK;
  }

  /** A factory of compressors of {@code engine} by level; fails if the engine is missing here. */
  static IntFunction<BlockCompressor> factory(Engine engine) {
    if (engine == Engine.JDK) {
      return JdkBlockCompressor::new;
    }
    if (LIBDEFLATE == null) {
      throw new IllegalStateException("libdeflate is not usable in this Java runtime");
    }
    return level -> {
      try {
        return (BlockCompressor) LIBDEFLATE.invokeExact(level);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable e) {
        throw new IllegalStateException(e);
      }
    };
  }
}
