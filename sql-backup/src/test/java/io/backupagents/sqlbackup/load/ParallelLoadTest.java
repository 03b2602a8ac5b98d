package io.backupagents.sqlbackup.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backupagents.sqlbackup.script.Boundaries;
import io.backupagents.sqlbackup.script.Boundaries.Piece;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pure parts of the parallel load: pieces, transaction blocks, session set-up, claims. */
class ParallelLoadTest {

  @Test
  void piecesAreToldApartByTheirFirstLine() {
    assertThat(Boundaries.pieceOf("", false)).isEqualTo(Piece.NEUTRAL);
    assertThat(Boundaries.pieceOf("-- Data for Name: t; Type: TABLE DATA", false))
        .isEqualTo(Piece.NEUTRAL);
    assertThat(Boundaries.pieceOf("SET client_encoding = 'LATIN1';", false))
        .isEqualTo(Piece.SESSION);
    assertThat(Boundaries.pieceOf("reset session authorization;", false)).isEqualTo(Piece.SESSION);
    assertThat(Boundaries.pieceOf("SELECT pg_catalog.set_config('search_path', '', false);", false))
        .isEqualTo(Piece.SESSION);
    assertThat(Boundaries.pieceOf("\\connect -reuse-previous=on \"dbname='app'\"", true))
        .isEqualTo(Piece.SESSION);
    assertThat(Boundaries.pieceOf("COPY public.t (id, \"from\") FROM stdin;", false))
        .isEqualTo(Piece.COPY);
    // Not a COPY of dump data, nor a setting: they run in place on the main connection.
    assertThat(Boundaries.pieceOf("COPY public.t TO stdout;", false)).isEqualTo(Piece.OTHER);
    assertThat(Boundaries.pieceOf("SETTLE;", false)).isEqualTo(Piece.OTHER);
    assertThat(Boundaries.pieceOf("SELECT pg_catalog.setval('s', 3, true);", false))
        .isEqualTo(Piece.OTHER);
    assertThat(Boundaries.pieceOf("CREATE TABLE public.t (id int);", false)).isEqualTo(Piece.OTHER);
  }

  @Test
  void transactionBlocksTheDumpOpensAreFollowed() {
    assertThat(ParallelLoad.transactionAfter("BEGIN;", false)).isTrue();
    assertThat(ParallelLoad.transactionAfter("begin transaction;", false)).isTrue();
    assertThat(ParallelLoad.transactionAfter("START TRANSACTION;", false)).isTrue();
    assertThat(ParallelLoad.transactionAfter("SELECT 1;", true)).isTrue();
    assertThat(ParallelLoad.transactionAfter("ROLLBACK TO SAVEPOINT a;", true)).isTrue();
    assertThat(ParallelLoad.transactionAfter("COMMIT;", true)).isFalse();
    assertThat(ParallelLoad.transactionAfter("END;", true)).isFalse();
    assertThat(ParallelLoad.transactionAfter("ROLLBACK;", true)).isFalse();
    assertThat(ParallelLoad.transactionAfter("ABORT;", true)).isFalse();
    assertThat(ParallelLoad.transactionAfter("CREATE TABLE t (id int);", false)).isFalse();
  }

  @Test
  void aSessionIsSetUpWithWhatFollowsTheLastConnectAndNeverInRestrictedMode() throws IOException {
    ParallelLoad.SessionSetup setup = new ParallelLoad.SessionSetup();
    for (String piece :
        new String[] {
          "\\restrict abc\n",
          "SET client_encoding = 'UTF8';\n",
          "\\set ON_ERROR_STOP on\n",
          "\\unrestrict abc\n",
          "\\connect app\n",
          "\\restrict abc\n",
          "SET client_encoding = 'LATIN1';\n",
          "SET SESSION AUTHORIZATION 'loader';\n"
        }) {
      setup.next().write(piece.getBytes(StandardCharsets.UTF_8));
    }
    ByteArrayOutputStream psql = new ByteArrayOutputStream();

    setup.writeTo(psql);

    assertThat(psql.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "\\set ON_ERROR_STOP on\n"
                + "\\connect app\n"
                + "SET client_encoding = 'LATIN1';\n"
                + "SET SESSION AUTHORIZATION 'loader';\n");
  }

  @Test
  void eachCopyIsClaimedOnceAndTheSessionsOfARunAreKeptForTheMainConnection() throws Exception {
    ParallelLoad.Claims claims = new ParallelLoad.Claims();
    CompletableFuture<Void> session = new CompletableFuture<>();

    assertThat(claims.claim(1, "COPY public.a (id) FROM stdin;", 1, null)).isTrue();
    assertThat(claims.claim(1, "COPY public.a (id) FROM stdin;", 1, session)).isFalse();
    assertThat(claims.claim(2, "COPY public.b (id) FROM stdin;", 1, session)).isTrue();
    assertThat(claims.claim(3, "COPY public.c (id) FROM stdin;", 1, session)).isTrue();

    assertThat(claims.sessions(1)).containsExactly(session);
    assertThat(claims.sessions(1)).isEmpty();
  }

  @Test
  void readersThatSeeAnotherCopyAtTheSamePlaceStop() throws Exception {
    ParallelLoad.Claims claims = new ParallelLoad.Claims();
    claims.claim(1, "COPY public.a (id) FROM stdin;", 1, null);

    assertThatThrownBy(() -> claims.claim(1, "COPY public.b (id) FROM stdin;", 1, null))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("changed during the restore");
  }

  @Test
  void tablesCreatedByTheDumpAreRecognised() {
    assertThat(ParallelLoad.createsTable("CREATE TABLE public.t (")).isTrue();
    assertThat(ParallelLoad.createsTable("CREATE UNLOGGED TABLE public.t (")).isTrue();
    assertThat(ParallelLoad.createsTable("CREATE TABLE public.p_1 PARTITION OF public.p")).isTrue();
    assertThat(ParallelLoad.createsTable("CREATE INDEX t_i ON public.t USING btree (id);"))
        .isFalse();
    assertThat(ParallelLoad.createsTable("ALTER TABLE ONLY public.t")).isFalse();
  }

  @Test
  void aHelperWaitsForItsRunToBeReleased() throws Exception {
    ParallelLoad.Claims claims = new ParallelLoad.Claims();
    CountDownLatch released = new CountDownLatch(1);
    Thread helper =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    claims.awaitRelease(2);
                    released.countDown();
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                });

    claims.release(1);
    assertThat(released.await(200, TimeUnit.MILLISECONDS)).isFalse();
    claims.release(2);

    assertThat(released.await(10, TimeUnit.SECONDS)).isTrue();
    helper.join();
  }

  @Test
  void aRunTheMainConnectionNeverReachedMeansTheBackupReadDifferently() {
    ParallelLoad.Claims claims = new ParallelLoad.Claims();
    claims.release(1);
    claims.finish();

    assertThatThrownBy(() -> claims.awaitRelease(2))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("changed during the restore");
  }

  @Test
  void theFirstFailureOfAConnectionThatWasNotStoppedIsTheOneReported() {
    ParallelLoad.Claims claims = new ParallelLoad.Claims();
    IllegalStateException consequence = new IllegalStateException("lost its connection");
    IllegalStateException cause = new IllegalStateException("violates check constraint");

    claims.fail(consequence, true);

    assertThatThrownBy(claims::check).isInstanceOf(ParallelLoad.Stopped.class);
    assertThatThrownBy(() -> claims.awaitRelease(1)).isInstanceOf(ParallelLoad.Stopped.class);
    assertThat(claims.failure()).isSameAs(consequence);
    claims.fail(cause, false);
    claims.fail(new IllegalStateException("later"), false);
    assertThat(claims.failure()).isSameAs(cause);
  }
}
