package io.backupagents.sqlbackup.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.common.process.LocalProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which client tools are found, and which are run to learn their version. */
class ClientToolsTest {

  @TempDir Path dir;

  @Test
  void versionedDirectoriesAreKnownByNameAndOthersByRunningTheTool() throws Exception {
    Path root = dir.resolve("lib/postgresql");
    Path v14 =
        tool(root.resolve("14/bin"), "pg_dump", "echo should-not-run >> " + dir.resolve("ran"));
    Path local = tool(dir.resolve("local/bin"), "pg_dump", "echo 'pg_dump (PostgreSQL) 16.2'");

    List<ClientTools.Clients> found = tools(root, local.getParent()).candidates("pg_dump");

    assertThat(found)
        .containsExactly(
            new ClientTools.Clients(14, v14.getParent()),
            new ClientTools.Clients(16, local.getParent()));
    assertThat(dir.resolve("ran")).doesNotExist();
  }

  @Test
  void debiansWrapperIsNotRunWhenItsOwnInstallRootIsSearched() throws Exception {
    // Debian's /usr/bin/pg_dump links to pg_wrapper, which runs one of /usr/lib/postgresql/*/bin.
    Path wrapper =
        tool(
            dir.resolve("share/postgresql-common"),
            "pg_wrapper",
            "echo ran >> " + dir.resolve("ran") + "; echo 'pg_dump (PostgreSQL) 99.0'");
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.createSymbolicLink(bin.resolve("pg_dump"), wrapper);
    Path debianRoot = Path.of("/usr/lib/postgresql");

    List<ClientTools.Clients> found = tools(debianRoot, bin).candidates("pg_dump");

    assertThat(found).noneMatch(c -> c.dir().equals(bin));
    assertThat(dir.resolve("ran")).doesNotExist();

    // Searched beside another install root, the wrapper is a tool like any other.
    List<ClientTools.Clients> elsewhere =
        tools(Files.createDirectories(dir.resolve("empty")), bin).candidates("pg_dump");

    assertThat(elsewhere).containsExactly(new ClientTools.Clients(99, bin));
    assertThat(dir.resolve("ran")).exists();
  }

  private static ClientTools tools(Path installRoot, Path pathDir) {
    return ClientTools.standard(
        Optional.empty(), installRoot, pathDir.toString(), new LocalProcessRunner(Map.of()));
  }

  private static Path tool(Path in, String name, String body) throws IOException {
    Files.createDirectories(in);
    Path tool = in.resolve(name);
    Files.writeString(tool, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
    return tool;
  }
}
