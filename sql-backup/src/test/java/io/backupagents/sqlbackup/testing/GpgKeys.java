package io.backupagents.sqlbackup.testing;

import io.backupagents.testing.Commands;
import io.backupagents.testing.RequiredTool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

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

  /** Makes a key pair (gpg's default algorithms) protected by {@code passphrase} ("" for none). */
  public static GpgKeys generate(Path dir, String email, String passphrase) {
    RequiredTool.require("gpg");
    try {
      Path home = Files.createDirectories(dir.resolve("gnupg-" + email.replace('@', '-')));
      Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
      GpgKeys keys = new GpgKeys(home, email, passphrase);
      keys.gpg(
          "--pinentry-mode",
          "loopback",
          "--passphrase",
          passphrase,
          "--quick-gen-key",
          "Backup Test <" + email + ">",
          "default",
          "default",
          "never");
      return keys;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
