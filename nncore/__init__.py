"""nncore: a course-exact NumPy trainer for the course's networks that records their whole history.

``python -m nncore train`` (or the ``nncore`` script) trains with ``media_config/lecture.toml``
and writes ``build/history.npz``; ``python -m nncore info build/history.npz`` summarises it.

Modules: :mod:`nncore.config` (the training config, strictly loaded), :mod:`nncore.data` (the
data sets and input features), :mod:`nncore.model` (week 3's one-hidden-layer network, the
lecture's), :mod:`nncore.network` (the L-layer network of the later notebooks),
:mod:`nncore.optimizers` (momentum, Adam, decay, mini-batches), :mod:`nncore.train` (training and
its recorded :mod:`~nncore.history`), :mod:`nncore.sweeps_file` (``media_config/sweeps.toml``),
:mod:`nncore.batch` (several configs trained in one vectorised loop), :mod:`nncore.sweep`
(running, indexing and loading sweeps), :mod:`nncore.paths` (every environment variable and
default path), :mod:`nncore.cli` (the command line), :mod:`nncore.console` (what it shares with
``lecture``'s), :mod:`nncore.atomic` and :mod:`nncore.errors`.

This package depends on NumPy and SciPy (scikit-learn for the extra data sets) and never imports
manim: scenes read what it writes.
"""

from __future__ import annotations

from nncore.config import TrainConfig, load_config
from nncore.errors import ConfigError, HistoryError, NNCoreError, TrainingDiverged
from nncore.history import History
from nncore.train import ensure_history, train
from nncore.version import __version__

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
