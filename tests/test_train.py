"""The trainer and its history for every family: the default run unchanged, every recorded array replayed.

The default run is checked against main's formulas written out here (not nncore's code); the
other families' histories are replayed update by update with nncore.network's pure functions
(themselves checked against finite differences and the course in tests/test_network.py), from
what the history records: the mini-batches, the dropout masks, the rates and the optimiser state.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from course_notebooks import INITIALIZATION
from scipy.special import expit, log_expit

from nncore import History, HistoryError, TrainConfig, TrainingDiverged, ensure_history, load_config, train
from nncore.data import features, load_dataset
from nncore.history import ARRAY_NAMES
from nncore.network import accuracy, backward, cross_entropy, forward, l2_term
from nncore.optimizers import Moments, adam_step, gd_step, momentum_step
from nncore.paths import DEFAULT_CONFIG

from conftest import FIXTURE_CONFIG

ROOT = Path(__file__).resolve().parents[1]


def _mains_loop(cfg: TrainConfig) -> dict[str, np.ndarray]:
    """nncore.train as it was on main (commit beb1755) for week 3's network, written out: the oracle."""
    X, Y = load_dataset(cfg.dataset, cfg.data_seed, cfg.points)
    m, n_h, T, lr = X.shape[1], cfg.hidden_units, cfg.iterations, cfg.learning_rate
    rng = np.random.RandomState(cfg.init_seed)
    W1, b1 = rng.randn(n_h, 2) * 0.01, np.zeros((n_h, 1))
    W2, b2 = rng.randn(1, n_h) * 0.01, np.zeros((1, 1))
    out: dict[str, list] = {name: [] for name in ARRAY_NAMES[2:]}
    for i in range(T + 1):
        A1 = np.tanh(W1 @ X + b1)
        Z2 = W2 @ A1 + b2
        A2 = expit(Z2)
        for name, value in zip(("W1", "b1", "W2", "b2"), (W1, b1, W2, b2), strict=True):
            out[name].append(value)
        out["cost"].append(float(-np.sum(Y * log_expit(Z2) + (1.0 - Y) * log_expit(-Z2)) / m))
        out["accuracy"].append(float(np.count_nonzero((A2 > 0.5) == (Y > 0.5)) / m))
        if i == T:
            break
        dZ2 = A2 - Y
        dW2, db2 = dZ2 @ A1.T / m, np.sum(dZ2, axis=1, keepdims=True) / m
        dZ1 = (W2.T @ dZ2) * (1.0 - A1**2)
        dW1, db1 = dZ1 @ X.T / m, np.sum(dZ1, axis=1, keepdims=True) / m
        for name, value in zip(("dW1", "db1", "dW2", "db2"), (dW1, db1, dW2, db2), strict=True):
            out[name].append(value)
        W1, b1, W2, b2 = W1 - lr * dW1, b1 - lr * db1, W2 - lr * dW2, b2 - lr * db2
    return {"X": X, "Y": Y, **{k: np.array(v) for k, v in out.items()}}


def test_the_lecture_configs_history_is_mains_bit_for_bit() -> None:
    """media_config/lecture.toml trains exactly main's history: every array, every bit (10000 iterations)."""
    cfg = load_config(ROOT / DEFAULT_CONFIG)
    assert cfg == TrainConfig() and cfg.is_course_week3
    h, want = train(cfg), _mains_loop(cfg)
    assert set(h.arrays) == set(ARRAY_NAMES)
    for name in ARRAY_NAMES:
        assert h.arrays[name].dtype == want[name].dtype and np.array_equal(h.arrays[name], want[name]), name
    assert round(float(h.cost[-1]), 6) == 0.217817 and h.accuracy[-1] == 0.9075


@pytest.mark.parametrize(
    "cfg", [FIXTURE_CONFIG, TrainConfig(dataset="moons", hidden_units=5, iterations=300, learning_rate=0.5)]
)
def test_week3_runs_are_mains(cfg: TrainConfig) -> None:
    h, want = train(cfg), _mains_loop(cfg)
    assert all(np.array_equal(h.arrays[name], want[name]) for name in ARRAY_NAMES)


# --- every family's record, replayed -------------------------------------------------------------

FAMILIES = {
    "adam_dropout_l2_decay_test": TrainConfig(
        dataset="moons",
        points=60,
        test_points=20,
        hidden_layers=(4, 3),
        activation="relu",
        init="he",
        init_seed=3,
        optimizer="adam",
        batch_size=16,
        l2=0.1,
        keep_prob=0.8,
        decay_rate=0.5,
        decay_interval=2,
        learning_rate=0.05,
        iterations=7,
    ),
    "momentum_mini_batches": TrainConfig(
        dataset="xor",
        points=40,
        hidden_layers=(5, 2),
        activation="leaky_relu",
        init="xavier",
        optimizer="momentum",
        batch_size=12,
        learning_rate=0.1,
        iterations=5,
    ),
    "gd_full_batch_dropout_features": TrainConfig(
        dataset="circles",
        points=50,
        features=("x1", "x2", "x1^2", "x1*x2", "sin(x2)"),
        hidden_layers=(3, 3, 2),
        activation="sigmoid",
        keep_prob=0.7,
        learning_rate=0.5,
        iterations=6,
    ),
    "one_tanh_layer_with_adam": TrainConfig(hidden_units=3, optimizer="adam", learning_rate=0.01, iterations=5),
}


@pytest.fixture(scope="module", params=list(FAMILIES))
def family(request: pytest.FixtureRequest) -> History:
    return train(FAMILIES[request.param])


def _masks(h: History, e: int, batch: np.ndarray) -> tuple[np.ndarray, ...] | None:
    if h.config.keep_prob == 1:
        return None
    return tuple(h.dropout_mask(l, e)[:, batch] for l in range(1, h.layers))


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    # To rounding only: a mini-batch copied anew lies elsewhere in memory than the trainer's, and
    # BLAS kernels may sum in another order for another alignment (1e-24 apart here). A wrong
    # mini-batch, mask, rate or moment would be far off.
    return np.allclose(a, b, rtol=1e-12, atol=1e-20)


def test_every_update_replays_from_the_history(family: History) -> None:
    """From snapshot e and what the history says each update used, nncore.network gives snapshot e + 1."""
    h, cfg = family, family.config
    act, keep, B = cfg.activation, cfg.keep_prob, h.batches_per_epoch
    L = h.layers
    for e in range(h.epochs):
        net = h.net(e)
        v = tuple(getattr(h, f"vdW{l}")[e] for l in range(1, L + 1)) if cfg.optimizer != "gd" else ()
        vb = tuple(getattr(h, f"vdb{l}")[e] for l in range(1, L + 1)) if cfg.optimizer != "gd" else ()
        s = tuple(getattr(h, f"sdW{l}")[e] for l in range(1, L + 1)) if cfg.optimizer == "adam" else ()
        sb = tuple(getattr(h, f"sdb{l}")[e] for l in range(1, L + 1)) if cfg.optimizer == "adam" else ()
        state = Moments(v, vb, s, sb)
        lr = h.learning_rates[e] if cfg.decay_rate else cfg.learning_rate
        for k in range(B):
            u = e * B + k
            batch = h.batch(u)
            Xb, Yb = h.X[:, batch], h.Y[:, batch]
            masks = _masks(h, e, batch)
            trace = forward(Xb, net, act, masks, keep)
            if "batch_cost" in h.arrays:
                assert h.batch_cost[u] == pytest.approx(
                    cross_entropy(trace.A[-1], Yb) + l2_term(net, cfg.l2, len(batch)), rel=1e-12
                )
            g = backward(Xb, Yb, net, trace, act, masks, keep, cfg.l2)
            if k == 0:
                kept = h.net_grads(e)
                assert all(_same(a, b) for a, b in zip(g.dW + g.db, kept.dW + kept.db, strict=True))
            if cfg.optimizer == "adam":
                t = int(h.adam_t[e]) + k + 1
                if k == 0:
                    assert (h.adam_correction1[e], h.adam_correction2[e]) == (1 - cfg.beta1**t, 1 - cfg.beta2**t)
                net, state = adam_step(net, g, state, t, lr, cfg.beta1, cfg.beta2, cfg.epsilon)
            elif cfg.optimizer == "momentum":
                net, state = momentum_step(net, g, state, lr, cfg.beta)
            else:
                net = gd_step(net, g, lr)
        after = h.net(e + 1)
        assert all(_same(a, b) for a, b in zip(net.W + net.b, after.W + after.b, strict=True)), f"epoch {e}"


def test_snapshot_costs_and_accuracies_are_the_networks(family: History) -> None:
    h, cfg = family, family.config
    for e in (0, h.epochs // 2, h.epochs):
        AL = forward(h.X, h.net(e), cfg.activation).A[-1]
        ce = cross_entropy(AL, h.Y)
        assert h.cost[e] == ce + l2_term(h.net(e), cfg.l2, h.m) and h.accuracy[e] == accuracy(AL, h.Y)
        if cfg.l2:
            assert h.cross_entropy[e] == ce and h.cost[e] > ce
        if cfg.test_points:
            AT = forward(h.X_test, h.net(e), cfg.activation).A[-1]
            assert h.test_cost[e] == cross_entropy(AT, h.Y_test) and h.test_accuracy[e] == accuracy(AT, h.Y_test)


def test_mini_batches_are_the_courses_reshuffled_every_epoch_and_cover_the_set(family: History) -> None:
    h, cfg = family, family.config
    if cfg.batch_size is None:
        assert "batch_order" not in h.arrays and np.array_equal(h.batch(0), np.arange(h.m))
        return
    for e in range(h.epochs):
        seen = np.concatenate([h.batch(e * h.batches_per_epoch + k) for k in range(h.batches_per_epoch)])
        assert np.array_equal(seen, np.random.RandomState(cfg.batch_seed + e + 1).permutation(h.m))
    assert not np.array_equal(h.batch_order[0], h.batch_order[1])


def test_dropout_masks_keep_about_keep_prob_and_change_every_epoch(family: History) -> None:
    h, cfg = family, family.config
    if cfg.keep_prob == 1:
        assert not any(name.startswith("dropout") for name in h.arrays)
        return
    masks = np.stack([h.dropout_mask(1, e) for e in range(h.epochs)])  # (E, n_1, m)
    assert abs(masks.mean() - cfg.keep_prob) < 0.1 and not np.array_equal(masks[0], masks[1])
    assert h.dropout1.dtype == np.uint8 and h.dropout1.shape == (h.epochs, h.sizes[1], -(-h.m // 8))


def test_every_family_saves_and_loads(family: History, tmp_path: Path) -> None:
    path = family.save(tmp_path / "h.npz")
    loaded = History.load(path)
    assert loaded.meta == family.meta and list(loaded.arrays) == list(family.arrays)
    assert all(np.array_equal(loaded.arrays[n], family.arrays[n]) for n in family.arrays)
    assert loaded.trained_with(family.config)


def test_features_are_computed_from_the_points() -> None:
    h = train(FAMILIES["gd_full_batch_dropout_features"])
    x1, x2 = h.points
    np.testing.assert_array_equal(h.X, np.vstack([x1, x2, x1 * x1, x1 * x2, np.sin(x2)]))
    assert np.array_equal(features(h.points, h.config.features), h.X) and h.n_x == 5
    assert h.meta["network"]["sizes"] == [5, 3, 3, 2, 1] and h.meta["network"]["arithmetic"] == "layers"


def test_test_set_is_drawn_with_its_own_seed() -> None:
    h = train(FAMILIES["adam_dropout_l2_decay_test"])
    X, Y = load_dataset("moons", seed=2, points=20)
    assert np.array_equal(h.X_test, X) and np.array_equal(h.Y_test, Y) and h.meta["seeds"]["test_seed"] == 2


def test_one_hidden_layer_histories_keep_the_scenes_api() -> None:
    h = train(FAMILIES["one_tanh_layer_with_adam"])
    assert h.meta["network"]["arithmetic"] == "layers" and h.hidden_units == 3 and h.iterations == 5
    assert [a.shape for a in h.params(2)] == [(3, 2), (3, 1), (1, 3), (1, 1)] and len(h.grads(0)) == 4
    with pytest.raises(ValueError, match="use net"):
        train(FAMILIES["momentum_mini_batches"]).params(0)


def test_the_infinite_first_cost_of_random_init_is_recorded_not_divergence(tmp_path: Path) -> None:
    """The initialisation notebook's random init (weights x 10) saturates the output: its first cost is inf."""
    cfg = INITIALIZATION.replace(init="random", iterations=120)
    h = train(cfg)
    assert h.cost[0] == math.inf and np.isfinite(h.W1).all() and np.isfinite(h.dW3).all()
    assert h.accuracy[0] > 0 and History.load(h.save(tmp_path / "h.npz")).cost[0] == math.inf


def test_divergence_names_the_iteration() -> None:
    cfg = TrainConfig(hidden_layers=(20, 20), activation="relu", init="he", learning_rate=1e150, iterations=30)
    with pytest.raises(
        TrainingDiverged, match=r"outputs stopped being finite at iteration 1 with learning_rate = 1e\+150"
    ):
        train(cfg)


# --- version 1 files ---------------------------------------------------------------------------------


def _as_version_1(h: History, path: Path) -> Path:
    """What nncore wrote before deeper networks: schema 1, the seven keys of its config, the twelve arrays."""
    old_keys = ("dataset", "data_seed", "points", "hidden_units", "learning_rate", "iterations", "init_seed")
    meta = {
        "schema_version": 1,
        "config": {k: h.meta["config"][k] for k in old_keys},
        "dataset": {"name": "flower", "seed": 1, "m": h.m, "n_x": 2},
        "seeds": h.meta["seeds"],
        "nncore_version": "0.1.0",
    }
    with open(path, "wb") as fh:
        entries: dict[str, Any] = {"meta": np.array(json.dumps(meta)), **{n: h.arrays[n] for n in ARRAY_NAMES}}
        np.savez(fh, **entries)
    return path


def test_a_version_1_file_loads_and_is_retrained_by_ensure_history(fixture_history: History, tmp_path: Path) -> None:
    path = _as_version_1(fixture_history, tmp_path / "v1.npz")
    old = History.load(path)
    assert old.meta["schema_version"] == 1 and old.config == FIXTURE_CONFIG
    assert np.array_equal(old.W1, fixture_history.W1) and not old.trained_with(FIXTURE_CONFIG)
    h, trained = ensure_history(FIXTURE_CONFIG, path)
    assert trained and History.load(path).meta["schema_version"] == 2
    assert np.array_equal(h.cost, fixture_history.cost)


def test_an_unexpected_array_is_rejected(fixture_history: History, tmp_path: Path) -> None:
    arrays = {**fixture_history.arrays, "W3": np.zeros((61, 1, 1))}
    with open(tmp_path / "h.npz", "wb") as fh:
        entries: dict[str, Any] = {"meta": np.array(json.dumps(fixture_history.meta)), **arrays}
        np.savez(fh, **entries)
    with pytest.raises(HistoryError, match="unexpected array.*W3"):
        History.load(tmp_path / "h.npz")
