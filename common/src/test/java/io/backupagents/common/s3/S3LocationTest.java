package io.backupagents.common.s3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class S3LocationTest {

  @Test
  void parsesUrlAndLegacyRcloneForm() {
    assertThat(S3Location.parse("s3://media-bucket/prod/media"))
        .contains(new S3Location("media-bucket", "prod/media"));
    assertThat(S3Location.parse("/backup-bucket/frag/"))
        .contains(new S3Location("backup-bucket", "frag"));
    assertThat(S3Location.parse("/backup-bucket")).contains(new S3Location("backup-bucket", ""));
    assertThat(S3Location.parse("backup-bucket/x")).isEmpty();
    assertThat(S3Location.parse("s3://Bad_Bucket/x")).isEmpty();
  }

  @Test
  void keysAndRelativePathsRoundTrip() {
    S3Location loc = new S3Location("b", "frag");
    assertThat(loc.key("hourly/backup-1.sql.gz")).isEqualTo("frag/hourly/backup-1.sql.gz");
    assertThat(loc.relativize("frag/hourly/backup-1.sql.gz")).contains("hourly/backup-1.sql.gz");
    assertThat(loc.relativize("fragment/x")).isEmpty();
    assertThat(new S3Location("b", "").key("a/b")).isEqualTo("a/b");
  }
}
