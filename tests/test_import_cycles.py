"""scripts/import_cycles.py, which make test runs: it finds a cycle when there is one, and none in the project."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "import_cycles.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("import_cycles", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cycles_are_the_groups_of_modules_that_import_each_other() -> None:
    check = _script()
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert check.cycles(graph) == [["a", "b", "c"]]
    assert check.cycles({"a": {"b"}, "b": set()}) == []


def test_imports_follow_absolute_relative_and_function_level_imports(tmp_path: Path) -> None:
    check = _script()
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "one.py").write_text("from . import two\n\ndef f():\n    from pkg import three\n")
    (pkg / "sub" / "two.py").write_text("import pkg.three\n")
    (pkg / "three.py").write_text("from pkg.sub.one import f\n")
    known = {"pkg", "pkg.sub", "pkg.sub.one", "pkg.sub.two", "pkg.three"}
    assert check.imports("pkg.sub.one", pkg / "sub" / "one.py", known) == {"pkg.sub.two", "pkg.three"}
    assert check.imports("pkg.sub.two", pkg / "sub" / "two.py", known) == {"pkg.three"}
    assert check.imports("pkg.three", pkg / "three.py", known) == {"pkg.sub.one"}
    graph = {
        name: check.imports(name, path, known)
        for name, path in {
            "pkg.sub.one": pkg / "sub" / "one.py",
            "pkg.sub.two": pkg / "sub" / "two.py",
            "pkg.three": pkg / "three.py",
        }.items()
    }
    assert check.cycles(graph) == [["pkg.sub.one", "pkg.sub.two", "pkg.three"]]


def test_the_project_has_no_import_cycle() -> None:
    done = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout
    assert done.stdout.startswith("no import cycles: ")
