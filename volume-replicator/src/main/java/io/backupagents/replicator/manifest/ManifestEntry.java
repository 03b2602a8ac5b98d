package io.backupagents.replicator.manifest;

/**
 * What a run knew about one object when it ended: its size and ETag (as a listing shows them) and
 * its rclone modification time, which a listing does not show.
 */
public record ManifestEntry(String key, long size, String etag, long mtimeNanos) {

  static final String HEADER = "volume-replicator-manifest\t1";

  /** One line of the manifest file. */
  String line() {
    return escape(key) + '\t' + size + '\t' + etag + '\t' + mtimeNanos;
  }

  static ManifestEntry parse(String line) {
    String[] f = line.split("\t", -1);
    if (f.length != 4 || f[2].isEmpty()) {
      throw new IllegalArgumentException("not a manifest line");
    }
    return new ManifestEntry(unescape(f[0]), Long.parseLong(f[1]), f[2], Long.parseLong(f[3]));
  }

  /** Keys may hold any character; tabs, line breaks and '%' are percent-encoded. */
  static String escape(String key) {
    if (key.indexOf('%') < 0
        && key.indexOf('\t') < 0
        && key.indexOf('\n') < 0
        && key.indexOf('\r') < 0) {
      return key;
    }
    return key.replace("%", "%25").replace("\t", "%09").replace("\n", "%0A").replace("\r", "%0D");
  }

  static String unescape(String text) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    return text.replace("%09", "\t").replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%");
  }
}
