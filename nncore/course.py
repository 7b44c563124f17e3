"""The course's notebooks whose experiments the lecture repeats: their settings and what they printed.

``python -c "from nncore.course import INITIALIZATION; print(INITIALIZATION)"``

Two notebooks of the course's second part (Improving Deep Neural Networks):

- :data:`INITIALIZATION`: "Initialization" (week 1), without its ``init`` (zeros, random or he):
  layers [2, 10, 5, 1], ReLU, gradient descent at 0.01 for 15,000 iterations, weights drawn with
  seed 3, on scikit-learn's circles (300 points after ``np.random.seed(1)``, a test set of 100
  after ``np.random.seed(2)``, noise 0.05, factor 0.8).
- :data:`OPTIMIZATION`: "Optimization Methods" (week 2), without its optimiser and epochs: layers
  [2, 5, 2, 1], ReLU, He's initialisation with seed 3, on moons (300 points after
  ``np.random.seed(3)``, noise 0.2), mini-batches of 64 reshuffled with seed 10 + epoch + 1, at 0.0007.

:data:`INITIALIZATION_ACCURACIES` holds the training and test accuracies the first notebook prints
for each initialisation, in both published editions (2021: aniket414/improving-deep-neural-network,
``W1A1/Initialization.ipynb``; 2018: Kulbear/deep-learning-coursera, commit c748d75). The scenes
show them beside the run's own, and ``tests/test_course_initialization.py`` checks that nncore
reproduces every printed cost and accuracy; :data:`OPTIMIZATION_ACCURACIES` the second's, checked
by ``tests/test_course_optimization.py``. Data only: no training here.
"""

from __future__ import annotations

from nncore.config import TrainConfig

INITIALIZATION = TrainConfig(
    dataset="circles",
    points=300,
    data_seed=1,
    noise=0.05,
    factor=0.8,
    test_points=100,
    test_seed=2,
    hidden_layers=(10, 5),
    activation="relu",
    init_seed=3,
    learning_rate=0.01,
    iterations=15_000,
)
"""The Initialization notebook's model and training, without its ``init``."""

INITIALIZATION_ACCURACIES: dict[str, tuple[float, float]] = {
    "zeros": (0.5, 0.5),
    "random": (0.83, 0.86),
    "he": (0.9933333333333333, 0.96),
}
"""``init`` -> (training accuracy, test accuracy) as the Initialization notebook prints them after
15,000 iterations ("On the train set: Accuracy: 0.9933333333333333"; the 2018 edition prints
0.993333333333, the same to its 12 digits)."""

OPTIMIZATION = TrainConfig(
    dataset="moons",
    points=300,
    data_seed=3,
    noise=0.2,
    hidden_layers=(5, 2),
    activation="relu",
    init="he",
    init_seed=3,
    batch_size=64,
    batch_seed=10,
    learning_rate=0.0007,
)
"""The Optimization Methods notebook's model and training, without its optimiser and epochs."""

OPTIMIZATION_EPOCHS = 5000
"""The epochs the notebook's 2021 edition (the course today) trains each optimiser for."""

OPTIMIZATION_ACCURACIES: dict[str, float] = {
    "gd": 0.7166666666666667,
    "momentum": 0.7166666666666667,
    "adam": 0.9433333333333334,
}
"""``optimizer`` -> the training accuracy the Optimization Methods notebook (2021 edition,
aniket414/improving-deep-neural-network, ``W2A1/Optimization_methods.ipynb``) prints after
:data:`OPTIMIZATION_EPOCHS` epochs ("Accuracy: 0.9433333333333334"); it has no test set."""


def notebook_initialization(cfg: TrainConfig) -> str | None:
    """The ``init`` of the Initialization notebook's run that ``cfg`` is, or ``None`` when it is another run.

    Only then do the notebook's printed accuracies (:data:`INITIALIZATION_ACCURACIES`) belong beside
    the run's: the same data, network, seeds and training, and one of the notebook's three ``init``.
    """
    if cfg.init not in INITIALIZATION_ACCURACIES:
        return None
    return cfg.init if cfg == INITIALIZATION.replace(init=cfg.init) else None


def notebook_optimizer(cfg: TrainConfig) -> str | None:
    """The ``optimizer`` of the Optimization Methods notebook's run that ``cfg`` is, or ``None`` when it is another run.

    The same data, network, seeds, mini-batches, rate and :data:`OPTIMIZATION_EPOCHS` epochs, and one
    of the notebook's three optimisers with its default settings.
    """
    if cfg.optimizer not in OPTIMIZATION_ACCURACIES:
        return None
    notebook = OPTIMIZATION.replace(optimizer=cfg.optimizer, iterations=OPTIMIZATION_EPOCHS)
    return cfg.optimizer if cfg == notebook else None


__all__ = [
    "INITIALIZATION",
    "INITIALIZATION_ACCURACIES",
    "OPTIMIZATION",
    "OPTIMIZATION_ACCURACIES",
    "OPTIMIZATION_EPOCHS",
    "notebook_initialization",
    "notebook_optimizer",
]
