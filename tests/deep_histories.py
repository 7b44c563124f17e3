"""Small histories of the two course configurations issue 27 draws, for the scenes' tests.

``DEEP_CONFIG`` is ``media_config/course_initialization.toml`` (He, ``[2, 10, 5, 1]``, ReLU, circles
with a test set) and ``MOONS_CONFIG`` ``media_config/moons_adam_l2_dropout.toml`` (Adam on
mini-batches of 64, L2, dropout, inputs ``x1, x2, x1*x2``, ``[3, 5, 2, 1]``), each with few
iterations so that they train in well under a second. :func:`history_path` trains one once per
test run (:func:`scene_checks.made_once`), for every worker.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from scene_checks import made_once

from nncore import TrainConfig, train
from nncore.config import load_config

ROOT = Path(__file__).resolve().parent.parent

DEEP_CONFIG = dataclasses.replace(load_config(ROOT / "media_config/course_initialization.toml"), iterations=400)
"""The Initialization notebook's He run, 400 iterations instead of 15,000."""

MOONS_CONFIG = dataclasses.replace(load_config(ROOT / "media_config/moons_adam_l2_dropout.toml"), iterations=40)
"""The mini-batch Adam run with L2, dropout and a feature cross, 40 epochs instead of 3,000."""

CONFIGS: dict[str, TrainConfig] = {"deep": DEEP_CONFIG, "moons": MOONS_CONFIG}


def history_path(factory: pytest.TempPathFactory, name: str) -> Path:
    """The saved history of ``CONFIGS[name]``, trained once per test run."""
    folder = made_once(factory, f"history_{name}", lambda f: train(CONFIGS[name]).save(f / f"{name}.npz"))
    return folder / f"{name}.npz"
