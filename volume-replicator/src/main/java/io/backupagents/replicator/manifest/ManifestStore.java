package io.backupagents.replicator.manifest;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.s3.FetchedObject;
import io.backupagents.common.s3.S3Location;
import io.backupagents.common.s3.S3Store;
import io.backupagents.replicator.config.Shard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a location's manifest lives and how it is fetched and stored: one gzip object per location
 * and shard, under a prefix of the same bucket ({@code .volume-replicator/manifests/<location
 * prefix>/shard-0-of-1.tsv.gz} by default), outside the synced prefix whenever the location is not
 * the bucket's root.
 */
public final class ManifestStore {

  private static final Logger log = LoggerFactory.getLogger(ManifestStore.class);

  private final S3Store store;
  private final S3Location location;
  private final String key;
  private final String prefix;

  public ManifestStore(S3Store store, S3Location location, String manifestPrefix, Shard shard) {
    this.store = store;
    this.location = location;
    this.prefix = manifestPrefix + "/";
    String where = location.prefix().isEmpty() ? "_root" : location.prefix();
    this.key =
        manifestPrefix
            + "/"
            + where
            + "/shard-"
            + shard.index()
            + "-of-"
            + shard.count()
            + ".tsv.gz";
  }

  public String key() {
    return key;
  }

  /**
   * The prefix, relative to the location, that listings must skip because the manifests live there;
   * empty when they live outside the location.
   */
  public Optional<String> relativeManifestPrefix() {
    String lp = location.listPrefix();
    if (prefix.startsWith(lp)) {
      return Optional.of(prefix.substring(lp.length()));
    }
    if (lp.startsWith(prefix)) {
      return Optional.of("");
    }
    return Optional.empty();
  }

  /** Fetches the manifest into {@code workDir}; a missing or unreadable one knows nothing. */
  public ManifestReader load(Path workDir) {
    try {
      Optional<FetchedObject> fetched = store.fetch(key);
      if (fetched.isEmpty()) {
        log.info(
            "no manifest at s3://{}/{} yet: objects of equal size get a HEAD", store.bucket(), key);
        return ManifestReader.none();
      }
      Path file = workDir.resolve("manifest-in-" + System.nanoTime() + ".gz");
      Files.write(file, fetched.get().content());
      Instant writtenAt = fetched.get().object().lastModified();
      return ManifestReader.open(file, writtenAt == null ? Instant.MIN : writtenAt, key);
    } catch (AgentException e) {
      if (e.exitCode() == ExitCode.UNREACHABLE || e.exitCode() == ExitCode.AUTH_FAILED) {
        throw e;
      }
      log.warn(
          "manifest s3://{}/{} is unreadable ({}): ignoring it",
          store.bucket(),
          key,
          e.getMessage());
    } catch (IOException | RuntimeException e) {
      log.warn(
          "manifest s3://{}/{} is unreadable ({}): ignoring it", store.bucket(), key, e.toString());
    }
    return ManifestReader.none();
  }

  /** Uploads a finished manifest file. */
  public void save(Path file, Instant now) throws IOException {
    store.upload(file, key, now);
    Files.deleteIfExists(file);
  }
}
