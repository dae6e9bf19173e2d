"""Outputs that are replaced whole or not at all.

Every writer of discourse (export in each format, the report, ConvoKit and GraphML, lexicon import) writes
beside its target and puts the result in place in one step, so a folder or file holds the previous output or
the complete new one, never a mix, whatever moment a run is killed at:

- :func:`replacing` yields a work folder beside the target folder (``.NAME-<hex>.partial``); when the block
  ends normally, the work folder takes the target's place (an atomic exchange where the system has one:
  ``renameat2(RENAME_EXCHANGE)`` on Linux; elsewhere two renames, and a run killed between them leaves the
  previous folder as ``.NAME-<hex>.old``, which the next run puts back). A block that raises leaves the target
  as it was.
- :func:`replacing_file` does the same for one file (write ``.NAME-<hex>.partial``, then ``os.replace``).
- While a block runs, the target is locked (``.NAME.lock`` beside it, ``flock``): a second run into the same
  target stops at once with an :class:`~discourse.errors.OutputError` naming it. What killed runs leave
  behind (work folders, old copies, lock files) is removed the next time the target is written.
- Read-only folders, a full disk and a target of the wrong kind give one-line errors naming the path.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import glob
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from discourse.errors import OutputError

__all__ = ["replacing", "replacing_file"]

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _os_error(err: OSError, path: Path, doing: str) -> OutputError:
    reason = err.strerror or str(err)
    hint = {errno.ENOSPC: "free some disk space, or write elsewhere with --out",
            errno.EACCES: "the folder is not writable: choose another --out or change its permissions",
            errno.EROFS: "the file system is read-only: choose another --out",
            errno.EPERM: "the folder is not writable: choose another --out or change its permissions",
            errno.ENOTDIR: "a part of the path is a file, not a folder: choose another --out"}.get(
        err.errno or 0, "check the path and try again")
    return OutputError(f"cannot {doing}: {reason}", path=path, hint=hint)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step where the system can; False where it cannot (nothing changed then)."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    rc = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


@contextlib.contextmanager
def _lock(target: Path) -> Iterator[None]:
    """Hold ``.NAME.lock`` beside ``target`` for the block; refuse at once when another run holds it."""
    try:
        import fcntl
    except ImportError:   # no flock (Windows): runs are not serialised, the swap is still atomic
        yield
        return
    path = target.parent / f".{target.name}.lock"
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise OutputError("another discourse run is writing here", path=target,
                              hint="wait for it to finish, or write elsewhere with --out") from None
        # the lock file may have been removed by the run that held it before we locked it: lock the new one
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path))
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(fd)


def _clean(target: Path) -> None:
    """Put back a folder a killed swap left aside, and remove what killed runs left behind."""
    pattern = f".{glob.escape(target.name)}-*"
    olds = sorted(target.parent.glob(pattern + ".old"), key=lambda p: p.stat().st_mtime)
    if olds and not os.path.lexists(target):
        os.rename(olds.pop(), target)
    for leftover in (*target.parent.glob(pattern + ".partial"), *olds):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                leftover.unlink()


def _carry(old: Path, new: Path, keep: Callable[[str], bool]) -> None:
    """Link (or copy) the entries of ``old`` that ``keep`` names into ``new``, unless ``new`` has them."""
    for name in sorted(os.listdir(old)):
        if not keep(name) or os.path.lexists(new / name):
            continue
        src, dst = old / name, new / name
        if src.is_dir() and not src.is_symlink():
            shutil.copytree(src, dst, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(src, dst)


def _link_or_copy(src: str | Path, dst: str | Path) -> None:
    try:
        os.link(src, dst, follow_symlinks=False)
    except OSError:
        shutil.copy2(src, dst, follow_symlinks=False)


def _hidden(name: str) -> bool:
    return name.startswith(".")


@contextlib.contextmanager
def replacing(target: str | Path, *, keep: Callable[[str], bool] = _hidden) -> Iterator[Path]:
    """Yield an empty work folder that replaces the folder ``target`` whole when the block ends normally.

    Entries of the previous ``target`` that ``keep(name)`` accepts (by default hidden ones) and that the
    block did not write are carried over (hard-linked where possible). The parent folder is created.

    >>> with replacing("export") as work:             # doctest: +SKIP
    ...     (work / "comments.csv").write_text("...")
    """
    target = Path(target)
    if target.is_symlink():
        target = target.resolve()
    if os.path.lexists(target) and not target.is_dir():
        raise OutputError("exists and is not a folder", path=target, hint="choose another --out")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise _os_error(err, target.parent, "create the folder") from None
    with _lock(target):
        work = target.parent / f".{target.name}-{uuid.uuid4().hex[:12]}.partial"
        try:
            _clean(target)
            work.mkdir()
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(work, 0o777 & ~mask)
        except OSError as err:
            raise _os_error(err, target, "write beside the folder") from None
        try:
            yield work
            if target.is_dir():
                _carry(target, work, keep)
                if not _exchange(work, target):
                    old = target.parent / f".{target.name}-{uuid.uuid4().hex[:12]}.old"
                    os.rename(target, old)
                    os.rename(work, target)   # a kill between the two renames: the next run puts old back
                    work = old
            else:
                os.rename(work, target)
        except OSError as err:
            raise _os_error(err, target, "write the folder") from None
        finally:
            # after an exchange the work folder holds the previous output; after a failure, the partial one
            shutil.rmtree(work, ignore_errors=True)


@contextlib.contextmanager
def replacing_file(target: str | Path) -> Iterator[Path]:
    """Yield a path to write instead of the file ``target``; it replaces ``target`` when the block ends
    normally, and is removed when it raises."""
    target = Path(target)
    if target.is_dir():
        raise OutputError("exists and is a folder, not a file", path=target, hint="name a file with --out")
    if not target.parent.is_dir():
        raise OutputError("the folder to write into does not exist", path=target.parent,
                          hint="create it first, or name a file in an existing folder")
    with _lock(target):
        _clean(target)
        work = target.parent / f".{target.name}-{uuid.uuid4().hex[:12]}.partial"
        try:
            yield work
            os.replace(work, target)
        except OSError as err:
            raise _os_error(err, target, "write the file") from None
        finally:
            with contextlib.suppress(OSError):
                work.unlink()
