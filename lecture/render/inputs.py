"""What a rendered segment depends on, hashed: a segment is re-rendered exactly when this changes.

``python -m lecture build`` prints, for each segment, whether it was rendered or reused; the
reason comes from comparing these components with the previous build's manifest.

A segment's video is a function of

* its scene file and class name;
* every local module the scene imports, transitively (``scenes/common/*``, ``nncore/*``, another
  scene), found by reading the import statements, plus every file under ``scenes/common/`` (data
  files a module might open) and ``manim.cfg`` if the repository has one;
* the training history it reads (its arrays and metadata, not the ``.npz`` bytes, which carry a
  time stamp: the same config trained twice gives the same digest), and the histories of the
  sweeps it declares in ``render.toml``;
* the preset (resolution, frame rate, libx264 preset and crf) and the command line the build passes
  to manim (but not the number of threads a render may use, which only changes how fast it is);
* the speech (:meth:`lecture.render.narrator.Voice.components`): the voice's key (model, pace, the
  clips' normalisation) and pause, and the segment's recordings and their sidecars, by content;
* what draws and encodes: the digest of ``requirements.lock`` (every Python package, with its
  version and hashes: manim, PyAV, NumPy, Pillow, pycairo, ManimPango, svgelements, skia-pathops
  and the rest), the versions of Python, the Cairo and Pango C libraries, LaTeX and dvisvgm.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.metadata
import json
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

from nncore import History

RENDER_PROTOCOL = "manim-render-2"
"""Bump when :mod:`lecture.render.segment` changes the flags it passes to manim (it changes every video)."""

COMMON_DIR = Path("scenes/common")
HISTORY_MODULE = COMMON_DIR / "history.py"
"""The module through which a scene reads the lecture's history (:func:`scenes.common.history.load_history`)."""
NO_HISTORY = "none"
"""The ``history`` component of a segment whose scene cannot read the lecture's history (:func:`reads_history`)."""
LOCK_FILE = Path(__file__).resolve().parents[2] / "requirements.lock"
"""The lock file the set-up installs every Python package from (see ``scripts/setup.sh``)."""
_SKIP_DIRS = {"__pycache__"}


def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes, read in chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def digest_json(value: Any) -> str:
    """Hex SHA-256 of a JSON value written canonically (sorted keys, no spaces)."""
    return sha256_bytes(json.dumps(value, sort_keys=True, separators=(",", ":")).encode())


def history_digest(history: History) -> str:
    """Digest of a history's content: its metadata and every array's dtype, shape and bytes.

    Two files trained with the same config have the same digest even though their ``.npz``
    bytes differ (zip entries carry the time they were written).
    """
    h = hashlib.sha256()
    h.update(json.dumps(history.meta, sort_keys=True).encode())
    for name, arr in sorted(history.arrays.items()):
        h.update(f"|{name}|{arr.dtype.str}|{arr.shape}|".encode())
        h.update(arr.tobytes(order="C"))
    return h.hexdigest()


def _module_files(module: str, search: list[Path]) -> list[Path]:
    """Files that importing ``module`` (dotted) executes, if it lives in one of ``search``."""
    parts = module.split(".")
    for base in search:
        found: list[Path] = []
        d = base
        for i, part in enumerate(parts):
            pkg = d / part
            if (pkg / "__init__.py").is_file():
                found.append(pkg / "__init__.py")
                d = pkg
            elif (pkg.with_suffix(".py")).is_file() and i == len(parts) - 1:
                found.append(pkg.with_suffix(".py"))
                break
            elif pkg.is_dir() and i < len(parts) - 1:  # namespace package
                d = pkg
            else:
                found = []
                break
        if found:
            return found
    return []


def _imported_modules(file: Path) -> list[str]:
    """Dotted names a Python file imports (``from a.b import c`` gives ``a.b`` and ``a.b.c``)."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return list(_parsed_imports(text, str(file)))


@functools.lru_cache(maxsize=1024)
def _parsed_imports(text: str, file: str) -> tuple[str, ...]:
    """:func:`_imported_modules` of ``file`` holding ``text``, parsed once per process and content.

    Every segment of a build imports the same shared modules (``scenes/common``); parsing them
    once instead of once a segment halves the time of the code digests of the nine scene files
    (1.8 to 0.8 CPU-s measured here). Keyed by the text itself, so an edited file is parsed again.
    """
    try:
        tree = ast.parse(text, filename=file)
    except SyntaxError:
        return ()
    package = Path(file).parent
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the file's own package directory
                base = package
                for _ in range(node.level - 1):
                    base = base.parent
                names.append("\0" + str(base / (node.module or "").replace(".", "/")))
                continue
            if node.module:
                names.append(node.module)
                names.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return tuple(names)


def local_dependencies(scene_file: Path, root: Path) -> list[Path]:
    """Every local Python file a scene file runs, transitively (itself included), sorted.

    Imports are resolved against the repository root and the scene's own directory (manim puts
    it on ``sys.path``); third-party modules (manim, numpy) are not followed: their versions are
    hashed instead.
    """
    search = [root.resolve(), scene_file.parent.resolve()]
    seen: set[Path] = set()
    todo = [scene_file.resolve()]
    while todo:
        f = todo.pop()
        if f in seen:
            continue
        seen.add(f)
        for name in _imported_modules(f):
            if name.startswith("\0"):  # relative import
                target = Path(name[1:])
                files = [p for p in (target.with_suffix(".py"), target / "__init__.py") if p.is_file()]
            else:
                files = _module_files(name, search)
            todo.extend(p.resolve() for p in files if p.resolve() not in seen)
    return sorted(seen)


def tree_files(directory: Path) -> list[Path]:
    """Every file under ``directory`` (sorted), skipping ``__pycache__``."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.rglob("*") if p.is_file() and not _SKIP_DIRS & set(p.parts))


def _label(path: Path, bases: list[Path]) -> str:
    """A file's name relative to the first base holding it: stable when a checkout is moved."""
    for base in bases:
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return path.name


def reads_history(scene_file: Path, root: Path, deps: list[Path] | None = None) -> bool:
    """Whether a scene can read the lecture's history: it imports :data:`HISTORY_MODULE`, directly or not.

    A scene that cannot (the course's experiments read only their pinned sweeps) draws the same
    whatever the lecture's run is, so its input hash leaves the history out and lectures of several
    configurations share its render; the build gives such a render no history file at all, so a
    scene that reads one anyway fails instead of drawing a run its hash does not cover. ``deps``:
    its :func:`local_dependencies`, if the caller has them already.
    """
    path = scene_file if scene_file.is_absolute() else root / scene_file
    return (root / HISTORY_MODULE).resolve() in (local_dependencies(path, root) if deps is None else deps)


def code_digest(scene_file: Path, root: Path, deps: list[Path] | None = None) -> tuple[str, list[str]]:
    """Digest of the code a scene runs, and the list of files it covers (relative to ``root``).

    The scene file itself is hashed separately (see :func:`segment_components`), so that a
    change to it and a change to shared code can be told apart. ``deps``: its
    :func:`local_dependencies`, if the caller has them already.
    """
    files = set(local_dependencies(scene_file, root) if deps is None else deps) - {scene_file.resolve()}
    files |= {p.resolve() for p in tree_files(root / COMMON_DIR)}
    if (root / "manim.cfg").is_file():
        files.add((root / "manim.cfg").resolve())
    bases = [root, scene_file.parent]
    entries = sorted((_label(p, bases), sha256_file(p)) for p in files)
    return digest_json(entries), [label for label, _ in entries]


def _first_line(cmd: list[str]) -> str:
    exe = shutil.which(cmd[0])
    if exe is None:
        return "missing"
    try:
        out = subprocess.run([exe, *cmd[1:]], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as err:
        return f"unavailable ({err.__class__.__name__})"
    lines = (out.stdout or out.stderr).strip().splitlines()
    return lines[0] if lines else "unknown"


def _dist_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "missing"


def lock_digest(lock: Path = LOCK_FILE) -> str:
    """SHA-256 of the lock file: the exact version of every Python package, in one value.

    Without a lock file (a checkout installed some other way), the digest of every installed
    distribution's name and version stands in for it.
    """
    if lock.is_file():
        return sha256_file(lock)
    installed = sorted(f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions())
    return "installed:" + digest_json(installed)


@cache
def tool_versions() -> dict[str, str]:
    """What draws or encodes a frame, by version (cached for the process).

    ``python_packages`` is :func:`lock_digest`. ``manim`` is also named on its own, as installed:
    the manifest shows it, and :mod:`lecture.render.manim_child` is written for one manim version.
    Importing ``cairo`` and ``manimpango`` here also proves the Cairo and Pango C libraries load;
    :func:`lecture.preflight.check_cairo_pango` turns a failure into a one-line error first.
    """
    versions = {
        "python": sys.version.split()[0],
        "python_packages": lock_digest(),
        "manim": _dist_version("manim"),
    }
    try:
        import cairo  # only to read the C libraries' versions
        import manimpango

        versions["cairo"] = cairo.cairo_version_string()
        versions["pango"] = manimpango.pango_version()
    except ImportError as err:
        versions["cairo"] = versions["pango"] = f"unavailable ({err})"
    versions["latex"] = _first_line(["latex", "--version"])
    versions["dvisvgm"] = _first_line(["dvisvgm", "--version"])
    return versions


def segment_components(
    scene_file: Path, cls: str, root: Path, history_hash: str, preset_key: str, tools: dict[str, str]
) -> dict[str, str]:
    """The hashed inputs of one segment, by kind (compared between builds to say what changed).

    Parameters
    ----------
    scene_file : Path
        The scene file (relative to ``root`` or absolute).
    cls : str
        The scene class.
    root : Path
        The repository root the render runs from.
    history_hash : str
        :func:`history_digest` of the history the scene reads; left out (:data:`NO_HISTORY`) when
        the scene cannot read one (:func:`reads_history`).
    preset_key : str
        Resolution and frame rate, e.g. ``854x480@15``.
    tools : dict
        :func:`tool_versions`.

    Returns
    -------
    dict
        ``scene``, ``code``, ``history``, ``preset``, ``tools`` → hex digests (or the key).
    """
    path = scene_file if scene_file.is_absolute() else root / scene_file
    deps = local_dependencies(path, root)  # read once: the code's digest and whether it reads the history
    code, _ = code_digest(path, root, deps)
    return {
        "scene": digest_json([cls, sha256_file(path)]),
        "code": code,
        "history": history_hash if reads_history(path, root, deps) else NO_HISTORY,
        "preset": preset_key,
        "tools": digest_json([RENDER_PROTOCOL, tools]),
    }


def input_hash(components: dict[str, str]) -> str:
    """The single digest naming a segment's cached render."""
    return digest_json(components)


REASONS = {
    "scene": "scene file changed",
    "code": "shared code changed",
    "history": "history changed",
    "preset": "preset changed",
    "tools": "tools changed",
    "sweeps": "sweep histories changed",
    "voice": "voice changed",
    "recordings": "recordings changed",
}
"""How each changed component is described in the final table."""


def change_reason(old: dict[str, str] | None, new: dict[str, str]) -> str:
    """Why a segment is rendered, comparing its components with the previous build's."""
    if not old:
        return "new"
    changed = [REASONS[k] for k in REASONS if old.get(k) != new.get(k)]
    return ", ".join(changed) if changed else "cache missing"
