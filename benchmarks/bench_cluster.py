"""`discourse export --cluster local` on synthetic Pushshift dumps: time, throughput and peak memory.

    python benchmarks/bench_cluster.py --comments 10M --files 40            # Dask, 2 local workers
    python benchmarks/bench_cluster.py --comments 1M --files 8 --single     # and the one-machine export

The dumps (``discourse.bench.reddit``: monthly ``RC_YYYY-MM.zst`` files, threads split across months) are
generated once into ``--out`` and reused. Each export runs as ``python -m discourse export ...`` in a fresh
process; its peak memory is the largest resident set of its whole process tree (the client, the Dask
scheduler, the nannies and the worker processes), sampled every 20 ms (``discourse.bench.harness``).
Prints the machine, then a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from discourse.bench.harness import machine, parse_size, run_process


def _dumps(out: Path, comments: int, files: int, seed: int) -> tuple[Path, dict]:
    folder = out / f"reddit-{comments}-{files}-{seed}"
    stats_path = folder.with_suffix(".json")
    if stats_path.is_file() and folder.is_dir():
        return folder, json.loads(stats_path.read_text())
    from discourse.bench.reddit import generate_reddit

    start = time.perf_counter()
    stats = generate_reddit(folder, comments, files=files, seed=seed)
    record = {"comments": stats.comments, "submissions": stats.submissions, "files": len(stats.files),
              "split_threads": stats.split_threads, "bytes": stats.bytes,
              "generate_s": time.perf_counter() - start}
    stats_path.write_text(json.dumps(record))
    return folder, record


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", default="1M", help="comments in the dumps (1k, 100k, 1M, 10M)")
    parser.add_argument("--files", type=int, default=8, help="monthly dumps the comments are spread over")
    parser.add_argument("--workers", type=int, default=2, help="worker processes of the local cluster")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("bench-out/cluster"))
    parser.add_argument("--single", action="store_true", help="also time `discourse export --workers N`")
    parser.add_argument("--keep", action="store_true", help="keep the exports (they are removed after)")
    args = parser.parse_args(argv)
    comments = parse_size(args.comments)
    args.out.mkdir(parents=True, exist_ok=True)
    info = machine()
    dumps, stats = _dumps(args.out, comments, args.files, args.seed)
    print(f"bench: dumps in {dumps} ({stats['bytes'] / 1e6:,.0f} MB)", file=sys.stderr)
    runs = {}
    cpu: dict[str, float] = {}
    python = [sys.executable, "-m", "discourse", "export", str(dumps), "--quiet"]
    steps = [("cluster", ["--cluster", "local", "--cluster-workers", str(args.workers)])]
    if args.single:
        steps.append(("single", ["--workers", str(args.workers)]))
    for name, extra in steps:
        target = args.out / f"export-{name}-{comments}"
        shutil.rmtree(target, ignore_errors=True)
        print(f"bench: {name} export of {comments:,} comments", file=sys.stderr)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        run = run_process([*python, "--out", str(target), *extra], env={**os.environ, "PYTHONWARNINGS": "ignore"})
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        # CPU seconds of the whole tree (every process waited for by its parent), whatever else the machine runs
        cpu[name] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if run.returncode != 0:
            print(run.stderr[-2000:], file=sys.stderr)
            return 1
        runs[name] = (run, _size(target))
        if not args.keep:
            shutil.rmtree(target, ignore_errors=True)
    try:
        info["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        info["load_after"] = "?"
    print(f"{info['cpu']}, {info['cores']} cores, {info['memory_gb']:.0f} GB RAM, {info['system']}, "
          f"Python {info['python']}, polars {info['polars']}, C kernels {info['native']}; load average "
          f"{info['load_before']} before, {info['load_after']} after")
    print()
    print(f"| {comments:,} comments in {stats['files']} .zst dumps ({stats['bytes'] / 1e6:,.0f} MB; "
          f"{stats['submissions']:,} submissions, {stats['split_threads']:,} in more than one file) | " +
          " | ".join(runs) + " |")
    print("|---|" + "---:|" * len(runs))
    print("| workers | " + " | ".join(str(args.workers) for _ in runs) + " |")
    print("| time (s) | " + " | ".join(f"{r.seconds:,.1f}" for r, _ in runs.values()) + " |")
    print("| comments/s | " + " | ".join(f"{comments / r.seconds:,.0f}" for r, _ in runs.values()) + " |")
    print("| CPU time, whole process tree (s) | " + " | ".join(f"{cpu[name]:,.1f}" for name in runs) + " |")
    print("| comments per CPU second | " + " | ".join(f"{comments / cpu[name]:,.0f}" for name in runs) + " |")
    print("| peak memory, whole process tree (GB) | " +
          " | ".join(f"{r.peak_bytes / 1e9:.2f}" for r, _ in runs.values()) + " |")
    print("| export on disk (MB) | " + " | ".join(f"{size / 1e6:,.0f}" for _, size in runs.values()) + " |")
    print(f"\ngenerating the dumps took {stats['generate_s']:,.1f} s (once)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
