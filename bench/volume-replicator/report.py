#!/usr/bin/env python3
"""Turns the benchmark's raw timings (run.sh) into bench/results/volume-replicator.md.

  report.py WORK_DIR RESULT_FILE
"""
import math
import os
import platform
import statistics
import subprocess
import sys
from collections import defaultdict


def load(work):
    rows = defaultdict(list)
    with open(os.path.join(work, "raw.tsv")) as f:
        for line in f:
            case, tool, run, secs, rss, requests = line.rstrip("\n").split("\t")
            rows[(case, tool)].append((float(secs), int(rss), int(requests)))
    return rows


def med(rows, case, tool, index=0):
    values = [r[index] for r in rows.get((case, tool), [])]
    return statistics.median(values) if values else None


def spread(rows, case, tool):
    values = [r[0] for r in rows.get((case, tool), [])]
    if not values:
        return "-"
    if len(values) == 1:
        return f"{values[0]:.2f} s"
    return f"{statistics.median(values):.2f} s ({min(values):.2f}-{max(values):.2f})"


def mib(kib):
    return "-" if kib is None else f"{kib / 1024:.0f} MiB"


def ratio(a, b):
    return "-" if a is None or b is None or b == 0 else f"{a / b:.2f}x"


def version(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        return (out.stdout or out.stderr).splitlines()[0].strip()
    except (OSError, IndexError, subprocess.SubprocessError):
        return "?"


def directory_table(rows, out):
    out.append("| pass | `rsync -a --delete` | volume-replicator | ours / rsync | plain `java -jar` "
               "| plain / rsync | rsync peak RSS | our peak RSS |")
    out.append("|---|---|---|---|---|---|---|---|")
    for case, label in [
        ("first-copy", "first copy"),
        ("unchanged-warm", "unchanged, warm page cache"),
        ("unchanged-cold", "unchanged, cold (`drop_caches` before each run)"),
        ("changed-1pct", "1% of the files changed"),
    ]:
        if (case, "rsync") not in rows:
            continue
        out.append(
            f"| {label} | {spread(rows, case, 'rsync')} | {spread(rows, case, 'ours')} | "
            f"{ratio(med(rows, case, 'ours'), med(rows, case, 'rsync'))} | "
            f"{spread(rows, case, 'ours-plain')} | "
            f"{ratio(med(rows, case, 'ours-plain'), med(rows, case, 'rsync'))} | "
            f"{mib(med(rows, case, 'rsync', 1))} | {mib(med(rows, case, 'ours', 1))} |")
    if ("first-copy-flush", "rsync") in rows:
        flushed = [a[0] + b[0] for a, b in zip(rows[("first-copy", "rsync")], rows[("first-copy-flush", "rsync")])]
        rf = statistics.median(flushed)
        ours = med(rows, "first-copy", "ours")
        out.append(
            f"| first copy, data flushed to disk (rsync + `sync -f`; ours by default) | {rf:.2f} s | "
            f"{spread(rows, 'first-copy', 'ours')} | {ratio(ours, rf)} | | | | |")
        out.append(
            f"| first copy, nothing flushed (rsync; ours with `REPLICATE_FSYNC=no`) | "
            f"{spread(rows, 'first-copy', 'rsync')} | {spread(rows, 'first-copy', 'ours-noflush')} | "
            f"{ratio(med(rows, 'first-copy', 'ours-noflush'), med(rows, 'first-copy', 'rsync'))} | | | | "
            f"{mib(med(rows, 'first-copy', 'ours-noflush', 1))} |")


def s3_table(rows, out):
    out.append("| pass | `rclone sync` | `aws s3 sync` | volume-replicator | rclone / ours | aws / ours "
               "| requests: rclone | aws | ours | peak RSS: rclone | aws | ours |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for case, label in [("first-upload", "first upload"), ("unchanged-upload", "unchanged"),
                        ("changed-upload", "1% of the files changed")]:
        if (case, "ours") not in rows:
            continue
        r, a, o = (med(rows, case, t) for t in ("rclone", "aws", "ours"))
        req = [med(rows, case, t, 2) for t in ("rclone", "aws", "ours")]
        rss = [mib(med(rows, case, t, 1)) for t in ("rclone", "aws", "ours")]
        out.append(
            f"| {label} | {spread(rows, case, 'rclone')} | {spread(rows, case, 'aws')} | "
            f"{spread(rows, case, 'ours')} | {ratio(r, o)} | {ratio(a, o)} | "
            f"{req[0]:,.0f} | {req[1]:,.0f} | {req[2]:,.0f} | {rss[0]} | {rss[1]} | {rss[2]} |")


def memory_table(rows, out):
    out.append("| pass | rsync | rsync peak RSS | volume-replicator | our peak RSS "
               "| plain `java -jar` | its peak RSS |")
    out.append("|---|---|---|---|---|---|---|")
    for case, label in [("million-first-copy", "first copy"), ("million-unchanged", "unchanged")]:
        if (case, "ours") in rows:
            out.append(f"| {label} | {spread(rows, case, 'rsync')} | {mib(med(rows, case, 'rsync', 1))} | "
                       f"{spread(rows, case, 'ours')} | {mib(med(rows, case, 'ours', 1))} | "
                       f"{spread(rows, case, 'ours-plain')} | {mib(med(rows, case, 'ours-plain', 1))} |")


def verdict(ok):
    return "**met**" if ok else "**not met**"


def targets(rows, s3_files, out):
    out.append("| target | measured | |")
    out.append("|---|---|---|")
    r = med(rows, "unchanged-warm", "rsync")
    o = med(rows, "unchanged-warm", "ours")
    if r and o:
        a = med(rows, "unchanged-warm", "ours-plain")
        alt = f"; plain `java -jar` warm {a / r:.2f}x" if a else ""
        oc, rc = med(rows, "unchanged-cold", "ours"), med(rows, "unchanged-cold", "rsync")
        # The target holds for both passes: warm and cold.
        cold_ok = oc is None or rc is None or oc / rc <= 1.0
        out.append(f"| directory, unchanged pass <= 1.0x rsync (JVM start included) | warm {o / r:.2f}x, cold "
                   f"{ratio(oc, rc)}{alt} | "
                   f"{verdict(o / r <= 1.0 and cold_ok)} |")
    r = med(rows, "first-copy", "rsync")
    o = med(rows, "first-copy", "ours-noflush")
    if r and o:
        out.append(f"| directory, first copy <= 0.7x rsync | {o / r:.2f}x (both unflushed) | {verdict(o / r <= 0.7)} |")
    r = med(rows, "unchanged-upload", "rclone")
    o = med(rows, "unchanged-upload", "ours")
    q = med(rows, "unchanged-upload", "ours", 2)
    if r and o:
        limit = math.ceil(s3_files / 1000) + 10
        p = med(rows, "unchanged-upload", "ours-plain")
        plain = f"; plain `java -jar` {r / p:.1f}x" if p else ""
        out.append(f"| S3, unchanged pass >= 10x faster than rclone, <= ceil(N/1000)+10 = {limit} requests | "
                   f"{r / o:.1f}x faster, {q:.0f} requests{plain} | {verdict(r / o >= 10 and q <= limit)} |")
    r = med(rows, "first-upload", "rclone")
    o = med(rows, "first-upload", "ours")
    if r and o:
        out.append(f"| S3, first upload >= 2x faster than rclone | {r / o:.1f}x | {verdict(r / o >= 2)} |")
    m = med(rows, "million-first-copy", "ours", 1)
    u = med(rows, "million-unchanged", "ours", 1)
    if m and u:
        peak = max(m, u)
        out.append(f"| peak RSS <= 512 MiB for a 1,000,000-entry tree | {mib(peak)} | {verdict(peak <= 512 * 1024)} |")


def main():
    work, result = sys.argv[1], sys.argv[2]
    rows = load(work)
    notes = open(os.path.join(work, "notes.txt")).read().splitlines() if os.path.exists(os.path.join(work, "notes.txt")) else []
    out = ["# volume-replicator benchmark", ""]
    out.append("Produced by `bench/volume-replicator/run.sh` (raw timings: `bench/work/volume-replicator/raw.tsv`,"
               " not committed). Times are wall-clock medians of the runs, with the range in brackets;"
               " peak RSS from `/usr/bin/time`. Tools ran alternately on the same data.")
    out.append("")
    out.append(f"- Machine: {os.cpu_count()} cores (shared with other work: see the load averages below),"
               f" {platform.system()} {platform.release()}")
    out.append(f"- {version(['rsync', '--version'])}; {version(['rclone', 'version'])};"
               f" {version(['/usr/bin/aws', '--version'])}")
    out.append("- volume-replicator: with default settings, started as the image starts it (its launcher,"
               " `Dockerfiles/volume-replicator/volume-replicator`, beside the jar and a class archive made by"
               " the image build's training run); \"plain `java -jar`\" is the same jar without the launcher's"
               " JVM options")
    for n in notes:
        out.append(f"- {n.lstrip('# ')}")
    out.append("")
    out.append("## Directory target: us vs `rsync -a --delete`")
    out.append("")
    directory_table(rows, out)
    out.append("")
    out.append("## S3 target: us vs `rclone sync` and `aws s3 sync`, default flags, 20 ms per storage call")
    out.append("")
    s3_table(rows, out)
    out.append("")
    out.append("## Memory: a 1,000,000-entry tree (1,000 directories of 999 empty files)")
    out.append("")
    memory_table(rows, out)
    out.append("")
    out.append("## Targets")
    out.append("")
    targets(rows, 10_000, out)
    out.append("")
    with open(result, "w") as f:
        f.write("\n".join(out))
    print("\n".join(out))


if __name__ == "__main__":
    main()
