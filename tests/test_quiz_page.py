"""The lecture page's "check your understanding" questions: their data, and the page in headless Chromium.

:func:`lecture.page.quiz.quiz_view` is checked against a bank and a manifest made here; the page is
written by :func:`lecture.page.lecture_page.page_html` around a real four-second H.264 video (two
chapters of 2 s, made with PyAV) and driven over the DevTools protocol (``tests/cdp.py``): playback
across a chapter's end stops to ask and a seek does not, the feedback and the link to the teaching
beat, the scores kept across a reload and per lecture, skip and ask-me-later, the keyboard alone,
the ``lecturequiz`` events, axe-core's WCAG 2.1 A/AA rules, no request leaving the page, the page
without JavaScript, the layout beside and under the video, and ESLint on ``quiz.js``.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import av
import numpy as np
import pytest
from cdp import CHROMIUM, Browser
from PIL import Image, ImageDraw

from lecture.assemble.captions import Cue, chapters, to_vtt
from lecture.assemble.companions import Chapter
from lecture.page.lecture_page import page_html
from lecture.page.quiz import number_text, quiz_view, storage_key
from lecture.quiz.bank import Bank, Picture, QuestionBankError, Teaches
from lecture.quiz.questions import choice, numeric

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ESLINT = ROOT / "node_modules" / ".bin" / "eslint"

FPS = 10
SIZE = (160, 90)
SEGMENTS = [
    ("alpha", "The first chapter", 0.0, 2.0, [("setup", 0.0, 0.8), ("shape", 0.8, 2.0)]),
    ("beta", "The second chapter", 2.0, 2.0, [("curves", 2.0, 3.2), ("result", 3.2, 4.0)]),
]
"""The lecture: two chapters of 2 s, each of two beats (name, title, start, duration, beats)."""


def manifest() -> dict[str, Any]:
    """The manifest's segments as the build writes them (times in lecture seconds)."""
    return {
        "segments": [
            {
                "name": n,
                "title": t,
                "start": s,
                "duration": d,
                "beats": [{"name": b, "start": bs, "end": be} for b, bs, be in beats],
            }
            for n, t, s, d, beats in SEGMENTS
        ]
    }


def bank(history: str = "ab" * 32, lecture: str = "A quiz test lecture") -> Bank:
    """Three questions: a choice with a picture, a number, and a "which picture" choice."""
    shape = choice(
        "alpha.w1_shape",
        "alpha",
        "What is the shape of W[1] for 4 hidden units and 2 inputs?",
        ("4 × 2", "Right: one row per unit, one column per input."),
        [("2 × 4", "That is Wᵀ: rows are units, columns inputs."), ("4 × 1", "That is b[1]'s shape.")],
        "W[1] maps the 2 inputs to the 4 hidden units: 4 rows of 2 weights.",
        Teaches("alpha", "shape"),
        picture=Picture("questions/network.png", "A network with 2 inputs, 4 hidden units and 1 output"),
    )
    cost = numeric(
        "alpha.first_cost",
        "alpha",
        "What is dW[2]'s first entry at iteration 0?",
        -0.0071,
        0.0005,
        "dW[2] = (1/m) dZ[2] A[1]ᵀ: the output's error times the hidden units' activations, averaged.",
        Teaches("alpha", "setup"),
    )
    which = choice(
        "beta.which_curve",
        "beta",
        "Which picture shows the cost of the largest learning rate?",
        ("Curve C", "Right: it jumps before it settles."),
        [("Curve A", "That one falls slowly: the smallest rate."), ("Curve B", "That one is smooth: a middle rate.")],
        "A large step overshoots the minimum, so its cost jumps up and down.",
        Teaches("beta", "curves"),
        pictures={
            "Curve A": Picture("questions/a.png", "A cost curve falling slowly and smoothly"),
            "Curve B": Picture("questions/b.png", "A cost curve falling fast and smoothly"),
            "Curve C": Picture("questions/c.png", "A cost curve jumping up and down before it falls"),
        },
    )
    assert shape is not None and which is not None
    return Bank(lecture, history, (shape, cost, which))


# --- the data, in Python -------------------------------------------------------------------------


def test_the_view_lists_the_asking_chapters_in_lecture_order_with_their_ends_and_teaching_beats() -> None:
    b = bank()
    view = quiz_view(b, manifest())
    assert view is not None
    assert view["format"] == 1 and view["total"] == 3 and view["lecture"] == "A quiz test lecture"
    assert view["key"] == storage_key(b) and view["key"].startswith("lecturequiz:")
    assert [(c["segment"], c["title"], c["end"], c["clock"]) for c in view["chapters"]] == [
        ("alpha", "The first chapter", 2.0, "0:02"),
        ("beta", "The second chapter", 4.0, "0:04"),
    ]
    shape, cost = view["chapters"][0]["questions"]
    assert [q["n"] for c in view["chapters"] for q in c["questions"]] == [1, 2, 3]
    assert shape["kind"] == "choice" and shape["prompt"].startswith("What is the shape")
    assert shape["picture"] == {"file": "questions/network.png", "alt": b.questions[0].picture.alt}  # type: ignore[union-attr]
    assert [c["correct"] for c in shape["choices"]] == [c.correct for c in b.questions[0].choices]
    assert shape["teaches"] == {
        "segment": "alpha",
        "beat": "shape",
        "title": "The first chapter",
        "time": 0.8,
        "clock": "0:00",
    }
    assert shape["pictures"] is False
    assert cost["kind"] == "numeric" and cost["answer"] == -0.0071 and cost["tolerance"] == 0.0005
    assert cost["answer_text"] == "−0.0071" and cost["tolerance_text"] == "0.0005" and cost["unit"] == ""
    assert cost["teaches"]["time"] == 0.0 and "choices" not in cost
    which = view["chapters"][1]["questions"][0]
    assert which["pictures"] is True and {c["picture"]["file"] for c in which["choices"]} == {
        "questions/a.png",
        "questions/b.png",
        "questions/c.png",
    }
    assert which["teaches"]["time"] == 2.0 and which["teaches"]["clock"] == "0:02"
    json.dumps(view)  # the page inlines it as JSON


def test_the_teaching_beats_time_is_in_lecture_time_with_its_clock() -> None:
    m = manifest()
    m["segments"][1]["start"] = 125.5
    m["segments"][1]["beats"][0]["start"] = 130.25
    view = quiz_view(bank(), m)
    assert view is not None
    which = view["chapters"][1]
    assert which["end"] == 127.5 and which["clock"] == "2:07"
    assert which["questions"][0]["teaches"]["time"] == 130.25 and which["questions"][0]["teaches"]["clock"] == "2:10"


def test_dropped_questions_and_chapters_without_any_are_left_out_and_a_bank_asking_nothing_is_none() -> None:
    b = bank()
    only_beta = replace(b, questions=tuple(replace(q, dropped=q.chapter == "alpha") for q in b.questions))
    view = quiz_view(only_beta, manifest())
    assert view is not None and [c["segment"] for c in view["chapters"]] == ["beta"] and view["total"] == 1
    assert view["chapters"][0]["questions"][0]["n"] == 1
    none = replace(b, questions=tuple(replace(q, dropped=True) for q in b.questions))
    assert quiz_view(none, manifest()) is None
    assert quiz_view(replace(b, questions=()), manifest()) is None


def test_a_question_of_a_chapter_or_beat_the_lecture_does_not_have_is_an_error_naming_it() -> None:
    b = bank()
    lost = replace(b, questions=(replace(b.questions[0], teaches=Teaches("alpha", "gone")),))
    with pytest.raises(QuestionBankError, match=r"alpha\.w1_shape.*'teaches'.*'gone'"):
        quiz_view(lost, manifest())
    elsewhere = replace(b, questions=(replace(b.questions[1], chapter="omega"),))
    with pytest.raises(QuestionBankError, match=r"alpha\.first_cost.*'chapter'.*'omega'"):
        quiz_view(elsewhere, manifest())


def test_each_lecture_and_run_keeps_its_answers_under_its_own_key() -> None:
    keys = {storage_key(bank()), storage_key(bank(history="cd" * 32)), storage_key(bank(lecture="Another"))}
    assert len(keys) == 3 and storage_key(bank()) == storage_key(bank())


def test_numbers_read_as_written_with_a_true_minus() -> None:
    assert [number_text(x) for x in (0.0, -0.0071, 0.0005, 1234.5, 1e-7, -2.5e-6, 0.693147180559, 1e7)] == [
        "0",
        "−0.0071",
        "0.0005",
        "1234.5",
        "0.0000001",
        "−0.0000025",
        "0.693147",
        "10000000",
    ]


def test_without_questions_the_page_has_no_panel_and_with_them_every_text_is_escaped() -> None:
    chs, vtts = page_chapters(), "WEBVTT\n"
    plain = page_html("T", ["f"], chs, vtts, vtts, SIZE, "footer")
    assert 'id="quiz"' not in plain and "quiz.js" not in plain and "lecturequiz" not in plain
    b = bank()
    tricky = replace(b.questions[0], prompt="Is a < b & </script> here?")
    view = quiz_view(replace(b, questions=(tricky, *b.questions[1:])), manifest())
    html = page_html("T", ["f"], chs, vtts, vtts, SIZE, "footer", quiz=view)
    assert "<legend>Is a &lt; b &amp; &lt;/script&gt; here?</legend>" in html
    assert html.count("</script>") == html.count("<script")  # the inlined data cannot close its element
    assert 'src="questions/network.png"' in html and 'href="lecture.mp4#t=0.800"' in html


# --- the page ------------------------------------------------------------------------------------


def page_chapters() -> list[Chapter]:
    return [
        Chapter(
            SimpleNamespace(name=n, title=t),  # type: ignore[arg-type]
            SimpleNamespace(duration=Fraction(d)),  # type: ignore[arg-type]
            Fraction(s),
            i + 1,
        )
        for i, (n, t, s, d, _) in enumerate(SEGMENTS)
    ]


def write_video(path: Path, seconds: float) -> None:
    """``seconds`` of H.264 at :data:`FPS`: a grey that brightens, so a frame shows where it is."""
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=FPS, options={"preset": "ultrafast"})
        stream.width, stream.height = SIZE
        stream.pix_fmt = "yuv420p"
        n = round(seconds * FPS)
        for k in range(n):
            level = 40 + round(160 * k / n)
            frame = av.VideoFrame.from_ndarray(np.full((SIZE[1], SIZE[0], 3), level, np.uint8), format="rgb24")
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)


def write_pictures(folder: Path) -> None:
    """The questions' PNGs: a network diagram's stand-in and three cost curves."""
    (folder / "questions").mkdir(parents=True, exist_ok=True)
    net = Image.new("RGB", (480, 200), (17, 20, 24))
    d = ImageDraw.Draw(net)
    for x, n in ((60, 2), (240, 4), (420, 1)):
        for i in range(n):
            d.ellipse(
                (x - 14, 100 + (i - (n - 1) / 2) * 40 - 14, x + 14, 100 + (i - (n - 1) / 2) * 40 + 14),
                outline=(232, 232, 232),
                width=3,
            )
    net.save(folder / "questions" / "network.png")
    for name, wiggle, rate in (("a", 0.0, 1.0), ("b", 0.0, 4.0), ("c", 0.5, 6.0)):
        img = Image.new("RGB", (240, 160), (17, 20, 24))
        d = ImageDraw.Draw(img)
        xs = np.linspace(0, 1, 60)
        ys = np.exp(-rate * xs) + wiggle * np.sin(40 * xs) * np.exp(-3 * xs)
        pts = [(20 + 200 * x, 140 - 110 * y / max(1.0, ys.max())) for x, y in zip(xs, ys, strict=True)]
        d.line(pts, fill=(88, 196, 221), width=3)
        img.save(folder / "questions" / f"{name}.png")


def make_page(folder: Path, quiz_bank: Bank) -> Path:
    """``index.html`` as the build writes it, beside a real 4 s ``lecture.mp4``, its thumbnails and pictures."""
    folder.mkdir(parents=True, exist_ok=True)
    chs = page_chapters()
    write_video(folder / "lecture.mp4", sum(s[3] for s in SEGMENTS))
    write_pictures(folder)
    Image.new("RGB", SIZE).save(folder / "poster.png")
    (folder / "thumbs").mkdir(exist_ok=True)
    for c in chs:
        Image.new("RGB", (320, 180), (30, 34, 40)).save(folder / c.thumb_name)
    titles = [s[1] for s in SEGMENTS]
    chapter_vtt = to_vtt(chapters(titles, [c.rendered.duration for c in chs]), ids=[s[0] for s in SEGMENTS])
    html = page_html(
        quiz_bank.lecture,
        ["a fact"],
        chs,
        chapter_vtt,
        to_vtt([Cue(Fraction(0), Fraction(1), "a caption")]),
        (854, 480),
        "footer",
        quiz=quiz_view(quiz_bank, manifest()),
    )
    index = folder / "index.html"
    index.write_text(html, encoding="utf-8")
    return index


# --- the page, in headless Chromium ---------------------------------------------------------------

READY = "window.__quiz && window.__quiz.ready && document.getElementById('lecture').readyState >= 1"
RECORD = """window.__events = [];
document.addEventListener("lecturequiz", function (e) { window.__events.push(e.detail); }); 1"""
V = "document.getElementById('lecture')"
SHAPE, COST, WHICH = "alpha.w1_shape", "alpha.first_cost", "beta.which_curve"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two lectures' pages: the same questions, another run and title (another storage key)."""
    folder = tmp_path_factory.mktemp("quiz-pages")
    return {
        "one": make_page(folder / "one", bank()),
        "two": make_page(folder / "two", bank(history="cd" * 32, lecture="Another lecture")),
    }


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    if CHROMIUM is None:
        pytest.skip("needs Chromium (Debian package `chromium`)")
    b = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield b
    b.close()


def fresh(browser: Browser, index: Path) -> None:
    """Open ``index`` with nothing answered (every page opened from disk shares one storage)."""
    if not browser.eval("location.protocol === 'file:'"):
        browser.open(index.as_uri(), ready=READY)
    browser.eval("localStorage.clear(); 1")
    reopen(browser, index)


def reopen(browser: Browser, index: Path) -> None:
    browser.open(index.as_uri(), ready=READY)
    browser.eval(RECORD)


def wait_for(browser: Browser, expression: str, timeout: float = 10) -> Any:
    deadline = time.monotonic() + timeout
    while not (value := browser.eval(expression)):
        if time.monotonic() > deadline:
            raise AssertionError(f"not true in {timeout} s: {expression}")
        time.sleep(0.05)
    return value


def play_from(browser: Browser, t: float) -> None:
    """Seek to ``t`` (paused), then play: the seek is over before playback starts."""
    browser.eval(
        f"""new Promise(function (done) {{ var v = {V}; v.pause();
              v.addEventListener("seeked", function () {{ done(true); }}, {{ once: true }}); v.currentTime = {t}; }})
            .then(function () {{ return {V}.play(); }}).then(function () {{ return true; }})"""
    )


def panel(browser: Browser) -> dict[str, Any]:
    """What the questions' panel shows: its chapters, the questions visible, the buttons, the texts."""
    return browser.eval(
        """(function () {
          var root = document.getElementById("quiz");
          function visible(el) { return el.getClientRects().length > 0; }
          function shown(selector, what) {
            return Array.from(root.querySelectorAll(selector)).filter(visible).map(what);
          }
          return {
            open: visible(root),
            chapters: shown(".quiz-chapter", function (c) { return c.dataset.segment; }),
            questions: shown(".quiz-q", function (q) { return q.dataset.id; }),
            buttons: shown(".quiz-actions button", function (b) { return b.textContent; }),
            lede: document.getElementById("quiz-lede").textContent,
            score: document.getElementById("quiz-score").textContent,
            bar: document.getElementById("quiz-bar-score").textContent,
            focus: document.activeElement.id || document.activeElement.className || document.activeElement.tagName,
          };
        })()"""
    )


def feedback(browser: Browser, qid: str) -> dict[str, Any]:
    return browser.eval(
        f"""(function () {{
          var li = document.querySelector('.quiz-q[data-id="{qid}"]'), w = li.querySelector(".quiz-watch");
          var box = li.querySelector(".quiz-feedback");
          function text(selector) {{ return li.querySelector(selector).textContent; }}
          return {{ verdict: text(".quiz-verdict"), said: text(".quiz-said"), explanation: text(".quiz-explanation"),
                   watch: w.hidden ? null : w.textContent, live: box.getAttribute("aria-live"),
                   focused: box === document.activeElement,
                   locked: Array.from(li.querySelectorAll("input")).every(function (i) {{
                     return i.disabled || i.readOnly; }}) }};
        }})()"""
    )


def right_index(qid: str) -> int:
    q = next(q for q in bank().questions if q.id == qid)
    return next(i for i, c in enumerate(q.choices) if c.correct)


def wrong_index(qid: str) -> int:
    q = next(q for q in bank().questions if q.id == qid)
    return next(i for i, c in enumerate(q.choices) if not c.correct)


def state(browser: Browser) -> dict[str, Any]:
    return browser.eval("window.__quiz.state()")


def score(right: int, answered: int, skipped: int, total: int = 3) -> dict[str, int]:
    return {"right": right, "answered": answered, "skipped": skipped, "total": total}


def test_playing_across_a_chapters_end_stops_to_ask_and_a_seek_past_it_does_not(
    browser: Browser, pages: dict[str, Path]
) -> None:
    fresh(browser, pages["one"])
    assert panel(browser)["open"] is False
    play_from(browser, 1.8)
    wait_for(browser, f"{V}.paused && !{V}.seeking")
    t = browser.eval(f"{V}.currentTime")
    assert 1.95 <= t < 2.0  # stopped on the chapter's last frame, not the next chapter's first
    p = panel(browser)
    assert p["open"] and p["chapters"] == ["alpha"] and p["questions"] == [SHAPE, COST]
    assert p["lede"] == "“The first chapter” has ended: 2 questions on it." and p["focus"] == "quiz-title"
    assert p["buttons"] == ["Skip these questions", "Ask me later"]
    assert p["score"] == "The lecture asks 3 questions; none answered yet."
    box = browser.eval(
        f"[{V}.getBoundingClientRect().toJSON(), document.getElementById('quiz').getBoundingClientRect().toJSON()]"
    )
    assert box[1]["left"] >= box[0]["right"] and box[1]["top"] < box[0]["bottom"]  # beside the video, not over it

    reopen(browser, pages["one"])  # a seek past the chapter's end, paused then playing, does not ask
    play_from(browser, 2.2)
    time.sleep(0.3)
    browser.eval(f"{V}.currentTime = 1.6; 1")
    time.sleep(0.3)
    browser.eval(f"{V}.currentTime = 2.3; 1")  # while playing
    time.sleep(0.4)
    assert browser.eval(f"{V}.paused") is False and panel(browser)["open"] is False
    browser.eval(f"{V}.pause(); 1")


def test_an_answer_shows_its_feedback_and_the_link_plays_the_beat_that_teaches_it(
    browser: Browser, pages: dict[str, Path]
) -> None:
    fresh(browser, pages["one"])
    b = bank()
    shape, cost, which = b.questions
    assert browser.eval("window.__quiz.open('alpha')") is True
    wrong = wrong_index(SHAPE)
    assert browser.eval(f"window.__quiz.check('{SHAPE}')") is None  # nothing chosen: nothing counted
    assert feedback(browser, SHAPE)["verdict"] == "Choose one of the answers first." and state(browser)["results"] == {}
    browser.eval(f"window.__quiz.answer('{SHAPE}', {wrong})")
    assert browser.eval(f"window.__quiz.check('{SHAPE}')") == "wrong"
    f = feedback(browser, SHAPE)
    assert f["verdict"] == "✗ Not quite: the answer is “4 × 2”."
    assert f["said"] == shape.choices[wrong].feedback and f["explanation"] == shape.explanation
    assert f["watch"] == "Watch the moment that teaches this (0:00)" and f["live"] == "polite"
    assert f["focused"] and f["locked"]
    # the first answer counts
    assert browser.eval(f"window.__quiz.answer('{SHAPE}', {right_index(SHAPE)})") is False
    assert browser.eval(f"window.__quiz.check('{SHAPE}')") == "wrong"

    browser.eval(f"window.__quiz.answer('{COST}', 'about two')")
    assert browser.eval(f"window.__quiz.check('{COST}')") is None
    assert feedback(browser, COST)["verdict"].startswith("Type a number first")
    browser.eval(f"window.__quiz.answer('{COST}', '\u22120,0073')")  # a true minus and a decimal comma, within 0.0005
    assert browser.eval(f"window.__quiz.check('{COST}')") == "right"
    f = feedback(browser, COST)
    assert (
        f["verdict"] == "✓ Right: −0.0071."
        and f["said"] == "You answered −0.0073; anything within 0.0005 of it counts."
    )
    assert f["explanation"] == cost.explanation and f["focused"]

    browser.eval("window.__quiz.open('beta')")
    browser.eval(f"window.__quiz.answer('{WHICH}', {right_index(WHICH)}); window.__quiz.check('{WHICH}')")
    f = feedback(browser, WHICH)
    assert f["verdict"] == "✓ Right." and f["said"] == which.correct.feedback
    assert f["watch"] == "Watch the moment that teaches this (0:02)"

    browser.eval("window.__quiz.open('alpha'); 1")
    browser.eval(f"document.querySelector('.quiz-q[data-id=\"{SHAPE}\"] .quiz-watch').click(); 1")
    wait_for(browser, f"!{V}.paused && !{V}.seeking")
    assert 0.8 <= browser.eval(f"{V}.currentTime") < 1.6  # the beat "shape" starts at 0.8 s
    browser.eval(f"{V}.pause(); 1")


def test_scores_by_chapter_and_lecture_are_kept_across_a_reload_and_apart_for_each_lecture(
    browser: Browser, pages: dict[str, Path]
) -> None:
    fresh(browser, pages["one"])
    browser.eval("window.__quiz.open('alpha')")
    browser.eval(f"window.__quiz.answer('{SHAPE}', {right_index(SHAPE)}); window.__quiz.check('{SHAPE}')")
    browser.eval(f"window.__quiz.answer('{COST}', 0.5); window.__quiz.check('{COST}')")
    p = panel(browser)
    assert p["score"] == "Your score for the lecture: 1 of 2 right · 1 to go." and p["bar"] == "1 of 2 right · 1 to go"
    assert p["buttons"] == ["Close the questions"]  # opened while paused: nothing to resume
    chapter_scores = (
        "Array.from(document.querySelectorAll('.quiz-chapter-score')).map(function (s) { return s.textContent; })"
    )
    assert browser.eval(chapter_scores) == ["· 1 of 2 right", "· 1 question"]
    assert state(browser) == {"score": score(1, 2, 0), "results": {SHAPE: "right", COST: "wrong"}}
    assert [c["score"] for c in browser.eval("window.__quiz.chapters()")] == [score(1, 2, 0, 2), score(0, 0, 0, 1)]

    reopen(browser, pages["one"])
    assert state(browser) == {"score": score(1, 2, 0), "results": {SHAPE: "right", COST: "wrong"}}
    assert panel(browser)["bar"] == "1 of 2 right · 1 to go" and browser.eval(chapter_scores)[0] == "· 1 of 2 right"
    f = feedback(browser, COST)
    assert (
        f["verdict"] == "✗ Not quite: the answer is −0.0071."
        and f["said"].startswith("You answered 0.5;")
        and f["locked"]
    )

    reopen(browser, pages["two"])  # another lecture: its own answers
    assert state(browser) == {"score": score(0, 0, 0), "results": {}}
    browser.eval(f"window.__quiz.answer('{WHICH}', {right_index(WHICH)}); window.__quiz.check('{WHICH}')")
    reopen(browser, pages["one"])
    assert state(browser)["results"] == {SHAPE: "right", COST: "wrong"}
    reopen(browser, pages["two"])
    assert state(browser) == {"score": score(1, 1, 0), "results": {WHICH: "right"}}
    keys = browser.eval("Object.keys(localStorage).sort()")
    assert len(keys) == 2 and all(k.startswith("lecturequiz:") for k in keys)

    # answers saved before an author edited the bank: a choice is found again by its text, or dropped
    saved = {
        SHAPE: {"result": "wrong", "value": 0, "text": "4 × 2"},  # reordered since: right, and where it is now
        WHICH: {"result": "right", "value": 1, "text": "Curve Z"},  # a choice no longer asked
        "gone.question": {"result": "right", "value": 0, "text": "x"},
        COST: {"result": "right", "value": "NaN", "text": "?"},
    }
    value = json.dumps({"format": 1, "results": saved})
    browser.eval(f"localStorage.setItem({json.dumps(storage_key(bank()))}, {json.dumps(value)}); 1")
    reopen(browser, pages["one"])
    assert state(browser)["results"] == {SHAPE: "right"}
    assert browser.eval(f"document.querySelectorAll('input[name=\"quiz-q1\"]')[{right_index(SHAPE)}].checked") is True


def test_skip_moves_on_and_ask_me_later_asks_again_when_the_video_ends(
    browser: Browser, pages: dict[str, Path]
) -> None:
    fresh(browser, pages["one"])
    play_from(browser, 1.8)
    wait_for(browser, f"{V}.paused")
    browser.eval("document.getElementById('quiz-later').click(); 1")
    assert panel(browser)["open"] is False and panel(browser)["focus"] == "lecture" and state(browser)["results"] == {}
    time.sleep(0.3)  # on across the chapter's end again (the questions stopped it just before): not asked again
    assert browser.eval(f"{V}.paused") is False and browser.eval(f"{V}.currentTime") > 2.05
    assert panel(browser)["open"] is False
    browser.eval(f"{V}.currentTime = 3.6; 1")  # (sooner to its end)
    wait_for(browser, f"{V}.ended")
    p = panel(browser)
    assert p["open"] and p["chapters"] == ["alpha", "beta"] and p["questions"] == [SHAPE, COST, WHICH]
    assert p["lede"] == "The lecture has ended; here are the questions you left for later."
    assert p["buttons"] == ["Skip these questions"]  # nothing later than the end
    browser.eval("document.getElementById('quiz-skip').click(); 1")
    assert state(browser) == {"score": score(0, 0, 3), "results": dict.fromkeys([SHAPE, COST, WHICH], "skipped")}
    assert (
        panel(browser)["open"] is False and feedback(browser, SHAPE)["verdict"] == "Skipped: you can still answer it."
    )

    fresh(browser, pages["one"])
    play_from(browser, 1.8)
    wait_for(browser, f"{V}.paused")
    browser.eval(f"window.__quiz.answer('{SHAPE}', {right_index(SHAPE)}); window.__quiz.check('{SHAPE}')")
    browser.eval("document.getElementById('quiz-skip').click(); 1")
    assert state(browser) == {"score": score(1, 1, 1), "results": {SHAPE: "right", COST: "skipped"}}
    assert panel(browser)["open"] is False and browser.eval(f"{V}.paused") is False  # the lecture goes on
    browser.eval(f"{V}.currentTime = 3.6; 1")
    wait_for(browser, f"{V}.ended")
    p = panel(browser)
    assert p["open"] and p["questions"] == [WHICH]  # the last chapter, asked at the end; the skipped one not again
    browser.eval("window.__quiz.open('alpha')")  # a skipped question may still be answered
    browser.eval(f"window.__quiz.answer('{COST}', -0.007); window.__quiz.check('{COST}')")
    assert state(browser)["results"][COST] == "right"


def test_the_questions_work_with_the_keyboard_alone(browser: Browser, pages: dict[str, Path]) -> None:
    fresh(browser, pages["one"])
    tab = ("Tab", "Tab", 9)
    browser.key(*tab)
    assert panel(browser)["focus"] == "lecture"  # the video comes first
    browser.eval(f"{V}.currentTime = 1.8; 1")
    wait_for(browser, f"!{V}.seeking")
    browser.key(" ", "Space", 32)  # the video's own controls: play
    wait_for(browser, f"{V}.paused && !document.getElementById('quiz').hidden")
    assert panel(browser)["focus"] == "quiz-title"
    browser.key(*tab)
    assert browser.eval("document.activeElement.name") == "quiz-q1"  # the first choice of the first question
    for _ in range(right_index(SHAPE)):
        browser.key("ArrowDown", "ArrowDown", 40)
    browser.key(" ", "Space", 32)
    browser.key(*tab)
    assert browser.eval("document.activeElement.textContent") == "Check"
    browser.key("Enter", "Enter", 13, text="\r")
    assert feedback(browser, SHAPE)["focused"] and state(browser)["results"] == {SHAPE: "right"}
    browser.key(*tab)
    assert browser.eval("document.activeElement.className") == "quiz-watch"
    browser.key(*tab)
    assert browser.eval("document.activeElement.id") == "quiz-q2-value"
    browser.type("-0.0071")
    browser.key("Enter", "Enter", 13, text="\r")  # Enter in the number checks it
    assert feedback(browser, COST)["focused"] and state(browser)["results"][COST] == "right"
    browser.key(*tab)
    browser.key(*tab)
    assert browser.eval("document.activeElement.textContent") == "Continue the lecture"
    browser.key(*tab)  # no trap: on out of the panel, and back
    assert browser.eval("document.activeElement.closest('#quiz') === null")
    browser.key(*tab, shift=True)
    assert browser.eval("document.activeElement.id") == "quiz-continue"
    browser.key("Enter", "Enter", 13, text="\r")
    assert panel(browser)["open"] is False and panel(browser)["focus"] == "lecture"
    assert browser.eval(f"{V}.paused") is False
    browser.eval(f"{V}.pause(); 1")

    browser.eval("window.__quiz.reset()")
    play_from(browser, 1.8)
    wait_for(browser, f"{V}.paused")
    browser.key("Escape", "Escape", 27)  # ask me later
    assert panel(browser)["open"] is False and panel(browser)["focus"] == "lecture" and state(browser)["results"] == {}
    assert browser.eval(f"{V}.paused") is False
    browser.eval(f"{V}.pause(); 1")


def test_every_answer_skip_and_the_end_fire_a_lecturequiz_event_with_the_lectures_score(
    browser: Browser, pages: dict[str, Path]
) -> None:
    fresh(browser, pages["one"])
    browser.eval(f"window.__quiz.answer('{SHAPE}', {right_index(SHAPE)}); window.__quiz.check('{SHAPE}')")
    browser.eval("window.__quiz.open('alpha')")
    browser.eval("document.getElementById('quiz-skip').click(); 1")
    browser.eval(f"window.__quiz.answer('{WHICH}', {wrong_index(WHICH)}); window.__quiz.check('{WHICH}')")
    assert browser.eval("window.__events") == [
        {"type": "answer", "score": score(1, 1, 0)},
        {"type": "skip", "score": score(1, 1, 1)},
        {"type": "answer", "score": score(1, 2, 1)},
        {"type": "complete", "score": score(1, 2, 1)},
    ]
    reopen(browser, pages["one"])  # complete already: a reload, and answering a skipped question, do not say it again
    browser.eval(f"window.__quiz.answer('{COST}', -0.0071); window.__quiz.check('{COST}')")
    assert browser.eval("window.__events") == [{"type": "answer", "score": score(2, 3, 0)}]
    browser.eval("window.__quiz.reset()")
    assert state(browser) == {"score": score(0, 0, 0), "results": {}}
    reopen(browser, pages["one"])
    assert state(browser)["results"] == {} and feedback(browser, SHAPE)["verdict"] == ""


def run_axe(browser: Browser) -> list[dict[str, Any]]:
    if not browser.eval("typeof window.axe === 'object'"):
        browser.eval(AXE.read_text(encoding="utf-8") + "\n;1")
    result = browser.eval(
        """axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
             .then(function (r) { return r.violations.map(function (v) {
               return {id: v.id, help: v.help,
                       nodes: v.nodes.map(function (n) { return n.target.join(" "); })}; }); })"""
    )
    return list(result)


def test_axe_finds_no_wcag_a_or_aa_violation_with_a_question_open_or_answered(
    browser: Browser, pages: dict[str, Path]
) -> None:
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed ({AXE} is missing; scripts/vendor.sh --test installs it)")
    fresh(browser, pages["one"])
    browser.eval("window.__quiz.open('alpha')")
    assert run_axe(browser) == []
    browser.eval(f"window.__quiz.answer('{SHAPE}', {wrong_index(SHAPE)}); window.__quiz.check('{SHAPE}')")
    browser.eval(f"window.__quiz.answer('{COST}', 1); window.__quiz.check('{COST}')")
    assert run_axe(browser) == []
    browser.eval("window.__quiz.open('beta')")  # the "which picture" question, answered
    browser.eval(f"window.__quiz.answer('{WHICH}', {right_index(WHICH)}); window.__quiz.check('{WHICH}')")
    browser.eval("document.getElementById('quiz-bar').open = true; 1")
    assert run_axe(browser) == []


def test_no_request_leaves_the_page_and_without_javascript_nothing_shows(
    browser: Browser, pages: dict[str, Path]
) -> None:
    fresh(browser, pages["one"])
    browser.eval("window.__quiz.open('alpha'); window.__quiz.open('beta')")  # every picture asked for
    loaded = (
        "Array.from(document.querySelectorAll('#quiz img')).filter(function (i) { return i.naturalWidth > 0; }).length"
    )
    wait_for(browser, f"{loaded} === 4")  # the question's picture and the three choices' pictures
    urls = browser.requests()
    assert [u for u in urls if not u.startswith(("file:", "data:"))] == []
    assert {u.rsplit("/", 2)[-2] + "/" + u.rsplit("/", 1)[-1] for u in urls if "/questions/" in u} >= {
        "questions/a.png",
        "questions/b.png",
        "questions/c.png",
    }

    browser.open(pages["one"].as_uri(), scripts=False)
    try:
        wait_for(browser, f"{V}.readyState >= 1")
        found = browser.eval(
            """({quiz: typeof window.__quiz, panel: document.getElementById("quiz").getClientRects().length,
                 bar: document.getElementById("quiz-bar").getClientRects().length,
                 video: document.getElementById("lecture").duration})"""
        )
        assert found == {"quiz": "undefined", "panel": 0, "bar": 0, "video": pytest.approx(4.0, abs=0.15)}
    finally:
        browser.send("Emulation.setScriptExecutionDisabled", value=False)


def test_the_panel_sits_beside_the_video_or_under_it_on_a_narrow_screen(
    browser: Browser, pages: dict[str, Path], tmp_path: Path
) -> None:
    """Screenshots at 1200 and 480 pixels wide, with a question open and with its feedback; nothing overlaps."""
    fresh(browser, pages["one"])
    layout = """(function () {
      var v = document.getElementById("lecture").getBoundingClientRect();
      var q = document.getElementById("quiz").getBoundingClientRect();
      var kids = Array.from(document.querySelectorAll("#quiz .quiz-q:not([hidden]) > *, #quiz .quiz-actions > *"))
        .filter(function (e) { return e.getClientRects().length; })
        .map(function (e) { return e.getBoundingClientRect(); });
      var inside = kids.every(function (k) { return k.left >= q.left - 0.5 && k.right <= q.right + 0.5; });
      function disjoint(a, b) {
        return a.bottom <= b.top + 0.5 || b.bottom <= a.top + 0.5 || a.right <= b.left + 0.5 || b.right <= a.left + 0.5;
      }
      var apart = kids.every(function (a, i) {
        return kids.every(function (b, j) { return i === j || disjoint(a, b); });
      });
      var bar = document.getElementById("quiz-bar").getBoundingClientRect();
      return {beside: q.left >= v.right, under: q.top >= v.bottom, inside: inside,
              apart: apart && disjoint(q, v) && disjoint(q, bar) && disjoint(v, bar),
              scroll: document.documentElement.scrollWidth <= window.innerWidth};
    })()"""
    try:
        for width in (1200, 480):
            browser.send(
                "Emulation.setDeviceMetricsOverride", width=width, height=900, deviceScaleFactor=1, mobile=False
            )
            browser.eval("window.__quiz.reset(); window.__quiz.open('alpha')")
            wait_for(
                browser, "Array.from(document.querySelectorAll('#quiz img')).every(function (i) { return i.complete; })"
            )
            found = browser.eval(layout)
            assert (
                found["beside" if width == 1200 else "under"] and found["inside"] and found["apart"] and found["scroll"]
            )
            browser.screenshot(tmp_path / f"question-{width}.png")
            browser.eval(f"window.__quiz.answer('{SHAPE}', {wrong_index(SHAPE)}); window.__quiz.check('{SHAPE}')")
            browser.eval(f"window.__quiz.answer('{COST}', 0.25); window.__quiz.check('{COST}')")
            found = browser.eval(layout)
            assert found["inside"] and found["apart"] and found["scroll"]
            browser.screenshot(tmp_path / f"feedback-{width}.png")
    finally:
        browser.send("Emulation.setDeviceMetricsOverride", width=1200, height=900, deviceScaleFactor=1, mobile=False)


@pytest.mark.skipif(not ESLINT.is_file(), reason="ESLint is not installed (scripts/vendor.sh --test installs it)")
def test_eslint_passes_on_the_quiz_script() -> None:
    """``make lint`` runs ESLint on every script in the page's templates; quiz.js is one of them."""
    quiz_js = ROOT / "lecture" / "page" / "templates" / "quiz.js"
    # --max-warnings 0: a file the configuration did not cover would pass with a warning ("File ignored")
    r = subprocess.run(
        [str(ESLINT), "--max-warnings", "0", str(quiz_js)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0, r.stdout + r.stderr
