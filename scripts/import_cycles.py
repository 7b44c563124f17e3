"""``.venv/bin/python scripts/import_cycles.py``: check that no module of the project imports itself, round a cycle.

Reads every import statement of ``nncore``, ``voice``, ``scenes`` and ``lecture`` (those inside
functions and under ``if TYPE_CHECKING:`` too: a cycle hidden in a function is still a cycle) and
follows the ones that name a module of the project: ``from a.b import c`` is an import of the
module ``a.b.c`` when there is one, else of ``a.b``. Prints each cycle it finds, one line a cycle,
and exits with 1; prints how many modules and imports it read and exits with 0 when there is none.
``make lint`` and ``make test`` run it.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("nncore", "voice", "scenes", "lecture")


def module_name(path: Path) -> str:
    """``lecture/render/cache.py`` → ``lecture.render.cache``; a package's ``__init__.py`` is the package."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    """Every module of the project's packages, by dotted name."""
    return {module_name(p): p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))}


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The project's modules that ``path`` (module ``name``) imports."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's own package
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        found.update(t for t in targets if t in known and t != name)
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan's algorithm), each as a cycle through it."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    sys.setrecursionlimit(10_000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return groups


def main() -> int:
    """Print the cycles (exit 1) or a one-line summary (exit 0)."""
    known = modules()
    graph = {name: imports(name, path, set(known)) for name, path in known.items()}
    found = cycles(graph)
    for group in found:
        print(f"import cycle: {' -> '.join(group)} (each imports another of them)")
    if found:
        return 1
    edges = sum(len(v) for v in graph.values())
    print(f"no import cycles: {len(graph)} modules, {edges} imports between them")
    return 0


if __name__ == "__main__":
    sys.exit(main())
