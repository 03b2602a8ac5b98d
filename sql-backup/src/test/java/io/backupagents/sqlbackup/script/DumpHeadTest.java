package io.backupagents.sqlbackup.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DumpHeadTest {

  private static final String BLOCK_START =
      "-- sql-backup: the properties of the database itself, as pg_dump --create writes them.\n"
          + "-- psql reads them as comments; sql-backup applies them when it creates the database.\n";

  @Test
  void aPropertiesBlockOfAnyLengthIsPassedOverInReadsOfAnySize() {
    String comment = "x".repeat(3 * DumpHead.LIMIT);
    String dump =
        BLOCK_START
            + "--| SET client_encoding = 'UTF8';\n"
            + "--| CREATE DATABASE app WITH TEMPLATE = template0;\n"
            + "--| COMMENT ON DATABASE app IS '"
            + comment
            + "';\n"
            + "--| GRANT CONNECT ON DATABASE app TO \"role --| x\";\n".repeat(5_000)
            + "-- end of the database's properties\n\n--\n-- PostgreSQL database dump\n--\n";
    byte[] bytes = dump.getBytes(StandardCharsets.UTF_8);
    for (int chunk : new int[] {1, 3, 4, 5, 4096, bytes.length}) {
      DumpHead head = new DumpHead();
      for (int i = 0; i < bytes.length; i += chunk) {
        head.add(bytes, i, Math.min(chunk, bytes.length - i));
      }

      assertThat(head.kind()).as("reads of %d bytes", chunk).contains(DumpKind.DATABASE);
      assertThat(head.full()).isFalse();
    }
  }

  @Test
  void aFileThatIsNotADumpHasNoKindAndOnlyItsStartIsKept() {
    byte[] bytes = "y".repeat(10 * DumpHead.LIMIT).getBytes(StandardCharsets.UTF_8);
    DumpHead head = new DumpHead();
    head.add(bytes, 0, bytes.length);

    assertThat(head.full()).isTrue();
    assertThat(head.kind()).isEmpty();
    byte[] dumpall =
        "--\n-- PostgreSQL database cluster dump\n--\n".getBytes(StandardCharsets.UTF_8);
    DumpHead cluster = new DumpHead();
    cluster.add(dumpall, 0, dumpall.length);
    assertThat(cluster.kind()).contains(DumpKind.CLUSTER);
  }
}
