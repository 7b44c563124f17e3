"""Several lectures in one build, and the build on a Dask cluster: a scheduler and workers on loopback only.

The lectures are the tiny one of ``tests/test_lecture_build.py`` for two configs, with a segment
that reads no history (``tests/lecture_scenes/tiny_plain.py``), which the two lectures share. The
cluster is a scheduler and worker processes on 127.0.0.1 started by the fixtures (``dask scheduler``,
``dask worker --no-nanny``), one of them from a checkout whose code differs. The build through it is
compared with the same build done here: same manifests, same segment videos byte for byte, same
frames at every beat's end. A worker killed during a render leaves a whole lecture all the same.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from scene_checks import link_caches
from test_lecture_build import CONFIG, CONFIG_B, SCENES, render_toml

from lecture.assemble.stitch import grab_frame, probe
from lecture.render.inputs import reads_history

ROOT = Path(__file__).resolve().parents[1]
DASK = Path(sys.executable).parent / "dask"
PLAIN = """
[[segments]]
name = "plain"
title = "Shared"
file = "{file}"
class = "TinyPlain"
enabled = true
"""


def _lecture_work(folder: Path) -> Path:
    """The tiny lecture with the shared segment after ``b``, and its two configs, in ``folder``."""
    scenes = folder / "scenes"
    shutil.copytree(SCENES, scenes, ignore=shutil.ignore_patterns("__pycache__"))
    text = render_toml(scenes, small=None)
    text = text.replace("\n[closing]", PLAIN.format(file=scenes / "tiny_plain.py") + "\n[closing]")
    (folder / "render.toml").write_text(text)
    (folder / "first.toml").write_text(CONFIG)
    (folder / "second.toml").write_text(CONFIG_B)
    return folder


def _build(work: Path, build_dir: str, *extra: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    link_caches(work / build_dir)
    cmd = [sys.executable, "-m", "lecture", "build", "--render-config", str(work / "render.toml")]
    cmd += ["--config", str(work / "first.toml"), "--config", str(work / "second.toml")]
    cmd += ["--build-dir", str(work / build_dir), *extra]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """A scheduler and workers on loopback, each a process of its own."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.file = folder / "scheduler.json"
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        args = [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(_free_port()), "--no-dashboard"]
        self._start("scheduler", [*args, "--scheduler-file", str(self.file)])
        deadline = time.monotonic() + 60
        while not self.file.is_file():
            assert self.procs["scheduler"].poll() is None, (folder / "scheduler.log").read_text()
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.1)
        self.address = json.loads(self.file.read_text())["address"]

    def _start(self, name: str, args: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None) -> None:
        with open(self.folder / f"{name}.log", "wb") as log:  # the child keeps its own handle
            self.procs[name] = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, cwd=cwd, env=env)

    def worker(self, name: str, *, checkout: Path | None = None) -> None:
        """Start a one-thread worker (from ``checkout`` instead of this repository, if given)."""
        env = dict(os.environ)
        if checkout is not None:
            env["PYTHONPATH"] = str(checkout)
        args = [str(DASK), "worker", "--scheduler-file", str(self.file), "--nthreads", "1", "--no-nanny"]
        args += ["--no-dashboard", "--host", "127.0.0.1", "--local-directory", str(self.folder / name), "--name", name]
        self._start(name, args, cwd=checkout or ROOT, env=env)

    def wait_for(self, count: int) -> dict[str, str]:
        """Wait for ``count`` workers; return their names → addresses."""
        from distributed import Client

        with Client(self.address, timeout=30, set_as_default=False) as client:
            client.wait_for_workers(count, timeout=60)
            return {w["name"]: a for a, w in client.scheduler_info()["workers"].items()}

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.kill()
            proc.wait()


def _other_checkout(folder: Path) -> Path:
    """A copy of the code a worker runs, with one shared scene module changed by a comment."""
    for package in ("lecture", "scenes", "nncore", "voice"):
        shutil.copytree(ROOT / package, folder / package, ignore=shutil.ignore_patterns("__pycache__"))
    if (ROOT / "manim.cfg").is_file():
        shutil.copy(ROOT / "manim.cfg", folder / "manim.cfg")
    palette = folder / "scenes" / "common" / "palette.py"
    palette.write_text(palette.read_text() + "\n# another version\n")
    return folder


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """Two workers of this checkout, and one of another, on a loopback scheduler."""
    folder = tmp_path_factory.mktemp("cluster")
    c = Cluster(folder)
    try:
        c.worker("w1")
        c.worker("w2")
        c.worker("other", checkout=_other_checkout(folder / "other-checkout"))
        c.wait_for(3)
        yield c
    finally:
        c.stop()


def _lectures(build: Path) -> dict[str, Path]:
    return {name: build / "lectures" / name / "preview" for name in ("first", "second")}


def _comparable(manifest: dict, build_dir: Path) -> dict:
    """A manifest without what differs between two builds of the same lecture: when, where, how long it took."""
    m = json.loads(json.dumps(manifest).replace(json.dumps(str(build_dir))[1:-1], "<build>"))
    for key in ("built_at", "explorer"):
        m.pop(key, None)
    m["history"].pop("file")
    m["config"].pop("file")
    for s in m["segments"]:
        s.pop("render_seconds")
    return m


@pytest.mark.render
def test_two_lectures_through_the_cluster_match_the_local_build(cluster: Cluster, tmp_path: Path) -> None:
    work = _lecture_work(tmp_path)
    assert not reads_history(work / "scenes" / "tiny_plain.py", ROOT)
    assert reads_history(work / "scenes" / "tiny_a.py", ROOT)
    # narrated (the tiny lecture's render.toml is silent): the workers say each line with the clip the
    # build has (Piper's speech differs a little each time it is made), so the lectures are the same
    # here: one render at a time, so each render encodes on every core, as a one-thread worker's does
    local = _build(work, "local", "--jobs", "1", "--voice", "joe")
    assert local.returncode == 0, local.stderr
    plain = [f.name for f in sorted((work / "scenes").glob("tiny_*.py")) if not reads_history(f, ROOT)]
    shared = len(plain)  # the closing card and the plain segment
    # every segment twice, but those that read no history once
    assert f"{10 - shared} renders for 2 lectures ({shared} shared)" in local.stderr, (plain, local.stderr)

    remote = _build(work, "remote", "--cluster", cluster.address, "--voice", "joe")
    assert remote.returncode == 0, remote.stderr
    err = remote.stderr
    assert "cluster: 2 workers with 2 threads" in err
    assert "refused worker" in err and "scenes/common/palette.py" in err, err  # the other checkout
    names = cluster.wait_for(3)
    ran_on = {line.rsplit(" on ", 1)[1] for line in err.splitlines() if line.startswith("render [")}
    assert ran_on <= {names["w1"], names["w2"]} and ran_on, err  # every render on one of ours, named
    counts = [line for line in err.splitlines() if line.startswith("lectures: ")]
    assert any("running" in line for line in counts) and any("queued" in line for line in counts), counts
    assert counts[-1] == "lectures: first 5/5 done; second 5/5 done", counts

    for name, here in _lectures(work / "local").items():
        there = _lectures(work / "remote")[name]
        a = json.loads((here / "manifest.json").read_text())
        b = json.loads((there / "manifest.json").read_text())
        assert _comparable(a, work / "local") == _comparable(b, work / "remote")
        assert a["voice"]["name"] == "joe" and a["audio"] is not None
        clips = [line["audio"]["file"] for s in b["segments"] for beat in s["beats"] for line in beat.get("lines", [])]
        assert clips and all(c.startswith(str(work / "remote" / "speech")) for c in clips), clips[:3]
        assert [s["name"] for s in a["segments"]] == ["title", "a", "b", "plain", "summary"]
        for s in a["segments"]:  # the renders themselves: the same bytes
            mine = work / "local" / "segments" / "preview" / s["name"] / s["input_hash"][:16] / "segment.mp4"
            theirs = work / "remote" / "segments" / "preview" / s["name"] / s["input_hash"][:16] / "segment.mp4"
            assert mine.read_bytes() == theirs.read_bytes(), s["name"]
            for beat in s["beats"]:
                t = min(beat["end"], s["start"] + s["duration"]) - 1e-3
                frame_a = np.asarray(grab_frame(here / "lecture.mp4", t))
                frame_b = np.asarray(grab_frame(there / "lecture.mp4", t))
                assert np.array_equal(frame_a, frame_b), (name, s["name"], beat["name"])
    first, second = (json.loads((p / "manifest.json").read_text()) for p in _lectures(work / "remote").values())
    keys = (
        {s["name"]: s["input_hash"] for s in first["segments"]},
        {s["name"]: s["input_hash"] for s in second["segments"]},
    )
    assert keys[0]["plain"] == keys[1]["plain"] and keys[0]["a"] != keys[1]["a"]  # shared, and the run's own
    assert not list((work / "remote" / "segments" / "preview").rglob(".tmp-*"))

    again = _build(work, "remote", "--cluster", cluster.address, "--voice", "joe")
    assert again.returncode == 0 and again.stdout.count("is up to date: nothing to render") == 2, again.stderr


SLOW = '"""Draw it, in two sections."""\n        __import__("time").sleep(8)  # still rendering when its worker dies'


@pytest.mark.render
def test_a_worker_killed_during_a_render_loses_nothing(tmp_path: Path) -> None:
    c = Cluster(tmp_path / "c")
    try:
        c.worker("k1")
        c.worker("k2")
        names = c.wait_for(2)
        work = _lecture_work(tmp_path / "w")
        scene = work / "scenes" / "tiny_a.py"
        scene.write_text(scene.read_text().replace('"""Draw it, in two sections."""', SLOW))
        link_caches(work / "build")
        cmd = [sys.executable, "-m", "lecture", "build", "--render-config", str(work / "render.toml")]
        cmd += ["--config", str(work / "first.toml"), "--build-dir", str(work / "build"), "--cluster", c.address]
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        victim = None
        while victim is None:  # the worker whose folder holds segment a's job
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "segment a never started"
            for name in ("k1", "k2"):
                if list((c.folder / name).glob("**/nn-lecture/jobs/a-*/")):
                    victim = name
            time.sleep(0.1)
        time.sleep(2)  # manim is running the scene (it sleeps for 8 s)
        c.procs[victim].send_signal(signal.SIGKILL)
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err
        survivor = next(n for n in ("k1", "k2") if n != victim)
        done_a = next(line for line in err.splitlines() if line.startswith("render [") and " a: done" in line)
        assert done_a.endswith(f"on {names[survivor]}"), err
        assert "started again" in err
        lecture = work / "build" / "lecture" / "preview"
        m = json.loads((lecture / "manifest.json").read_text())
        assert [s["name"] for s in m["segments"]] == ["title", "a", "b", "plain", "summary"]
        info = probe(lecture / "lecture.mp4")
        assert info.shown_frames == sum(s["frames"] for s in m["segments"])
        assert not list((work / "build" / "segments" / "preview").rglob(".tmp-*"))
    finally:
        c.stop()


def _one_line_exit_2(r: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert r.returncode == 2, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


def test_an_unreachable_scheduler_is_one_line_and_nothing_is_built(tmp_path: Path) -> None:
    work = _lecture_work(tmp_path)
    address = f"tcp://127.0.0.1:{_free_port()}"
    t = time.monotonic()
    r = _build(work, "build", "--cluster", address)
    _one_line_exit_2(r, address, "no Dask scheduler answers there")
    assert time.monotonic() - t < 40
    assert not (work / "build" / "lectures").exists() and not (work / "build" / "segments").exists()


@pytest.mark.parametrize("address", ["127.0.0.1:8786", "http://127.0.0.1:8786", "tcp://127.0.0.1", "tcp://h:99999"])
def test_a_malformed_cluster_address_is_refused(tmp_path: Path, address: str) -> None:
    work = _lecture_work(tmp_path)
    r = _build(work, "build", "--cluster", address)
    assert r.returncode == 2 and "tcp://HOST:PORT" in r.stderr and "Traceback" not in r.stderr
    (work / "render.toml").write_text((work / "render.toml").read_text() + f'\n[cluster]\naddress = "{address}"\n')
    r = _build(work, "build")
    _one_line_exit_2(r, str(work / "render.toml"), "[cluster] address", "tcp://HOST:PORT")


def test_several_lectures_need_distinct_names_and_a_list_file_is_checked(tmp_path: Path) -> None:
    work = _lecture_work(tmp_path)
    (work / "again").mkdir()
    (work / "again" / "first.toml").write_text(CONFIG_B)
    cmd = [sys.executable, "-m", "lecture", "build", "--render-config", str(work / "render.toml")]
    cmd += ["--config", str(work / "first.toml"), "--config", str(work / "again" / "first.toml")]
    r = subprocess.run([*cmd, "--build-dir", str(work / "build")], cwd=ROOT, capture_output=True, text=True)
    _one_line_exit_2(r, "a lecture named 'first' is already built from", "give each config its own file name")
    listing = work / "lectures.txt"
    listing.write_text("# the course's two runs\nfirst.toml\nmissing.toml  # not there\n")
    base = [sys.executable, "-m", "lecture", "build", "--render-config", str(work / "render.toml")]
    r = subprocess.run([*base, "--configs", str(listing)], cwd=ROOT, capture_output=True, text=True)
    _one_line_exit_2(r, f"{listing}:3", "'missing.toml' is not a file")
    r = subprocess.run(
        [sys.executable, "-m", "lecture", "slides", "--config", "a.toml", "--config", "b.toml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    _one_line_exit_2(r, "this command makes one lecture from one config")
    assert not (work / "build").exists()


def test_without_a_cluster_nothing_of_dask_is_imported() -> None:
    code = (
        "import sys, lecture.pipeline, lecture.cli, lecture.cluster\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed'))\n"
        "assert not bad, bad\n"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_a_build_of_more_lectures_than_kept_histories_keeps_each_ones(tmp_path: Path) -> None:
    from lecture.render.histories import KEEP_HISTORIES, ensure_lecture_history, histories_dir
    from lecture.render.sweeps import sweeps_dir
    from nncore import load_config

    configs = []
    for units in range(1, KEEP_HISTORIES + 3):
        path = tmp_path / f"units{units}.toml"
        path.write_text(f"[model]\nhidden_units = {units}\n\n[train]\niterations = 2\n")
        configs.append((path, load_config(path)))
    keep = len(configs)  # as lecture.pipeline passes for a build of that many lectures
    for path, cfg in configs:
        ensure_lecture_history(cfg, path, tmp_path / "build", keep=keep)
        sweeps_dir(tmp_path / "build", path, cfg, keep)
    assert len(list(histories_dir(tmp_path / "build").glob("*.npz"))) == keep
    assert len(list((tmp_path / "build" / "sweeps-by-config").iterdir())) == keep
    path, cfg = configs[0]
    ensure_lecture_history(cfg, path, tmp_path / "build")  # a build of one lecture keeps the usual number
    assert len(list(histories_dir(tmp_path / "build").glob("*.npz"))) == KEEP_HISTORIES
