"""The training history a lecture is built from: one file per config, trained only when missing.

``python -m lecture build --config FILE`` calls :func:`ensure_lecture_history`. Histories are kept
by the digest of their config in ``build/histories/<digest>.npz``, so switching between configs
does not retrain; ``build/history.npz`` stays the history of ``media_config/lecture.toml`` (scenes
rendered on their own read it).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from lecture.render.inputs import digest_json
from nncore import History, HistoryError, TrainConfig, ensure_history
from nncore.paths import DEFAULT_CONFIG, HISTORY_NAME
from nncore.train import ProgressCallback

KEEP_HISTORIES = 8


def history_key(cfg: TrainConfig) -> str:
    """16 hex digits naming the history of ``cfg``."""
    return digest_json(cfg.to_dict())[:16]


def histories_dir(build_dir: Path) -> Path:
    """Where the histories of every config built are kept: ``<build_dir>/histories``."""
    return build_dir / "histories"


def is_lecture_config(config_path: Path) -> bool:
    """Whether ``config_path`` is ``media_config/lecture.toml``, whose products keep their plain places."""
    return config_path.resolve() == DEFAULT_CONFIG.resolve()


def keep_recent(
    current: Path, siblings: Iterable[Path], remove: Callable[[Path], None], keep: int = KEEP_HISTORIES
) -> None:
    """Mark ``current`` as just used and ``remove`` all but the most recently used of ``siblings``.

    ``current`` and the ``keep - 1`` siblings used last stay (by modification time); a build of
    several lectures keeps at least one per config it builds.
    """
    os.utime(current)
    others = sorted((p for p in siblings if p != current), key=lambda p: p.stat().st_mtime)
    for old in others[: max(len(others) - (keep - 1), 0)]:
        remove(old)


def _config_of(path: Path) -> dict | None:
    try:
        return History.load(path).meta["config"]
    except (HistoryError, KeyError):
        return None


def _atomic_copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dst.name}.", suffix=".tmp", dir=dst.parent)
    os.close(fd)
    try:
        shutil.copyfile(src, tmp)
        os.replace(tmp, dst)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def ensure_lecture_history(
    cfg: TrainConfig,
    config_path: Path,
    build_dir: Path,
    progress: ProgressCallback | None = None,
    keep: int = KEEP_HISTORIES,
) -> tuple[Path, History, bool]:
    """Return the history of ``cfg``, training it only if no history of that config exists.

    Parameters
    ----------
    cfg : TrainConfig
        The loaded config.
    config_path : Path
        The file it came from; if it is ``media_config/lecture.toml``, ``build_dir/history.npz``
        is kept equal to its history.
    build_dir : Path
    progress : callable, optional
        Training progress callback.
    keep : int, optional
        How many histories of configs to keep, the most recently used (a build of several
        lectures passes at least its number of configs).

    Returns
    -------
    path : Path
        ``build_dir/histories/<key>.npz``.
    history : History
    trained : bool
    """
    path = histories_dir(build_dir) / f"{history_key(cfg)}.npz"
    default_file = build_dir / HISTORY_NAME
    is_default = is_lecture_config(config_path)
    if not path.exists() and is_default and _config_of(default_file) == cfg.to_dict():
        _atomic_copy(default_file, path)  # trained before by `python -m nncore train`
    history, trained = ensure_history(cfg, path, progress)
    if is_default and (trained or _config_of(default_file) != cfg.to_dict()):
        _atomic_copy(path, default_file)
    keep_recent(path, path.parent.glob("*.npz"), lambda old: old.unlink(missing_ok=True), keep)
    return path, history, trained
