"""nncore: a course-exact NumPy trainer for a one-hidden-layer network that records its history.

``python -m nncore train`` trains with ``media_config/lecture.toml`` and writes
``build/history.npz``; ``python -m nncore info build/history.npz`` summarises it.

This package depends on NumPy and SciPy (scikit-learn for the extra data sets) and never imports
manim: scenes read what it writes.
"""

from __future__ import annotations

__version__ = "0.1.0"

from nncore.config import TrainConfig, load_config  # noqa: E402
from nncore.errors import ConfigError, HistoryError, NNCoreError, TrainingDiverged  # noqa: E402
from nncore.history import History  # noqa: E402
from nncore.train import ensure_history, train  # noqa: E402

__all__ = [
    "ConfigError",
    "History",
    "HistoryError",
    "NNCoreError",
    "TrainConfig",
    "TrainingDiverged",
    "__version__",
    "ensure_history",
    "load_config",
    "train",
]
