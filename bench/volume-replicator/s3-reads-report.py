"""Turns the raw timings of s3-reads.sh into a markdown table.

Usage: s3-reads-report.py WORK_DIR OUTPUT.md
"""
import statistics
import sys
from collections import defaultdict

work, out = sys.argv[1], sys.argv[2]
rows = defaultdict(list)  # (case, variant) -> [(round, wall, cpu, rss, requests)]
for line in open(f"{work}/raw.tsv"):
    case, variant, rnd, wall, cpu, rss, req = line.rstrip("\n").split("\t")
    rows[(case, variant)].append((int(rnd), float(wall), float(cpu), int(rss), int(req)))
notes = []
for line in open(f"{work}/notes.txt"):
    line = line.rstrip("\n")
    if notes and notes[-1][0] == line:
        notes[-1][1] += 1
    else:
        notes.append([line, 1])

LABEL = {"jdk": "JDK HTTP client + S3ReadClient", "sdk": "SDK sync client (url-connection)"}
CASES = [("first-upload", "first upload (1 sample each)"), ("unchanged", "unchanged pass"),
         ("changed", "1% of the files changed")]


def spread(values):
    return f"{min(values):.2f}-{max(values):.2f}"


def by_round(case, variant):
    per = defaultdict(list)
    for rnd, wall, *_ in rows[(case, variant)]:
        per[rnd].append(wall)
    return {r: statistics.median(v) for r, v in per.items()}


lines = ["| pass | read path | samples | median wall s (range) | median CPU s (range) "
         "| requests (median) | peak RSS MiB (median) |", "|---|---|---|---|---|---|---|"]
summary = ["| pass | JDK path: median wall (CPU) | SDK path: median wall (CPU) | SDK / JDK, "
           "medians | JDK path faster by | SDK / JDK, median of the rounds | per-round SDK / JDK |",
           "|---|---|---|---|---|---|---|"]
for case, title in CASES:
    medians = {}
    for v in ("jdk", "sdk"):
        data = rows.get((case, v))
        if not data:
            continue
        walls = [d[1] for d in data]
        cpus = [d[2] for d in data]
        medians[v] = statistics.median(walls)
        lines.append(
            f"| {title} | {LABEL[v]} | {len(data)} | {medians[v]:.2f} ({spread(walls)}) | "
            f"{statistics.median(cpus):.2f} ({spread(cpus)}) | "
            f"{int(statistics.median(d[4] for d in data)):,} | "
            f"{int(statistics.median(d[3] for d in data) / 1024)} |")
    if len(medians) == 2:
        a, b = by_round(case, "jdk"), by_round(case, "sdk")
        ratios = [b[r] / a[r] for r in sorted(a) if r in b]
        per_round = ", ".join(f"{x:.2f}" for x in ratios)
        ratio = medians["sdk"] / medians["jdk"]
        cpu = {v: statistics.median(d[2] for d in rows[(case, v)]) for v in ("jdk", "sdk")}
        summary.append(
            f"| {title} | {medians['jdk']:.2f} s ({cpu['jdk']:.2f} s) | "
            f"{medians['sdk']:.2f} s ({cpu['sdk']:.2f} s) | {ratio:.2f}x | "
            f"{(1 - medians['jdk'] / medians['sdk']) * 100:.0f}% | "
            f"{statistics.median(ratios):.2f}x | {per_round} |")

with open(out, "w") as f:
    f.write("# S3 read path: the JDK's HTTP client with S3ReadClient vs the SDK's synchronous client\n\n")
    f.write("Produced by `bench/volume-replicator/s3-reads.sh` (under `flock /tmp/bench.lock`) at "
            "commit 777d89f, where `-Dbackupagents.s3.reads=jdk|sdk` chose the read path; "
            "volume-replicator started as the image starts it (launcher + class archive, one "
            "install per read path, each archive trained with its path); the two alternate in every "
            "round (order flipped each round) so both see the same machine load. Wall and CPU "
            "(user + system) time from `/usr/bin/time`, requests counted by S3Proxy. Lower is "
            "better. JDK path = S3ReadClient over the JDK's HTTP client; SDK path = the SDK's "
            "synchronous S3Client on url-connection-client. Both use the SDK's Netty client for "
            "uploads.\n\n")
    for n, times in notes:
        f.write(f"- {n}" + (f" ({times} times)" if times > 1 else "") + "\n")
    f.write("\n" + "\n".join(summary) + "\n\n" + "\n".join(lines) + "\n")
print(open(out).read())
