"""One switch for the optional C kernels: ``_vader.c`` (VADER's rules and sentence splitting) and
``_scan.c`` (the lexicon scanner).

The kernels give exactly what the Python code they speed up gives (each Python function with a C twin
names it in its docstring; the tests hold each pair to each other). They are used when discourse was
built with them, unless the switch is off: ``DISCOURSE_NATIVE=0`` in the environment, or :func:`native`
for a block of code. The switch is the environment variable, so worker processes started inside the
block (spawned, they inherit the environment) follow it too.

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


def enabled() -> bool:
    """Whether the C kernels may be used (they still need to have been built)."""
    return os.environ.get(VARIABLE, "1") != "0"


@contextmanager
def native(on: bool) -> Iterator[None]:
    """Turn the C kernels on or off for the block (and for the worker processes started in it)."""
    before = os.environ.get(VARIABLE)
    os.environ[VARIABLE] = "1" if on else "0"
    try:
        yield
    finally:
        if before is None:
            del os.environ[VARIABLE]
        else:
            os.environ[VARIABLE] = before
