package io.backupagents.sqlbackup.codec;

import io.backupagents.common.settings.PendingCheck;
import io.backupagents.common.settings.SettingDefinition;
import io.backupagents.common.settings.SettingsException;
import io.backupagents.common.settings.SettingsReader;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the encryption settings at start-up: the recipients' public keys (backup) and the private
 * key with its passphrase (recover, verify). A key that does not parse, or a passphrase that does
 * not unlock it, is a settings problem reported with all others; neither the key nor the passphrase
 * is ever part of a message.
 */
public final class EncryptionSettings {

  private static final Logger log = LoggerFactory.getLogger(EncryptionSettings.class);

  private EncryptionSettings() {}

  /**
   * The encryption to {@code recipients}' keys, when that setting is given; a key gpg would not
   * encrypt to at {@code clock}'s time (revoked, expired, without an encryption key) is a problem.
   * The keys are read and checked on a thread of their own while the run starts (a third of a
   * second in a fresh JVM, most of it Bouncy Castle's default policy parsing its dates, which loads
   * the names of every time zone): see {@link PendingCheck} for when a bad key is reported.
   */
  public static Optional<OpenPgpEncryption> recipients(
      SettingsReader r, SettingDefinition recipients, Clock clock) {
    Optional<String> armored = r.optional(recipients);
    if (armored.isEmpty()) {
      return Optional.empty();
    }
    String source = source(r, recipients);
    Instant now = clock.instant();
    PendingCheck<Recipients> check =
        r.checkMeanwhile(
            source,
            () -> {
              try {
                Recipients parsed = Recipients.parse(armored.get(), now);
                parsed
                    .list()
                    .forEach(k -> log.info("backups are encrypted to the OpenPGP key {}", k));
                return parsed;
              } catch (Recipients.Refused e) {
                throw new SettingsException(
                    e.problems().stream().map(p -> source + ": " + p).toList());
              }
            });
    return Optional.of(new OpenPgpEncryption(check, clock));
  }

  /** The unlocked private key, when {@code key} is given. */
  public static Optional<DecryptionKey> decryptionKey(
      SettingsReader r, SettingDefinition key, SettingDefinition passphrase) {
    Optional<String> armored = r.optional(key);
    Optional<String> secret = r.optional(passphrase);
    if (armored.isEmpty()) {
      if (secret.isPresent()) {
        r.problem(
            passphrase.key() + " is set but " + key.key() + "(_FILE) is not: give the private key");
      }
      return Optional.empty();
    }
    try {
      // A passphrase file ends with a newline that is not part of the passphrase.
      DecryptionKey unlocked =
          DecryptionKey.unlock(
              armored.get(), secret.map(s -> s.replaceAll("[\r\n]+$", "").toCharArray()));
      log.info("decryption key for backups encrypted to {}", unlocked.fingerprints());
      return Optional.of(unlocked);
    } catch (IllegalArgumentException e) {
      r.problem(source(r, key) + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  private static String source(SettingsReader r, SettingDefinition d) {
    return r.source(d).orElse(d.key());
  }
}
