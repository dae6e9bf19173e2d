"""Normalising the values structured sources carry: times to UTC, ids to strings, placeholder texts.

Shared by the Reddit, ConvoKit and table readers so that an epoch, a quoted epoch and an ISO 8601 string
become the same timezone-aware UTC datetime everywhere.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zoneinfo
from functools import cache
from typing import Literal

from discourse.errors import ConfigError

UTC = dt.timezone.utc
#: epochs above this are taken as milliseconds: 1e11 seconds is the year 5138
MILLISECONDS_ABOVE = 1e11
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"
#: what a removed body or author reads as, folded (case, brackets and spacing ignored) -> status
DEAD: dict[str, Literal["deleted", "removed"]] = {
    "deleted": "deleted", "removed": "removed", "removed by reddit": "removed"}


def from_epoch(value: int | float | str) -> dt.datetime:
    """Seconds (or milliseconds) since 1970 as an aware UTC datetime; raises ``ValueError`` when not a time.

    >>> from_epoch("1695900112")
    datetime.datetime(2023, 9, 28, 11, 21, 52, tzinfo=datetime.timezone.utc)
    """
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a time")
    seconds = float(value.strip()) if isinstance(value, str) else float(value)
    if not math.isfinite(seconds):
        raise ValueError(f"{value!r} is not a time")
    if abs(seconds) > MILLISECONDS_ABOVE:
        seconds /= 1000.0
    try:
        return dt.datetime(1970, 1, 1, tzinfo=UTC) + dt.timedelta(seconds=seconds)
    except OverflowError:
        raise ValueError(f"{value!r} is out of range") from None


@cache
def time_zone(name: str) -> zoneinfo.ZoneInfo:
    """The IANA time zone ``name`` (``Asia/Yerevan``); ``ConfigError`` names what to write instead.

    >>> time_zone("Asia/Yerevan")
    zoneinfo.ZoneInfo(key='Asia/Yerevan')
    """
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"unknown time zone {name!r}",
                          hint="give an IANA name such as Asia/Yerevan, Europe/Moscow or UTC") from None


def localize(value: dt.datetime, zone: str | None = None) -> dt.datetime:
    """A naive time read in ``zone`` (None: UTC), as an aware UTC time. Daylight-saving gaps and repeats
    resolve as :mod:`zoneinfo` does (``fold=0``: an ambiguous time is the earlier one).

    >>> localize(dt.datetime(2020, 10, 2, 9, 15), "Asia/Yerevan")
    datetime.datetime(2020, 10, 2, 5, 15, tzinfo=datetime.timezone.utc)
    """
    return value.replace(tzinfo=time_zone(zone) if zone else UTC).astimezone(UTC)


def parse_time(value: object, zone: str | None = None) -> tuple[dt.datetime | None, bool]:
    """A time from an epoch (int, float or numeric string) or an ISO 8601 string, and whether it was naive.

    ``None`` and ``""`` give ``(None, False)``. A string without a zone is read in ``zone`` (an IANA name;
    None: UTC) and flagged naive; a zone offset is converted to UTC. Raises ``ValueError`` for anything
    else.

    >>> parse_time("2023-09-28T14:21:52+03:00")
    (datetime.datetime(2023, 9, 28, 11, 21, 52, tzinfo=datetime.timezone.utc), False)
    """
    if value is None:
        return None, False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return from_epoch(value), False
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a time")
    s = value.strip()
    if not s:
        return None, False
    if _NUMBER.fullmatch(s):
        return from_epoch(s), False
    try:
        t = dt.datetime.fromisoformat(s)
    except ValueError:
        raise ValueError(f"{value!r} is neither an epoch nor an ISO 8601 time") from None
    if t.tzinfo is None:
        return localize(t, zone), True
    return t.astimezone(UTC), False


def base36(n: int) -> str:
    """Reddit's id spelling of an integer.

    >>> base36(41785179015)
    'j71teh3'
    """
    if n < 0:
        raise ValueError("negative id")
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = _B36[r] + out
        if n == 0:
            return out


def id_string(value: object) -> str | None:
    """An id as text: strings stripped, integers (and integral floats, as spreadsheets write them) in
    decimal; ``None`` for null or blank."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    s = str(value).strip()
    return s or None


def dead(value: object) -> Literal["deleted", "removed"] | None:
    """``"deleted"`` or ``"removed"`` for the placeholder texts Reddit puts in place of a comment or an author
    (``[deleted]``, ``[removed]``, ``[ Removed by Reddit ]``), which ConvoKit and CSV exports inherit.

    >>> dead("[ Removed by Reddit ]"), dead("deleted")
    ('removed', None)
    """
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not (s.startswith("[") and s.endswith("]")):
        return None
    return DEAD.get(" ".join(s[1:-1].casefold().split()))
