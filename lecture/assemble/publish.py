"""Replace a whole output folder at once, so readers see the old lecture or the new one, never a mix.

``python -m lecture build`` writes the new lecture into ``build/lecture/.staging-<quality>-<pid>``
and then calls :func:`publish`. On Linux the two folders are swapped in one atomic
``renameat2(RENAME_EXCHANGE)``; elsewhere the old folder is renamed aside, the new one renamed in,
and :func:`recover` (run at the start of every build) puts the old one back if the build died
between those two renames.

:class:`FolderLock` keeps two runs from writing one output folder at once (the build and the
slides take one per preset), and :func:`read_json_object` reads the manifest an earlier run
published (an absent or broken one reads as empty: the next run rebuilds).
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import json
import os
import shutil
from pathlib import Path
from typing import Any

from lecture.errors import LectureError

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux 3.15+, glibc 2.28+); False if not supported here."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    rc = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def previous_path(target: Path) -> Path:
    """Where the old folder waits during a non-atomic swap."""
    return target.parent / f".previous-{target.name}"


def publish(staging: Path, target: Path) -> None:
    """Make ``staging`` the new ``target``; the old ``target`` (if any) is deleted afterwards."""
    if not target.exists():
        os.rename(staging, target)
        return
    if _exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # it now holds the old lecture
        return
    previous = previous_path(target)
    shutil.rmtree(previous, ignore_errors=True)
    os.rename(target, previous)
    os.rename(staging, target)
    shutil.rmtree(previous, ignore_errors=True)


def recover(target: Path) -> None:
    """Undo what an interrupted build left: a half swap, and staging folders of ``target``."""
    previous = previous_path(target)
    if previous.exists():
        if target.exists():
            shutil.rmtree(previous, ignore_errors=True)
        else:
            os.rename(previous, target)
    if target.parent.is_dir():
        for stale in target.parent.glob(f".staging-{target.name}-*"):
            shutil.rmtree(stale, ignore_errors=True)


def staging_path(target: Path) -> Path:
    """A fresh staging folder name beside ``target``."""
    return target.parent / f".staging-{target.name}-{os.getpid()}"


class FolderLock:
    """An exclusive lock on ``path`` for as long as a run writes its folder; the OS releases it if the run dies.

    Parameters
    ----------
    path : Path
        The lock file (``<build dir>/.locks/<what>.lock``), created with its folder.
    busy : str
        The error when another run holds it: what is running and what to do.

    Raises
    ------
    LectureError
        ``busy``, when another process holds the lock.
    """

    def __init__(self, path: Path, busy: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.fh = open(path, "a+")  # held open for the whole run
        try:
            fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.fh.close()
            raise LectureError(busy) from None

    def release(self) -> None:
        """Let the next run in."""
        fcntl.flock(self.fh, fcntl.LOCK_UN)
        self.fh.close()


def read_json_object(path: Path) -> dict[str, Any]:
    """The JSON object in ``path``; an empty dict if it is missing, unreadable or not an object."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}
