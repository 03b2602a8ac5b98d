package io.backupagents.sqlbackup.codec;

import java.io.IOException;
import java.io.InputStream;

/** Compresses (and, with recipients, encrypts) a plain dump on its way into the backup file. */
public interface PlainEncoder {

  /** Adds {@code bytes} to the dump (before what {@link #transferFrom} reads). */
  void write(byte[] bytes) throws IOException;

  /** Reads {@code in} to its end into the backup; returns the bytes read. */
  long transferFrom(InputStream in) throws IOException;

  /** Ends the compressed stream and the encrypted message; the file itself stays open. */
  void finish() throws IOException;

  /** Stops any compression threads after a failure; harmless after {@link #finish}. */
  void abort();

  /** The last {@code n} bytes of the dump (uncompressed), for its trailer check. */
  byte[] tail(int n);

  /** Bytes of the dump taken in. */
  long inputBytes();

  /** Time compression threads were busy, summed; 0 where the codec does not tell. */
  long busyNanos();
}
