"""Atomic file writes: a file is either the old one or the whole new one, never half-written.

``python -c "from nncore.atomic import atomic_write"``; used by :meth:`nncore.History.save`, the
sweep index and the lecture's outputs.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_write(path: str | Path, mode: str = "wb", **open_kwargs: Any) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path``; on success, flush, fsync and rename it onto ``path``.

    If the block raises (or the process is interrupted), the temporary file is removed and
    ``path`` keeps its previous content. The new file gets the usual permissions (``0666`` less
    the umask), not ``mkstemp``'s private ``0600``.

    Parameters
    ----------
    path : str or Path
        The file to write; its folder is created if needed.
    mode : str
        ``"wb"`` or ``"w"``.
    **open_kwargs
        Passed to :func:`os.fdopen` (``encoding`` …).

    Yields
    ------
    file object
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, mode, **open_kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
