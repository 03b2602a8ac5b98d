package io.backupagents.sqlbackup.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A filter tells where each piece it writes begins, and nothing of what it leaves out. */
class BoundariesTest {

  @Test
  void everyPieceWrittenIsToldBeforeItIsWrittenAndNothingLeftOut() throws Exception {
    String dump =
        String.join(
            "\n",
            "SET client_encoding = 'UTF8';",
            "DROP ROLE IF EXISTS postgres;",
            "CREATE ROLE app;",
            "\\connect app",
            "-- Data for Name: t",
            "COPY public.t (id, note) FROM stdin;",
            "1\tSET x = 1;",
            "2\tCOPY u FROM stdin;",
            "\\.",
            "CREATE FUNCTION f() RETURNS int",
            "    LANGUAGE sql AS $$",
            "SET y = 2;",
            "$$;",
            "");
    List<String> told = new ArrayList<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Boundaries recorder =
        new Boundaries() {
          @Override
          public void next(Piece piece, String firstLine) {
            told.add(piece + " " + firstLine + " @" + out.size());
          }

          @Override
          public void copyEnd() {
            told.add("END @" + out.size());
          }
        };
    ClusterRestoreFilter filter =
        new ClusterRestoreFilter(Set.of("postgres"), "postgres", false, Optional.empty());

    filter
        .telling(recorder, false)
        .copy(
            new SqlLineReader(new ByteArrayInputStream(dump.getBytes(StandardCharsets.UTF_8))),
            out);

    String written = out.toString(StandardCharsets.UTF_8);
    assertThat(written).doesNotContain("DROP ROLE");
    int copy = written.indexOf("COPY public.t");
    int afterData = written.indexOf("\\.\n") + 3;
    int function = written.indexOf("CREATE FUNCTION");
    assertThat(told)
        .containsExactly(
            "SESSION SET client_encoding = 'UTF8'; @0",
            "OTHER CREATE ROLE app; @" + written.indexOf("CREATE ROLE"),
            "SESSION \\connect app @" + written.indexOf("\\connect"),
            "NEUTRAL -- Data for Name: t @" + written.indexOf("--"),
            "COPY COPY public.t (id, note) FROM stdin; @" + copy,
            "END @" + afterData,
            "OTHER CREATE FUNCTION f() RETURNS int @" + function);
  }
}
