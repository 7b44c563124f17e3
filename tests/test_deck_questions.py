"""The deck asks each chapter's questions after its last beat: the page's slides and fragments, the PPTX's pairs.

No render and no lecture build: the deck is written from steps whose clips are two-frame videos made
here, and ``python -m lecture slides`` runs with the lecture build replaced by a lecture folder
written here (a manifest, ``questions.json`` from :mod:`lecture.quiz.questions` and its pictures), so
the whole run (reading the bank, the deck's key, copying the pictures, the page, the PPTX, the
manifest, publishing) is the real one. The page is opened from disk in headless Chromium
(``tests/cdp.py``) when there is one, the PPTX read back with python-pptx.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from cdp import CHROMIUM, Browser
from PIL import Image, ImageDraw
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from lecture.cli import main
from lecture.deck import make_deck as make_deck_module
from lecture.deck.clips import Clip
from lecture.deck.make_deck import DeckOptions, make_deck
from lecture.deck.powerpoint import question_layout, slide_size, write_pptx
from lecture.deck.questions import Asked, answer_and_tolerance, asked_after, number, read_questions
from lecture.deck.reveal_page import deck_html
from lecture.deck.steps import Step
from lecture.pipeline import BuildOptions, BuildReport
from lecture.quiz.bank import Bank, Picture, QuestionBankError, Teaches, write_bank
from lecture.quiz.questions import choice, numeric

CHAPTERS = [
    ("title", "Title", ["title"]),
    ("forward_pass", "The forward pass", ["z", "bias", "a"]),
    ("backprop", "Backpropagation", ["delta", "grads"]),
    ("summary", "The end", ["closing"]),
]
"""The lecture of these tests: (segment, title, beats), seven beats in four chapters."""

SIZE = (854, 480)
"""The preview preset's video size: the deck's own size."""

LONG_PROMPT = (
    "The hidden layer's weights W1 multiply the data X, whose 400 points stand side by side as its columns. "
    "Before the bias b1 is added and tanh is applied, what shape does the product W1 X have, and why does "
    "every column of it belong to one data point?"
)


# --- the lecture folder ---------------------------------------------------------------------------------


def png(path: Path, kind: str, size: tuple[int, int] = (320, 240)) -> None:
    """A small picture: a line rising, falling or flat, or a circle (a stand-in for a question's plot)."""
    im = Image.new("RGBA", size, (255, 255, 255, 0))  # transparent, as a plot drawn for a light page
    d = ImageDraw.Draw(im)
    w, h = size
    d.rectangle([4, 4, w - 5, h - 5], outline=(90, 90, 90, 255), width=3)
    ends = {"rising": (h - 20, 20), "falling": (20, h - 20), "flat": (h // 2, h // 2)}
    if kind in ends:
        d.line([(20, ends[kind][0]), (w - 20, ends[kind][1])], fill=(30, 100, 200, 255), width=8)
    else:
        d.ellipse([w // 4, h // 4, 3 * w // 4, 3 * h // 4], outline=(200, 60, 40, 255), width=8)
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(path)


def make_bank(folder: Path) -> Bank:
    """Four questions, two per frame chapter: a long prompt with four choices, a numeric one with a
    unit, a "which picture" one with three pictures, and one with a picture of its own."""
    pics = folder / "questions"
    for name in ("rising", "falling", "flat", "circle"):
        png(pics / f"{name}.png", name, (480, 360) if name == "circle" else (320, 240))

    def pic(name: str, alt: str) -> Picture:
        return Picture(f"questions/{name}.png", alt)

    shape = choice(
        "forward_pass.w1x_shape",
        "forward_pass",
        LONG_PROMPT,
        ("4 × 400", "W1 is 4 × 2 and X is 2 × 400: one column per data point, one row per hidden unit."),
        [
            ("400 × 4", "That is the transpose: the data points are columns, not rows."),
            ("4 × 2", "That is W1 alone; the product takes X's columns."),
            ("2 × 400", "That is X alone; W1 maps each column to 4 hidden values."),
        ],
        "Each column of W1 X is W1 applied to one data point: 4 hidden values for each of the 400 points.",
        Teaches("forward_pass", "z"),
    )
    z = numeric(
        "forward_pass.z1",
        "forward_pass",
        "What is z for the first hidden unit and the first data point, before tanh?",
        -0.0071,
        0.0005,
        "z = w·x + b = −0.0042 × 1.20 + (−0.00056) × 3.58 + 0 ≈ −0.0071.",
        Teaches("forward_pass", "bias"),
        unit="units",
    )
    curve = choice(
        "backprop.cost_curve",
        "backprop",
        "Which picture shows the cost during training?",
        ("falling", "Gradient descent lowers the cost at every step."),
        [("rising", "A rising cost means the step is too large."), ("flat", "A flat cost has not learnt.")],
        "Each step moves the weights against the gradient, so the cost falls.",
        Teaches("backprop", "grads"),
        pictures={
            "falling": pic("falling", "a line falling from left to right"),
            "rising": pic("rising", "a line rising from left to right"),
            "flat": pic("flat", "a flat line"),
        },
    )
    region = choice(
        "backprop.region",
        "backprop",
        "The picture shows the network's decision boundary. Which class is inside the circle?",
        ("red", "The red points are the ones the boundary closes around."),
        [("blue", "Blue is outside: the boundary separates it from red.")],
        "The boundary is where the output crosses 0.5; the red class lies inside it.",
        Teaches("backprop", "delta"),
        picture=pic("circle", "a red circle on white: the decision boundary"),
    )
    questions = tuple(q for q in (shape, z, curve, region) if q is not None)
    assert len(questions) == 4
    return Bank("A lecture", "digest", questions)


def tiny_clip(folder: Path, name: str) -> Clip:
    """A two-frame clip and its poster in ``folder``, as :mod:`lecture.deck.clips` leaves them."""
    folder.mkdir(parents=True, exist_ok=True)
    video, poster = folder / f"{name}.mp4", folder / f"{name}.jpg"
    if not video.exists():
        with av.open(str(video), "w") as oc:
            s = oc.add_stream("libx264", rate=15)
            s.width, s.height, s.pix_fmt = 64, 36, "yuv420p"
            for i in range(2):
                frame = av.VideoFrame.from_ndarray(np.full((36, 64, 3), 60 * i, np.uint8), format="rgb24")
                frame.pts = i
                oc.mux(s.encode(frame))
            oc.mux(s.encode(None))
        Image.new("RGB", (64, 36), (40, 40, 40)).save(poster)
    index = int(name.split("-")[0])
    return Clip(index, name.split("-", 1)[1], 0, 2, video.name, poster.name, "2/15", "remux", video.stat().st_size)


def make_steps(clips: Path) -> list[Step]:
    """The steps of :data:`CHAPTERS`, each with a real two-frame clip in ``clips``."""
    out: list[Step] = []
    for chapter, (segment, title, beats) in enumerate(CHAPTERS, start=1):
        for n, beat in enumerate(beats, start=1):
            clip = tiny_clip(clips / segment, f"{n - 1:02d}-{beat}")
            out.append(
                Step(
                    len(out) + 1,
                    chapter,
                    segment,
                    title,
                    beat,
                    n,
                    len(beats),
                    Fraction(len(out) * 2, 15),
                    clip,
                    clips / segment,
                    (f"caption of {beat}",),
                    (),
                )
            )
    return out


def write_lecture(folder: Path, bank: Bank | None) -> Path:
    """A lecture folder as the build leaves it: its manifest, and its question bank when given one."""
    folder.mkdir(parents=True, exist_ok=True)
    segments = [
        {"name": seg, "title": title, "input_hash": hashlib.sha256(seg.encode()).hexdigest(), "start": 0}
        for seg, title, _ in CHAPTERS
    ]
    manifest = {"build_key": "k", "segments": segments, "history": {"file": ""}}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    if bank is not None:
        write_bank(bank, folder)
    return folder


@pytest.fixture(scope="module")
def lecture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A lecture folder with a question bank and its pictures, made once for the module."""
    folder = tmp_path_factory.mktemp("lecture")
    return write_lecture(folder, make_bank(folder))


@pytest.fixture(scope="module")
def steps(tmp_path_factory: pytest.TempPathFactory) -> list[Step]:
    return make_steps(tmp_path_factory.mktemp("clips"))


@pytest.fixture(scope="module")
def asked(lecture: Path, steps: list[Step]) -> list[Asked]:
    bank = read_questions(lecture)
    assert bank is not None
    return asked_after(bank, steps)


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# --- where the questions go and what they say -------------------------------------------------------------


def test_each_chapters_questions_follow_its_last_beat(asked: list[Asked]) -> None:
    assert [(a.question.id, a.chapter, a.number, a.count, a.after.number) for a in asked] == [
        ("forward_pass.w1x_shape", 2, 1, 2, 4),
        ("forward_pass.z1", 2, 2, 2, 4),
        ("backprop.cost_curve", 3, 1, 2, 6),
        ("backprop.region", 3, 2, 2, 6),
    ]
    shape, z, curve, _ = asked
    letter = "ABCD"[[c.text for c in shape.question.choices].index("4 × 400")]
    assert shape.right_letter == letter and shape.answer() == f"Answer: {letter} — 4 × 400"
    assert z.answer() == "Answer: −0.0071 units (± 0.0005 units)"
    assert curve.pictured and not shape.pictured
    notes = shape.notes()
    assert notes[0] == "2. The forward pass · question 1 of 2 (after beat 3 of 3)"
    assert notes[1] == shape.answer() and notes[2].startswith("Why: Each column of W1 X")
    assert any(n.startswith("If they say ") and "(400 × 4): That is the transpose" in n for n in notes)
    assert notes[-1] == "Taught in 2. The forward pass · beat 1 of 3 (z) · 0:00–0:00"
    assert z.notes()[-1].startswith("Taught in 2. The forward pass · beat 2 of 3 (bias)")


def test_a_numeric_answer_reads_to_its_tolerance() -> None:
    # as the chapters' generators make them: the answer at full precision, the tolerance 5 % of it
    assert answer_and_tolerance(-0.007031773739584188, 0.0003515886869792094) == ("−0.00703", "0.00035")
    assert answer_and_tolerance(-0.7521988165905846, 0.015043976331811693) == ("−0.752", "0.015")
    assert answer_and_tolerance(89.75, 0.5) == ("89.75", "0.5")  # as exact as the bank has it
    assert answer_and_tolerance(-0.0071, 0.0005) == ("−0.0071", "0.0005")
    assert answer_and_tolerance(1234.5678, 10) == ("1235", "10")
    assert answer_and_tolerance(3.0, 0.0) == ("3", "")


def test_numbers_read_as_on_a_slide() -> None:
    assert [number(x) for x in (-0.0071, 0.0005, 1e-05, 1234.5, 2.0, -3)] == [
        "−0.0071",
        "0.0005",
        "0.00001",
        "1234.5",
        "2",
        "−3",
    ]


def test_questions_of_chapters_the_deck_lacks_are_left_out(lecture: Path, steps: list[Step]) -> None:
    bank = read_questions(lecture)
    without_backprop = [st for st in steps if st.segment != "backprop"]
    assert [a.question.id for a in asked_after(bank, without_backprop)] == [
        "forward_pass.w1x_shape",
        "forward_pass.z1",
    ]
    assert asked_after(None, steps) == []


# --- the page ---------------------------------------------------------------------------------------------


VOID = {"meta", "link", "img", "br", "hr", "input", "source"}
"""Elements without an end tag."""


@dataclass
class Node:
    """An element of a page as :class:`Tree` reads it (the standard library has no HTML tree)."""

    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def all(self, tag: str = "", cls: str = "") -> list[Node]:
        """Every element under this one (depth first) with the tag and the class, when given."""
        out = []
        for c in self.children:
            if isinstance(c, Node):
                if (not tag or c.tag == tag) and (not cls or cls in c.classes):
                    out.append(c)
                out.extend(c.all(tag, cls))
        return out

    def one(self, tag: str = "", cls: str = "") -> Node:
        [node] = self.all(tag, cls)
        return node

    def text(self, skip: Callable[[Node], bool] = lambda n: False) -> str:
        """Its text, spaces collapsed, without the elements ``skip`` says."""
        parts = [c if isinstance(c, str) else c.text(skip) for c in self.children if isinstance(c, str) or not skip(c)]
        return " ".join(" ".join(parts).split())


class Tree(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.open = [self.root]
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.open[-1].children.append(node)
        if tag not in VOID:
            self.open.append(node)

    def handle_endtag(self, tag: str) -> None:
        while len(self.open) > 1 and self.open.pop().tag != tag:
            pass

    def handle_data(self, data: str) -> None:
        self.open[-1].children.append(data)


def page_of(steps: list[Step], asked: list[Asked]) -> Node:
    return Tree(deck_html("A lecture", ["a fact"], steps, SIZE, "6.0.2", "", asked)).root


def test_the_page_asks_after_each_chapter_with_the_answer_only_in_its_fragment(
    steps: list[Step], asked: list[Asked]
) -> None:
    page = page_of(steps, asked)
    columns = page.all("section", "chapter")
    kinds = [[c.classes[0] for c in col.children if isinstance(c, Node)] for col in columns]
    assert kinds == [["beat"], ["beat"] * 3 + ["question"] * 2, ["beat"] * 2 + ["question"] * 2, ["beat"]]
    questions = page.all("section", "question")
    assert [q.attrs["id"] for q in questions] == ["question-2-1", "question-2-2", "question-3-1", "question-3-2"]
    assert [(q.attrs["data-question"], q.attrs["data-questions"], q.attrs["data-after"]) for q in questions] == [
        ("1", "2", "4"),
        ("2", "2", "4"),
        ("1", "2", "6"),
        ("2", "2", "6"),
    ]
    [data] = [n for n in page.all("script") if n.attrs.get("id") == "deck-data"]
    config = json.loads(data.text())
    assert config["steps"] == 7 and config["questions"] == 4
    assert [c["questions"] for c in config["chapters"]] == [0, 2, 2, 0]

    def answer(n: Node) -> bool:  # what the next step reveals: the answer box, the right choice's tick
        return "answer" in n.classes or "mark" in n.classes

    for section, a in zip(questions, asked, strict=True):
        q = a.question
        assert section.one("p", "kicker").text() == f"Check your understanding · {a.label}"
        assert section.one("h2", "prompt").text() == q.prompt
        # every fragment appears in one step (index 0); the answer, the explanation and the tick are in them only
        fragments = section.all(cls="fragment")
        assert {f.attrs["data-fragment-index"] for f in fragments} == {"0"}
        revealed = " ".join(f.text() for f in fragments)
        assert a.answer() in revealed and q.explanation in revealed and "✓" in revealed
        assert all(any(m in f.all() for f in fragments) for m in section.all(cls="mark"))
        shown = section.text(skip=lambda n: answer(n) or n.tag == "aside")
        assert "Answer" not in shown and q.explanation not in shown and "✓" not in shown
        assert q.prompt in shown
        if q.kind == "choice":
            assert [x.text() for x in section.all("span", "letter")] == list("ABCD"[: len(q.choices)])
            assert [x.text() for x in section.all("span", "text")] == [c.text for c in q.choices]
            right = section.one("li", "right")
            assert "fragment" in right.classes and right.one("span", "letter").text() == a.right_letter
            assert right.one("span", "text").text() == q.correct.text and right.one(cls="mark").text() == "✓"
        else:
            assert section.one("p", "your-answer").text() == "Your answer: units"
        # the notes hold the answer, why, and where the lecture teaches it
        notes = section.one("aside", "notes").text()
        assert a.answer() in notes and q.explanation in notes and a.where_taught() in notes

    shape, z, curve, region = questions
    assert "± 0.0005 units" in z.one("div", "answer").text()
    assert "Taught in 3. Backpropagation · beat 2 of 2 (grads)" in curve.one("aside").text()
    # pictures: the question's own beside its prompt, the choices' in their cards; relative, with their text
    assert "pictured" in curve.classes and "illustrated" in region.classes and not shape.all("img")
    assert [(i.attrs["src"], i.attrs["alt"]) for i in curve.all("img")] == [
        (c.picture.file, c.picture.alt) for c in asked[2].question.choices if c.picture
    ]
    assert [i.attrs["src"] for i in region.one("figure").all("img")] == ["questions/circle.png"]


def test_without_questions_the_page_is_the_beats_alone(steps: list[Step]) -> None:
    plain = deck_html("A lecture", ["a fact"], steps, SIZE, "6.0.2", "run")
    assert plain == deck_html("A lecture", ["a fact"], steps, SIZE, "6.0.2", "run", [])
    page = Tree(plain).root
    assert len(page.all("section", "beat")) == len(steps) == 7
    assert not page.all("section", "question") and "questions/" not in plain


# --- the PowerPoint file -------------------------------------------------------------------------------------


def slide_text(slide: Any) -> str:
    return " ".join(" ".join(s.text_frame.text.split()) for s in slide.shapes if s.has_text_frame)


def test_the_pptx_asks_each_question_on_a_slide_and_answers_it_on_the_next(
    lecture: Path, steps: list[Step], asked: list[Asked], tmp_path: Path
) -> None:
    path = tmp_path / "lecture.pptx"
    write_pptx(path, "A lecture", ["a fact"], steps, SIZE, "", asked, lecture)
    slides = list(Presentation(str(path)).slides)
    titles = [s.shapes.title.text for s in slides]
    assert len(slides) == len(steps) + 2 * len(asked) == 15
    assert [t.split(" · ")[0] for t in titles] == [
        "1. Title",
        "2. The forward pass",
        "2. The forward pass",
        "2. The forward pass",
        *(["Check your understanding"] * 4),
        "3. Backpropagation",
        "3. Backpropagation",
        *(["Check your understanding"] * 4),
        "4. The end",
    ]
    pairs = [slides[4:6], slides[6:8], slides[10:12], slides[12:14]]
    for (question, answer), a in zip(pairs, asked, strict=True):
        q = a.question
        assert question.shapes.title.text == f"Check your understanding · {a.label}"
        assert answer.shapes.title.text == f"Check your understanding · {a.label} · answer"
        asking, answering = slide_text(question), slide_text(answer)
        assert q.prompt in asking and q.prompt in answering
        assert "Answer" not in asking and "✓" not in asking and q.explanation not in asking
        assert f"✓ {a.answer()}" in answering and q.explanation in answering
        for c, letter in zip(q.choices, "ABCD", strict=False):
            assert f"{letter} {c.text}" in asking
        assert not [s for s in question.shapes if s.shape_type == MSO_SHAPE_TYPE.MEDIA]
        for slide in (question, answer):
            notes = slide.notes_slide.notes_text_frame.text
            assert a.answer() in notes and q.explanation in notes and "Taught in " in notes
    # the right choice is ticked and bold on the answer slide, and only there
    shape_q, shape_a = pairs[0]
    ticked = [s for s in shape_a.shapes if s.has_text_frame and s.text_frame.text.endswith("✓")]
    assert len(ticked) == 1 and ticked[0].text_frame.text.startswith(f"{asked[0].right_letter}   4 × 400")
    assert all(r.font.bold for r in ticked[0].text_frame.paragraphs[0].runs)
    assert "Your answer: ____________ units" in slide_text(pairs[1][0])

    # pictures: three cards on both slides of the "which picture" question, one beside the region question
    def pictures(slide: Any) -> list[tuple[bytes, str]]:
        pics = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        return [(p.image.blob, p._element.xpath("./p:nvPicPr/p:cNvPr/@descr")[0]) for p in pics]

    cards = [c.picture for c in asked[2].question.choices if c.picture is not None]
    own = asked[3].question.picture
    assert len(cards) == 3 and own is not None
    assert pictures(pairs[2][0]) == pictures(pairs[2][1]) == [((lecture / p.file).read_bytes(), p.alt) for p in cards]
    assert pictures(pairs[3][0]) == pictures(pairs[3][1]) == [((lecture / own.file).read_bytes(), own.alt)]
    # the questions belong to their chapter's section
    with zipfile.ZipFile(path) as z:
        pres = z.read("ppt/presentation.xml").decode()
    sections = re.findall(r'<p14:section name="([^"]+)"[^>]*><p14:sldIdLst>(.*?)</p14:sldIdLst>', pres)
    assert [(name, ids.count("<p14:sldId ")) for name, ids in sections] == [
        ("1. Title", 1),
        ("2. The forward pass", 7),
        ("3. Backpropagation", 6),
        ("4. The end", 1),
    ]


def test_without_questions_the_pptx_is_one_slide_per_beat(steps: list[Step], tmp_path: Path) -> None:
    path = tmp_path / "lecture.pptx"
    write_pptx(path, "A lecture", [], steps, SIZE)
    slides = list(Presentation(str(path)).slides)
    assert len(slides) == len(steps)
    assert all(len([s for s in sl.shapes if s.shape_type == MSO_SHAPE_TYPE.MEDIA]) == 1 for sl in slides)


def test_a_question_slides_boxes_fit_the_slide_without_overlapping(asked: list[Asked]) -> None:
    width, height = (int(x) for x in slide_size(SIZE))
    for a in asked:
        lay = question_layout(a, (width, height))
        assert lay.fits, a.question.id
        boxes = [lay.prompt, *lay.choices, *lay.cards, lay.answer]
        boxes += [b for b in (lay.blank, lay.picture) if b is not None]
        for b in boxes:
            assert 0 <= b.left and b.left + b.width <= width and 0 <= b.top and b.bottom <= height
        for i, b in enumerate(boxes):
            for c in boxes[i + 1 :]:
                apart = b.left + b.width <= c.left or c.left + c.width <= b.left
                apart = apart or b.bottom <= c.top or c.bottom <= b.top
                assert apart, (a.question.id, b, c)
    assert question_layout(asked[0], (width, height)).scale >= 0.8  # the long prompt and four choices, nearly full size


# --- python -m lecture slides -----------------------------------------------------------------------------------


@pytest.fixture
def run_deck(monkeypatch: pytest.MonkeyPatch, steps: list[Step], tmp_path: Path) -> Iterator[Any]:
    """``slides`` over a lecture folder made here: the lecture build and the clip cutting replaced, the rest real."""
    lecture_dir = tmp_path / "build" / "lecture" / "preview"

    def build(options: BuildOptions, out: Any = None, err: Any = None) -> BuildReport:
        return BuildReport(lecture_dir, [], [], Fraction(0), 0.0, True, False)

    monkeypatch.setattr(make_deck_module, "build", build)
    monkeypatch.setattr(make_deck_module._Deck, "steps", lambda self, segments: (steps, 0, len(segments)))
    yield lecture_dir


def deck_run(tmp_path: Path) -> list[str]:
    return ["slides", "--quality", "preview", "--build-dir", str(tmp_path / "build")]


def test_slides_copies_the_pictures_and_lists_the_questions(
    run_deck: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_lecture(run_deck, make_bank(run_deck))
    assert main(deck_run(tmp_path)) == 0
    out = capsys.readouterr().out
    assert "7 steps in 4 chapters and 4 questions" in out
    deck = tmp_path / "build" / "slides" / "preview"
    m = json.loads((deck / "manifest.json").read_text())
    assert m["steps_count"] == 7 and m["questions_count"] == 4
    assert [(q["id"], q["after_step"]) for q in m["questions"]] == [
        ("forward_pass.w1x_shape", 4),
        ("forward_pass.z1", 4),
        ("backprop.cost_curve", 6),
        ("backprop.region", 6),
    ]
    assert [c["questions"] for c in m["chapters"]] == [0, 2, 2, 0]
    for name in ("rising", "falling", "flat", "circle"):
        pic = f"questions/{name}.png"
        assert (deck / pic).read_bytes() == (run_deck / pic).read_bytes() and m["files"][pic] > 0
        assert f'src="{pic}"' in (deck / "index.html").read_text()
    assert len(list(Presentation(str(deck / "lecture.pptx")).slides)) == 15

    # nothing changed: up to date; an edited question: a new deck that says it
    assert main(deck_run(tmp_path)) == 0
    assert "is up to date: 7 steps" in capsys.readouterr().out
    bank = json.loads((run_deck / "questions.json").read_text())
    bank["questions"][1]["explanation"] = "An author's own explanation."
    (run_deck / "questions.json").write_text(json.dumps(bank))
    assert main(deck_run(tmp_path)) == 0
    assert "wrote " in capsys.readouterr().out
    assert "An author&#x27;s own explanation." in (deck / "index.html").read_text()


def test_a_lecture_without_questions_makes_the_deck_of_its_beats(
    run_deck: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_lecture(run_deck, None)
    report = make_deck(DeckOptions(BuildOptions(build_dir=tmp_path / "build", quality="preview")))
    assert report.steps == 7
    assert "7 steps in 4 chapters (" in capsys.readouterr().out
    deck = report.output
    m = json.loads((deck / "manifest.json").read_text())
    assert m["questions"] == [] and m["questions_file"] is None and m["steps_count"] == 7
    page = (deck / "index.html").read_text()
    assert page.count('<section class="beat"') == 7 and 'class="question' not in page
    assert not (deck / "questions").exists()
    assert len(list(Presentation(str(deck / "lecture.pptx")).slides)) == 7


def test_an_invalid_bank_is_one_line_exit_2_and_leaves_the_deck(
    run_deck: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_lecture(run_deck, make_bank(run_deck))
    assert main([*deck_run(tmp_path), "--format", "html"]) == 0
    deck = tmp_path / "build" / "slides" / "preview"
    before = snapshot(deck)
    capsys.readouterr()

    def one_line_error() -> str:
        # the lecture build's own progress line comes first (the bank is the build's, read once it is done)
        lines = capsys.readouterr().err.strip().splitlines()
        assert len(lines) == 2 and lines[0].startswith("lecture: ") and "is up to date" in lines[0], lines
        assert lines[1].startswith(f"error: {run_deck / 'questions.json'}: ")
        return lines[1]

    bank = json.loads((run_deck / "questions.json").read_text())
    for c in bank["questions"][0]["choices"]:
        c["correct"] = False
    (run_deck / "questions.json").write_text(json.dumps(bank))
    assert main(deck_run(tmp_path)) == 2
    error = one_line_error()
    assert "question 'forward_pass.w1x_shape': key 'choices' must be a list with exactly one choice" in error

    (run_deck / "questions.json").write_text("{not json")
    assert main(deck_run(tmp_path)) == 2
    assert "questions.json: not valid JSON" in one_line_error()

    (run_deck / "questions.json").write_text(json.dumps(make_bank(run_deck).to_json()))
    (run_deck / "questions" / "flat.png").unlink()
    with pytest.raises(QuestionBankError, match=r"key 'picture' must be an existing picture"):
        make_deck(DeckOptions(BuildOptions(build_dir=tmp_path / "build", quality="preview")))
    assert snapshot(deck) == before
    assert not [p for p in deck.parent.iterdir() if p.name.startswith(".")]


# --- the page in Chromium -------------------------------------------------------------------------------------

STATE = (
    "(function(){var s=Reveal.getCurrentSlide(), i=Reveal.getIndices(), a=s.querySelector('.answer'), "
    "r=s.querySelector('.choice.right'); return {h:i.h, v:i.v, f:i.f, id:s.id, "
    "answer:a && getComputedStyle(a).visibility, right:r && r.classList.contains('visible'), "
    "tick:r && getComputedStyle(r.querySelector('.mark')).visibility, "
    "where:document.querySelector('nav.outline .where').textContent, fit:s.dataset.fitted, "
    "controls:getComputedStyle(document.querySelector('.reveal .controls')).display, "
    "overflow:(function(e){return e.scrollHeight > e.clientHeight + 1})(s.querySelector('.sheet')), "
    "notes:Reveal.getSlideNotes()}})()"
)

SHOWN = "getComputedStyle(Reveal.getCurrentSlide().querySelector('.answer')).visibility === 'visible'"


def wait_for(b: Browser, expression: str, timeout: float = 20) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = b.eval(expression)
        if value:
            return value
        assert time.monotonic() < deadline, f"not true in {timeout} s: {expression}"
        time.sleep(0.05)


@pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (Debian package `chromium`)")
def test_stepping_through_the_page_reveals_each_answer_then_goes_on(
    run_deck: Path, tmp_path: Path, asked: list[Asked]
) -> None:
    write_lecture(run_deck, make_bank(run_deck))
    deck = make_deck(DeckOptions(BuildOptions(build_dir=tmp_path / "build", quality="preview"))).output
    b = Browser(tmp_path / "profile", width=1280, height=760)
    try:
        b.open((deck / "index.html").as_uri(), ready="window.Reveal && Reveal.isReady()")
        b.eval("Reveal.slide(1, 2)")  # the forward pass's last beat
        wait_for(b, "Reveal.getCurrentSlide().id === 'step-4'")
        b.key("ArrowRight", "ArrowRight", 39)
        asking = wait_for(b, f"Reveal.getCurrentSlide().id === 'question-2-1' && {STATE}")
        assert asking["answer"] == "hidden" and not asking["right"] and asking["tick"] == "hidden"
        assert asking["where"] == "question 1/2 · after step 4/7" and not asking["overflow"]
        assert asking["controls"] == "none"  # reveal.js's arrows would cover the answer's corner
        assert asked[0].answer() in asking["notes"] and "Taught in" in asking["notes"]
        b.screenshot(tmp_path / "question.png", full_page=False)
        # → reveals the answer on the same slide; → again goes to the next question, ← hides it again
        b.key("ArrowRight", "ArrowRight", 39)
        shown = wait_for(b, f"Reveal.getIndices().f === 0 && {SHOWN} && {STATE}")  # after its 0.2 s fade
        assert (shown["h"], shown["v"], shown["id"]) == (1, 3, "question-2-1")
        assert shown["answer"] == "visible" and shown["right"] and shown["tick"] == "visible"
        b.screenshot(tmp_path / "answer.png", full_page=False)
        b.key(" ", "Space", 32)
        assert wait_for(b, f"Reveal.getCurrentSlide().id === 'question-2-2' && {STATE}")["answer"] == "hidden"
        assert wait_for(b, "Reveal.getCurrentSlide().querySelector('.blank') !== null")
        b.key("ArrowLeft", "ArrowLeft", 37)
        back = wait_for(b, f"Reveal.getCurrentSlide().id === 'question-2-1' && {STATE}")
        assert back["f"] == 0  # back to the revealed state, as reveal.js goes back
        b.key("ArrowLeft", "ArrowLeft", 37)
        hidden = wait_for(b, f"Reveal.getIndices().f === -1 && !({SHOWN}) && {STATE}")
        assert hidden["answer"] == "hidden" and not hidden["right"] and hidden["id"] == "question-2-1"
        # a click goes on as → does: the next question's answer, then the next chapter's first beat
        b.eval("Reveal.slide(1, 4)")
        b.eval("document.querySelector('.reveal .slides').click()")
        assert wait_for(b, f"Reveal.getIndices().f === 0 && {SHOWN} && {STATE}")["id"] == "question-2-2"
        b.eval("document.querySelector('.reveal .slides').click()")
        where = "document.querySelector('nav.outline .where').textContent"
        assert wait_for(b, f"Reveal.getCurrentSlide().id === 'step-5' && {where}") == "beat 1/2 · step 5/7"
        assert b.eval("getComputedStyle(document.querySelector('.reveal .controls')).display") != "none"
        # the "which picture" question: every picture loaded, each inside the slide
        b.eval("Reveal.slide(2, 2)")
        wait_for(b, "Reveal.getCurrentSlide().id === 'question-3-1'")
        wait_for(b, "Array.from(Reveal.getCurrentSlide().querySelectorAll('img')).every(i => i.complete)")
        boxes = b.eval(
            "(function(){var s=Reveal.getCurrentSlide().getBoundingClientRect(); return Array.from("
            "Reveal.getCurrentSlide().querySelectorAll('img')).map(function(i){var r=i.getBoundingClientRect(); "
            "return [i.naturalWidth, r.left >= s.left - 1 && r.right <= s.right + 1 && r.top >= s.top - 1 "
            "&& r.bottom <= s.bottom + 1 && r.height > 20]})})()"
        )
        assert boxes == [[320, True]] * 3
        assert not b.eval(STATE)["overflow"]
        # the overview (Esc) never shows an answer
        b.key("ArrowRight", "ArrowRight", 39)
        wait_for(b, "Reveal.getIndices().f === 0")
        b.eval("Reveal.toggleOverview(true)")
        assert b.eval(STATE)["answer"] == "hidden" and b.eval(STATE)["tick"] == "hidden"
        requests = b.requests()
        assert all(u.startswith(deck.as_uri()) or u.startswith("data:") for u in requests), requests
    finally:
        b.close()
