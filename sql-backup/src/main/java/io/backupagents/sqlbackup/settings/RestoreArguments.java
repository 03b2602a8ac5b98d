package io.backupagents.sqlbackup.settings;

import io.backupagents.common.settings.SettingsReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command-line arguments after the action, for ad-hoc use: {@code --from <backup>} (or {@code
 * --from=<backup>}), {@code --list} (the same as {@code --from NONE}) and, for recover, {@code
 * --force} and {@code --database <name>} (repeatable: the databases of a dumpall to restore). They
 * win over the settings.
 */
public record RestoreArguments(
    Optional<String> from, boolean list, boolean force, List<String> databases) {

  public static final RestoreArguments NONE =
      new RestoreArguments(Optional.empty(), false, false, List.of());

  public RestoreArguments {
    databases = List.copyOf(databases);
  }

  /** Parses {@code args}, recording anything unknown as a settings problem. */
  public static RestoreArguments parse(List<String> args, SettingsReader r, String action) {
    Optional<String> from = Optional.empty();
    boolean list = false;
    boolean force = false;
    List<String> databases = new ArrayList<>();
    boolean recover = action.equals("recover");
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--from") && i + 1 < args.size()) {
        from = Optional.of(args.get(++i));
      } else if (arg.startsWith("--from=") && arg.length() > "--from=".length()) {
        from = Optional.of(arg.substring("--from=".length()));
      } else if (arg.equals("--list") && recover) {
        list = true;
      } else if (arg.equals("--force") && recover) {
        force = true;
      } else if (arg.equals("--database") && recover && i + 1 < args.size()) {
        databases.add(args.get(++i));
      } else if (arg.startsWith("--database=") && recover) {
        databases.add(arg.substring("--database=".length()));
      } else {
        r.problem(
            "unknown argument '"
                + arg
                + "' for "
                + action
                + ": expected --from <LATEST|NONE|part of a backup name>"
                + (recover ? ", --list, --force or --database <name>" : ""));
      }
    }
    return new RestoreArguments(from, list, force, databases);
  }
}
