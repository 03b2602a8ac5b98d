package io.backupagents.sqlbackup.testing;

import io.backupagents.testing.Commands;
import io.backupagents.testing.RequiredTool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An OpenPGP key pair made by the real gpg (Debian's gnupg) in a private home directory: its
 * armored public key, its armored secret key, and gpg itself to encrypt and decrypt with.
 */
public final class GpgKeys {

  private final Path home;
  private final String email;
  private final String passphrase;

  private GpgKeys(Path home, String email, String passphrase) {
    this.home = home;
    this.email = email;
    this.passphrase = passphrase;
  }

  /**
   * When keys are made: before the fixed clock of the agent runs in tests, since a key made after a
   * run's time is not used (gpg: "key was created in the future").
   */
  public static final String CREATED = "20250101T000000";

  /** Makes a key pair (gpg's default algorithms) protected by {@code passphrase} ("" for none). */
  public static GpgKeys generate(Path dir, String email, String passphrase) {
    return generate(dir, email, passphrase, "default", "default", "never", CREATED);
  }

  /**
   * Makes a key as {@code gpg --quick-gen-key '<email>' algo usage expire} does at {@code created}
   * (gpg's --faked-system-time form, e.g. 20200101T000000): an algorithm other than "default" makes
   * a primary key only.
   */
  public static GpgKeys generate(
      Path dir,
      String email,
      String passphrase,
      String algo,
      String usage,
      String expire,
      String created) {
    RequiredTool.require("gpg");
    try {
      Path home = Files.createDirectories(dir.resolve("gnupg-" + email.replace('@', '-')));
      Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
      GpgKeys keys = new GpgKeys(home, email, passphrase);
      keys.gpg(
          "--faked-system-time",
          created,
          "--pinentry-mode",
          "loopback",
          "--passphrase",
          passphrase,
          "--quick-gen-key",
          "Backup Test <" + email + ">",
          algo,
          usage,
          expire);
      return keys;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code gpg --quick-add-key <fingerprint> algo usage never}. */
  public GpgKeys addSubkey(String algo, String usage) {
    gpg(
        "--faked-system-time",
        CREATED,
        "--pinentry-mode",
        "loopback",
        "--passphrase",
        passphrase,
        "--quick-add-key",
        fingerprint(),
        algo,
        usage,
        "never");
    return this;
  }

  /**
   * Revokes the key by importing the revocation certificate gpg wrote when it made the key (in
   * openpgp-revocs.d, with a colon in front of its first line against accidental imports).
   */
  public GpgKeys revoke() {
    try {
      Path certificate = home.resolve("openpgp-revocs.d/" + fingerprint() + ".rev");
      Path armed = home.resolve("revocation.asc");
      Files.writeString(armed, Files.readString(certificate).replace(":-----BEGIN", "-----BEGIN"));
      gpg("--import", armed.toString());
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The fingerprint of the (newest) encryption subkey, as gpg lists it. */
  public String encryptionSubkeyFingerprint() {
    List<String> lines =
        gpg("--with-colons", "--fingerprint", "--fingerprint", email).lines().toList();
    String found = null;
    for (int i = 0; i < lines.size() - 1; i++) {
      String[] fields = lines.get(i).split(":");
      if (fields[0].equals("sub")
          && fields[11].contains("e")
          && lines.get(i + 1).startsWith("fpr:")) {
        found = lines.get(i + 1).split(":")[9];
      }
    }
    if (found == null) {
      throw new IllegalStateException("no encryption subkey");
    }
    return found;
  }

  /** {@code gpg --symmetric} with this key's passphrase (no key involved). */
  public void encryptSymmetrically(Path in, Path out) {
    gpg(
        "--pinentry-mode",
        "loopback",
        "--passphrase",
        "symmetric-" + passphrase,
        "--output",
        out.toString(),
        "--symmetric",
        in.toString());
  }

  /** The primary key's expiry as gpg lists it, if it has one. */
  public Optional<Instant> expiry() {
    String field =
        gpg("--with-colons", "--list-keys", email)
            .lines()
            .filter(l -> l.startsWith("pub:"))
            .findFirst()
            .orElseThrow()
            .split(":")[6];
    return field.isEmpty()
        ? Optional.empty()
        : Optional.of(Instant.ofEpochSecond(Long.parseLong(field)));
  }

  public String publicKey() {
    return gpg("--armor", "--export", email);
  }

  public String secretKey() {
    return gpg(
        "--pinentry-mode",
        "loopback",
        "--passphrase",
        passphrase,
        "--armor",
        "--export-secret-keys",
        email);
  }

  /** The primary key's fingerprint as gpg prints it. */
  public String fingerprint() {
    return gpg("--with-colons", "--fingerprint", email)
        .lines()
        .filter(l -> l.startsWith("fpr:"))
        .findFirst()
        .orElseThrow()
        .split(":")[9];
  }

  /** {@code gpg --decrypt in > out}. */
  public void decrypt(Path in, Path out) {
    gpg(
        "--pinentry-mode",
        "loopback",
        "--passphrase",
        passphrase,
        "--output",
        out.toString(),
        "--decrypt",
        in.toString());
  }

  /** {@code gpg --encrypt -r <this key> in > out}. */
  public void encrypt(Path in, Path out) {
    gpg(
        "--trust-model",
        "always",
        "--recipient",
        email,
        "--output",
        out.toString(),
        "--encrypt",
        in.toString());
  }

  /** A shell command line that runs gpg with this key's home (for pipelines). */
  public String shellGpg() {
    return "gpg --homedir '"
        + home
        + "' --batch --pinentry-mode loopback --passphrase '"
        + passphrase
        + "'";
  }

  private String gpg(String... args) {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "gpg",
                "--homedir",
                home.toString(),
                "--batch",
                "--quiet",
                "--no-permission-warning"));
    argv.addAll(List.of(args));
    return Commands.run(argv);
  }
}
