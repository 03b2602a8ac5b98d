#!/usr/bin/env bash
# Benchmark: sql-backup's recover and verify against the restore users would otherwise run,
#   gunzip -c backup.sql.gz | psql
# on the same backup files, each restore into a fresh server (a copy of a pristine data
# directory, started after a sync), interleaved, RUNS rounds. Cases:
#   - a plain dumpall made by sql-backup (with its SHA-256 record);
#   - a single-database backup made by sql-backup (into a database created for it);
#   - a legacy file (pg_dumpall | gzip, no SHA-256 record);
#   - verify of the single-database backup and of the dumpall (scratch database on the fresh
#     server), each next to the recover of the same backup.
# The source is a throw-away PostgreSQL with pgbench data and a table of realistic text. Wall
# time, CPU of the command and its children, and peak RSS of the largest process are measured.
# Writes bench/results/sql-backup-restore.md (or RESULTS: the larger run, SCALE=70
# TEXT_ROWS=4000000 WORK=bench/work/sql-backup-restore-large, writes sql-backup-restore-large.md).
#
# Usage: bench/sql-backup/restore.sh   (env: RUNS=5 SCALE=30 TEXT_ROWS=1500000 RESULTS=...
#                                             SQL_BACKUP_JAR=... JAVA=... WORK=...)
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)

RUNS=${RUNS:-5}
SCALE=${SCALE:-30}
TEXT_ROWS=${TEXT_ROWS:-1500000}
WORK=${WORK:-$repo/bench/work/sql-backup-restore}
# A relative WORK is taken from the repository's root (the server's socket directory must be absolute).
case $WORK in /*) ;; *) WORK=$repo/$WORK ;; esac
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | while read -r j; do
  v=$("$j" -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.specification.version = //p')
  [ "${v%%.*}" -ge 21 ] 2>/dev/null && echo "$j"; done | sort -V | tail -1)}
JAR=${SQL_BACKUP_JAR:-$repo/sql-backup/target/sql-backup.jar}
RESULTS=${RESULTS:-$repo/bench/results/sql-backup-restore.md}

for tool in gzip python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 2; }
done
[ -x "$JAVA" ] || { echo "no JDK >= 21 found under /usr/lib/jvm; set JAVA" >&2; exit 2; }
mkdir -p "$WORK"
# shellcheck source=bench/sql-backup/install-agent.sh
. "$repo/bench/sql-backup/install-agent.sh"
install_agent
as_pg=()
if [ "$(id -u)" = 0 ]; then as_pg=(runuser -u postgres --); chown postgres "$WORK"; fi
password=bench-restore
source_port=${PGPORT_BENCH:-55442}
target_port=$((source_port + 1))

# A server in $1 on port $2 (created once, then kept).
init_server() {
  local data=$1 port=$2
  [ -f "$data/PG_VERSION" ] && return
  local pwfile; pwfile=$(mktemp); echo "$password" > "$pwfile"; chmod 644 "$pwfile"
  "${as_pg[@]}" "$PGBIN/initdb" -D "$data" -U postgres --pwfile="$pwfile" \
    --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  rm -f "$pwfile"
  cat >> "$data/postgresql.auto.conf" <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$WORK'
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
}
start() { "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$1" -l "$WORK/$(basename "$1").log" -w start >/dev/null; }
stop() { "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$1" -m fast -w stop >/dev/null 2>&1 || true; }

source_data=$WORK/source
pristine=$WORK/pristine-target
target=$WORK/target
init_server "$source_data" "$source_port"
init_server "$pristine" "$target_port"
trap 'stop "$source_data"; stop "$target"' EXIT
start "$source_data"
export PGHOST=127.0.0.1 PGPASSWORD=$password PGUSER=postgres
psql_source=("$PGBIN/psql" -X -q -p "$source_port")

if [ "$("${psql_source[@]}" -At -d postgres -c "SELECT count(*) FROM pg_database WHERE datname = 'bench'")" = 0 ]; then
  echo "loading pgbench scale $SCALE and $TEXT_ROWS rows of text (once; kept in $source_data)"
  "${psql_source[@]}" -d postgres -c "CREATE DATABASE bench"
  "$PGBIN/pgbench" -p "$source_port" -i -s "$SCALE" -q bench
  "${psql_source[@]}" -d bench <<SQL
CREATE TABLE notes (id bigint PRIMARY KEY, author text, created timestamptz, title text, body text);
INSERT INTO notes
SELECT g,
       (ARRAY['Ana Souza','Jürgen Müller','Li Wei','Olga Petrova','Kwame Mensah','Aiko Tanaka'])[1 + g % 6],
       timestamptz '2020-01-01' + g * interval '37 seconds',
       'Order ' || g || ': ' || (ARRAY['delivery delayed','invoice corrected','address changed',
         'refund requested','item damaged','customer called back'])[1 + (g * 7) % 6],
       'Customer ' || (g * 31 % 100000) || ' wrote on ' || to_char(timestamptz '2020-01-01' + g * interval '37 seconds', 'YYYY-MM-DD')
         || E':\n-- the parcel ' || md5(g::text) || ' was '
         || (ARRAY['left at the door','returned to the depot','delivered to a neighbour','lost in transit'])[1 + (g * 13) % 4]
         || E'.\n\\\\connect ' || substr(md5((g * 17)::text), 1, 12) || ', amount ' || (g % 997) || '.' || (g % 89)
         || ' EUR. ' || repeat('Notes: ', g % 3) || (ARRAY['Zürich','São Paulo','Kraków','東京','Reykjavík'])[1 + g % 5]
FROM generate_series(1, $TEXT_ROWS) g;
CREATE FUNCTION note_title(bigint) RETURNS text LANGUAGE plpgsql AS \$\$
BEGIN
  -- a body with lines that look like statements
  RETURN (SELECT title FROM notes WHERE id = \$1);
END \$\$;
SQL
  "${psql_source[@]}" -d bench -c "VACUUM ANALYZE"
fi

# The backups, made once by the agent (dumpall and single database) and by the legacy pipeline.
backups=$WORK/backups
legacy=$WORK/legacy
# As the image runs it: its launcher beside the jar and the class archive (install_agent), with
# JAVA's java first on PATH.
agent_env=(env -i PATH="$(dirname "$JAVA"):$PATH" HOME="$WORK" LANG=C.UTF-8 PGHOST=127.0.0.1
  PGUSER=postgres PGADMINPASS="$password" TERMINATION_LOG_PATH="$WORK/termination-log"
  LOG_LEVEL=warn)
agent=("$app_launcher")
if [ ! -d "$backups/hourly" ]; then
  mkdir -p "$backups"
  "${agent_env[@]}" PGPORT="$source_port" BACKUP_ROOT_DIR="$backups" "${agent[@]}" backup
  "${agent_env[@]}" PGPORT="$source_port" BACKUP_ROOT_DIR="$backups" DATABASE=bench \
    "${agent[@]}" backup
fi
if [ ! -d "$legacy/hourly" ]; then
  mkdir -p "$legacy/hourly"
  "$PGBIN/pg_dumpall" -p "$source_port" --clean --if-exists \
    | gzip > "$legacy/hourly/backup-2020-01-01T00:00:00Z-dumpall.sql.gz"
fi
dumpall=$(ls "$backups"/hourly/backup-*-dumpall.sql.gz | tail -1)
single=$(ls "$backups"/hourly/backup-*-bench.sql.gz | tail -1)
legacy_file=$(ls "$legacy"/hourly/backup-*-dumpall.sql.gz | tail -1)
sql_bytes=$(gzip -dc "$dumpall" | wc -c)

timings=$WORK/timings.tsv
: > "$timings"
: > "$WORK/sanity-single-database.tsv"
: > "$WORK/sanity-dumpall.tsv"

# Runs one restore into a fresh copy of the pristine server: name, command...
measure() {
  local name=$1; shift
  stop "$target"; rm -rf "$target"; cp -a "$pristine" "$target"; start "$target"
  # Nothing of the restore before is left to write back while this one runs.
  sync
  /usr/bin/time -v -o "$WORK/time.txt" "$@" > "$WORK/stdout.txt" 2>&1 || {
    echo "$name failed:"; tail -20 "$WORK/stdout.txt"; exit 1; }
  python3 - "$name" "$WORK/time.txt" >> "$timings" <<'PY'
import re, sys
name, timefile = sys.argv[1:3]
t = open(timefile).read()
def field(label):
    return re.search(re.escape(label) + r": (.*)", t).group(1).strip()
wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")
seconds = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall)))
cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
print(f"{name}\t{seconds:.2f}\t{cpu:.2f}\t{int(field('Maximum resident set size (kbytes)'))}")
PY
  tail -1 "$timings"
}

psql_target=("$PGBIN/psql" -X -q -p "$target_port")
# The agent as a Job runs it: only the variables the manifest sets (env -i first).
ours_env=("${agent_env[@]}" PGPORT="$target_port" RECOVERY_ROOT_DIR="$WORK/none"
  BACKUP_ROOT_DIR="$backups")
mkdir -p "$WORK/none" # the source keeps running: verify compares with it
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# verify of one backup (into a scratch database on the fresh server, compared with the source),
# and the sanity checks' share of it: from each database's "comparing it with its source" to the
# line that reports the comparison (the scratch database's drop included).
verify() {
  measure "sql-backup verify ($1)" \
    "${agent_env[@]}" LOG_LEVEL=info PGPORT="$source_port" VERIFY_PGHOST=127.0.0.1 \
    VERIFY_PGPORT="$target_port" VERIFY_PGADMINPASS="$password" RECOVERY_ROOT_DIR="$WORK/none" \
    BACKUP_ROOT_DIR="$backups" FROM_BACKUP="$(basename "$2")" "${agent[@]}" verify
  python3 - "$WORK/stdout.txt" >> "$WORK/sanity-${1// /-}.tsv" <<'PY'
import datetime, re, sys
lines = [l for l in open(sys.argv[1], errors="replace") if re.match(r"\S+Z INFO  ", l)]
stamp = lambda l: datetime.datetime.fromisoformat(l.split(" ")[0].replace("Z", "+00:00"))
total = sum((stamp(b) - stamp(a)).total_seconds()
            for a, b in zip(lines, lines[1:]) if "comparing it with its source" in a)
print(f"{total:.2f}")
PY
}

# One restore of a round. Each pair (a restore users run and the agent's of the same file) runs in
# a rotating position and, every other round, agent first: no restore always follows the same one.
# verify runs next to the recover of the same backup (after it, or before it every other round).
leg() {
  case $1 in
    0) measure "gunzip -c dumpall | psql" \
         bash -o pipefail -c "gzip -dc '$dumpall' | ${psql_target[*]} -d postgres" ;;
    1) measure "sql-backup recover (dumpall)" \
         "${ours_env[@]}" "${agent[@]}" recover --from "$(basename "$dumpall")" ;;
    2) measure "gunzip -c single | psql" \
         bash -o pipefail -c "${psql_target[*]} -d postgres -c 'CREATE DATABASE bench' \
           && gzip -dc '$single' | ${psql_target[*]} -v ON_ERROR_STOP=1 --single-transaction -d bench" ;;
    3) measure "sql-backup recover (single database)" \
         "${ours_env[@]}" DATABASE=bench RESTORE_CREATE_DATABASE=yes \
         "${agent[@]}" recover --from "$(basename "$single")" ;;
    4) measure "gunzip -c legacy | psql" \
         bash -o pipefail -c "gzip -dc '$legacy_file' | ${psql_target[*]} -d postgres" ;;
    5) measure "sql-backup recover (legacy file, no SHA-256 record)" \
         "${agent_env[@]}" PGPORT="$target_port" RECOVERY_ROOT_DIR="$legacy" \
         BACKUP_ROOT_DIR="$WORK/none" "${agent[@]}" recover ;;
    6) verify "single database" "$single" ;;
    7) verify dumpall "$dumpall" ;;
  esac
}

for run in $(seq 1 "$RUNS"); do
  echo "round $run of $RUNS"
  for p in 0 1 2; do
    pair=$(((p + run) % 3))
    legs=($((2 * pair)) $((2 * pair + 1)))
    # verify beside the recover it is compared with (of the same backup)
    if [ "$pair" = 0 ]; then legs+=(7); fi
    if [ "$pair" = 1 ]; then legs+=(6); fi
    if [ $((run % 2)) = 0 ]; then legs=($(printf '%s\n' "${legs[@]}" | tac)); fi
    for l in "${legs[@]}"; do leg "$l"; done
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

export RUNS SCALE TEXT_ROWS sql_bytes load_before load_after
export gz_bytes=$(stat -c %s "$dumpall")
export machine="$(nproc) cores ($(sed -n 's/^model name\t: //p' /proc/cpuinfo | head -1)), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, loopback"
export pg_version=$("$PGBIN/postgres" --version | awk '{print $3}')
export java_version=$("$JAVA" -version 2>&1 | head -1)
python3 - "$timings" "$RESULTS" "$WORK/sanity-single-database.tsv" "$WORK/sanity-dumpall.tsv" <<'PY'
import collections, os, statistics, sys
e = os.environ
rows = collections.OrderedDict()
for line in open(sys.argv[1]):
    name, wall, cpu, rss = line.rstrip("\n").split("\t")
    rows.setdefault(name, []).append((float(wall), float(cpu), int(rss)))
def med(name, i=0):
    return statistics.median(r[i] for r in rows[name])
pairs = {
    "sql-backup recover (dumpall)": "gunzip -c dumpall | psql",
    "sql-backup recover (single database)": "gunzip -c single | psql",
    "sql-backup recover (legacy file, no SHA-256 record)": "gunzip -c legacy | psql",
    "sql-backup verify (single database)": "gunzip -c single | psql",
    "sql-backup verify (dumpall)": "gunzip -c dumpall | psql",
}
out = [
    "# sql-backup: recover and verify vs gunzip -c | psql",
    "",
    f"Written by `bench/sql-backup/restore.sh`; {e['RUNS']} interleaved rounds, each restore into a"
    " fresh server (a copy of a pristine data directory); in each round the pairs (a restore users"
    " run, the agent's of the same file) come in a rotated order, the agent's first every other"
    " round; verify runs next to the recover of the same backup.",
    "",
    f"- machine: {e['machine']}; load average (1/5/15 min) {e['load_before']} before the runs,"
    f" {e['load_after']} after (other work shares the machine: compare ratios, not seconds)",
    f"- PostgreSQL {e['pg_version']}; source: pgbench scale {e['SCALE']} + {int(e['TEXT_ROWS']):,}"
    f" rows of text (with lines that look like SQL and psql meta-commands);"
    f" dumpall {int(e['sql_bytes']) / 2**20:,.0f} MiB of SQL, {int(e['gz_bytes']) / 2**20:,.0f} MiB"
    f" compressed",
    f"- sql-backup as the image runs it (the image's launcher beside the jar, with the class"
    f" archive made by the image build's training runs), {e['java_version']}; its"
    " times include the check before the restore and the JVM's start",
    "",
    "| command | wall (median) | wall (min-max) | CPU (user+sys, median) | peak RSS (largest process) | wall vs its gunzip \\| psql (median of per-round ratios) |",
    "|---|---|---|---|---|---|",
]
ratios = {}
for n, v in rows.items():
    walls = [r[0] for r in v]
    ratio = ""
    if n in pairs:
        base = [r[0] for r in rows[pairs[n]]]
        rs = [a / b for a, b in zip(walls, base)]
        ratios[n] = (statistics.median(rs), min(rs), max(rs))
        ratio = f"{ratios[n][0]:.2f}x ({ratios[n][1]:.2f}-{ratios[n][2]:.2f}x)"
    cell = n.replace("|", "\\|")
    out.append(f"| `{cell}` | {statistics.median(walls):.1f} s | {min(walls):.1f}-{max(walls):.1f} s"
               f" | {med(n, 1):.1f} s | {med(n, 2) / 1024:,.0f} MiB | {ratio} |")
sanity = {kind: statistics.median(float(l) for l in open(f) if l.strip())
          for kind, f in (("single database", sys.argv[3]), ("dumpall", sys.argv[4]))}
agent_rss = max(r[2] for n, v in rows.items() if n.startswith("sql-backup") for r in v)
checks = [
    ("recover of a dumpall <= 1.05x gunzip \\| psql", ratios["sql-backup recover (dumpall)"][0] <= 1.05,
     f"{ratios['sql-backup recover (dumpall)'][0]:.2f}x"),
    ("recover of a single-database backup <= 1.05x", ratios["sql-backup recover (single database)"][0] <= 1.05,
     f"{ratios['sql-backup recover (single database)'][0]:.2f}x"),
    ("recover of a legacy file <= 1.2x", ratios["sql-backup recover (legacy file, no SHA-256 record)"][0] <= 1.2,
     f"{ratios['sql-backup recover (legacy file, no SHA-256 record)'][0]:.2f}x"),
] + [
    (f"verify no slower than recover of the same backup plus its sanity checks ({kind})",
     med(f"sql-backup verify ({kind})") <= med(f"sql-backup recover ({kind})") + sanity[kind],
     f"{med(f'sql-backup verify ({kind})'):.1f} s vs {med(f'sql-backup recover ({kind})'):.1f} s"
     f" + {sanity[kind]:.1f} s of sanity checks (median; row counts on the scratch and the source server)")
    for kind in ("single database", "dumpall")
] + [
    ("agent peak RSS <= 256 MiB (largest of all runs)", agent_rss <= 256 * 1024, f"{agent_rss / 1024:,.0f} MiB"),
]
out += ["", "| target | met? | measured |", "|---|---|---|"]
for label, ok, value in checks:
    out.append(f"| {label} | {'yes' if ok else '**no**'} | {value} |")
open(sys.argv[2], "w").write("\n".join(out) + "\n")
print("\n".join(out))
PY
