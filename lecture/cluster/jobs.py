"""What a cluster job carries, and what a worker does with it (this module runs on the workers).

The client packs a :class:`JobInputs` for each render: the files the scene reads (the history, the
sweeps it declares with their base config and ``sweeps.toml``, the authors' recordings of its
segment), each as bytes so that the worker needs no shared disk. A worker runs
:func:`render_on_worker`: it checks that its own checkout hashes the scene, its code and the tools
as the job says (a worker with other code or another manim would make a render that does not
match its hash), writes the inputs into a folder of its own, renders with the same
:func:`lecture.render.segment.render_segment` a local build uses, and returns the render's files,
with the speech and the TeX it made, as a :class:`JobResult`. Its own TeX and speech caches live
in the worker's local directory; before its first job of a build, the client sends it what its
caches lack (:func:`cache_listing`, :func:`receive_files`), so that a worker says a line with the
very clip a render here would use (Piper's speech differs a little each time it is made: the
cache, not the text, fixes a line's sound and length).

:func:`fingerprint` is what the client compares before it sends anything: the tool versions and
the digest of every source file a render runs.
"""

from __future__ import annotations

import io
import secrets
import shutil
import tarfile
import time
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from lecture.errors import RenderFailed
from lecture.render.inputs import segment_components, sha256_file, tool_versions, tree_files
from lecture.render.segment import ProcessRegistry, RenderJob, render_segment, thread_share
from nncore.atomic import atomic_write
from nncore.paths import SPEECH_CACHE_ENV, SWEEP_BASE_ENV, SWEEP_DIR_ENV, SWEEPS_ENV, VOICE_DIR_ENV

PROGRESS_TOPIC = "nn-lecture-render"
"""The Dask event topic on which workers report a render's start and its animations."""
SOURCE_PACKAGES = ("lecture", "scenes", "nncore", "voice")
"""The packages whose source a worker must share with the client (what a render runs, and this code)."""
CHECKED = ("scene", "code", "tools")
"""The components of a segment's input hash that a worker recomputes from its own checkout."""


class WorkerMismatch(RenderFailed):
    """A worker's code or tools differ from the build's: its render would not match its hash."""


@dataclass(frozen=True)
class JobInputs:
    """The files a render reads, carried to the worker by value.

    Attributes
    ----------
    history : bytes or None
        The history file (``None`` for a scene that reads none).
    sweeps : dict of str to bytes
        ``<sweep>/<file>`` → content, for the sweeps the segment declares.
    sweep_config : dict of str to bytes
        ``config`` (the sweeps' base config) and ``sweeps`` (``media_config/sweeps.toml``), when it reads any.
    recordings : dict of str to bytes
        The authors' recordings of the segment and their sidecars, by file name.
    """

    history: Any = None
    sweeps: dict[str, Any] = field(default_factory=dict)
    sweep_config: dict[str, bytes] = field(default_factory=dict)
    recordings: dict[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class JobResult:
    """What a worker sends back: the render's folder, what it made for the caches, and who made it."""

    files: dict[str, bytes]
    speech: dict[str, bytes]
    tex: dict[str, bytes]
    worker: str
    seconds: float
    speech_dir: str = ""
    """The worker's speech cache, as the scene record names it (the client puts its own in its place)."""


def content(data: bytes) -> bytes:
    """A file's content as a task's result: the client sends it once, and the cluster makes it again if lost."""
    return data


def root() -> Path:
    """The checkout this process runs from (where ``manim render`` runs and scene paths start)."""
    return Path(__file__).resolve().parents[2]


@cache
def fingerprint() -> dict[str, Any]:
    """What a render depends on in this checkout: ``tools`` (:func:`tool_versions`) and ``files`` (path → SHA-256)."""
    here = root()
    files = {}
    for package in SOURCE_PACKAGES:
        for path in tree_files(here / package):
            if path.suffix in (".py", ".html", ".js", ".css", ".cfg"):
                files[path.relative_to(here).as_posix()] = sha256_file(path)
    if (here / "manim.cfg").is_file():
        files["manim.cfg"] = sha256_file(here / "manim.cfg")
    return {"tools": dict(tool_versions()), "files": files}


def differences(ours: dict[str, Any], theirs: dict[str, Any]) -> str:
    """What differs between two :func:`fingerprint` results, in a few words (empty when nothing does)."""
    said = []
    for name in sorted(set(ours["tools"]) | set(theirs["tools"])):
        a, b = ours["tools"].get(name, "missing"), theirs["tools"].get(name, "missing")
        if a != b:
            said.append(f"{name} {b!r} (the build has {a!r})" if len(a) + len(b) < 60 else f"{name} differs")
    files = sorted(
        p for p in set(ours["files"]) | set(theirs["files"]) if ours["files"].get(p) != theirs["files"].get(p)
    )
    if files:
        more = f" and {len(files) - 3} more" if len(files) > 3 else ""
        said.append(f"other source in {', '.join(files[:3])}{more}")
    return "; ".join(said)


def _home(worker: Any = None) -> Path:
    """The worker's own folder for the renders' inputs and its TeX and speech caches."""
    if worker is None:
        from distributed import get_worker

        worker = get_worker()
    return Path(worker.local_directory) / "nn-lecture"


def cache_listing(kind: str, dask_worker: Any = None) -> list[str]:
    """What this worker's cache ``kind`` holds (relative paths); run on every worker by ``Client.run``."""
    folder = _home(dask_worker) / kind
    return [p for p in _files(folder) if not Path(p).name.startswith(".")]


def receive_files(kind: str, archive: bytes, dask_worker: Any = None) -> int:
    """Add the files of a tar to this worker's cache ``kind`` (those it has are kept); count the new ones.

    Run on one worker by ``Client.run`` (which passes ``dask_worker``).
    """
    folder = _home(dask_worker) / kind
    added = 0
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in tar.getmembers():
            data = tar.extractfile(member) if member.isfile() else None
            if data is not None and add_file(folder / member.name, data.read()):
                added += 1
    return added


def pack_files(folder: Path, names: list[str]) -> bytes:
    """A tar of ``names`` (paths relative to ``folder``)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name in names:
            tar.add(folder / name, arcname=name)
    return buffer.getvalue()


def add_file(path: Path, data: bytes) -> bool:
    """Add a file to a folder or a content-addressed cache (tmp, then rename); whether it was added.

    One that is there is kept (the same name is the same content), and a path with ``..`` in it
    (a tar's or a worker's name for a file outside the folder) is refused.
    """
    if ".." in path.parts or path.exists():
        return False
    with atomic_write(path) as fh:
        fh.write(data)
    return True


def _check_code(job: RenderJob, here: Path, address: str) -> None:
    """Raise :class:`WorkerMismatch` if worker ``address``'s checkout hashes the job's scene, code or tools apart."""
    seg = job.segment
    mine = segment_components(
        seg.file, seg.cls, here, job.components["history"], job.components["preset"], tool_versions()
    )
    wrong = [k for k in CHECKED if mine[k] != job.components[k]]
    if wrong:
        raise WorkerMismatch(
            f"segment {seg.name!r}: worker {address} has another {' and '.join(wrong)} than the build "
            f"(its render would not match its hash); start it from the same commit and lock as the build"
        )


def _files(folder: Path) -> dict[str, float]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime for p in tree_files(folder)} if folder.is_dir() else {}


def render_on_worker(
    job: RenderJob,
    history: bytes | None,
    sweeps: dict[str, bytes],
    sweep_config: dict[str, bytes],
    recordings: dict[str, bytes],
) -> JobResult:
    """Render ``job`` on this worker from its inputs; return the finished render's files (see the module docstring).

    The inputs are the fields of a :class:`JobInputs`, passed one by one so that Dask hands the
    worker the results of the tasks that hold them (sent once, shared by every job that reads them).

    The render's own folder, its inputs and temporary files are removed before returning; a worker
    killed on the way leaves nothing in any cache (the client stores only a whole result).

    Raises
    ------
    WorkerMismatch
        This worker's checkout or tools differ from the build's.
    RenderFailed
        The scene failed; the message names the worker and its log.
    """
    from distributed import get_worker

    worker = get_worker()
    start = time.perf_counter()
    here, home = root(), _home()
    _check_code(job, here, worker.address)
    folder = home / "jobs" / f"{job.name}-{secrets.token_hex(6)}"

    speech, tex = home / "speech", home / "tex"
    speech_before, tex_before = _files(speech), _files(tex)
    try:
        history_file = folder / "history.npz"  # not written for a scene that reads none: reading it fails
        if history is not None:
            add_file(history_file, history)
        sweep_env = dict(job.sweep_env)
        if job.sweep_env:
            for name, data in sweeps.items():
                add_file(folder / "sweeps" / name, data)
            for name, data in sweep_config.items():
                add_file(folder / f"{name}.toml", data)
            where = {SWEEPS_ENV: "sweeps.toml", SWEEP_DIR_ENV: "sweeps", SWEEP_BASE_ENV: "config.toml"}
            sweep_env = {name: str(folder / where[name]) for name in job.sweep_env}
        voice_env = dict(job.voice_env)
        if voice_env.get(SPEECH_CACHE_ENV) is not None:
            voice_env[SPEECH_CACHE_ENV] = str(speech)
            voice_dir = folder / "recordings"
            voice_env[VOICE_DIR_ENV] = str(voice_dir)
            (voice_dir / job.name).mkdir(parents=True, exist_ok=True)
            for name, data in recordings.items():
                add_file(voice_dir / job.name / name, data)
        here_job = replace(
            job,
            segments_dir=home / "segments" / job.preset.name,
            root=here,
            history=history_file,
            sweep_env=sweep_env,
            threads=thread_share(worker.state.nthreads),
            tex_cache=None if job.tex_cache is None else tex,
            voice_env=voice_env,
        )

        def progress(count: int) -> None:
            worker.log_event(PROGRESS_TOPIC, {"key": job.key, "animations": count, "worker": worker.address})

        worker.log_event(PROGRESS_TOPIC, {"key": job.key, "started": True, "worker": worker.address})
        try:
            rendered = render_segment(here_job, ProcessRegistry(), progress)
        except RenderFailed as err:
            raise RenderFailed(f"on worker {worker.address}: {err}") from None
        files = {p.name: p.read_bytes() for p in rendered.folder.iterdir() if p.is_file()}
        shutil.rmtree(rendered.folder, ignore_errors=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    new_speech = {p: (speech / p).read_bytes() for p, t in _files(speech).items() if speech_before.get(p) != t}
    new_tex = {
        p: (tex / p).read_bytes() for p, t in _files(tex).items() if tex_before.get(p) != t and p.endswith(".svg")
    }
    return JobResult(files, new_speech, new_tex, worker.address, time.perf_counter() - start, str(speech))
