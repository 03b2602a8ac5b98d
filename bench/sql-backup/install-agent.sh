# Sourced by the sql-backup benchmarks: installs the agent as the image does, the launcher
# (Dockerfiles/sql-backup/sql-backup) beside the jar and a class archive made by the same training
# runs as in the image build (Dockerfiles/make-class-archive.sh), for the JVM the benchmark uses.
# The training's servers come from PGBIN (run as the postgres user when this runs as root).
# Needs: repo, WORK, JAVA, JAR, PGBIN. Sets: app (the directory), app_launcher.
install_agent() {
  local training=$repo/sql-backup-training/target/training
  if [ ! -f "$JAR" ] || [ ! -f "$training/sql-backup-training.jar" ]; then
    (cd "$repo" && ./mvnw -B -q -DskipTests package -pl sql-backup,sql-backup-training -am)
  fi
  app=$WORK/app
  rm -rf "$app"
  mkdir -p "$app"
  cp "$JAR" "$app/sql-backup.jar"
  cp "$repo/Dockerfiles/sql-backup/sql-backup" "$app/"
  local user=()
  if [ "$(id -u)" = 0 ]; then user=(postgres); fi
  PATH="$(dirname "$JAVA"):$PATH" "$repo/Dockerfiles/make-class-archive.sh" sql-backup "$app" \
    "$training" io.backupagents.sqlbackup.training.ArchiveTrainingMain "$PGBIN" "${user[@]}" \
    > "$WORK/archive.log" 2>&1 || { tail -20 "$WORK/archive.log" >&2; exit 1; }
  app_launcher=$app/sql-backup
}
