"""The driver the growth benchmarks share: each input at 1x, 2x, 4x and 8x its size, each run in a fresh
process (the script itself with ``--one NAME N``), the best CPU time of ``--repeat`` runs, printed as a table
of seconds, ratios to 1x and the peak memory at 8x. A run that fails is reported with its size and last
error line, and the input is skipped (an older version may fail where the current one does not)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence

SCALES = (1, 2, 4, 8)


def main(doc: str | None, script: str, inputs: Mapping[str, tuple], one: Callable[[str, int], dict], *,
         name_width: int = 38, size_width: int = 18, extra: Sequence[tuple[str, str]] = ()) -> None:
    """Parse the options and print the table; ``inputs`` maps a name to (what, unit, 1x size, builder);
    ``extra`` adds columns (header, key of ``one``'s result at 8x)."""
    ap = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    ap.add_argument("--only", help="comma-separated input names: " + ", ".join(inputs))
    ap.add_argument("--repeat", type=int, default=3, help="runs per size; the best time counts (default 3)")
    ap.add_argument("--base", type=int, help="the 1x size, instead of each input's own")
    ap.add_argument("--one", nargs=2, metavar=("NAME", "N"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.one[0], int(args.one[1]))))
        return
    names = args.only.split(",") if args.only else list(inputs)
    print(f"{'input':<{name_width}}{'1x size':>{size_width}}" + "".join(f"{f'{s}x cpu s':>11}" for s in SCALES)
          + f"{'2x/1x':>7}{'4x/1x':>7}{'8x/1x':>7}{'8x MB':>7}" + "".join(f"{h:>7}" for h, _ in extra))
    for name in names:
        what, unit, base, _ = inputs[name]
        base = args.base or base
        label = f"{what:<{name_width}}{f'{base:,} {unit}':>{size_width}}"
        runs = []
        for s in SCALES:
            done = [subprocess.run([sys.executable, script, "--one", name, str(base * s)], capture_output=True,
                                   text=True) for _ in range(max(1, args.repeat))]
            failed = next((d for d in done if d.returncode != 0), None)
            if failed is not None:
                last = (failed.stderr.strip().splitlines() or ["?"])[-1]
                print(f"{label}  fails at {s}x: {last[:80]}", flush=True)
                break
            tries = [json.loads(d.stdout) for d in done]
            runs.append(min(tries, key=lambda r: r["seconds"]) | {"peak_mb": max(r["peak_mb"] for r in tries)})
        if len(runs) < len(SCALES):
            continue
        t = [r["seconds"] for r in runs]
        print(label + "".join(f"{x:>11.3f}" for x in t) + "".join(f"{x / t[0]:>7.1f}" for x in t[1:])
              + f"{runs[-1]['peak_mb']:>7.0f}" + "".join(f"{runs[-1][k]:>7}" for _, k in extra), flush=True)
