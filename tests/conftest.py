"""Shared fixtures: a tiny, real training history that every scene test can read quickly.

And how the suite spreads over the cores (``pytest -n auto``; ``make test``). ``pyproject.toml``
asks for ``--dist loadscope --no-loadscope-reorder``: each module is one unit of work for one
worker, so its module-scoped fixtures (a render, a built lecture, a browser) are made once, and
the units go out in the order :func:`pytest_collection_modifyitems` gives: the longest modules
first, so that both workers stay busy to the end. (``--dist loadgroup`` would allow finer groups, but with
pytest 9 pytest-xdist 3.8 silently ignores ``xdist_group``: pytest-dev/pytest-xdist#1386.)

Fixtures that several modules or workers need are made once per run in a folder the workers
share (:func:`scene_checks.made_once`): the fixture histories here, the tiny lecture of
``tests/test_lecture_build.py`` and its deck (``tests/test_slides.py``). Every render, build
and in-process ``MathTex`` shares one TeX cache and one speech cache, kept between runs in
``build/test-cache/`` (``$NN_TEST_CACHE``; :func:`scene_checks.cache_folder`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from scene_checks import cache_folder, made_once

from lecture.render.manim_child import install_tex_cache
from nncore import History, TrainConfig, train

FIXTURE_CONFIG = TrainConfig(hidden_units=3, iterations=60, learning_rate=1.2)
"""Small enough to train in milliseconds; still the course's flower data and initialisation."""

FIXTURE_CONFIG_B = TrainConfig(hidden_units=5, iterations=80, learning_rate=0.9, init_seed=7)
"""A second, different run: scenes rendered with it must show different numbers."""


LONG_RENDER_MODULES = ("test_layout_property.py",)
"""Modules that render no video yet run as long as a scene's: they go out with the scenes' renders."""


def _rank(item: pytest.Item) -> int:
    """How long ``item``'s work is: 0 the end-to-end lecture, 1 scene renders, 2 other renders and the course
    notebooks' runs, 3 the rest.

    A ``tests/test_scene_*.py`` module renders its scene from one fixture history (recording its
    layout as it renders) and plays it from the other without animations: after the whole
    lecture, the longest units. The other renders build tiny lectures or render a few seconds, as
    long as a notebook's training runs (6 to 25 s); the rest fills the gaps at the end.
    """
    if item.get_closest_marker("e2e"):
        return 0
    if item.get_closest_marker("render"):
        return 1 if item.path.name.startswith("test_scene_") or item.path.name in LONG_RENDER_MODULES else 2
    if item.get_closest_marker("course"):
        return 2
    return 3


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put the longest modules first, each at the rank of its longest test; a module's own order stays.

    A stable sort: modules of one rank keep the collection's order, and tests inside a module are
    never reordered (some read what an earlier test of their module left in a module fixture).
    With ``--dist loadscope --no-loadscope-reorder`` the modules go out to the workers in this order.
    """
    module_rank: dict[Path, int] = {}
    for item in items:
        module_rank[item.path] = min(module_rank.get(item.path, 3), _rank(item))
    items.sort(key=lambda item: module_rank[item.path])


@pytest.fixture(scope="session", autouse=True)
def manim_files_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Mobjects built in the test process (``MathTex``, ``Text``) write manim's files in a temp folder.

    Without it manim creates ``media/Tex`` and ``media/texts`` in whatever folder pytest runs from.
    Renders in child processes pass their own ``--media_dir``.
    """
    from manim import config

    config.media_dir = str(tmp_path_factory.mktemp("manim_media"))


@pytest.fixture(scope="session", autouse=True)
def tex_from_the_shared_cache() -> Iterator[None]:
    """``Tex``/``MathTex`` built in the test process take their SVGs from the tests' shared TeX cache.

    The same cache as the renders' (:func:`scene_checks.cache_folder`): a formula is typeset once
    for every worker and run, and the SVG is the same file either way. manim's two references to
    ``tex_to_svg_file`` are put back at the end (``tests/test_tex_cache.py`` installs and undoes
    its own caches in between).
    """
    from manim.mobject.text import tex_mobject
    from manim.utils import tex_file_writing

    saved = tex_file_writing.tex_to_svg_file, tex_mobject.tex_to_svg_file
    install_tex_cache(cache_folder("tex"))
    yield
    tex_file_writing.tex_to_svg_file, tex_mobject.tex_to_svg_file = saved


@pytest.fixture(scope="session")
def fixture_history_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of a saved history trained with :data:`FIXTURE_CONFIG` (one file for every worker of the run)."""
    folder = made_once(tmp_path_factory, "history", lambda f: train(FIXTURE_CONFIG).save(f / "fixture.npz"))
    return folder / "fixture.npz"


@pytest.fixture(scope="session")
def fixture_history_b_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of a saved history trained with :data:`FIXTURE_CONFIG_B` (one file for every worker of the run)."""
    folder = made_once(tmp_path_factory, "history_b", lambda f: train(FIXTURE_CONFIG_B).save(f / "fixture_b.npz"))
    return folder / "fixture_b.npz"


@pytest.fixture(scope="session")
def fixture_history(fixture_history_path: Path) -> History:
    """The loaded :data:`FIXTURE_CONFIG` history."""
    return History.load(fixture_history_path)
