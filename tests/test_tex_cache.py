"""The TeX cache shared by all renders (``lecture.render.manim_child``, ``$NN_TEX_CACHE``, ``build/tex/``).

A formula is typeset once, in the render's own folder, and published into the cache with a rename;
every later render copies it. The SVG is the same file either way, so the frames are the same;
parallel renders typesetting the same formula at once all succeed; a cache that cannot be used
only costs the sharing.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from lecture.render.manim_child import TEX_CACHE_ENV, TexCacheStats, install_tex_cache, tex_cache_folder
from lecture.render.segment import RenderJob, manim_command
from lecture.render.tex_batch import TEX_BATCH_ENV
from lecture.render.tex_format import TEX_FORMAT_ENV, PreambleFormats, preamble
from lecture.settings import Preset, Segment

ROOT = Path(__file__).resolve().parents[1]

TEX_SCENE = """
from manim import DOWN, FadeIn, MathTex, Scene, Tex, VGroup

from scenes.common.tex import prefetch

NUMBERS = ["0.00968", "{-}0.0296", r"9.37\\times 10^{-5}"]


class TexScene(Scene):
    def construct(self) -> None:
        prefetch(NUMBERS)  # typeset together with the shared cache, one by one without it
        numbers = VGroup(*[MathTex(n) for n in NUMBERS]).arrange(DOWN)
        self.play(FadeIn(numbers), run_time=0.2)
        formula = MathTex(r"W^{[1]} X + b^{[1]}", "=", r"Z^{[1]}")
        words = Tex(r"cost $J = 0.6931$")
        self.play(FadeIn(VGroup(formula, words).arrange(DOWN)), run_time=0.4)
"""


@pytest.fixture
def restore_manim(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Undo :func:`install_tex_cache`'s patches after the test; manim's files go under ``tmp_path``."""
    from manim import config
    from manim.mobject.text import tex_mobject
    from manim.utils import tex_file_writing

    monkeypatch.setattr(tex_file_writing, "tex_to_svg_file", tex_file_writing.tex_to_svg_file)
    monkeypatch.setattr(tex_mobject, "tex_to_svg_file", tex_mobject.tex_to_svg_file)
    monkeypatch.setattr(tex_file_writing, "compile_tex", tex_file_writing.compile_tex)
    monkeypatch.setattr(config, "media_dir", str(tmp_path / "media-1"))


def _entries(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_the_cache_folder_is_keyed_by_the_template_and_the_tools() -> None:
    from manim.utils.tex import TexTemplate

    root = Path("/cache")
    plain, other = TexTemplate(), TexTemplate()
    other.add_to_preamble(r"\usepackage{bm}")
    assert tex_cache_folder(root, plain) == tex_cache_folder(root, TexTemplate())
    assert tex_cache_folder(root, plain) != tex_cache_folder(root, other)
    assert tex_cache_folder(root, plain) != tex_cache_folder(root, TexTemplate(tex_compiler="pdflatex"))
    assert tex_cache_folder(root, plain).parent == root


@pytest.mark.usefixtures("restore_manim")
def test_a_formula_is_typeset_once_and_then_copied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from manim import config
    from manim.mobject.text import tex_mobject
    from manim.utils import tex_file_writing

    cache = install_tex_cache(tmp_path / "cache")
    assert cache is not None and os.environ.get(TEX_CACHE_ENV) is None
    first = tex_file_writing.tex_to_svg_file(r"x^{2} + b", "align*")
    assert cache.stats == TexCacheStats(hits=0, compiled=1)
    assert first.is_relative_to(tmp_path / "media-1")

    monkeypatch.setattr(config, "media_dir", str(tmp_path / "media-2"))  # another render's own folder
    second = tex_mobject.tex_to_svg_file(r"x^{2} + b", "align*")  # the name MathTex calls
    assert cache.stats == TexCacheStats(hits=1, compiled=1)
    assert second.is_relative_to(tmp_path / "media-2") and second.name == first.name
    assert second.read_bytes() == first.read_bytes()
    # one entry named by the source's SHA-256, the tools it was made with, nothing half-written
    folder = tex_cache_folder(tmp_path / "cache", config["tex_template"])
    digest = hashlib.sha256(first.with_suffix(".tex").read_bytes()).hexdigest()
    assert _entries(folder) == sorted([f"{digest}.svg", "tools.json"])
    assert [p.suffix for p in (tmp_path / "cache").iterdir() if p != folder] == [""]  # and formats/
    assert (folder / f"{digest}.svg").read_bytes() == first.read_bytes()

    # installing again wraps manim's function, not the previous wrapper
    again = install_tex_cache(tmp_path / "cache")
    assert again is not None
    again_svg = tex_file_writing.tex_to_svg_file(r"x^{2} + b", "align*")  # already in this render's folder
    assert again_svg == second and again.stats == TexCacheStats() and cache.stats.hits == 1


@pytest.mark.usefixtures("restore_manim")
def test_an_unusable_cache_only_costs_the_sharing(tmp_path: Path) -> None:
    from manim.utils import tex_file_writing

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache should be")
    cache = install_tex_cache(blocked)
    assert cache is not None
    svg = tex_file_writing.tex_to_svg_file(r"y = \tanh(z)", "align*")
    assert svg.is_file() and svg.stat().st_size > 0
    assert cache.broken is not None and "NotADirectoryError" in cache.broken
    assert tex_file_writing.tex_to_svg_file(r"y = 2", "align*").is_file()  # later formulas skip the cache


FORMULAS = [
    r"W^{[1]} X + b^{[1]} = Z^{[1]}",
    r"\sigma(z) = \frac{1}{1 + e^{-z}}",
    r"\frac{\partial J}{\partial W^{[2]}} = \frac{1}{m} dZ^{[2]} A^{[1]T}",
    r"\text{cost } J = 0.6931",
    r"\begin{bmatrix} 0.01 & -0.42 \\ 1.7 & 3 \end{bmatrix}",
    r"\tanh'(z) = 1 - \tanh^2(z)",
]


def _typeset_all(
    cache_root: Path, media: Path, monkeypatch: pytest.MonkeyPatch, formulas: list[str] = FORMULAS
) -> dict[str, bytes]:
    """``formulas`` typeset by a fresh render (media folder) through the shared cache: their SVGs' bytes."""
    from manim import config
    from manim.utils import tex_file_writing

    monkeypatch.setattr(config, "media_dir", str(media))
    assert install_tex_cache(cache_root) is not None
    return {tex: tex_file_writing.tex_to_svg_file(tex, "align*").read_bytes() for tex in formulas}


@pytest.mark.usefixtures("restore_manim")
def test_the_preamble_preloaded_gives_the_same_svgs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lecture.render import manim_child

    monkeypatch.setenv(TEX_FORMAT_ENV, "off")
    scratch = _typeset_all(tmp_path / "plain", tmp_path / "media-plain", monkeypatch)
    assert not (tmp_path / "plain" / "formats").exists()
    monkeypatch.delenv(TEX_FORMAT_ENV)
    preloaded = _typeset_all(tmp_path / "fast", tmp_path / "media-fast", monkeypatch)
    assert preloaded == scratch  # every formula's SVG, byte for byte
    formats = manim_child._TEX_CACHE.formats if manim_child._TEX_CACHE else None
    assert formats is not None and formats.used == len(FORMULAS)
    # one format, published whole (no scratch folder left), for every formula of the template
    assert [p.suffix for p in (tmp_path / "fast" / "formats").iterdir()] == [".fmt"]


@pytest.mark.usefixtures("restore_manim")
def test_a_format_that_fails_leaves_latex_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lecture.render import manim_child

    expected = _typeset_all(tmp_path / "good", tmp_path / "media-good", monkeypatch, FORMULAS[:2])
    (fmt,) = (tmp_path / "good" / "formats").iterdir()
    # a format LaTeX cannot load (truncated): every formula compiled from scratch, the same SVGs
    (tmp_path / "bad" / "formats").mkdir(parents=True)
    (tmp_path / "bad" / "formats" / fmt.name).write_bytes(fmt.read_bytes()[:1000])
    assert _typeset_all(tmp_path / "bad", tmp_path / "media-bad", monkeypatch, FORMULAS[:2]) == expected
    formats = manim_child._TEX_CACHE.formats if manim_child._TEX_CACHE else None
    assert formats is not None and formats.used == 0
    # a marker that says the format is unusable: not made again, not used
    (tmp_path / "off" / "formats").mkdir(parents=True)
    (tmp_path / "off" / "formats" / fmt.with_suffix(".off").name).write_text("made elsewhere and refused\n")
    assert _typeset_all(tmp_path / "off", tmp_path / "media-off", monkeypatch, FORMULAS[:2]) == expected
    formats = manim_child._TEX_CACHE.formats if manim_child._TEX_CACHE else None
    assert formats is not None and formats.used == 0
    assert not (tmp_path / "off" / "formats" / fmt.name).exists()


def test_a_formats_digest_covers_its_preamble_and_the_tools() -> None:
    tools = {"latex": "pdfTeX 3.141592653", "dvisvgm": "dvisvgm 3.2"}
    formats = PreambleFormats(Path("/cache/formats"), tools)
    head = preamble("\\documentclass[preview]{standalone}\n\\begin{document}\nx\n\\end{document}\n")
    assert head == "\\documentclass[preview]{standalone}\n" and preamble("no document") is None
    assert formats.digest(head) != formats.digest(head + "\\usepackage{bm}\n")
    assert formats.digest(head) != PreambleFormats(Path("/x"), {**tools, "latex": "pdfTeX 3.2"}).digest(head)


_RACER = textwrap.dedent(
    """
    import hashlib, sys, time
    from pathlib import Path
    from manim import config
    from lecture.render.manim_child import install_tex_cache
    from manim.utils import tex_file_writing

    cache_root, media, start = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3])
    config.media_dir = media
    cache = install_tex_cache(cache_root)
    time.sleep(max(0.0, start - time.time()))  # every racer starts typesetting at the same moment
    for tex in (r"a^{2} + b^{2}", r"\\sigma(z) = \\frac{1}{1 + e^{-z}}", r"\\frac{\\partial J}{\\partial W}"):
        svg = tex_file_writing.tex_to_svg_file(tex, "align*")
        print("svg", svg.name, hashlib.sha256(svg.read_bytes()).hexdigest())
    print("stats", cache.stats.hits, cache.stats.compiled)
    """
)


def test_parallel_renders_typesetting_the_same_formulas_all_succeed(tmp_path: Path) -> None:
    cache_root = tmp_path / "cache"
    start = time.time() + 6  # after every racer has imported manim
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _RACER, str(cache_root), str(tmp_path / f"media-{i}"), str(start)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(3)
    ]
    outputs = []
    for p in procs:
        out, err = p.communicate(timeout=180)
        assert p.returncode == 0, err[-2000:]
        outputs.append([line for line in out.splitlines() if line.startswith(("svg ", "stats "))])  # not manim's log
    svgs = [sorted(line for line in out if line.startswith("svg ")) for out in outputs]
    assert svgs[0] == svgs[1] == svgs[2] and len(svgs[0]) == 3  # the same SVG bytes in every racer
    hits = sum(int(out[-1].split()[1]) for out in outputs)
    compiled = sum(int(out[-1].split()[2]) for out in outputs)
    assert hits + compiled == 9 and compiled >= 3
    [folder] = [p for p in cache_root.iterdir() if p.name != "formats"]
    entries = sorted(p.name for p in folder.iterdir())
    assert len(entries) == 4 and "tools.json" in entries  # three formulas, no leftover ".part" file
    # the preamble's format, made by whichever racers got there first: one file, no scratch left
    assert [p.suffix for p in (cache_root / "formats").iterdir()] == [".fmt"]
    for _, name, digest in (line.split() for line in svgs[0]):
        [entry] = [p for p in folder.glob("*.svg") if hashlib.sha256(p.read_bytes()).hexdigest() == digest]
        assert entry.stat().st_size > 0, name


BATCHED = [
    *FORMULAS,
    "0.00968",
    "{-}0.0296",
    r"9.37\times 10^{-5}",
    r"\vdots",
    r"\cdots",
    r"100 \times 5228",
    r"\text{hidden units}",
    r"\text{layer 0, the inputs: } x_1,\ x_2,\ \sin(x_1)",
    "",
]
"""Formulas of every kind the scenes make many of at once: numbers, dots, shapes, words, an empty one."""


def _points(mob: Any) -> list[np.ndarray]:
    return [m.points for m in mob.family_members_with_points()]


@pytest.mark.usefixtures("restore_manim")
def test_formulas_typeset_together_are_the_pictures_typeset_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from manim import MathTex, config
    from manim.utils import tex_file_writing

    from scenes.common.tex import formula, prefetch

    isolated = [r"Z^{[1]} = W^{[1]} X + b^{[1]}", r"A^{[2]} = \sigma(Z^{[2]})"]
    alone = {t: _points(MathTex(t)) for t in BATCHED}  # manim's own TeX, one formula at a time
    alone_isolated = {t: _points(formula(t)) for t in isolated}
    assert prefetch(BATCHED) == 0  # without the shared cache: nothing to do, manim typesets as always

    monkeypatch.setattr(config, "media_dir", str(tmp_path / "media-2"))
    cache = install_tex_cache(tmp_path / "cache")
    assert cache is not None
    compiled: list[Path] = []
    original = tex_file_writing.compile_tex

    def compile_tex(tex_file: Path, *args: Any) -> Path:
        compiled.append(tex_file)
        return original(tex_file, *args)

    monkeypatch.setattr(tex_file_writing, "compile_tex", compile_tex)
    monkeypatch.setenv(TEX_BATCH_ENV, "off")
    assert prefetch(BATCHED) == 0  # switched off: each formula typeset when it is made
    monkeypatch.delenv(TEX_BATCH_ENV)
    assert prefetch(BATCHED + BATCHED[:3]) == len(BATCHED)  # repeats typeset once
    assert cache.stats == TexCacheStats(hits=0, compiled=len(BATCHED), batched=len(BATCHED))
    present = [s for s in ("Z^{[1]}", "W^{[1]}", "X", "b^{[1]}", "A^{[2]}", "Z^{[2]}")]
    assert prefetch(isolated, substrings_to_isolate=present) == 2
    together = {t: _points(MathTex(t)) for t in BATCHED}
    together_isolated = {t: _points(formula(t)) for t in isolated}
    assert compiled == []  # every formula came from the batches: LaTeX never ran for one alone
    for t in BATCHED:
        assert len(together[t]) == len(alone[t]) and all(map(np.array_equal, together[t], alone[t])), t
    for t in isolated:  # the unique groups manim splits a formula by, as alone
        assert len(together_isolated[t]) == len(alone_isolated[t])
        assert all(map(np.array_equal, together_isolated[t], alone_isolated[t])), t
    # published to the cache: another render copies them
    assert prefetch(BATCHED) == 0


@pytest.mark.usefixtures("restore_manim")
def test_a_batch_that_fails_leaves_its_formulas_to_be_typeset_alone(tmp_path: Path) -> None:
    from manim import MathTex

    from scenes.common.tex import prefetch

    cache = install_tex_cache(tmp_path / "cache")
    assert cache is not None
    assert prefetch(["0.5", r"\notacommand x", "0.25"]) == 0  # one formula LaTeX cannot typeset: no batch
    assert MathTex("0.5").width > 0 and cache.stats.compiled == 1  # the others, one at a time
    with pytest.raises(ValueError, match="latex error"):
        MathTex(r"\notacommand x")  # and the broken one fails as manim reports it


def _render(scene: Path, media: Path, env: dict[str, str]) -> tuple[bytes, str]:
    args = manim_command(scene, "TexScene", Preset("t", 256, 144, 15, "ultrafast", 30), media, 1)
    r = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=180, env=env)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    [video] = [p for p in media.rglob("segment.mp4") if "partial_movie_files" not in p.parts]
    return video.read_bytes(), r.stdout


@pytest.mark.render
def test_a_render_from_a_warm_cache_writes_the_same_video(tmp_path: Path) -> None:
    scene = tmp_path / "tex_scene.py"
    scene.write_text(TEX_SCENE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != TEX_CACHE_ENV}
    alone, log = _render(scene, tmp_path / "alone", env)
    assert "TeX cache" not in log
    cold, log = _render(scene, tmp_path / "cold", {**env, TEX_CACHE_ENV: str(tmp_path / "cache")})
    assert "0 from the cache, 5 typeset (3 together" in log
    warm, log = _render(scene, tmp_path / "warm", {**env, TEX_CACHE_ENV: str(tmp_path / "cache")})
    assert "5 from the cache, 0 typeset" in log
    assert alone == cold == warm


def test_a_build_points_every_render_at_its_tex_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lecture.pipeline import tex_cache_dir

    def job(tex_cache: Path | None) -> RenderJob:
        return RenderJob(
            segment=Segment("a", "A", Path("scenes/a.py"), "A"),
            preset=Preset("t", 256, 144, 15),
            key="0" * 64,
            components={"scene": "x"},
            segments_dir=tmp_path / "segments" / "t",
            root=ROOT,
            history=tmp_path / "history.npz",
            tex_cache=tex_cache,
        )

    monkeypatch.delenv(TEX_CACHE_ENV, raising=False)
    shared = job(tex_cache_dir(tmp_path))
    assert shared.environment(tmp_path / "scene.json")[TEX_CACHE_ENV] == str((tmp_path / "tex").resolve())
    # NN_TEX_CACHE=off: no shared cache, and the child is told so (not left to inherit a folder)
    monkeypatch.setenv(TEX_CACHE_ENV, "off")
    assert tex_cache_dir(tmp_path) is None
    assert job(None).environment(tmp_path / "scene.json")[TEX_CACHE_ENV] == "off"
    assert install_tex_cache() is None
    # not an input of the render: nothing about the cache is in the job's hash or components
    assert shared.key == job(None).key and shared.components == job(None).components
