#!/usr/bin/env python3
"""Test trees for the volume-replicator benchmark.

  trees.py media   DIR FILES GIB     a media-like tree: 20 collections / 15 years / 15 albums,
                                     FILES files in total, sizes scaled to GIB GiB in total
  trees.py s3set   DIR               BENCH-NOTES' S3 set: 9,994 files of 10-200 KiB + 6 of 20-100 MiB
  trees.py entries DIR COUNT         COUNT empty files in directories of 1,000 (memory test)
  trees.py change  DIR PERCENT SEED  rewrite PERCENT % of the files (new data, new time)
"""
import os
import random
import sys
import time

BUFFER = random.Random(1).randbytes(64 << 20)


def write(path, size, rng, mtime):
    with open(path, "wb") as f:
        while size > 0:
            n = min(size, 4 << 20)
            start = rng.randrange(0, len(BUFFER) - n)
            f.write(BUFFER[start:start + n])
            size -= n
    ns = int(mtime * 1e9) + rng.randrange(0, 999_999_999)
    os.utime(path, ns=(ns, ns))


def media(root, files, gib):
    rng = random.Random(42)
    leaves = [f"site-{s:02d}/{2010 + y}/album-{a:03d}"
              for s in range(20) for y in range(15) for a in range(15)]
    sizes = []
    for _ in range(files):
        r = rng.random()
        if r < 0.95:
            sizes.append(rng.randint(4 << 10, 48 << 10))       # thumbnails, small images
        elif r < 0.999:
            sizes.append(rng.randint(48 << 10, 512 << 10))     # photos
        else:
            sizes.append(rng.randint(2 << 20, 16 << 20))       # short videos
    scale = gib * (1 << 30) / sum(sizes)
    sizes = [max(1, int(s * scale)) for s in sizes]
    now = time.time()
    for i, size in enumerate(sizes):
        leaf = leaves[i % len(leaves)]
        d = os.path.join(root, leaf)
        os.makedirs(d, exist_ok=True)
        ext = ".mp4" if size > (2 << 20) * scale * 0.9 else ".jpg"
        write(os.path.join(d, f"IMG_{i:06d}{ext}"), size, rng, now - rng.randrange(86400, 86400 * 3000))
    print(f"{files} files, {sum(sizes) / (1 << 30):.2f} GiB, {len(leaves)} albums")


def s3set(root):
    rng = random.Random(7)
    now = time.time()
    total = 0
    for i in range(10_000):
        d = os.path.join(root, f"dir-{i // 100:03d}")
        os.makedirs(d, exist_ok=True)
        size = rng.randint(20 << 20, 100 << 20) if i % 1667 == 5 else rng.randint(10 << 10, 200 << 10)
        total += size
        write(os.path.join(d, f"file-{i:05d}.bin"), size, rng, now - rng.randrange(86400, 86400 * 900))
    print(f"10000 files, {total / (1 << 30):.2f} GiB")


def entries(root, count):
    made = 0
    d = 0
    while made < count:
        path = os.path.join(root, f"d{d:04d}")
        os.makedirs(path, exist_ok=True)
        made += 1
        for f in range(min(999, count - made)):
            os.close(os.open(os.path.join(path, f"f{f:03d}"), os.O_CREAT | os.O_WRONLY, 0o644))
            made += 1
        d += 1
    print(f"{made} entries")


def change(root, percent, seed):
    rng = random.Random(seed)
    paths = sorted(os.path.join(dp, f) for dp, _, fs in os.walk(root) for f in fs)
    picked = rng.sample(paths, max(1, int(len(paths) * percent / 100)))
    # New data every time: a rerun of the same seed must not write back what an earlier run wrote
    # (the file would only look touched).
    data = random.Random(time.time_ns())
    now = time.time()
    for p in picked:
        size = os.path.getsize(p)
        if rng.random() < 0.5:
            size = max(1, size + rng.randint(-size // 10, size // 10))
        write(p, size, data, now - rng.randrange(0, 3600))
    print(f"changed {len(picked)} of {len(paths)} files")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "media":
        media(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
    elif cmd == "s3set":
        s3set(sys.argv[2])
    elif cmd == "entries":
        entries(sys.argv[2], int(sys.argv[3]))
    elif cmd == "change":
        change(sys.argv[2], float(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit(__doc__)
