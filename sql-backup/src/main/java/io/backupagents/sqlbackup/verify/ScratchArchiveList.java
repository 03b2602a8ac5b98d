package io.backupagents.sqlbackup.verify;

import java.util.regex.Pattern;

/**
 * Splits an archive's table of contents ({@code pg_restore --list}) for a scratch restore, which
 * must need no role: user mappings (each names a role and holds a foreign server's credentials) are
 * left out, as from a plain dump; policies ({@code CREATE POLICY ... TO role}) are taken out of
 * pg_restore's run, so that their SQL can lose its roles as a plain dump's does. pg_restore skips a
 * list line that starts with {@code ;}.
 *
 * @param restored the list pg_restore restores
 * @param policies the list of the policies alone
 * @param userMappings how many user mappings are left out
 * @param policyCount how many policies the second list names
 */
record ScratchArchiveList(String restored, String policies, int userMappings, int policyCount) {

  // "3356; 0 0 USER MAPPING - USER MAPPING appuser SERVER elsewhere postgres": the dump id, the
  // catalog and object ids, then the entry's kind.
  private static final Pattern USER_MAPPING = Pattern.compile("\\d+; \\d+ \\d+ USER MAPPING .*");
  private static final Pattern POLICY = Pattern.compile("\\d+; \\d+ \\d+ POLICY .*");

  static ScratchArchiveList of(String toc) {
    StringBuilder restored = new StringBuilder();
    StringBuilder policies = new StringBuilder();
    int userMappings = 0;
    int policyCount = 0;
    for (String line : toc.split("\n", -1)) {
      if (USER_MAPPING.matcher(line).matches()) {
        userMappings++;
        restored.append(';');
      } else if (POLICY.matcher(line).matches()) {
        policyCount++;
        policies.append(line).append('\n');
        restored.append(';');
      }
      restored.append(line).append('\n');
    }
    return new ScratchArchiveList(
        restored.toString(), policies.toString(), userMappings, policyCount);
  }

  /** Whether pg_restore needs the list: without such entries it restores the whole archive. */
  boolean needed() {
    return userMappings > 0 || policyCount > 0;
  }
}
