"""One switch for the optional C kernels: ``_vader.c`` (VADER's rules and sentence splitting),
``_scan.c`` (the lexicon scanner) and ``_asbarez.c`` (an Asbarez page's comment section).

The kernels give exactly what the Python code they speed up gives (each Python function with a C twin
names it in its docstring; the tests hold each pair to each other). They are used when discourse was
built with them, unless the switch is off: ``DISCOURSE_NATIVE=0`` in the environment, or :func:`native`
for a block of code. The switch is the environment variable, so worker processes started inside the
block (spawned, they inherit the environment) follow it too. Scoring reads it once a batch (:func:`held`).

>>> with native(False):
...     enabled()
False
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

#: the environment variable that turns the C kernels off when set to 0
VARIABLE = "DISCOURSE_NATIVE"


#: the switch as :func:`held` read it, while a block holds it (None: read the environment each time)
_held: bool | None = None


def enabled() -> bool:
    """Whether the C kernels may be used (they still need to have been built)."""
    if _held is not None:
        return _held
    return os.environ.get(VARIABLE, "1") != "0"


@contextmanager
def held() -> Iterator[None]:
    """Read the switch once for the block: :func:`enabled` then gives that value without reading the
    environment (which costs a few microseconds, and scoring a batch asks tens of thousands of times).
    Inside the block, :func:`native` still turns the kernels on or off."""
    global _held
    before = _held
    _held = os.environ.get(VARIABLE, "1") != "0"
    try:
        yield
    finally:
        _held = before


@contextmanager
def native(on: bool) -> Iterator[None]:
    """Turn the C kernels on or off for the block (and for the worker processes started in it)."""
    global _held
    before = os.environ.get(VARIABLE)
    held_before = _held
    os.environ[VARIABLE] = "1" if on else "0"
    if _held is not None:
        _held = on
    try:
        yield
    finally:
        _held = held_before
        if before is None:
            del os.environ[VARIABLE]
        else:
            os.environ[VARIABLE] = before
