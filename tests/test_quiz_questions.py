"""The questions of the four core chapters and the question bank.

Every marked answer is recomputed here from the history by another route (a forward pass through
:func:`nncore.network.forward`, the next snapshot of the history for a descent step, NumPy's own
``tanh``), no wrong choice equals it, and the bank's checks and its merge with an author's edits
hold: an edit survives a rebuild of the same run, and is reported stale when the run changes.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from deep_histories import history_path
from PIL import Image

from lecture.quiz.bank import (
    BANK_FILE,
    Bank,
    Question,
    QuestionBankError,
    check_chapters,
    merge,
    read_bank,
    read_question,
    write_bank,
)
from lecture.quiz.chapters import decision_boundary as db_chapter
from lecture.quiz.chapters import generate
from lecture.quiz.questions import RunInputs
from nncore import History
from nncore.network import forward
from scenes.common.format import MINUS, caption_number, caption_percent

CHAPTERS = ["matrix_algebra", "forward_pass", "backprop", "decision_boundary"]
BEATS = {
    "matrix_algebra": ["one_unit", "stack", "row_times_column", "shapes", "bias", "broadcast", "summary"],
    "forward_pass": ["network", "hidden_trained", "output_trained", "cost"],
    "backprop": ["setup", "output_error_origin", "output_layer", "tanh_slope", "relu_slope", "update"],
    "decision_boundary": ["picture", "before", "early", "late", "result"],
}


def bank_of(h: History, folder: Path) -> Bank:
    return generate("a lecture", "digest", RunInputs(h, {}, folder / "questions", BEATS), CHAPTERS)


def by_id(bank: Bank) -> dict[str, Question]:
    return {q.id: q for q in bank.questions}


def number(text: str) -> float:
    """A number as the captions write it (typographic minus, ``× 10⁻⁵``), back to a float."""
    sup = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
    t = text.replace(MINUS, "-").replace("Class ", "").split(",")[0].strip().rstrip("%")
    if "× 10" in t:
        mantissa, power = t.split("× 10")
        return float(mantissa) * 10 ** int(power.strip().translate(sup))
    return float(t)


@pytest.fixture(scope="module", params=["fixture", "deep", "moons"])
def made(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[History, Bank, Path]:
    """The questions of three runs: the tiny tanh run, the deep ReLU He run, the mini-batch Adam run."""
    path = (
        request.getfixturevalue("fixture_history_path")
        if request.param == "fixture"
        else history_path(tmp_path_factory, request.param)
    )
    h = History.load(path)
    folder = tmp_path_factory.mktemp(f"bank-{request.param}")
    bank = bank_of(h, folder)
    write_bank(bank, folder)
    return h, bank, folder


def test_every_chapter_asks_two_to_four_valid_questions(made: tuple[History, Bank, Path]) -> None:
    h, bank, folder = made
    for chapter in CHAPTERS:
        assert 2 <= len(bank.by_chapter(CHAPTERS)[chapter]) <= 4, chapter
    again = read_bank(folder / BANK_FILE)  # the schema's checks, pictures included
    assert again == bank
    check_chapters(again, "questions.json", BEATS)
    for q in bank.questions:
        assert not q.edited() and q.origin == "generated"
        if q.kind == "choice":
            right = [c for c in q.choices if c.correct]
            assert len(right) == 1 and all(c.text != right[0].text for c in q.choices if not c.correct)
            assert len(q.choices) >= 2
        else:
            assert q.tolerance is not None and q.tolerance >= 0


def right_text(q: Question) -> str:
    return q.correct.text


def test_matrix_algebra_answers(made: tuple[History, Bank, Path]) -> None:
    h, bank, _ = made
    qs = by_id(bank)
    W1, X = h.arrays["W1"], h.X
    assert right_text(qs["matrix_algebra.w1_shape"]) == f"{W1.shape[1]} × {W1.shape[2]}"
    trace = forward(X, h.net(0), h.config.activation)
    assert right_text(qs["matrix_algebra.z1_shape"]) == f"{trace.Z[0].shape[0]} × {trace.Z[0].shape[1]}"
    z = qs["matrix_algebra.first_z"]
    assert z.answer is not None and z.tolerance is not None
    assert abs(z.answer - trace.Z[0][0, 0]) <= 1e-12 + 1e-9 * abs(trace.Z[0][0, 0])


def test_forward_pass_answers(made: tuple[History, Bank, Path]) -> None:
    h, bank, _ = made
    qs = by_id(bank)
    p = forward(h.X, h.net(-1), h.config.activation).A[-1][0]  # (m,)
    cls = qs["forward_pass.predicted_class"]
    k = int(cls.prompt.split("training point ")[1].split(",")[0]) - 1
    assert right_text(cls) == f"Class {int(p[k] > 0.5)}"
    loss = qs["forward_pass.point_loss"]
    k = int(loss.prompt.split("Training point ")[1].split(" ")[0]) - 1
    y = h.Y[0, k]
    assert right_text(loss) == caption_number(float(-(y * np.log(p[k]) + (1 - y) * np.log(1 - p[k]))))
    act = qs["forward_pass.hidden_activation"]
    unit = int(act.prompt.split("hidden unit ")[1].split(" ")[0]) - 1
    k = int(act.prompt.split("training point ")[1].split(",")[0]) - 1
    z = forward(h.X[:, k : k + 1], h.net(-1), h.config.activation).Z[0][unit, 0]
    g: dict[str, Callable[[Any], Any]] = {
        "tanh": np.tanh,
        "relu": lambda v: np.maximum(v, 0),
        "leaky_relu": lambda v: np.maximum(0.01 * v, v),
    }
    assert act.answer is not None and act.tolerance is not None
    assert abs(act.answer - g[h.config.activation](z)) <= act.tolerance


def test_backprop_answers(made: tuple[History, Bank, Path]) -> None:
    h, bank, _ = made
    qs = by_id(bank)
    err = qs["backprop.output_error"]
    k = int(err.prompt.split("training point ")[1].split(",")[0]) - 1
    a = forward(h.X[:, k : k + 1], h.net(0), h.config.activation).A[-1][0, 0]
    assert h.Y[0, k] == 1 and number(right_text(err)) == pytest.approx(a - 1, abs=1e-4)
    # db of the output: the mean of A - Y over the first update's points (a run without dropout)
    db = qs["backprop.output_db"]
    if h.config.keep_prob == 1:
        batch = h.batch(0)
        A = forward(h.X[:, batch], h.net(0), h.config.activation).A[-1]
        mean = float(np.mean(A - h.Y[:, batch]))
        assert number(right_text(db)) == pytest.approx(mean, rel=6e-3)
        assert all(abs(number(c.text) - mean) > 6e-3 * abs(mean) for c in db.choices if not c.correct)
    slope = qs["backprop.activation_slope"]
    if h.config.activation == "tanh":
        a_u = number(slope.prompt.split("= ")[2].split(" ")[0])
        assert number(right_text(slope)) == pytest.approx(1 - np.tanh(np.arctanh(a_u)) ** 2, rel=5e-3)
    else:
        z_u = number(slope.prompt.split("z = ")[1].split(" for")[0])
        assert number(right_text(slope)) == (1.0 if z_u > 0 else 0.0)
    if h.config.optimizer == "gd" and h.config.batch_size is None and h.config.decay_rate == 0:
        # the oracle: the history's next snapshot, after the run's own first update
        step = qs["backprop.update"]
        name = step.prompt.split("the weight ")[1].split(" ")[0]  # W1[4,2]
        layer, (r, c) = int(name[1]), (int(v) - 1 for v in name.split("[")[1].rstrip("]").split(","))
        after = h.arrays[f"W{layer}"][1][r, c]
        assert number(right_text(step)) == pytest.approx(after, rel=5e-3, abs=1e-12)
        assert all(abs(number(ch.text) - after) > 5e-3 * abs(after) for ch in step.choices if not ch.correct)
    else:
        assert "backprop.update" not in qs  # w - alpha dw is only gradient descent's step


def test_decision_boundary_answers(made: tuple[History, Bank, Path]) -> None:
    h, bank, folder = made
    qs = by_id(bank)
    wrong = np.array(
        [np.sum((forward(h.X, h.net(i), h.config.activation).A[-1] > 0.5) != h.Y) for i in range(h.iterations + 1)]
    )
    acc = qs["decision_boundary.final_accuracy"]
    assert acc.answer == pytest.approx(100 * (1 - wrong[-1] / h.m)) and acc.unit == "%"
    pic = qs.get("decision_boundary.which_picture")
    if pic is not None:
        mid = int(np.argmax(wrong <= (wrong[0] + wrong[-1]) / 2))
        field = db_chapter.BoundaryField(h, db_chapter.PICTURE_PX, db_chapter.PICTURE_PX, point_radius_px=2.5)
        right = pic.correct.picture
        assert right is not None and f"{wrong[mid]} of the {h.m}" in right.alt
        assert (folder / right.file).read_bytes() == db_chapter.boundary_png(field, mid)
        assert [c.text for c in pic.choices] == ["Picture A", "Picture B", "Picture C"]
        with Image.open(folder / right.file) as im:
            assert im.size == (db_chapter.PICTURE_PX, db_chapter.PICTURE_PX)
        alts = {c.picture.alt for c in pic.choices if c.picture is not None}
        assert len(alts) == 3  # answerable from the text alternatives alone
    if "test_accuracy" in h.more:
        t = forward(h.more["X_test"], h.net(-1), h.config.activation).A[-1] > 0.5
        test = float(np.mean(t == h.more["Y_test"]))
        assert right_text(qs["decision_boundary.test_accuracy"]).startswith(caption_percent(test))
    else:
        assert "decision_boundary.test_accuracy" not in qs


def test_the_questions_follow_the_run(fixture_history: History, fixture_history_b_path: Path, tmp_path: Path) -> None:
    a = by_id(bank_of(fixture_history, tmp_path / "a"))
    b = by_id(bank_of(History.load(fixture_history_b_path), tmp_path / "b"))
    pictured = {"decision_boundary.which_picture"}  # asked only where training put wrong points right in order
    assert a.keys() - pictured == b.keys() - pictured
    assert right_text(a["matrix_algebra.w1_shape"]) == "3 × 2" and right_text(b["matrix_algebra.w1_shape"]) == "5 × 2"
    assert a["backprop.update"].source != b["backprop.update"].source
    assert a["matrix_algebra.first_z"].answer != b["matrix_algebra.first_z"].answer
    # the same run gives the same bank, byte for byte (choice order included)
    again = bank_of(fixture_history, tmp_path / "c")
    assert [q.to_json() for q in again.questions] == [q.to_json() for q in a.values()]


# --- the bank: checks and merging -------------------------------------------------------------


def edit(bank: Bank, qid: str, **changes: Any) -> dict[str, Any]:
    d = bank.to_json()
    for q in d["questions"]:
        if q["id"] == qid:
            q.update(changes)
    return d


def test_an_edit_survives_a_rebuild_of_the_same_run_and_goes_stale_when_the_run_changes(
    fixture_history: History, fixture_history_b_path: Path, tmp_path: Path
) -> None:
    first = bank_of(fixture_history, tmp_path / "a")
    edited = edit(first, "matrix_algebra.w1_shape", prompt="In your own words: what is W1's shape?")
    edited = json.loads(json.dumps(edited))
    for q in edited["questions"]:
        if q["id"] == "backprop.output_error":
            q["dropped"] = True
    edited["questions"].append(
        {
            "id": "mine.extra",
            "chapter": "backprop",
            "kind": "numeric",
            "prompt": "How many layers?",
            "answer": 2,
            "tolerance": 0,
            "explanation": "Two.",
            "teaches": {"segment": "backprop", "beat": "setup"},
            "origin": "author",
        }
    )
    (tmp_path / "a" / BANK_FILE).write_text(json.dumps(edited), encoding="utf-8")
    old = read_bank(tmp_path / "a" / BANK_FILE)

    same = merge(bank_of(fixture_history, tmp_path / "b"), old)
    q = by_id(same.bank)
    assert q["matrix_algebra.w1_shape"].prompt == "In your own words: what is W1's shape?"
    assert q["backprop.output_error"].dropped and "backprop.output_error" not in {x.id for x in same.bank.asked()}
    assert q["mine.extra"].origin == "author" and same.stale == [] and same.kept
    ids = [x.id for x in same.bank.questions]
    assert ids.index("mine.extra") > max(i for i, x in enumerate(ids) if x.startswith("backprop."))  # after its chapter

    # another run (5 hidden units): the shape question changed under the edit
    other = merge(bank_of(History.load(fixture_history_b_path), tmp_path / "c"), old)
    q = by_id(other.bank)
    assert "matrix_algebra.w1_shape" in other.stale
    assert right_text(q["matrix_algebra.w1_shape"]) == "5 × 2"  # the new run's question...
    assert q["matrix_algebra.w1_shape"].stale is not None  # ...with the edit kept beside it
    assert q["matrix_algebra.w1_shape"].stale["prompt"] == "In your own words: what is W1's shape?"
    assert q["backprop.output_error"].dropped  # a drop stays a drop
    assert q["mine.extra"].prompt == "How many layers?"
    # what the build writes, it reads back
    (tmp_path / "c").mkdir(exist_ok=True)
    write_bank(other.bank, tmp_path / "c")
    assert read_bank(tmp_path / "c" / BANK_FILE) == other.bank


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"kind": "essay"}, 'key \'kind\' must be "choice" or "numeric"'),
        ({"prompt": ""}, "key 'prompt' must be a non-empty string"),
        ({"colour": "red"}, "key 'colour' must be left out"),
        ({"teaches": "shapes"}, "key 'teaches' must be"),
        ({"picture": {"file": "../x.png", "alt": "x"}}, "key 'picture' must be a file under questions/"),
        ({"picture": {"file": "questions/none.png", "alt": "x"}}, "key 'picture' must be an existing picture"),
    ],
)
def test_an_invalid_question_is_one_line_naming_it_and_the_key(
    fixture_history: History, tmp_path: Path, change: dict[str, Any], expected: str
) -> None:
    bank = bank_of(fixture_history, tmp_path)
    path = tmp_path / BANK_FILE
    path.write_text(json.dumps(edit(bank, "matrix_algebra.w1_shape", **change)), encoding="utf-8")
    with pytest.raises(QuestionBankError) as e:
        read_bank(path)
    msg = str(e.value)
    assert "\n" not in msg and msg.startswith(f"{path}: question 'matrix_algebra.w1_shape': ") and expected in msg
    assert e.value.exit_code == 2


def test_choice_errors_and_file_errors(fixture_history: History, tmp_path: Path) -> None:
    bank = bank_of(fixture_history, tmp_path)
    d = bank.to_json()
    q = next(x for x in d["questions"] if x["id"] == "matrix_algebra.w1_shape")
    for c in q["choices"]:
        c["correct"] = True
    with pytest.raises(QuestionBankError, match="exactly one choice whose 'correct' is true"):
        read_question(q, "f.json", 0)
    q["choices"] = q["choices"][:1]
    with pytest.raises(QuestionBankError, match="a list of 2 to 6 choices"):
        read_question(q, "f.json", 0)
    path = tmp_path / BANK_FILE
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(QuestionBankError, match="not valid JSON"):
        read_bank(path)
    path.write_text(json.dumps({"format": 99, "questions": []}), encoding="utf-8")
    with pytest.raises(QuestionBankError, match="key 'format' must be 1"):
        read_bank(path)
    dup = bank.to_json()
    dup["questions"].append(dup["questions"][0])
    path.write_text(json.dumps(dup), encoding="utf-8")
    with pytest.raises(QuestionBankError, match="must be unique"):
        read_bank(path)
    with pytest.raises(QuestionBankError, match="must name a chapter and one of its beats"):
        check_chapters(bank, "q.json", {**BEATS, "matrix_algebra": ["one_unit"]})


def test_the_build_never_imports_manim_for_its_questions() -> None:
    import subprocess
    import sys

    code = "import sys, lecture.quiz.chapters, lecture.pipeline; print('manim' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_a_numeric_answer_is_finite(made: tuple[History, Bank, Path]) -> None:
    _, bank, _ = made
    for q in bank.questions:
        if q.kind == "numeric":
            assert q.answer is not None and math.isfinite(q.answer)


def test_a_new_learning_rate_changes_the_numbers_and_keeps_an_untouched_edit(
    fixture_history: History, tmp_path: Path
) -> None:
    """Change the learning rate, rebuild: the numbers follow the new run; the untouched shape keeps its edit."""
    import dataclasses

    from nncore import train

    first = bank_of(fixture_history, tmp_path / "a")
    (tmp_path / "a" / BANK_FILE).write_text(
        json.dumps(edit(first, "matrix_algebra.w1_shape", prompt="Mine: the shape of W1?")), encoding="utf-8"
    )
    old = read_bank(tmp_path / "a" / BANK_FILE)
    slower = train(dataclasses.replace(fixture_history.config, learning_rate=0.3))
    merged = merge(bank_of(slower, tmp_path / "b"), old)
    q = by_id(merged.bank)
    assert merged.stale == [] and "matrix_algebra.w1_shape" in merged.kept
    assert q["matrix_algebra.w1_shape"].prompt == "Mine: the shape of W1?"
    assert "α = 0.3" in q["backprop.update"].prompt and "α = 1.2" in by_id(first)["backprop.update"].prompt
    acc = q["decision_boundary.final_accuracy"]
    assert acc.answer == pytest.approx(100 * float(slower.accuracy[-1]))
    assert acc.answer != by_id(first)["decision_boundary.final_accuracy"].answer
