package io.backupagents.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The README's one-command demo keeps working: every step succeeds and the report is complete. */
class DemoTest {

  @Test
  void everyStepSucceedsAndTheReportShowsBothCopies() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    int status = new Demo(System.getenv(), Clock.systemUTC(), out).run(Demo.standardSteps());

    String text = buffer.toString(StandardCharsets.UTF_8);
    assertThat(status).as(text).isZero();
    assertThat(text)
        .contains("==== the demo finished: every step succeeded ====")
        .contains("-> exit code 0, termination message: SUCCESS")
        .containsPattern("  hourly/backup-\\S+Z-dumpall\\.sql\\.gz ")
        .containsPattern("  daily/\\.backup-\\S+Z-dumpall\\.sql\\.gz\\.sha256 ")
        .containsPattern(
            "  sql-backup-demo/hourly/backup-\\S+Z-dumpall\\.sql\\.gz +\\S+ \\S+  mtime 20")
        .contains("sql_backup_backup_size_bytes{database=\"dumpall\"}")
        .contains("database bank on the fresh server: identical to the source")
        .contains("database shop on the fresh server: identical to the source");
  }
}
