"""Sweeps a segment reads: checked before the build, trained before the renders, hashed into the segment.

``python -m lecture build --segments hidden_sizes`` renders a segment that declares
``sweeps = ["hidden_sizes"]`` in ``media_config/render.toml``. The build checks that
``media_config/sweeps.toml`` declares that sweep (before writing anything), trains what is missing
once in the build process (``nncore.sweep.run_sweep``, not in parallel render children racing each
other), points the render at the result (``$NN_SWEEPS``, ``$NN_SWEEP_DIR``) and adds the digest of
the sweep's histories to the segment's inputs, so the segment re-renders when they change.
"""

from __future__ import annotations

import importlib
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lecture.errors import LectureError
from lecture.render.histories import KEEP_HISTORIES, history_key, is_lecture_config, keep_recent
from lecture.render.inputs import digest_json, history_digest
from lecture.settings import Segment
from nncore import NNCoreError, TrainConfig, load_config
from nncore.paths import DEFAULT_SWEEPS, SWEEP_BASE_ENV, SWEEP_DIR_ENV, SWEEP_DIR_NAME, SWEEPS_ENV
from nncore.sweep import SweepEntry

BY_CONFIG = "sweeps-by-config"
"""The folder of ``build_dir`` that holds the sweeps of configs other than the lecture's own."""


def check_sweeps(segments: list[Segment], settings_path: Path, root: Path, config: Path) -> dict[str, Any]:
    """The declared sweeps the lecture's segments read, by name (none: an empty dict), based on ``config``.

    ``media_config/sweeps.toml`` declares variations of its ``base``; a lecture built from another
    config (``--config``) varies that one instead, so its sweeps are its own run's.

    Raises
    ------
    LectureError
        If the sweeps file is bad or does not declare a sweep a segment names.
    """
    needed = [n for s in segments for n in s.sweeps]
    if not needed:
        return {}
    from nncore.sweeps_file import load_sweeps  # only lectures with sweep segments need it

    path = root / DEFAULT_SWEEPS
    try:
        declared = load_sweeps(path, config)
    except NNCoreError as err:
        raise LectureError(str(err)) from None
    for s in segments:
        for name in s.sweeps:
            if name not in declared:
                raise LectureError(
                    f"{settings_path}: segment {s.name!r} reads sweep {name!r}, which {DEFAULT_SWEEPS} does not "
                    f"declare (it declares {', '.join(declared)}); declare [sweeps.{name}] there (git checkout "
                    f"{DEFAULT_SWEEPS} restores the shipped one) or fix the segment's 'sweeps'"
                )
    for s in segments:
        problem = _scene_problem(s, {name: declared[name].variations for name in s.sweeps}) if s.sweeps else None
        if problem is not None:
            raise LectureError(f"{path}: {problem}, for segment {s.name!r} ({s.file})")
    return {name: declared[name] for name in dict.fromkeys(needed)}


def _scene_problem(segment: Segment, sweeps: dict[str, Any]) -> str | None:
    """What the segment's scene module says it cannot draw of ``sweeps`` (its ``sweep_problem``), if it says anything.

    A chapter that needs its sweeps in a shape (``scenes/initialization.py`` varies ``model.init``)
    defines ``sweep_problem(sweeps)``; asking it here, on the declared variations, turns a sweep it
    would reject mid-render into one line before any render starts. A scene file outside the
    ``scenes`` package (the tests' tiny lectures) is not asked.
    """
    module_name = ".".join(segment.file.with_suffix("").parts)
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    check = getattr(module, "sweep_problem", None)
    return check(sweeps) if callable(check) else None


def ensure_sweeps(
    sweeps: dict[str, Any],
    out_dir: Path,
    say: Callable[[str], None],
    entries_out: dict[str, list[SweepEntry]] | None = None,
) -> dict[str, str]:
    """Train what is missing of each sweep; return the digest of each sweep's histories.

    A variation another config's sweeps folder of the same build trained with the same config (the
    course's experiments pin their runs whatever the lecture's config) is copied, not trained again.
    ``entries_out``, if given, receives each sweep's variations with their histories (the questions
    of the chapters that read them are made from these).
    """
    from nncore.sweep import run_sweep

    build_dir = out_dir.parent.parent if out_dir.parent.name == BY_CONFIG else out_dir.parent
    others = [build_dir / SWEEP_DIR_NAME, *sorted((build_dir / BY_CONFIG).glob("*"))]
    others = [o for o in others if o.is_dir() and o.resolve() != out_dir.resolve()]
    digests = {}
    for name, sweep in sweeps.items():
        try:
            entries = run_sweep(sweep, out_dir, borrow_from=others)
        except NNCoreError as err:
            raise LectureError(str(err)) from None
        if entries_out is not None:
            entries_out[name] = entries
        trained = [e.label for e in entries if e.trained]
        if trained:
            say(f"sweep {name}: trained {', '.join(trained)}")
        digests[name] = digest_json(
            [
                [e.label, history_digest(e.history) if e.history is not None else f"diverged at {e.diverged_at}"]
                for e in entries
            ]
        )
    return digests


def sweep_env(root: Path, out_dir: Path, config: Path) -> dict[str, str]:
    """Where a render child finds the sweeps and their base config (``nncore.sweep.load_sweep`` reads these)."""
    return {
        SWEEPS_ENV: str((root / DEFAULT_SWEEPS).resolve()),
        SWEEP_DIR_ENV: str(out_dir.resolve()),
        SWEEP_BASE_ENV: str(config.resolve()),
    }


def sweeps_dir(
    build_dir: Path, config: Path | None = None, cfg: TrainConfig | None = None, keep: int = KEEP_HISTORIES
) -> Path:
    """Where a build trains the sweeps based on ``config``: one folder per base config.

    ``media_config/lecture.toml`` (or no ``config``): ``<build_dir>/sweeps``, where
    ``python -m nncore sweep`` writes and where a scene rendered on its own looks. Any other config
    (``--config``; ``cfg`` is what it holds, read from it if not given):
    ``<build_dir>/sweeps-by-config/<digest of the config>``, so building from two configs in turn
    trains each one's sweeps once, as their histories are kept (:mod:`lecture.render.histories`);
    the folder is touched when used and only the ``keep`` most recent are kept
    (:data:`~lecture.render.histories.KEEP_HISTORIES`, or a build's number of configs if more).
    """
    if config is None or is_lecture_config(config):
        return build_dir / SWEEP_DIR_NAME
    folder = build_dir / BY_CONFIG / history_key(cfg or load_config(config))
    folder.mkdir(parents=True, exist_ok=True)
    others = (p for p in folder.parent.iterdir() if p.is_dir())
    keep_recent(folder, others, lambda old: shutil.rmtree(old, ignore_errors=True), keep)
    return folder
