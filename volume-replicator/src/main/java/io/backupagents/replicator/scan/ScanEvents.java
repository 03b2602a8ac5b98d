package io.backupagents.replicator.scan;

/** What a scanner reports besides entries. Implementations must be thread-safe. */
public interface ScanEvents {

  /** A directory or entry could not be read: the run must not delete anything. */
  void error(String key, String cause);

  /** Something worth an operator's attention that does not endanger the copy. */
  void warning(String key, String message);

  /** Scan events that only count. */
  ScanEvents IGNORE =
      new ScanEvents() {
        @Override
        public void error(String key, String cause) {}

        @Override
        public void warning(String key, String message) {}
      };
}
