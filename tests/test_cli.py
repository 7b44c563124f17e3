"""The nncore command line as a user runs it: outputs, flags, one-line errors with exit 2, interrupts; packaging."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import signal
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from scene_checks import start_interruptible

from nncore import History

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nncore", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_train_with_flags_and_info(tmp_path: Path) -> None:
    out = tmp_path / "h.npz"
    r = run("train", "--out", str(out), "--hidden-units", "2", "--iterations", "30", "--learning-rate", "0.5")
    assert r.returncode == 0, r.stderr
    last = r.stdout.strip().splitlines()[-1]
    h = History.load(out)
    assert h.hidden_units == 2 and h.iterations == 30 and h.config.learning_rate == 0.5
    assert f"final cost {h.cost[-1]:.6f}" in last and f"accuracy {100 * h.accuracy[-1]:.2f} %" in last
    info = run("info", str(out))
    assert info.returncode == 0
    assert "2-2-1" in info.stdout and f"{h.cost[0]:.6f} -> {h.cost[-1]:.6f}" in info.stdout


def test_default_config_is_the_course(tmp_path: Path) -> None:
    out = tmp_path / "h.npz"
    r = run("train", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "final cost 0.217817, accuracy 90.75 %" in r.stdout
    assert out.stat().st_size <= 5_000_000


def _write(tmp_path: Path, text: str) -> Path:
    cfg = tmp_path / "cfg.toml"
    cfg.write_text(text)
    return cfg


BAD_CONFIGS = [
    ("[data]\ndataset = 'swissroll'\n", "[data] dataset = 'swissroll' is not allowed; expected one of 'flower'"),
    ("[model]\nhidden_units = 0\n", "[model] hidden_units = 0 is not allowed; expected an integer from 1 to 100"),
    ("[model]\nhidden_units = '4'\n", "[model] hidden_units must be an integer, got str"),
    ("[model]\nhiden_units = 4\n", "unknown key 'hiden_units' in [model]; allowed: hidden_units"),
    ("[optim]\nx = 1\n", "unknown table [optim]"),
    ("[train]\nlearning_rate = 0\n", "[train] learning_rate = 0 is not allowed; expected a finite number > 0"),
    ("[train]\nlearning_rate = -1.0\n", "learning_rate = -1.0 is not allowed"),
    ("[train]\nlearning_rate = inf\n", "learning_rate = inf is not allowed"),
    ("[train]\nlearning_rate = nan\n", "learning_rate = nan is not allowed"),
    ("[train]\niterations = 0\n", "[train] iterations = 0 is not allowed"),
    ("[train]\niterations = 10000000\n", "iterations = 10000000 is not allowed; expected an integer from 1 to 100000"),
    ("[train]\niterations = 1.5\n", "iterations must be an integer, got float"),
    ("[train\n", "not valid TOML"),
]


@pytest.mark.parametrize(("text", "message"), BAD_CONFIGS)
def test_bad_config_is_one_line_exit_2_nothing_written(tmp_path: Path, text: str, message: str) -> None:
    cfg = _write(tmp_path, text)
    out = tmp_path / "h.npz"
    r = run("train", "--config", str(cfg), "--out", str(out))
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert str(cfg) in r.stderr and message in r.stderr
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == ["cfg.toml"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--hidden-units", "0"], "[model] hidden_units = 0 is not allowed"),
        (["--learning-rate", "abc"], "expected a number, got 'abc'"),
        (["--dataset", "swissroll"], "invalid choice: 'swissroll'"),
        (["--config", "missing.toml"], "missing.toml: config file not found"),
    ],
)
def test_bad_flags_are_one_line_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    r = run("train", "--out", str(tmp_path / "h.npz"), *args, cwd=ROOT)
    assert r.returncode == 2
    assert message in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "h.npz").exists()


def test_bad_history_for_info(tmp_path: Path) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_text("nope")
    r = run("info", str(bad))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.startswith("error: ") and str(bad) in r.stderr and r.stderr.count("\n") == 1


def test_divergence_is_reported_not_written(tmp_path: Path) -> None:
    out = tmp_path / "h.npz"
    r = run("train", "--out", str(out), "--learning-rate", "1e306", "--iterations", "50")
    assert r.returncode == 2 and "diverged" in r.stderr and "iteration" in r.stderr
    assert not out.exists()


def test_existing_history_survives_a_failed_run(tmp_path: Path) -> None:
    out = tmp_path / "h.npz"
    assert run("train", "--out", str(out), "--iterations", "5").returncode == 0
    before = out.read_bytes()
    r = run("train", "--out", str(out), "--learning-rate", "1e306", "--iterations", "50")
    assert r.returncode == 2 and out.read_bytes() == before


# --- the new families from the command line ---------------------------------------------------------

BAD_MODEL_CONFIGS = [  # issue 22's list: one line naming the key and what is allowed, exit 2, nothing written
    ("[model]\nhidden_layers = []\n", "[model] hidden_layers = [] is not allowed; expected a list of 1 to 4 integers"),
    (
        "[model]\nhidden_layers = [4, 4, 4, 4, 4]\n",
        "hidden_layers = [4, 4, 4, 4, 4] is not allowed; expected a list of 1 to 4",
    ),
    (
        "[model]\nhidden_layers = [10, 0]\n",
        "hidden_layers = [10, 0] is not allowed; expected a list of 1 to 4 integers, each from 1 to 100",
    ),
    ("[model]\nhidden_layers = [0]\n", "[model] hidden_layers = [0] is not allowed"),
    ("[model]\nhidden_units = 4\nhidden_layers = [4]\n", "[model] has both hidden_units and hidden_layers; give one"),
    (
        "[model]\nactivation = 'softplus'\n",
        "[model] activation = 'softplus' is not allowed; expected one of 'tanh', 'relu'",
    ),
    (
        "[model]\ninit = 'glorot'\n",
        "[model] init = 'glorot' is not allowed; expected one of 'course', 'zeros', 'random', 'he'",
    ),
    (
        "[train]\noptimizer = 'rmsprop'\n",
        "[train] optimizer = 'rmsprop' is not allowed; expected one of 'gd', 'momentum', 'adam'",
    ),
    ("[train]\nkeep_prob = 0\n", "[train] keep_prob = 0 is not allowed; expected a number in (0, 1]"),
    ("[train]\nkeep_prob = 1.5\n", "[train] keep_prob = 1.5 is not allowed; expected a number in (0, 1]"),
    ("[train]\nl2 = -0.1\n", "[train] l2 = -0.1 is not allowed; expected a finite number >= 0"),
    (
        "[train]\nbatch_size = 401\n",
        "[train] batch_size = 401 is not allowed; expected an integer from 1 to the number of training points (400)",
    ),
    (
        "[data]\npoints = 100\n[train]\nbatch_size = 101\n",
        "batch_size = 101 is not allowed; expected an integer from 1 to the number of training points (100)",
    ),
    ("[train]\nbeta = 1.0\n", "[train] beta = 1.0 is not allowed; expected a number from 0 to 1 (1 excluded)"),
    ("[train]\nbeta1 = -0.1\n", "[train] beta1 = -0.1 is not allowed; expected a number from 0 to 1 (1 excluded)"),
    ("[train]\nbeta2 = 1\n", "[train] beta2 = 1 is not allowed; expected a number from 0 to 1 (1 excluded)"),
    (
        "[data]\nfeatures = ['x1', 'x3']\n",
        "[data] features = ['x1', 'x3'] is not allowed; expected a non-empty list of distinct names from 'x1', 'x2'",
    ),
    ("[data]\nfeatures = 'x1'\n", "[data] features must be a list of strings, got str 'x1'"),
    (
        "[data]\ntest_points = 20000\n",
        "[data] test_points = 20000 is not allowed; expected 0 (no test set) or an even integer from 4 to 10000",
    ),
    (
        "[data]\ntest_points = 100\ntest_seed = 1\n",
        "[data] test_seed = 1 is not allowed; it must differ from [data] seed = 1",
    ),
    (
        "[data]\nfactor = 0.8\n",
        "[data] factor = 0.8 is not allowed with dataset = 'flower'; only 'circles' has a factor",
    ),
    (
        "[data]\ndataset = 'gaussian_quantiles'\nnoise = 0.1\n",
        "noise = 0.1 is not allowed with dataset = 'gaussian_quantiles'",
    ),
    (
        "[train]\ndecay_interval = 0\n",
        "[train] decay_interval = 0 is not allowed; expected an integer from 1 to 100000",
    ),
    ("[train]\nbatch_size = 1\niterations = 100000\n", "40000000 updates; expected at most 1000000"),
]


@pytest.mark.parametrize(("text", "message"), BAD_MODEL_CONFIGS)
def test_bad_model_config_is_one_line_exit_2_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    from nncore.cli import main

    cfg, out = _write(tmp_path, text), tmp_path / "h.npz"
    assert main(["train", "--config", str(cfg), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"error: {cfg}: ") and message in err, err
    assert [p.name for p in tmp_path.iterdir()] == ["cfg.toml"]


def test_train_prints_the_courses_cost_lines_and_set_overrides_any_key(tmp_path: Path) -> None:
    out = tmp_path / "h.npz"
    r = run(
        "train",
        "--out",
        str(out),
        "--iterations",
        "2500",
        "--set",
        "model.hidden_layers=[5, 3]",
        "--set",
        "model.activation=relu",
        "--set",
        "model.init=he",
        "--set",
        "data.test_points=100",
    )
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    h = History.load(out)
    assert lines[:3] == [f"Cost after iteration {i}: {float(h.cost[i])!r}" for i in (0, 1000, 2000)]
    assert "flower, 5-3 relu hidden units, learning rate 1.2, 2500 iterations" in lines[3]
    assert f"test accuracy {100 * h.test_accuracy[-1]:.2f} %" in lines[3]
    assert h.sizes == (2, 5, 3, 1) and h.config.init == "he"
    info = run("info", str(out)).stdout
    assert "2-5-3-1, relu hidden, sigmoid output (he init, init_seed 2)" in info and "test      cost" in info


def test_train_says_a_count_of_one_in_the_singular(tmp_path: Path) -> None:
    out = tmp_path / "h.npz"
    r = run("train", "--out", str(out), "--iterations", "1", "--set", "model.hidden_units=1")
    assert r.returncode == 0, r.stderr
    assert "flower, 1 hidden unit, learning rate 1.2, 1 iteration;" in r.stdout
    assert "  training  1 iteration, learning rate 1.2" in run("info", str(out)).stdout


def test_mini_batch_runs_print_the_week_2_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from nncore.cli import main

    out = tmp_path / "h.npz"
    args = ["--set", "train.batch_size=64", "--set", "train.optimizer='adam'", "--iterations", "1001"]
    assert main(["train", "--out", str(out), "--learning-rate", "0.01", *args]) == 0
    lines = capsys.readouterr().out.splitlines()
    h = History.load(out)
    assert lines[:2] == [f"Cost after epoch {e}: {h.course_cost(e):f}" for e in (0, 1000)]
    assert "1001 epochs of 7 mini-batches" in lines[2] and h.updates == 7007


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("model.hiden_units=3", "unknown key 'hiden_units' in [model]"),
        ("train.optimizer=sgd", "command line --set: [train] optimizer = 'sgd' is not allowed"),
        ("optimizer=adam", "expected TABLE.KEY=VALUE with TABLE one of data, model, train"),
    ],
)
def test_bad_settings_are_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], setting: str, message: str
) -> None:
    from nncore.cli import main

    out = tmp_path / "h.npz"
    try:
        code = main(["train", "--out", str(out), "--set", setting])
    except SystemExit as stop:  # argparse's usage errors
        code = int(stop.code or 0)
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and message in err, err
    assert not out.exists()


def test_a_deep_run_that_diverges_says_so_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from nncore.cli import main

    out = tmp_path / "h.npz"
    args = ["--set", "model.hidden_layers=[20, 20]", "--set", "model.activation=relu", "--set", "model.init=he"]
    assert main(["train", "--out", str(out), "--learning-rate", "1e150", "--iterations", "30", *args]) == 2
    err = capsys.readouterr().err
    assert err == (
        "error: training diverged: the network's outputs stopped being finite at iteration 1 with "
        "learning_rate = 1e+150; use a smaller [train] learning_rate\n"
    )
    assert not out.exists()


# Every environment variable and default path is written once, in nncore/paths.py.
SHARED_NAMES = {"NN_HISTORY", "NN_CONFIG", "NN_SWEEPS", "NN_SWEEP_DIR", "NN_SCENE_RECORD", "history.npz"}
SHARED_PATHS = ("media_config/", "build/history.npz", "build/sweeps")


def _written_out(path: Path) -> list[str]:
    """The shared names and paths a module's code writes out (its docstrings and comments may name them)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)}
    found = [
        f"{path.relative_to(ROOT)}:{n.lineno}: {n.value!r}"
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs
        if n.value in SHARED_NAMES or n.value.startswith(SHARED_PATHS)
    ]
    found += [  # Path("build"): the default build folder
        f"{path.relative_to(ROOT)}:{n.lineno}: Path('build')"
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "Path"
        if [getattr(a, "value", None) for a in n.args] == ["build"]
    ]
    return found


def test_environment_names_and_default_paths_are_written_once() -> None:
    files = [p for d in ("nncore", "lecture") for p in sorted((ROOT / d).glob("*.py"))]
    files += [ROOT / "scenes" / "common" / "history.py", ROOT / "scenes" / "common" / "comparison.py"]
    assert [line for p in files if p != ROOT / "nncore" / "paths.py" for line in _written_out(p)] == []


# --- how it was started, --version, interrupts ----------------------------------------------------


def test_version_and_program_name_follow_how_it_was_started(tmp_path: Path) -> None:
    version = importlib.metadata.version("nn-lecture")
    r = run("--version")
    assert r.returncode == 0 and r.stdout == f"python -m nncore {version}\n"
    script = Path(sys.executable).parent / "nncore"  # [project.scripts], installed by the set-up
    r = subprocess.run([script, "--version"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout == f"nncore {version}\n"
    r = subprocess.run([script, "train", "--iterations", "x"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    assert r.stderr == "nncore train: error: argument --iterations: expected an integer, got 'x'\n"
    assert run("train", "--iterations", "x").stderr.startswith("python -m nncore train: error: ")
    r = subprocess.run([script, "info", str(tmp_path / "none.npz")], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and r.stderr.startswith("error: ") and r.stderr.count("\n") == 1


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_interrupted_training_exits_130_on_ctrl_c_and_143_on_kill_and_writes_nothing(
    tmp_path: Path, sig: signal.Signals, code: int
) -> None:
    out = tmp_path / "h.npz"
    proc = start_interruptible([sys.executable, "-m", "nncore", "train", "--iterations", "100000", "--out", str(out)])
    try:
        assert proc.stderr is not None and re.match(r"training: \d+/100000 ", proc.stderr.readline())  # under way
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == code and err.endswith("interrupted; nothing was written\n")
    assert list(tmp_path.iterdir()) == []


# --- packaging ----------------------------------------------------------------------------------------

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

PACKAGES = ("nncore", "voice", "scenes", "lecture")
"""The project's top-level packages."""


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_every_third_party_import_is_declared() -> None:
    runtime = {_name(r) for r in PYPROJECT["project"]["dependencies"]}
    dev = {_name(r) for r in PYPROJECT["dependency-groups"]["dev"]}
    # the optional extra (Dask's distributed, for --cluster): imported only in lecture/cluster/, tests, benchmarks
    extra = {_name(r) for rs in PYPROJECT["project"]["optional-dependencies"].values() for r in rs}
    local = {p.stem for d in ("tests", "benchmarks") for p in (ROOT / d).rglob("*.py")}
    local |= {*PACKAGES, "tests", "benchmarks"}
    dists = importlib.metadata.packages_distributions()
    undeclared = []
    for folder in (*PACKAGES, "tests", "benchmarks"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    tops = [a.name.split(".")[0] for a in node.names]
                elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                    tops = [node.module.split(".")[0]]
                else:
                    continue
                for top in tops:
                    if top in sys.stdlib_module_names or top in local:
                        continue
                    if top not in dists:
                        undeclared.append(f"{path.relative_to(ROOT)}: {top} is not installed; run the set-up")
                        continue
                    names = {_name(d) for d in dists[top]}
                    allowed = runtime | dev | extra if folder in ("tests", "benchmarks") else runtime
                    if path.is_relative_to(ROOT / "lecture" / "cluster"):
                        allowed = runtime | extra
                    if not names & allowed:
                        undeclared.append(f"{path.relative_to(ROOT)}: {top} ({', '.join(sorted(names))})")
    assert undeclared == []


def test_the_version_is_written_once_and_both_commands_are_installed() -> None:
    import lecture
    import nncore

    assert nncore.__version__ == lecture.__version__ == importlib.metadata.version("nn-lecture")
    assert nncore.__version__ == PYPROJECT["project"]["version"]
    written = [
        f"{p.relative_to(ROOT)}"
        for d in ("nncore", "lecture")
        for p in (ROOT / d).glob("*.py")
        if re.search(r"__version__\s*=\s*['\"]", p.read_text(encoding="utf-8"))
    ]
    assert written == []
    assert PYPROJECT["project"]["scripts"] == {"lecture": "lecture.cli:main", "nncore": "nncore.cli:main"}
