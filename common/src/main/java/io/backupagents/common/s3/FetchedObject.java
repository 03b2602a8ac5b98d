package io.backupagents.common.s3;

/**
 * A small object read whole (a manifest, a checksum record): what a GET says of it, and its bytes.
 */
public record FetchedObject(RemoteObject object, byte[] content) {}
