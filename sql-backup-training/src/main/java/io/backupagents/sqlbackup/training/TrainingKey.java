package io.backupagents.sqlbackup.training;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.bouncycastle.openpgp.api.bc.BcOpenPGPApi;

/**
 * A throw-away OpenPGP key pair for the training's encrypted backup, made by Bouncy Castle (as gpg
 * makes one by default: an Ed25519 primary key with an X25519 encryption subkey, version 4), and
 * written as armored files: the recipient's public key and the unprotected private key.
 */
record TrainingKey(Path publicKey, Path privateKey) {

  static TrainingKey make(Path dir) throws IOException {
    OpenPGPKey key;
    try {
      key =
          new BcOpenPGPApi()
              .generateKey(PublicKeyPacket.VERSION_4)
              .ed25519x25519Key("sql-backup training <training@example.invalid>")
              .build();
    } catch (PGPException e) {
      throw new IOException("could not make the training's OpenPGP key", e);
    }
    Path publicKey = dir.resolve("recipient.asc");
    Files.writeString(
        publicKey, key.toCertificate().toAsciiArmoredString(), StandardCharsets.UTF_8);
    Path privateKey =
        Files.createFile(
            dir.resolve("private.asc"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(privateKey, key.toAsciiArmoredString(), StandardCharsets.UTF_8);
    return new TrainingKey(publicKey, privateKey);
  }
}
