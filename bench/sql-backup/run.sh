#!/usr/bin/env bash
# Benchmark: sql-backup's hourly backup (gzip and zstd, each without and with OpenPGP encryption)
# against the pipelines users would otherwise run,
#   pg_dumpall --clean --if-exists | gzip -L > f   (the legacy image)
#   pg_dumpall --clean --if-exists | pigz -L > f
#   pg_dumpall --clean --if-exists > f             (no compression: the floor)
#   pg_dumpall --clean --if-exists | zstd -T0 > f  (the zstd tool itself, at the same level)
#   ... | zstd -T0 | gpg --encrypt > f             (what the peers that encrypt run)
# on a throw-away PostgreSQL with a pgbench database of >= 1 GB plus a table of realistic text,
# then recover of the gzip and the zstd backup into the same server (RESTORE_RUNS each).
# Each command writes into a directory of its own and starts after a sync (nothing of the one
# before left to write back); a round's files are removed together before the next round.
# Measures wall time, CPU (user+sys of the command and its children), peak RSS of the largest
# process, and output size; RUNS runs each, interleaved; medians and ranges.
# Writes bench/results/sql-backup.md.
#
# Usage: bench/sql-backup/run.sh     (env: RUNS=3 LEVEL=6 SCALE=70 TEXT_ROWS=4000000
#                                           RESTORE_RUNS=3 ZSTD_LEVEL=2
#                                           SQL_BACKUP_JAR=... JAVA=... JAVA_OPTS=...)
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)

RUNS=${RUNS:-3}
LEVEL=${LEVEL:-6}
ZSTD_LEVEL=${ZSTD_LEVEL:-2}
RESTORE_RUNS=${RESTORE_RUNS:-3}
SCALE=${SCALE:-70}
TEXT_ROWS=${TEXT_ROWS:-4000000}
WORK=${WORK:-$repo/bench/work/sql-backup}
# A relative WORK is taken from the repository's root (the server's socket directory must be absolute).
case $WORK in /*) ;; *) WORK=$repo/$WORK ;; esac
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | while read -r j; do
  v=$("$j" -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.specification.version = //p')
  [ "${v%%.*}" -ge 21 ] 2>/dev/null && echo "$j"; done | sort -V | tail -1)}
JAR=${SQL_BACKUP_JAR:-$repo/sql-backup/target/sql-backup.jar}
RESULTS=$repo/bench/results/sql-backup.md

for tool in gzip pigz zstd gpg python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 2; }
done
[ -x "$JAVA" ] || { echo "no JDK >= 21 found under /usr/lib/jvm; set JAVA" >&2; exit 2; }
mkdir -p "$WORK"
# shellcheck source=bench/sql-backup/install-agent.sh
. "$repo/bench/sql-backup/install-agent.sh"
install_agent
data=$WORK/data
port=${PGPORT_BENCH:-55432}
password=bench-$(date +%s)
as_pg=()
if [ "$(id -u)" = 0 ]; then as_pg=(runuser -u postgres --); chown postgres "$WORK"; fi

if [ ! -f "$data/PG_VERSION" ]; then
  echo "creating the server in $data"
  pwfile=$(mktemp); echo "$password" > "$pwfile"; chmod 644 "$pwfile"
  "${as_pg[@]}" "$PGBIN/initdb" -D "$data" -U postgres --pwfile="$pwfile" --auth-host=scram-sha-256 \
    --auth-local=trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  rm -f "$pwfile"
  cat >> "$data/postgresql.auto.conf" <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$WORK'
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
fi
"${as_pg[@]}" "$PGBIN/pg_ctl" -D "$data" -l "$WORK/server.log" -w start >/dev/null
trap '"${as_pg[@]}" "$PGBIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null' EXIT
# The password is set afresh each run; the data stays between runs of the script.
"$PGBIN/psql" -X -q -h "$WORK" -p "$port" -U postgres -d postgres \
  -c "ALTER ROLE postgres PASSWORD '$password'"
export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres PGPASSWORD=$password

if [ "$("$PGBIN/psql" -X -At -d postgres -c "SELECT count(*) FROM pg_database WHERE datname = 'bench'")" = 0 ]; then
  echo "loading pgbench scale $SCALE and $TEXT_ROWS rows of text (once; kept in $data)"
  "$PGBIN/psql" -X -q -d postgres -c "CREATE DATABASE bench"
  "$PGBIN/pgbench" -i -s "$SCALE" -q bench
  "$PGBIN/psql" -X -q -d bench <<SQL
CREATE TABLE notes (id bigint PRIMARY KEY, author text, created timestamptz, title text, body text);
INSERT INTO notes
SELECT g,
       (ARRAY['Ana Souza','Jürgen Müller','Li Wei','Olga Petrova','Kwame Mensah','Aiko Tanaka'])[1 + g % 6],
       timestamptz '2020-01-01' + g * interval '37 seconds',
       'Order ' || g || ': ' || (ARRAY['delivery delayed','invoice corrected','address changed',
         'refund requested','item damaged','customer called back'])[1 + (g * 7) % 6],
       'Customer ' || (g * 31 % 100000) || ' wrote on ' || to_char(timestamptz '2020-01-01' + g * interval '37 seconds', 'YYYY-MM-DD')
         || ': the parcel ' || md5(g::text) || ' was '
         || (ARRAY['left at the door','returned to the depot','delivered to a neighbour','lost in transit'])[1 + (g * 13) % 4]
         || '. Reference ' || substr(md5((g * 17)::text), 1, 12) || ', amount ' || (g % 997) || '.' || (g % 89)
         || ' EUR. ' || repeat('Notes: ', g % 3) || (ARRAY['Zürich','São Paulo','Kraków','東京','Reykjavík'])[1 + g % 5]
FROM generate_series(1, $TEXT_ROWS) g;
SQL
  "$PGBIN/psql" -X -q -d bench -c "VACUUM ANALYZE"
fi
db_size=$("$PGBIN/psql" -X -At -d postgres -c "SELECT pg_size_pretty(sum(pg_database_size(datname))) FROM pg_database")
db_bytes=$("$PGBIN/psql" -X -At -d postgres -c "SELECT sum(pg_database_size(datname)) FROM pg_database")

# A throw-away OpenPGP key pair made by gpg: the backups are encrypted to its public key.
gnupg=$WORK/gnupg
if [ ! -f "$WORK/recipient.asc" ]; then
  rm -rf "$gnupg"; mkdir -m 700 -p "$gnupg"
  gpg --homedir "$gnupg" --batch --passphrase '' --quick-gen-key 'Bench <bench@example.org>' \
    default default never 2>/dev/null
  gpg --homedir "$gnupg" --armor --export > "$WORK/recipient.asc"
  gpg --homedir "$gnupg" --armor --export-secret-keys > "$WORK/private.asc"
  gpgconf --homedir "$gnupg" --kill gpg-agent 2>/dev/null || true
fi

round=$WORK/round
timings=$WORK/timings.tsv
: > "$timings"

measure() { # name, output file (a glob), command...; each command writes into a directory of its own
  local name=$1 out=$2; shift 2
  # Every command starts with nothing left to write back: without this, the output of the one
  # before (1.6 GB for the bare dump) is written back during the next.
  sync
  /usr/bin/time -v -o "$WORK/time.txt" "$@" > "$WORK/stdout.txt" 2>&1 || {
    echo "$name failed:"; cat "$WORK/stdout.txt"; exit 1; }
  local file; file=$(ls $out 2>/dev/null | head -1)
  python3 - "$run" "$name" "$WORK/time.txt" "$file" >> "$timings" <<'PY'
import os, re, sys
run, name, timefile, out = sys.argv[1:5]
t = open(timefile).read()
def field(label):
    return re.search(re.escape(label) + r": (.*)", t).group(1).strip()
wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")
seconds = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall)))
cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
rss_kib = int(field("Maximum resident set size (kbytes)"))
print(f"{run}\t{name}\t{seconds:.2f}\t{cpu:.2f}\t{rss_kib}\t{os.path.getsize(out)}")
PY
  tail -1 "$timings"
}

# As the image runs it: its launcher beside the jar and the class archive (install_agent), with
# JAVA's java first on PATH and only the variables a CronJob sets.
# Followed by more VAR=value pairs (BACKUP_ROOT_DIR among them), then the command.
agent=(env -i PATH="$(dirname "$JAVA"):$PATH" HOME="$WORK" LANG=C.UTF-8 PGHOST="$PGHOST"
  PGPORT="$PGPORT" PGUSER=postgres PGADMINPASS="$PGPASSWORD"
  TERMINATION_LOG_PATH="$WORK/termination-log" LOG_LEVEL=warn JAVA_OPTS="${JAVA_OPTS:-}")
java_cmd=("$app_launcher")
encrypt=(BACKUP_ENCRYPTION_RECIPIENTS_FILE="$WORK/recipient.asc")
dumpall="'$PGBIN/pg_dumpall' --clean --if-exists"
# gpg as the peers run it on an already compressed stream: no compression of its own, the
# recipient's preferred cipher (AES-256 for a gpg-made key), integrity protection (MDC).
gpg_encrypt="gpg --homedir '$gnupg' --batch --quiet --trust-model always --compress-algo none \
  --recipient bench@example.org --encrypt"

# One command of a round; the order rotates from round to round, so that no command always
# follows the same one (a command that saturates both cores for ten seconds can slow the next).
leg() {
  case $1 in
    0) measure "sql-backup gzip" "$round/gzip/hourly/backup-*.sql.gz" \
         "${agent[@]}" BACKUP_ROOT_DIR="$round/gzip" BACKUP_COMPRESSION_LEVEL="$LEVEL" \
         "${java_cmd[@]}" backup ;;
    1) measure "sql-backup zstd" "$round/zstd/hourly/backup-*.sql.zst" \
         "${agent[@]}" BACKUP_ROOT_DIR="$round/zstd" BACKUP_COMPRESSION=zstd \
         BACKUP_COMPRESSION_LEVEL="$ZSTD_LEVEL" "${java_cmd[@]}" backup ;;
    2) measure "sql-backup gzip, encrypted" "$round/gzip-enc/hourly/backup-*.sql.gz.gpg" \
         "${agent[@]}" BACKUP_ROOT_DIR="$round/gzip-enc" BACKUP_COMPRESSION_LEVEL="$LEVEL" \
         "${encrypt[@]}" "${java_cmd[@]}" backup ;;
    3) measure "sql-backup zstd, encrypted" "$round/zstd-enc/hourly/backup-*.sql.zst.gpg" \
         "${agent[@]}" BACKUP_ROOT_DIR="$round/zstd-enc" BACKUP_COMPRESSION=zstd \
         BACKUP_COMPRESSION_LEVEL="$ZSTD_LEVEL" "${encrypt[@]}" "${java_cmd[@]}" backup ;;
    4) measure "pg_dumpall | gzip -$LEVEL" "$round/pipe/gzip.gz" \
         bash -o pipefail -c "$dumpall | gzip -$LEVEL > '$round/pipe/gzip.gz'" ;;
    5) measure "pg_dumpall | pigz -$LEVEL" "$round/pipe/pigz.gz" \
         bash -o pipefail -c "$dumpall | pigz -$LEVEL > '$round/pipe/pigz.gz'" ;;
    6) measure "pg_dumpall > file (no compression)" "$round/pipe/dump.sql" \
         bash -o pipefail -c "$dumpall > '$round/pipe/dump.sql'" ;;
    7) measure "pg_dumpall | zstd -$ZSTD_LEVEL -T0" "$round/pipe/dump.sql.zst" \
         bash -o pipefail -c "$dumpall | zstd -q -$ZSTD_LEVEL -T0 > '$round/pipe/dump.sql.zst'" ;;
    8) measure "pg_dumpall | zstd -$ZSTD_LEVEL -T0 | gpg --encrypt" "$round/pipe/dump.sql.zst.gpg" \
         bash -o pipefail -c "$dumpall | zstd -q -$ZSTD_LEVEL -T0 | $gpg_encrypt > '$round/pipe/dump.sql.zst.gpg'" ;;
  esac
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for run in $(seq 1 "$RUNS"); do
  echo "run $run of $RUNS"
  # The round before is removed all at once, and the file system given a moment to free it, so
  # no command of this round pays for removing the output of another.
  rm -rf "$round"; sync; sleep 2
  mkdir -p "$round"/{gzip,zstd,gzip-enc,zstd-enc,pipe}
  for k in 0 1 2 3 4 5 6 7 8; do
    leg $(((k + run - 1) % 9))
  done
done
dump_bytes=$(grep -F "pg_dumpall > file" "$timings" | tail -1 | cut -f6)

# Restores: the whole server from each codec's backup of the last round, over the same server
# (RESTORE_FORCE).
for run in $(seq 1 "$RESTORE_RUNS"); do
  codecs="gzip zstd"
  if [ $((run % 2)) = 0 ]; then codecs="zstd gzip"; fi # neither always restores first
  for codec in $codecs; do
    keep=$round/$codec
    measure "recover $codec" "$keep/hourly/backup-*" \
      "${agent[@]}" RECOVERY_ROOT_DIR="$keep" BACKUP_ROOT_DIR="$keep" RESTORE_FORCE=yes \
      "${java_cmd[@]}" recover
  done
done
rm -rf "$round"

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
export RUNS RESTORE_RUNS LEVEL ZSTD_LEVEL SCALE TEXT_ROWS db_size dump_bytes load_before load_after
export machine="$(nproc) cores ($(sed -n 's/^model name\t: //p' /proc/cpuinfo | head -1)), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, loopback"
export pg_version=$("$PGBIN/postgres" --version | awk '{print $3}')
export java_version=$("$JAVA" -version 2>&1 | head -1)
export java_opts_text="${JAVA_OPTS:-}"
python3 - "$timings" "$RESULTS" <<'PY'
import collections, os, statistics, sys
e = os.environ
rows = collections.OrderedDict()
by_round = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    run, name, wall, cpu, rss, size = line.rstrip("\n").split("\t")
    rows.setdefault(name, []).append((float(wall), float(cpu), int(rss), int(size)))
    by_round[run][name] = float(wall)
def per_round(a, b):
    """The ratio a/b in each round that timed both, and its median."""
    rs = [r[a] / r[b] for r in by_round.values() if a in r and b in r]
    return statistics.median(rs), rs
med = {n: tuple(statistics.median(r[i] for r in v) for i in range(4)) for n, v in rows.items()}
spread = {n: (min(r[0] for r in v), max(r[0] for r in v)) for n, v in rows.items()}
level = e["LEVEL"]
gz, pz, raw = f"pg_dumpall | gzip -{level}", f"pg_dumpall | pigz -{level}", "pg_dumpall > file (no compression)"
dump = int(e["dump_bytes"])
out = [
    "# sql-backup: hourly backup (gzip, zstd, encrypted) vs pg_dumpall | gzip / pigz / zstd (/ gpg) / > file",
    "",
    f"Written by `bench/sql-backup/run.sh`; medians of {e['RUNS']} interleaved runs"
    f" ({e['RESTORE_RUNS']} for the restores), with the range of the wall times; each round runs"
    " the commands in a rotated order, each after a sync, and the wall-time targets compare"
    " commands of the same round (the median of the per-round ratios).",
    "",
    f"- machine: {e['machine']}; load average (1/5/15 min) {e['load_before']} before the runs,"
    f" {e['load_after']} after (other work shares the machine: compare ratios, not seconds)",
    f"- PostgreSQL {e['pg_version']}, databases {e['db_size']} on disk (pgbench scale {e['SCALE']}"
    f" + {int(e['TEXT_ROWS']):,} rows of text), plain dump {dump / 2**20:,.0f} MiB",
    f"- gzip level {level}, zstd level {e['ZSTD_LEVEL']}; encryption: OpenPGP (AES-256, SEIPD with"
    f" MDC) to one gpg-made key; sql-backup runs as the image runs it: the image's launcher"
    f" beside the jar, with the class archive made by the image build's training runs"
    + (f" (JAVA_OPTS `{e['java_opts_text']}`)" if e["java_opts_text"] else "")
    + f", {e['java_version']}",
    "",
    "| command | wall (median) | wall (range) | CPU (user+sys) | peak RSS (largest process) | output | wall vs > file | wall vs gzip |",
    "|---|---|---|---|---|---|---|---|",
]
for n, (w, c, r, s) in med.items():
    lo, hi = spread[n]
    cell = n.replace("|", "\\|")  # a pipe inside a table cell must be escaped
    out.append(f"| `{cell}` | {w:.1f} s | {lo:.1f}-{hi:.1f} s | {c:.1f} s | {r / 1024:,.0f} MiB | {int(s):,} B"
               f" | {w / med[raw][0]:.2f}x | {w / med[gz][0]:.2f}x |")
z, ze, g, ge = (med["sql-backup zstd"], med["sql-backup zstd, encrypted"],
                med["sql-backup gzip"], med["sql-backup gzip, encrypted"])
rss = max(v[2] for k, v in med.items() if k.startswith("sql-backup") or k.startswith("recover"))
zr, zrs = per_round("sql-backup zstd", raw)
gr, grs = per_round("sql-backup gzip", gz)
pr, prs = per_round("sql-backup gzip", pz)
zer, zers = per_round("sql-backup zstd, encrypted", "sql-backup zstd")
ger, gers = per_round("sql-backup gzip, encrypted", "sql-backup gzip")
zcli = f"pg_dumpall | zstd -{e['ZSTD_LEVEL']} -T0"
zcr, zcrs = per_round(zcli, raw)
gcr, gcrs = per_round(zcli + " | gpg --encrypt", zcli)
ocr, ocrs = per_round("sql-backup zstd", zcli)
oer, oers = per_round("sql-backup zstd, encrypted", zcli + " | gpg --encrypt")
def each(rs, pct=False):
    return ", ".join(f"{(r - 1) * 100:+.1f}%" if pct else f"{r:.2f}x" for r in rs)
checks = [
    ("gzip backup wall <= 0.6x the gzip pipeline", gr <= 0.6, f"{gr:.2f}x (rounds: {each(grs)})"),
    ("gzip backup wall <= 1.1x the pigz pipeline", pr <= 1.1, f"{pr:.2f}x (rounds: {each(prs)})"),
    ("gzip output no larger than gzip's + 2%", g[3] <= 1.02 * med[gz][3], f"{(g[3] / med[gz][3] - 1) * 100:+.2f}%"),
    ("zstd backup wall <= 1.05x pg_dumpall > file", zr <= 1.05, f"{zr:.2f}x (rounds: {each(zrs)})"),
    ("zstd output <= gzip -6's", z[3] <= med[gz][3], f"{(z[3] / med[gz][3] - 1) * 100:+.1f}%"),
    ("encryption adds <= 5% wall (zstd)", zer <= 1.05, f"{(zer - 1) * 100:+.1f}% (rounds: {each(zers, True)})"),
    ("encryption adds <= 5% wall (gzip)", ger <= 1.05, f"{(ger - 1) * 100:+.1f}% (rounds: {each(gers, True)})"),
    ("JVM peak RSS <= 256 MiB", rss <= 256 * 1024, f"{rss / 1024:,.0f} MiB"),
]
if "recover zstd" in med and "recover gzip" in med:
    rz, rg = med["recover zstd"][0], med["recover gzip"][0]
    checks.append(("restore of zstd no slower than of gzip", rz <= rg, f"{rz:.1f} s vs {rg:.1f} s"))
out += ["", "| target | met? | measured |", "|---|---|---|"]
for label, ok, value in checks:
    out.append(f"| {label} | {'yes' if ok else '**no**'} | {value} |")
out += [
    "",
    "The same measures of the command-line tools, in the same rounds (no targets; what the"
    " machine allows a pipeline without a JVM):",
    "",
    "| reference | measured |",
    "|---|---|",
    f"| `{zcli.replace('|', chr(92) + '|')}` wall vs pg_dumpall > file | {zcr:.2f}x (rounds: {each(zcrs)}) |",
    f"| gpg --encrypt adds to it | {(gcr - 1) * 100:+.1f}% (rounds: {each(gcrs, True)}) |",
    f"| sql-backup zstd wall vs that pipeline | {ocr:.2f}x (rounds: {each(ocrs)}) |",
    f"| sql-backup zstd, encrypted, wall vs the pipeline with gpg | {oer:.2f}x (rounds: {each(oers)}) |",
]
open(sys.argv[2], "w").write("\n".join(out) + "\n")
print("\n".join(out))
PY
