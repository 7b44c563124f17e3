"""Shared fixtures: a tiny, real training history that every scene test can read quickly."""

from __future__ import annotations

from pathlib import Path

import pytest

from nncore import History, TrainConfig, train

FIXTURE_CONFIG = TrainConfig(hidden_units=3, iterations=60, learning_rate=1.2)
"""Small enough to train in milliseconds; still the course's flower data and initialisation."""

FIXTURE_CONFIG_B = TrainConfig(hidden_units=5, iterations=80, learning_rate=0.9, init_seed=7)
"""A second, different run: scenes rendered with it must show different numbers."""


@pytest.fixture(scope="session", autouse=True)
def manim_files_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Mobjects built in the test process (``MathTex``, ``Text``) write manim's files in a temp folder.

    Without it manim creates ``media/Tex`` and ``media/texts`` in whatever folder pytest runs from.
    Renders in child processes pass their own ``--media_dir``.
    """
    from manim import config

    config.media_dir = str(tmp_path_factory.mktemp("manim_media"))


@pytest.fixture(scope="session")
def fixture_history_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of a saved history trained with :data:`FIXTURE_CONFIG`."""
    path = tmp_path_factory.mktemp("history") / "fixture.npz"
    train(FIXTURE_CONFIG).save(path)
    return path


@pytest.fixture(scope="session")
def fixture_history_b_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of a saved history trained with :data:`FIXTURE_CONFIG_B`."""
    path = tmp_path_factory.mktemp("history_b") / "fixture_b.npz"
    train(FIXTURE_CONFIG_B).save(path)
    return path


@pytest.fixture(scope="session")
def fixture_history(fixture_history_path: Path) -> History:
    """The loaded :data:`FIXTURE_CONFIG` history."""
    return History.load(fixture_history_path)
