package io.backupagents.replicator.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The image build's training run goes through all its steps and leaves nothing behind. */
class ArchiveTrainingTest {

  @Test
  void everyStepEndsAsExpectedAndTheTemporaryTreeIsGone() throws IOException {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    assertThat(ArchiveTraining.run()).isEmpty();
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith("volume-replicator-training-"));
    }
  }
}
