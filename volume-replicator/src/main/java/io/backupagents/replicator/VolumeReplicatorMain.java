package io.backupagents.replicator;

import io.backupagents.common.launch.Launcher;
import io.backupagents.replicator.training.ArchiveTraining;
import java.io.IOException;
import java.time.Clock;
import java.util.List;

/** Entry point of the volume-replicator image. */
public final class VolumeReplicatorMain {

  /** The image build's argument for the training run behind the class archive. */
  public static final String TRAIN_CLASS_ARCHIVE = "--train-class-archive";

  private VolumeReplicatorMain() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 1 && args[0].equals(TRAIN_CLASS_ARCHIVE)) {
      ArchiveTraining.main(new String[0]);
      return;
    }
    System.exit(
        new Launcher(new VolumeReplicatorAgent(), System.getenv(), Clock.systemUTC())
            .run(List.of(args)));
  }
}
