"""The history artefact: contents consistent with the model, validation, atomic writes."""

from __future__ import annotations

import copy
import dataclasses
import json
import os
from pathlib import Path

import numpy as np
import pytest

from nncore import History, HistoryError, TrainConfig, TrainingDiverged, ensure_history, train
from nncore.history import ARRAY_NAMES
from nncore.model import accuracy, backward, cost, forward, update

from conftest import FIXTURE_CONFIG


def test_shapes_and_meta(fixture_history: History) -> None:
    h = fixture_history
    T, n_h, m = FIXTURE_CONFIG.iterations, FIXTURE_CONFIG.hidden_units, 400
    assert h.W1.shape == (T + 1, n_h, 2) and h.b1.shape == (T + 1, n_h, 1)
    assert h.W2.shape == (T + 1, 1, n_h) and h.b2.shape == (T + 1, 1, 1)
    assert h.cost.shape == (T + 1,) and h.accuracy.shape == (T + 1,)
    assert h.dW1.shape == (T, n_h, 2) and h.db2.shape == (T, 1, 1)
    assert h.X.shape == (2, m) and h.Y.shape == (1, m)
    assert h.meta["schema_version"] == 2
    assert h.config == FIXTURE_CONFIG
    assert h.meta["seeds"] == {"data_seed": 1, "init_seed": 2}
    assert h.iterations == T and h.hidden_units == n_h and h.m == m


def test_recorded_values_are_consistent_with_the_model(fixture_history: History) -> None:
    h = fixture_history
    for i in (0, 17, h.iterations - 1):
        p = h.params(i)
        c = forward(h.X, p)
        assert h.cost[i] == cost(c.Z2, h.Y)
        assert h.accuracy[i] == accuracy(c.A2, h.Y)
        g = backward(h.X, h.Y, p, c)
        for a, b in zip(g, h.grads(i), strict=True):
            np.testing.assert_array_equal(a, b)
        nxt = update(p, g, FIXTURE_CONFIG.learning_rate)
        for a, b in zip(nxt, h.params(i + 1), strict=True):
            np.testing.assert_array_equal(a, b)
    assert h.cost[-1] == cost(forward(h.X, h.params(-1)).Z2, h.Y)


def test_same_config_gives_identical_arrays(tmp_path: Path) -> None:
    a, b = train(FIXTURE_CONFIG), train(FIXTURE_CONFIG)
    for name in ARRAY_NAMES:
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    a.save(tmp_path / "a.npz")
    b.save(tmp_path / "b.npz")
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()


def test_round_trip_gives_plain_arrays(fixture_history_path: Path, fixture_history: History) -> None:
    loaded = History.load(fixture_history_path)
    for name in ARRAY_NAMES:
        arr = getattr(loaded, name)
        assert type(arr) is np.ndarray and arr.dtype == np.float64
        assert np.array_equal(arr, getattr(fixture_history, name))
    assert loaded.meta == fixture_history.meta


def test_a_deep_copy_is_the_history_itself(fixture_history: History) -> None:
    # A record of a finished run is only read: what holds it (Manim's mobjects, copied on every
    # fade) shares it rather than copying every snapshot.
    run, W1 = copy.deepcopy((fixture_history, fixture_history.W1))
    assert run is fixture_history
    assert W1 is not fixture_history.W1 and np.array_equal(W1, fixture_history.W1)


def test_a_history_is_read_only_and_leaves_its_arrays_alone(
    fixture_history_path: Path, fixture_history: History
) -> None:
    with pytest.raises(ValueError, match="read-only"):
        fixture_history.cost[-1] = 0.0
    given = fixture_history.b1.copy()
    changed = dataclasses.replace(fixture_history, b1=given)
    assert not changed.b1.flags.writeable and given.flags.writeable
    assert all(not array.flags.writeable for array in History.load(fixture_history_path).arrays.values())
    assert all(not array.flags.writeable for array in train(TrainConfig(hidden_units=2, iterations=3)).arrays.values())


def _rewrite(src: Path, dst: Path, drop: str | None = None, meta: dict | None = None, **replace: np.ndarray) -> Path:
    with np.load(src) as npz:
        arrays = {k: npz[k] for k in npz.files}
    if drop:
        del arrays[drop]
    if meta is not None:
        arrays["meta"] = np.array(json.dumps(meta))
    arrays.update(replace)
    with open(dst, "wb") as fh:
        np.savez(fh, **arrays)
    return dst


def test_unknown_schema_version_is_rejected(
    fixture_history_path: Path, fixture_history: History, tmp_path: Path
) -> None:
    meta = dict(fixture_history.meta, schema_version=99)
    bad = _rewrite(fixture_history_path, tmp_path / "v99.npz", meta=meta)
    with pytest.raises(HistoryError, match="unknown history schema version 99"):
        History.load(bad)


def test_missing_array_is_rejected(fixture_history_path: Path, tmp_path: Path) -> None:
    bad = _rewrite(fixture_history_path, tmp_path / "nodW1.npz", drop="dW1")
    with pytest.raises(HistoryError, match="missing array.*dW1"):
        History.load(bad)


def test_wrong_shape_is_rejected(fixture_history_path: Path, tmp_path: Path) -> None:
    bad = _rewrite(fixture_history_path, tmp_path / "shape.npz", cost=np.zeros(3))
    with pytest.raises(HistoryError, match="'cost' has shape"):
        History.load(bad)


@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"PK\x03\x04truncated"])
def test_garbage_and_missing_files_are_rejected(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_bytes(content)
    with pytest.raises(HistoryError, match="bad.npz"):
        History.load(bad)
    with pytest.raises(HistoryError, match="not found"):
        History.load(tmp_path / "nope.npz")


def test_interrupted_save_leaves_previous_file_whole(fixture_history: History, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "h.npz"
    fixture_history.save(path)
    before = path.read_bytes()

    def boom(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez", boom)
    with pytest.raises(KeyboardInterrupt):
        fixture_history.save(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["h.npz"]  # no temp file left behind


def test_divergence_stops_with_the_iteration() -> None:
    with pytest.raises(TrainingDiverged, match=r"iteration \d+") as info:
        train(TrainConfig(learning_rate=1e306, iterations=50, hidden_units=2))
    assert 0 < info.value.iteration <= 50


def test_ensure_history_reuses_and_retrains(tmp_path: Path) -> None:
    path = tmp_path / "h.npz"
    h1, trained1 = ensure_history(FIXTURE_CONFIG, path)
    mtime = path.stat().st_mtime_ns
    h2, trained2 = ensure_history(FIXTURE_CONFIG, path)
    assert trained1 and not trained2 and path.stat().st_mtime_ns == mtime
    other = FIXTURE_CONFIG.replace(hidden_units=2)
    h3, trained3 = ensure_history(other, path)
    assert trained3 and h3.hidden_units == 2 and History.load(path).config == other
    path.write_bytes(b"garbage")
    _, trained4 = ensure_history(other, path)
    assert trained4


def test_saved_file_has_normal_permissions(fixture_history: History, tmp_path: Path) -> None:
    path = fixture_history.save(tmp_path / "h.npz")
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask
