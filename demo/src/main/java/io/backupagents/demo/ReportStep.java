package io.backupagents.demo;

import io.backupagents.common.logging.Units;
import io.backupagents.common.s3.RemoteObject;
import io.backupagents.common.s3.S3Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Prints where everything went, and the metrics the hourly run would push. */
final class ReportStep implements DemoStep {

  @Override
  public String title() {
    return "where everything went";
  }

  @Override
  public void run(DemoContext c) throws IOException {
    Path root = c.backupRoot();
    c.out().printf("backup volume (BACKUP_ROOT_DIR, kept after the demo): %s%n", root);
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
        c.out().printf("  %-62s %10s%n", root.relativize(p), Units.bytes(Files.size(p)));
      }
    }
    S3Store bucket = c.bucket();
    c.out()
        .printf(
            "off-site copy (in-process S3 at %s, gone when the demo ends): s3://%s/%s/%n",
            c.s3().endpoint(), DemoContext.BUCKET, DemoContext.PREFIX);
    List<RemoteObject> objects = bucket.listAll(DemoContext.PREFIX + "/");
    for (RemoteObject o : objects) {
      RemoteObject head = bucket.head(o.key()).orElseThrow();
      c.out()
          .printf(
              "  %-72s %10s  mtime %s%n",
              o.key(), Units.bytes(o.size()), head.mtime().map(Object::toString).orElse("-"));
    }
    c.out()
        .printf(
            "  (the daily tier goes up with the next hourly run's mirror, as the legacy rclone sync"
                + " after hourly runs did)%n");
    c.out().printf("metrics the hourly run pushes (METRICS_PUSHGATEWAY_URL), sql-backup's own:%n");
    c.result("hourly")
        .metrics()
        .lines()
        .filter(l -> l.startsWith("sql_backup_"))
        .forEach(l -> c.out().printf("  %s%n", l));
  }
}
