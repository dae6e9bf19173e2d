"""Work spread over processes: how many worker processes discourse starts, and :func:`ordered_map`, the one
way reading and scoring run jobs in them.

Results never depend on the number of processes (reading and scoring are split into runs that are put
back together in order), so the choice is only about speed: one process per usable core, at most
:data:`MAX_AUTO_WORKERS`, and one process when the work is too small to repay starting the others
(a spawned worker imports Python, polars and the scorer: about half a second to a second).
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Any, TypeVar

#: ``progress(done, total, item)``: how a long step reports how far it is (the CLI draws a bar)
Progress = Callable[[int, int, str], None]

R = TypeVar("R")

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


def ordered_map(fn: Callable[..., R], jobs: Iterable[tuple[Any, ...]], workers: int, *,
                initializer: Callable[..., object] | None = None, initargs: tuple[Any, ...] = (),
                waiting: Callable[[int], None] | None = None) -> Iterator[R]:
    """``fn(*job)`` for each job, in the order of ``jobs``.

    With ``workers > 1`` the jobs run in that many spawned worker processes (each first runs
    ``initializer(*initargs)``), a few jobs ahead of the results: workers never wait, and jobs are taken
    from ``jobs`` (which may be a generator) only as they are submitted. Otherwise they run here, one after
    another. ``waiting(k)`` is called before the result of the ``k``-th job is waited for.

    >>> list(ordered_map(pow, [(2, 3), (3, 2)], 1))
    [8, 9]
    """
    queue = iter(jobs)
    if workers <= 1:
        if initializer is not None:
            initializer(*initargs)
        for k, job in enumerate(queue):
            if waiting:
                waiting(k)
            yield fn(*job)
        return
    # spawn, not fork: polars' thread pool does not survive a fork
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=initializer,
                             initargs=initargs) as pool:
        pending: deque[Future[R]] = deque(pool.submit(fn, *job) for job in islice(queue, 2 * workers))
        k = 0
        while pending:
            if waiting:
                waiting(k)
            yield pending.popleft().result()
            k += 1
            for job in islice(queue, 1):
                pending.append(pool.submit(fn, *job))
