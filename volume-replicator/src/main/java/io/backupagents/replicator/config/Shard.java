package io.backupagents.replicator.config;

import java.nio.charset.StandardCharsets;

/**
 * One part of the path space: a path belongs to shard {@code mix(FNV-1a-64(UTF-8 path)) mod count}
 * (mix: MurmurHash3's 64-bit finalizer, which spreads similar names evenly), so every process
 * computes the same split and the shards together cover each path exactly once.
 */
public record Shard(int index, int count) {

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  public static final Shard WHOLE = new Shard(0, 1);

  public Shard {
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException("shard " + index + " of " + count);
    }
  }

  /** True when this shard copies and deletes {@code path} (a key relative to the root). */
  public boolean owns(String path) {
    return count == 1 || Long.remainderUnsigned(hash(path), count) == index;
  }

  public boolean isWhole() {
    return count == 1;
  }

  static long hash(String path) {
    long h = FNV_OFFSET;
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= FNV_PRIME;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  @Override
  public String toString() {
    return "shard " + index + " of " + count;
  }
}
