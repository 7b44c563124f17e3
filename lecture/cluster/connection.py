"""The client side of a cluster build: connect, check the workers, send each render, store what returns.

:func:`open_renderer` runs in step 1 of the build, before anything is written: a malformed
address, a missing ``distributed``, a scheduler that does not answer or one with no worker that
runs this build's code and tools are each one line and exit code 2. A worker whose code or tools
differ (:func:`lecture.cluster.jobs.fingerprint`) is refused, named, and sent nothing.

:meth:`ClusterRenderer.render` is called once per render from the build's threads: it sends the
job with its inputs (:class:`lecture.cluster.jobs.JobInputs`; the history and the sweeps are
sent once, as tasks whose results every job that reads them shares), waits, and moves the returned files into
the segment cache with one rename, as a local render does, so a half-made render never reaches
a cache. Dask runs a job whose worker dies again on another worker; one that kills
:data:`ALLOWED_FAILURES` workers in a row is reported as a failed render.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import shutil
import threading
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from lecture.cluster.jobs import (
    PROGRESS_TOPIC,
    JobInputs,
    JobResult,
    add_file,
    cache_listing,
    content,
    differences,
    fingerprint,
    pack_files,
    receive_files,
    render_on_worker,
)
from lecture.errors import LectureError, RenderFailed
from lecture.render.cache import SCENE_RECORD_NAME, RenderedSegment, load_cached
from lecture.render.inputs import tree_files
from lecture.render.narrator import recorded_files
from lecture.render.segment import RenderJob, move_into_cache
from lecture.settings import check_address
from nncore.paths import SPEECH_CACHE_ENV, SWEEP_BASE_ENV, SWEEP_DIR_ENV, SWEEPS_ENV, VOICE_DIR_ENV

CONNECT_TIMEOUT = 5.0
"""Seconds to wait for the scheduler to answer."""
WORKER_WAIT = 30.0
"""Seconds to wait for a scheduler with no worker yet to get one."""
ALLOWED_FAILURES = 3
"""Workers a render may see die under it before the build calls it failed (Dask's own default)."""
SETUP_HINT = "make setup-cluster"
"""How to install the optional ``cluster`` extra (``requirements-cluster.lock``)."""


def open_renderer(address: str, from_option: bool, settings_path: Path, err: TextIO) -> ClusterRenderer:
    """Connect to the scheduler at ``address`` and keep the workers that run this build's code.

    Parameters
    ----------
    address : str
        ``tcp://HOST:PORT``.
    from_option : bool
        Whether it came from ``--cluster`` (else from ``[cluster] address`` of ``settings_path``):
        errors name where it came from.
    settings_path : Path
    err : file
        Where the refused workers are named.

    Raises
    ------
    LectureError
        Exit code 2: any of the cases of the module docstring.
    """
    where = "--cluster" if from_option else f"{settings_path}: [cluster] address"
    check_address(address, where)
    try:
        import distributed
    except ImportError:
        raise LectureError(
            f"{where} {address}: rendering on a cluster needs Dask's distributed, the optional extra 'cluster'; "
            f"install it with `{SETUP_HINT}`"
        ) from None
    try:
        client = distributed.Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as e:
        reason = str(e).splitlines()[0] if str(e) else e.__class__.__name__
        raise LectureError(
            f"{where} {address}: no Dask scheduler answers there ({reason[:160]}); start one with "
            "`.venv/bin/dask scheduler` on that machine (see docs/cluster.md), or build here without --cluster"
        ) from None
    try:
        return ClusterRenderer(client, address, err)
    except BaseException:
        client.close()
        raise


class ClusterRenderer:
    """Renders on the workers of one Dask scheduler (see the module docstring)."""

    def __init__(self, client: Any, address: str, err: TextIO) -> None:
        self.client, self.address, self.err = client, address, err
        try:
            client.wait_for_workers(1, timeout=WORKER_WAIT)
        except TimeoutError:
            raise LectureError(
                f"--cluster {address}: the scheduler has no worker after {WORKER_WAIT:g} s; start workers with "
                f"`.venv/bin/dask worker {address}` from a checkout of this commit (see docs/cluster.md)"
            ) from None
        ours = fingerprint()
        theirs = client.run(fingerprint)
        refused = {addr: differences(ours, fp) for addr, fp in theirs.items()}
        self.workers = sorted(addr for addr, diff in refused.items() if not diff)
        for addr, diff in sorted(refused.items()):
            if diff:
                self._say(f"cluster: refused worker {addr}: {diff}")
        if not self.workers:
            first = min(refused)
            raise LectureError(
                f"--cluster {address}: no worker runs this build's code and tools ({first}: {refused[first]}); "
                "start the workers from the same commit, with the same lock (make setup-cluster)"
            )
        info = client.scheduler_info()["workers"]
        self.threads = sum(int(info[w]["nthreads"]) for w in self.workers if w in info)
        self._lock = threading.Lock()  # guards the listeners, the futures and what has started
        self._scatter_lock = threading.Lock()
        self._listeners: dict[str, tuple[str, Callable[[str], None], Callable[[int], None]]] = {}
        self._started: set[str] = set()
        self._scattered: dict[Path, Any] = {}
        self._futures: list[Any] = []
        self._synced: set[str] = set()  # the caches given to the workers in this build
        self._cancelled = False  # by this build (Ctrl-C), not by the cluster
        client.subscribe_topic(PROGRESS_TOPIC, self._event)
        self._say(
            f"cluster: {len(self.workers)} workers with {self.threads} threads at {address}: {', '.join(self.workers)}"
        )

    def _say(self, text: str) -> None:
        self.err.write(text + "\n")
        self.err.flush()

    def describe(self) -> str:
        """E.g. ``on 2 cluster workers (4 threads) at tcp://10.0.0.5:8786``."""
        return f"on {len(self.workers)} cluster workers ({self.threads} threads) at {self.address}"

    def _event(self, event: tuple[float, dict[str, Any]]) -> None:
        """A worker's report (in the client's event loop): a render started there, or played more animations."""
        msg = event[1]
        with self._lock:
            listener = self._listeners.get(msg.get("key", ""))
            again = msg.get("started") and msg["key"] in self._started
            if msg.get("started"):
                self._started.add(msg["key"])
        if listener is None:
            return
        name, started, progress = listener
        if again:
            self._say(f"cluster: {name} started again on {msg['worker']} (the worker it ran on left)")
        elif msg.get("started"):
            started(msg["worker"])
        else:
            progress(int(msg["animations"]))

    def _sync(self, kind: str, folder: Path | None) -> None:
        """Give each worker, once a build, the files of this build's cache ``kind`` (``tex``, ``speech``) it lacks.

        A worker keeps them in its own folder for as long as it lives, so each file travels to
        each worker once; what a render makes there is sent back with its result.
        """
        with self._scatter_lock:
            if kind in self._synced:
                return
            self._synced.add(kind)
            if folder is None or not folder.is_dir():
                return
            ours = {p.relative_to(folder).as_posix() for p in tree_files(folder) if not p.name.startswith(".")}
            if kind == "tex":
                ours = {p for p in ours if p.endswith(".svg")}  # not the formats: made per machine
            theirs = self.client.run(cache_listing, kind, workers=self.workers)
            for worker, listing in theirs.items():
                missing = sorted(ours - set(listing))
                if missing:
                    self.client.run(receive_files, kind, pack_files(folder, missing), workers=[worker])

    def _shared(self, path: Path) -> Any:
        """``path``'s content on the cluster, sent once (every job that reads it gets the same future).

        Not scattered: data scattered to a worker that dies is gone, and the jobs that need it
        are dropped. As the result of a task that holds the bytes, it is made again on another
        worker if the one holding it dies.
        """
        with self._scatter_lock:  # not self._lock: the event loop takes that one, and submit needs the loop
            if path not in self._scattered:
                data = path.read_bytes()
                key = f"input-{path.name}-{hashlib.sha256(data).hexdigest()[:16]}"
                with warnings.catch_warnings():  # large on purpose: sent once, shared by every job
                    warnings.filterwarnings("ignore", message="Sending large graph")
                    self._scattered[path] = self.client.submit(content, data, key=key, workers=self.workers)
            return self._scattered[path]

    def inputs(self, job: RenderJob) -> JobInputs:
        """What ``job``'s render reads, by value: its history, sweeps and recordings."""
        reads_history = job.history.is_file()
        sweeps: dict[str, Any] = {}
        sweep_config: dict[str, bytes] = {}
        if job.sweep_env:
            folder = Path(job.sweep_env[SWEEP_DIR_ENV])
            for name in job.segment.sweeps:
                for p in sorted((folder / name).glob("*")):
                    if p.is_file():
                        sweeps[f"{name}/{p.name}"] = self._shared(p)
            sweep_config = {
                "config": Path(job.sweep_env[SWEEP_BASE_ENV]).read_bytes(),
                "sweeps": Path(job.sweep_env[SWEEPS_ENV]).read_bytes(),
            }
        recordings: dict[str, bytes] = {}
        folder_env = job.voice_env.get(VOICE_DIR_ENV)
        if folder_env:
            recordings = {p.name: p.read_bytes() for p in recorded_files(Path(folder_env) / job.name)}
        return JobInputs(self._shared(job.history) if reads_history else None, sweeps, sweep_config, recordings)

    def render(
        self, job: RenderJob, started: Callable[[str], None], progress: Callable[[int], None]
    ) -> tuple[RenderedSegment, str]:
        """Render ``job`` on the cluster; store it in ``job.segments_dir``; return it and the worker that made it.

        ``started`` is called with the worker's address when the render begins there, ``progress``
        with its animation count as it plays.

        Raises
        ------
        RenderFailed
            The scene failed, or the workers running it died :data:`ALLOWED_FAILURES` times.
        KeyboardInterrupt
            The build was cancelled.
        """
        import distributed

        self._sync("tex", job.tex_cache)
        speech = job.voice_env.get(SPEECH_CACHE_ENV)
        self._sync("speech", Path(speech) if speech else None)
        with self._lock:
            self._listeners[job.key] = (job.name, started, progress)
        inputs = self.inputs(job)
        future = self.client.submit(
            render_on_worker,
            job,
            inputs.history,
            inputs.sweeps,
            inputs.sweep_config,
            inputs.recordings,
            key=f"render-{job.name}-{job.key[:16]}-{secrets.token_hex(4)}",
            workers=self.workers,
            allow_other_workers=False,
            pure=False,
        )
        with self._lock:
            self._futures.append(future)
        try:
            result: JobResult = future.result()
        except distributed.KilledWorker:
            raise RenderFailed(
                f"segment {job.name!r}: {ALLOWED_FAILURES} cluster workers died while rendering it; "
                f"to render it alone: {job.command()}"
            ) from None
        except (distributed.client.FutureCancelledError, distributed.CancelledError) as e:
            if self._cancelled:
                raise KeyboardInterrupt from None
            raise RenderFailed(f"segment {job.name!r}: the cluster at {self.address} dropped its job ({e})") from None
        except LectureError:
            raise
        except (OSError, TimeoutError) as e:
            raise RenderFailed(f"segment {job.name!r}: lost the cluster at {self.address} ({e})") from None
        except Exception as e:  # a worker's own failure, pickled back: one line, not its traceback
            raise RenderFailed(f"segment {job.name!r} failed on the cluster: {e.__class__.__name__}: {e}") from None
        finally:
            with self._lock:
                self._listeners.pop(job.key, None)
        return self._store(job, result), result.worker

    def _store(self, job: RenderJob, result: JobResult) -> RenderedSegment:
        """Move a returned render into the cache with one rename; add its speech and TeX to their caches."""
        tmp = job.temp_folder()
        try:
            speech = job.voice_env.get(SPEECH_CACHE_ENV)
            for name, data in result.files.items():
                if name == SCENE_RECORD_NAME and speech and result.speech_dir:
                    # the record names each line's clip in the worker's speech cache: name ours
                    theirs, ours = (json.dumps(p)[1:-1] for p in (result.speech_dir, speech))
                    data = data.decode("utf-8").replace(theirs, ours).encode("utf-8")
                (tmp / Path(name).name).write_bytes(data)
            move_into_cache(job, tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        for folder, files in ((speech, result.speech), (job.tex_cache, result.tex)):
            if folder:
                for name, data in files.items():
                    add_file(Path(folder) / name, data)
        cached = load_cached(job.segments_dir, job.name, job.key)
        if cached is None:
            raise RenderFailed(f"segment {job.name!r}: the render {result.worker} returned is incomplete")
        return cached

    def cancel(self) -> None:
        """Cancel every job sent: none starts any more; one already rendering runs to its end on its worker."""
        with self._lock:
            futures = list(self._futures)
            self._cancelled = True
        if futures:
            self.client.cancel(futures, force=True)

    def close(self) -> None:
        """Let go of the scheduler."""
        try:
            self.client.unsubscribe_topic(PROGRESS_TOPIC)
        finally:
            self.client.close()
