package io.backupagents.replicator;

import io.backupagents.common.launch.Launcher;
import java.time.Clock;
import java.util.List;

/** Entry point of the volume-replicator image. */
public final class VolumeReplicatorMain {

  private VolumeReplicatorMain() {}

  public static void main(String[] args) {
    System.exit(
        new Launcher(new VolumeReplicatorAgent(), System.getenv(), Clock.systemUTC())
            .run(List.of(args)));
  }
}
