"""The course notebooks' runs as nncore configs, for the tests that reproduce them and the benchmark that sizes them.

- :data:`INITIALIZATION`: "Initialization" (Improving Deep Neural Networks, week 1), without its
  ``init`` (zeros, random or he): layers [2, 10, 5, 1], ReLU, gradient descent at 0.01 for 15,000
  iterations, weights drawn with seed 3, on scikit-learn's circles (300 points after
  ``np.random.seed(1)``, a test set of 100 after ``np.random.seed(2)``, noise 0.05, factor 0.8).
- :data:`OPTIMIZATION`: "Optimization Methods" (week 2), without its optimiser and epochs: layers
  [2, 5, 2, 1], ReLU, He's initialisation with seed 3, on moons (300 points after
  ``np.random.seed(3)``, noise 0.2), mini-batches of 64 reshuffled with seed 10 + epoch + 1, at 0.0007.
"""

from __future__ import annotations

from nncore import TrainConfig

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

OPTIMIZATION = TrainConfig(
    dataset="moons",
    points=300,
    data_seed=3,
    hidden_layers=(5, 2),
    activation="relu",
    init="he",
    init_seed=3,
    batch_size=64,
    batch_seed=10,
    learning_rate=0.0007,
)
