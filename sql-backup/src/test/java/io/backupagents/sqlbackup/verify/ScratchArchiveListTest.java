package io.backupagents.sqlbackup.verify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScratchArchiveListTest {

  // What pg_restore --list printed for a database with a foreign server, a user mapping, a table
  // with row level security and a policy (PostgreSQL 15).
  private static final String TOC =
      String.join(
          "\n",
          ";",
          "; Archive created at 2026-12-04 20:00:00 UTC",
          ";",
          "2; 3079 444897 EXTENSION - postgres_fdw ",
          "2041; 1417 444904 SERVER - elsewhere postgres",
          "3356; 0 0 USER MAPPING - USER MAPPING appuser SERVER elsewhere postgres",
          "215; 1259 444893 TABLE public c postgres",
          "3348; 0 444893 TABLE DATA public c postgres",
          "3346; 0 444893 ROW SECURITY public c postgres",
          "3347; 3256 444896 POLICY public c own postgres",
          "216; 1259 444899 TABLE public \"POLICY public x\" postgres",
          "");

  @Test
  void userMappingsAreLeftOutAndPoliciesListedApart() {
    ScratchArchiveList list = ScratchArchiveList.of(TOC);

    assertThat(list.needed()).isTrue();
    assertThat(list.userMappings()).isEqualTo(1);
    assertThat(list.policyCount()).isEqualTo(1);
    assertThat(list.restored().lines())
        .contains(
            ";3356; 0 0 USER MAPPING - USER MAPPING appuser SERVER elsewhere postgres",
            ";3347; 3256 444896 POLICY public c own postgres",
            "3346; 0 444893 ROW SECURITY public c postgres",
            "3348; 0 444893 TABLE DATA public c postgres",
            "216; 1259 444899 TABLE public \"POLICY public x\" postgres");
    assertThat(list.policies()).isEqualTo("3347; 3256 444896 POLICY public c own postgres\n");
  }

  @Test
  void anArchiveWithoutThemNeedsNoList() {
    ScratchArchiveList list = ScratchArchiveList.of("215; 1259 444893 TABLE public c postgres\n");

    assertThat(list.needed()).isFalse();
    assertThat(list.policies()).isEmpty();
  }
}
