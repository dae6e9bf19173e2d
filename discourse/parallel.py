"""How many worker processes discourse starts when the caller does not say.

Results never depend on the number of processes (reading and scoring are split into runs that are put
back together in order), so the choice is only about speed: one process per usable core, at most
:data:`MAX_AUTO_WORKERS`, and one process when the work is too small to repay starting the others
(a spawned worker imports Python, polars and the scorer: about half a second to a second).
"""

from __future__ import annotations

import os

#: the most worker processes discourse starts on its own (``--workers N`` may ask for more)
MAX_AUTO_WORKERS = 8


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells it, else the count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def default_workers() -> int:
    """One worker process per usable core, at most :data:`MAX_AUTO_WORKERS`."""
    return min(MAX_AUTO_WORKERS, usable_cores())


def resolve_workers(workers: int | None, work: int, worth: int) -> int:
    """``workers`` when given; for None, :func:`default_workers` when ``work`` reaches ``worth`` (in the
    same unit: bytes, characters), else 1.

    >>> resolve_workers(3, 10, 1_000), resolve_workers(None, 10, 1_000)
    (3, 1)
    """
    if workers is not None:
        return workers
    return default_workers() if work >= worth else 1
