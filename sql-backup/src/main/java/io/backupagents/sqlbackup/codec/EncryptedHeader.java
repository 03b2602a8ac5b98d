package io.backupagents.sqlbackup.codec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.openpgp.PGPEncryptedData;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;

/**
 * The recipients an encrypted backup names in its first packets (no key needed, nothing decrypted):
 * the key ids of the (sub)keys it was encrypted to, shown as the primary key's fingerprint when
 * that key is one of the configured recipients.
 */
public final class EncryptedHeader {

  private EncryptedHeader() {}

  /** The recipients of {@code file}, or empty when its header cannot be read. */
  public static Optional<List<String>> recipients(Path file, Optional<Recipients> known) {
    try (InputStream in = Files.newInputStream(file)) {
      BcPGPObjectFactory objects = new BcPGPObjectFactory(PGPUtil.getDecoderStream(in));
      Object first = objects.nextObject();
      while (first instanceof PGPMarker) {
        first = objects.nextObject();
      }
      if (!(first instanceof PGPEncryptedDataList list)) {
        return Optional.empty();
      }
      List<String> names = new ArrayList<>();
      for (Iterator<PGPEncryptedData> it = list.getEncryptedDataObjects(); it.hasNext(); ) {
        if (it.next() instanceof PGPPublicKeyEncryptedData data) {
          names.add(name(keyId(data), known));
        }
      }
      return Optional.of(names);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  @SuppressWarnings("deprecation") // getKeyIdentifier() of newer releases gives the same id
  private static long keyId(PGPPublicKeyEncryptedData data) {
    return data.getKeyID();
  }

  private static String name(long keyId, Optional<Recipients> known) {
    return known
        .flatMap(
            r ->
                r.list().stream()
                    .filter(k -> k.encryptionKey().getKeyID() == keyId)
                    .map(Recipients.Recipient::fingerprint)
                    .findFirst())
        .orElse(String.format(Locale.ROOT, "key id %016X", keyId));
  }
}
