"""Throughput of topic/actor matching on a deterministic synthetic mix of short comments.

    python benchmarks/bench_topics.py            # 1,000,000 comments
    python benchmarks/bench_topics.py --n 100000

Prints the compile time, then texts/s and MB/s for ``match_units`` (the whole path: scanning, entry
resolution, negation and building the evidence table). Single process, single core.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import polars as pl

from discourse.scoring.lexicon import Lexicon, compile_lexicon, load_lexicon, match_units, native_scanner_available

FILLER = (
    "the a and of to in is it that this was for on are with as be at by have from or one had not but what all "
    "were when we there can an your which their said if do will each about how up out them then she many some "
    "so these would other into has more her two like him see time could no make than first been its who now "
    "people my made over did down only way find use may water long little very after words called just where "
    "most know get through back much go good new write our me man too any day same right look think also "
    "around another came come work three word must because does part even place well such here take why things "
    "help put years different away again off went old number great tell men say small every found still "
    "between name should home big give air line set own under read last never us left end along while might "
    "next sound below saw something thought both few those always looked show large often together asked house "
    "don't world going want school important until form food keep children feet land side without boy once "
    "animals life enough took sometimes four head above kind began almost live page got earth need far hand "
    "high year mother light parts country father let night following picture being study second eyes soon "
    "times story boys since white days ever paper hard near sentence better best across during today others "
    "sure means it's knew try told young miles sun ways thing whole hear example heard several change answer "
    "room sea against top turned learn point city play toward five using himself usually"
).split()
SIGNAL = (
    "Russia Russians Moscow Kremlin Putin Turkey Turkish Erdogan Azerbaijan Baku Aliyev Armenia Armenians "
    "Yerevan Pashinyan Artsakh Karabakh Nagorno-Karabakh NKR Iran US Washington NATO EU Europe "
    "betrayal betrayed backstab treason traitors unity united solidarity concessions compromise cede "
    "war fighting attack killed drones peace ceasefire cease-fire peacekeepers negotiations talks mediators "
    "genocide Ottoman diaspora independence status recognition occupied ally allies CSTO geopolitical"
).split()
PHRASES = ["give back some land", "not one inch", "the Minsk Group co-chairs", "is not treason",
           "territorial integrity", "Western Armenia", "stab us in the back", "land for peace"]


def synthetic_comments(n: int, seed: int = 20240601) -> list[str]:
    """``n`` comments of 8-40 tokens; about one token in eight comes from the lexicon."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        words = []
        for _ in range(rng.randint(8, 40)):
            r = rng.random()
            if r < 0.11:
                words.append(rng.choice(SIGNAL))
            elif r < 0.125:
                words.append(rng.choice(PHRASES))
            else:
                words.append(rng.choice(FILLER))
        text = " ".join(words)
        out.append(text[0].upper() + text[1:] + rng.choice([".", "!", "?", "..."]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="number of synthetic comments")
    args = parser.parse_args()

    texts = synthetic_comments(args.n)
    units = pl.DataFrame({"unit_id": [str(i) for i in range(len(texts))], "text": texts})
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6

    started = time.perf_counter()
    lexicon = load_lexicon()
    fresh = Lexicon(lexicon.topics, lexicon.actors, name=lexicon.name)  # an uncompiled copy
    compiled = compile_lexicon(fresh)
    compile_s = time.perf_counter() - started

    started = time.perf_counter()
    evidence = match_units(units, fresh)
    elapsed = time.perf_counter() - started

    print(f"lexicon: {len(fresh.entries)} entries, scanner regex {len(compiled.scanner.pattern):,} chars, "
          f"C scanner {'on' if native_scanner_available() else 'off'}, "
          f"load+compile {compile_s * 1000:.0f} ms")
    print(f"texts: {len(texts):,} ({megabytes:.1f} MB), hits: {evidence.height:,}")
    print(f"match_units: {elapsed:.2f} s = {len(texts) / elapsed:,.0f} texts/s, {megabytes / elapsed:.2f} MB/s")


if __name__ == "__main__":
    main()
