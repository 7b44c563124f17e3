"""``python -m lecture package``: the SCORM 1.2 zip in an LMS's runtime, the GIFT and QTI files read back.

A small lecture folder is made as the build publishes it, without rendering: a tiny H.264
``lecture.mp4`` (PyAV), the page from :func:`lecture.page.lecture_page.page_html`, the tracks, the
thumbnails, a manifest whose segments carry their beats, and a real question bank
(:func:`lecture.quiz.bank.write_bank`) with a multiple-choice question full of GIFT's and
Markdown's special characters, numeric questions (one under text2qti's 0.0001), a "which picture"
question and a dropped one. The command is run as a user runs it (a child process) and its files
are checked by independent readers: the zip's ``imsmanifest.xml`` with ElementTree, the package
in headless Chromium inside a wrapper page whose SCORM 1.2 API is scorm-again's (the LMS side),
the GIFT file with gift-pegjs (node), the QTI zip's XML with ElementTree.
"""

from __future__ import annotations

import base64
import html
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import unquote

import pytest
from cdp import CHROMIUM, Browser
from explorer_page import write_video
from PIL import Image

from lecture.assemble.captions import Cue, chapters, to_srt, to_vtt
from lecture.assemble.companions import Chapter
from lecture.cli import main
from lecture.package.built import local_file, read_lecture
from lecture.package.gift import escape, number
from lecture.package.qti import md_escape
from lecture.package.scorm import glue_tag
from lecture.page.lecture_page import page_html
from lecture.quiz.bank import Bank, Picture, Question, Teaches, write_bank
from lecture.quiz.questions import choice, numeric

ROOT = Path(__file__).resolve().parents[1]
NODE = shutil.which("node")
SCORM_AGAIN = ROOT / "node_modules" / "scorm-again" / "dist" / "scorm-again.js"
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (Debian package `chromium`)")
needs_gift_parser = pytest.mark.skipif(
    NODE is None or not (ROOT / "node_modules" / "gift-pegjs").is_dir(), reason="needs node and gift-pegjs (npm ci)"
)

try:  # the page's quiz (lecture/page/quiz.py), once the page has one: the glue then meets the real quiz
    PAGE_QUIZ: Any = importlib.import_module("lecture.page.quiz")
except ImportError:
    PAGE_QUIZ = None

QUALITY = "preview"
TITLE = "Explainable training: a 2-4-1 network learns the flower data set"
SEGMENTS = [
    ("title", "The run this lecture explains", 2.0, ["opening"]),
    ("matrix_algebra", "The data as matrices: W1 {4 × 2}", 3.0, ["one_unit", "stack"]),
    ("decision_boundary", "Training moves the boundary", 3.0, ["boundary"]),
    ("summary", "Summary / what to remember", 1.0, ["close"]),
]
TRICKY = "a {b} = c ~ d # e: f → g × h \\ i * j _k_ <b>l</b> & m $n$ [o](p) 'q' \"r\" -- s... 1. t"
"""Every character GIFT reserves, Markdown's, HTML's and two non-ASCII ones."""


# --- the lecture folder the build would publish ---------------------------------------------------


def png(path: Path, colour: tuple[int, int, int]) -> Picture:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (24, 16), colour).save(path)
    return Picture(f"questions/{path.name}", f"a {colour} square; the boundary at x = 1")


def make_bank(folder: Path) -> Bank:
    """A bank like the generators' and an author's: choice, numeric, picture, dropped questions."""
    pics = folder / "questions"
    shapes = choice(
        "matrix_algebra.w1_shape",
        "matrix_algebra",
        f"What is the shape of W1? {TRICKY}",
        ("4 × 2", f"Right: one row per hidden unit. {TRICKY}"),
        [("2 × 4", "That is W1 transposed: {rows} = units, not inputs."), ("4 × 400", "That is A1: #units × m.")],
        f"W1 stacks the 4 units' weight rows: 4 × 2. {TRICKY}",
        Teaches("matrix_algebra", "stack"),
    )
    z = numeric(
        "matrix_algebra.z_first",
        "matrix_algebra",
        "What is z for the first point (3 decimals)?",
        -0.00714,
        0.00005,
        "z = w·x + b ≈ −0.007.",
        Teaches("matrix_algebra", "one_unit"),
    )
    tiny = numeric(
        "matrix_algebra.w_tiny",
        "matrix_algebra",
        "What is the second weight of unit 1?",
        -0.00056,
        0.00002,
        "It starts tiny: 0.01 × a standard normal draw.",
        Teaches("matrix_algebra", "one_unit"),
        unit="(no unit: a weight)",
    )
    which = choice(
        "decision_boundary.which",
        "decision_boundary",
        "Which picture shows the boundary after training?",
        ("the red one", "Right: it follows the petals."),
        [("the blue one", "That is the boundary at iteration 0."), ("the green one", "")],
        "The trained boundary wraps the petals.",
        Teaches("decision_boundary", "boundary"),
        picture=png(pics / "field-0123456789.png", (200, 200, 200)),
        pictures={
            "the red one": png(pics / "red-aaaaaaaaaa.png", (220, 30, 30)),
            "the blue one": png(pics / "blue-bbbbbbbbbb.png", (30, 30, 220)),
            "the green one": png(pics / "green-cccccccccc.png", (30, 220, 30)),
        },
    )
    dropped = numeric(
        "decision_boundary.dropped",
        "decision_boundary",
        "A question an author dropped.",
        1.0,
        0.1,
        "Not asked.",
        Teaches("decision_boundary", "boundary"),
    )
    assert shapes is not None and which is not None
    return Bank(TITLE, "ab" * 32, (shapes, z, tiny, which, replace(dropped, dropped=True)))


def make_lecture(build_dir: Path, with_bank: bool = True) -> Path:
    """``build_dir/lecture/preview/`` as ``python -m lecture build`` publishes it (no render)."""
    folder = build_dir / "lecture" / QUALITY
    (folder / "thumbs").mkdir(parents=True)
    starts = [sum(s[2] for s in SEGMENTS[:i]) for i in range(len(SEGMENTS))]
    chs = [
        Chapter(
            SimpleNamespace(name=n, title=t),  # type: ignore[arg-type]
            SimpleNamespace(duration=Fraction(d)),  # type: ignore[arg-type]
            Fraction(s),
            i + 1,
        )
        for i, ((n, t, d, _), s) in enumerate(zip(SEGMENTS, starts, strict=True))
    ]
    write_video(folder / "lecture.mp4", sum(s[2] for s in SEGMENTS))
    Image.new("RGB", (64, 36), (20, 20, 30)).save(folder / "poster.png")
    for c in chs:
        Image.new("RGB", (320, 180), (30, 34, 40)).save(folder / c.thumb_name)
    chapters_vtt = to_vtt(
        chapters([s[1] for s in SEGMENTS], [c.rendered.duration for c in chs]), ids=[s[0] for s in SEGMENTS]
    )
    captions = [Cue(Fraction(0), Fraction(2), "opening caption")]
    (folder / "chapters.vtt").write_text(chapters_vtt, encoding="utf-8")
    (folder / "captions.vtt").write_text(to_vtt(captions), encoding="utf-8")
    (folder / "captions.srt").write_text(to_srt(captions), encoding="utf-8")
    manifest = {
        "format": 2,
        "build_key": "cd" * 32,
        "quality": QUALITY,
        "video": {"file": "lecture.mp4", "duration": sum(s[2] for s in SEGMENTS)},
        "files": {
            "chapters": "chapters.vtt",
            "captions_vtt": "captions.vtt",
            "captions_srt": "captions.srt",
            "poster": "poster.png",
            "page": "index.html",
        },
        "segments": [
            {
                "name": n,
                "title": t,
                "start": s,
                "duration": d,
                "thumbnail": c.thumb_name,
                "beats": [{"name": b, "start": s, "end": s + d, "lines": []} for b in beats],
            }
            for (n, t, d, beats), s, c in zip(SEGMENTS, starts, chs, strict=True)
        ],
    }
    bank = make_bank(folder) if with_bank else None
    quiz: dict[str, Any] = {}
    if bank is not None and PAGE_QUIZ is not None:  # the page's own quiz, where the page has one
        quiz["quiz"] = PAGE_QUIZ.quiz_view(bank, manifest)
    page = page_html(
        title=TITLE,
        facts=["4 hidden units", "10,000 iterations"],
        chs=chs,
        chapters_vtt=chapters_vtt,
        captions_vtt=to_vtt(captions),
        size=(64, 36),
        footer="Built for a test.",
        **quiz,
    )
    (folder / "index.html").write_text(page, encoding="utf-8")
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    if bank is not None:
        write_bank(bank, folder)
    return folder


def package(build_dir: Path, *args: str, home: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m lecture package --quality preview --build-dir build_dir ARGS``, as a user runs it (a child)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if home is not None:
        env["HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "lecture", "package", "--quality", QUALITY, "--build-dir", str(build_dir), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def cli(capsys: pytest.CaptureFixture[str], build_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The same command run in this process (what :func:`lecture.cli.main` prints and returns), for speed."""
    capsys.readouterr()
    argv = ["package", "--quality", QUALITY, "--build-dir", str(build_dir), *args]
    code = main(argv)
    captured = capsys.readouterr()
    return subprocess.CompletedProcess(argv, code, captured.out, captured.err)


def one_line_error(r: subprocess.CompletedProcess[str]) -> str:
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith("error: ") and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr, r.stderr
    return r.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    """A lecture folder and its package, written once for the module (HOME an empty folder)."""
    root = tmp_path_factory.mktemp("package")
    build_dir = root / "build"
    folder = make_lecture(build_dir)
    home = root / "home"
    home.mkdir()
    r = package(build_dir, home=home)
    assert r.returncode == 0, r.stderr
    yield SimpleNamespace(
        root=root,
        build_dir=build_dir,
        folder=folder,
        out=build_dir / "package" / QUALITY,
        bank=make_bank(root / "scratch"),
        run=r,
        home=home,
    )


def taught(built: SimpleNamespace, q: Question) -> str:
    """The sentence the LMS formats add to an explanation: the teaching beat's chapter and time, from the manifest."""
    m = json.loads((built.folder / "manifest.json").read_text())
    seg = next(s for s in m["segments"] if s["name"] == q.teaches.segment)
    start = next(b["start"] for b in seg["beats"] if b["name"] == q.teaches.beat)
    return f"The lecture teaches this in “{seg['title']}” at {int(start) // 60}:{int(start) % 60:02d}."


def zip_bytes(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist() if not n.endswith("/")}


# --- the command ----------------------------------------------------------------------------------


def test_package_writes_the_three_files_says_so_and_leaves_home_alone(built: SimpleNamespace) -> None:
    written = sorted(p.name for p in built.out.iterdir())
    assert written == ["lecture-scorm12.zip", "questions-qti.zip", "questions.gift.txt"]  # no temporary left
    progress = built.run.stderr.splitlines()
    assert progress and all(line.startswith("package: ") for line in progress)
    assert "4 questions" in progress[0]
    assert built.run.stdout.count("\n") == 1 and all(name in built.run.stdout for name in written)
    assert list(built.home.iterdir()) == []  # text2qti's Config.load() would write ~/.text2qti.bespon
    assert not list(built.folder.glob("**/.*"))  # nothing written into the lecture folder


def test_the_same_lecture_gives_the_same_scorm_zip(
    built: SimpleNamespace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    r = cli(capsys, built.build_dir, "--format", "scorm,gift", "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lecture-scorm12.zip", "questions.gift.txt"]
    for name in ("lecture-scorm12.zip", "questions.gift.txt"):
        assert (tmp_path / name).read_bytes() == (built.out / name).read_bytes()


# --- SCORM 1.2: the manifest ----------------------------------------------------------------------

CP = "{http://www.imsproject.org/xsd/imscp_rootv1p1p2}"
ADLCP = "{http://www.adlnet.org/xsd/adlcp_rootv1p2}"


def test_scorm_manifest_lists_exactly_the_files_of_the_zip(built: SimpleNamespace) -> None:
    files = zip_bytes(built.out / "lecture-scorm12.zip")
    with zipfile.ZipFile(built.out / "lecture-scorm12.zip") as zf:
        assert zf.namelist()[0] == "imsmanifest.xml"
    root = ET.fromstring(files["imsmanifest.xml"])
    assert root.tag == f"{CP}manifest" and re.fullmatch(r"[A-Za-z][\w.-]*", root.get("identifier", ""))
    assert "adlcp_rootv1p2.xsd" in root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation", "")
    assert root.findtext(f"{CP}metadata/{CP}schema") == "ADL SCORM"
    assert root.findtext(f"{CP}metadata/{CP}schemaversion") == "1.2"
    orgs = root.find(f"{CP}organizations")
    assert orgs is not None
    (org,) = orgs.findall(f"{CP}organization")
    assert orgs.get("default") == org.get("identifier") and org.findtext(f"{CP}title") == TITLE
    (item,) = org.findall(f"{CP}item")
    assert item.findtext(f"{ADLCP}masteryscore") == "80" and item.findtext(f"{CP}title") == TITLE
    (resource,) = root.findall(f"{CP}resources/{CP}resource")
    assert resource.get("identifier") == item.get("identifierref")
    assert resource.get(f"{ADLCP}scormtype") == "sco" and resource.get("type") == "webcontent"
    assert resource.get("href") == "index.html" and "index.html" in files
    listed = [unquote(f.get("href", "")) for f in resource.findall(f"{CP}file")]
    assert len(listed) == len(set(listed))
    assert set(listed) == set(files) - {"imsmanifest.xml"}
    expected = {
        "index.html", "scorm.js", "lecture.mp4", "captions.vtt", "captions.srt", "chapters.vtt", "poster.png",
        "manifest.json", "questions.json", *(f"thumbs/{i + 1:02d}-{s[0]}.jpg" for i, s in enumerate(SEGMENTS)),
        "questions/field-0123456789.png", "questions/red-aaaaaaaaaa.png", "questions/blue-bbbbbbbbbb.png",
        "questions/green-cccccccccc.png",
    }  # fmt: skip
    assert set(listed) == expected
    for name in expected - {"index.html", "scorm.js"}:
        assert files[name] == (built.folder / name).read_bytes(), name
    page = (built.folder / "index.html").read_text(encoding="utf-8")
    at = page.rfind("</body>")
    assert files["index.html"].decode() == page[:at] + glue_tag(80, 4) + page[at:]
    assert files["scorm.js"] == (ROOT / "lecture/package/templates/scorm.js").read_bytes()


def test_page_links_name_files_of_the_folder_only() -> None:
    assert local_file("lecture.mp4#t=3.000") == "lecture.mp4"
    assert local_file("thumbs/01%20a.jpg") == "thumbs/01 a.jpg"
    for other in ("#t=1", "data:text/vtt;base64,AA==", "https://example.org/x", "/etc/passwd", "../x.html", ""):
        assert local_file(other) is None


# --- SCORM 1.2: the runtime, in an LMS and without one ------------------------------------------------

LMS_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>LMS</title>
<script src="{scorm_again}"></script>
<script>
  window.calls = {{finish: 0, commit: 0}};
  window.API = new Scorm12API({{logLevel: 5, autocommit: false}});
  window.API.cmi.student_data.mastery_score = "{mastery}";
  window.API.on("LMSFinish", function () {{ window.calls.finish++; }});
  window.API.on("LMSCommit", function () {{ window.calls.commit++; }});
  window.API.on("LMSSetValue.cmi.core.session_time", function (key, value) {{ window.calls.session = value; }});
</script></head>
<body><iframe id="sco" src="pkg/index.html" width="800" height="600"></iframe></body></html>
"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    if CHROMIUM is None:
        pytest.skip("needs Chromium")
    b = Browser(tmp_path_factory.mktemp("chromium-profile"), args=["--allow-file-access-from-files"])
    try:
        yield b
    finally:
        b.close()


def unpacked(built: SimpleNamespace, where: Path, mastery: str) -> Path:
    """The SCORM zip unzipped into ``where/pkg``, and an LMS page beside it (``where/lms.html``)."""
    with zipfile.ZipFile(built.out / "lecture-scorm12.zip") as zf:
        zf.extractall(where / "pkg")
    lms = where / "lms.html"
    lms.write_text(LMS_PAGE.format(scorm_again=SCORM_AGAIN.as_uri(), mastery=mastery), encoding="utf-8")
    return lms


def quiz_events(b: Browser, events: list[dict[str, Any]]) -> None:
    """The page's quiz events, dispatched in the packaged page as its quiz does."""
    b.eval(
        "(() => { const w = document.getElementById('sco').contentWindow;"
        f" for (const detail of {json.dumps(events)})"
        " w.document.dispatchEvent(new w.CustomEvent('lecturequiz', {detail})); })()"
    )


def score(right: int, answered: int, skipped: int, total: int = 4) -> dict[str, int]:
    return {"right": right, "answered": answered, "skipped": skipped, "total": total}


def core(b: Browser) -> dict[str, Any]:
    return b.eval(
        "({status: API.cmi.core.lesson_status, raw: API.cmi.core.score.raw, min: API.cmi.core.score.min,"
        " max: API.cmi.core.score.max, session: window.calls.session, terminated: API.isTerminated(),"
        " calls: window.calls})"
    )


@needs_chromium
def test_in_an_lms_the_quiz_sets_the_score_and_the_status_and_leaving_finishes(
    built: SimpleNamespace, browser: Browser, tmp_path: Path
) -> None:
    b = browser
    b.open(unpacked(built, tmp_path, "80").as_uri(), ready="window.API && window.API.isInitialized()", timeout=30)
    assert core(b)["status"] == "incomplete"
    assert b.eval("!!document.getElementById('sco').contentWindow.__quiz")  # the packaged page asks
    # The page's own quiz (window.__quiz): answer every asked question right, as a learner would
    # (a choice by its index in the bank, a number by its value), then check each.
    for q in built.bank.asked():
        value = [c.correct for c in q.choices].index(True) if q.kind == "choice" else q.answer
        b.eval(f"document.getElementById('sco').contentWindow.__quiz.answer({json.dumps(q.id)}, {json.dumps(value)})")
        b.eval(f"document.getElementById('sco').contentWindow.__quiz.check({json.dumps(q.id)})")
    assert core(b)["raw"] == "100" and core(b)["status"] == "passed"
    assert core(b)["calls"]["commit"] >= len(built.bank.asked()) and not core(b)["terminated"]
    time.sleep(1.1)
    b.eval("document.getElementById('sco').src = 'about:blank'")  # the learner leaves: the page's pagehide
    deadline = time.monotonic() + 10
    while not core(b)["terminated"] and time.monotonic() < deadline:
        time.sleep(0.05)
    c = core(b)
    assert c["terminated"] and c["calls"]["finish"] == 1
    assert re.fullmatch(r"\d{2,4}:[0-5]\d:[0-5]\d", c["session"]) and c["session"] != "00:00:00", c["session"]


@needs_chromium
def test_the_glue_reports_every_quiz_event(built: SimpleNamespace, browser: Browser, tmp_path: Path) -> None:
    """The quiz's contract, its events sent with partial scores: the raw score and the status follow each."""
    b = browser
    b.open(unpacked(built, tmp_path, "80").as_uri(), ready="window.API && window.API.isInitialized()", timeout=30)
    quiz_events(b, [{"type": "answer", "score": score(1, 1, 0)}])
    c = core(b)
    assert (c["raw"], c["min"], c["max"], c["status"]) == ("25", "0", "100", "incomplete")
    quiz_events(b, [{"type": "skip", "score": score(1, 1, 1)}, {"type": "answer", "score": score(2, 2, 1)}])
    assert core(b)["raw"] == "50"
    quiz_events(b, [{"type": "complete", "score": score(3, 3, 1)}])
    c = core(b)
    assert (c["raw"], c["status"]) == ("75", "failed")  # 75 < the mastery score, 80
    quiz_events(b, [{"type": "complete", "score": score(4, 4, 0)}])  # tried again
    assert (core(b)["raw"], core(b)["status"]) == ("100", "passed")
    quiz_events(b, [{"type": "complete", "score": score(2, 4, 0)}])
    assert (core(b)["raw"], core(b)["status"]) == ("50", "passed")  # once passed, stays passed
    assert core(b)["calls"]["commit"] >= 6


@needs_chromium
def test_the_lms_mastery_score_decides_and_review_changes_nothing(
    built: SimpleNamespace, browser: Browser, tmp_path: Path
) -> None:
    b = browser
    b.open(unpacked(built, tmp_path, "70").as_uri(), ready="window.API && window.API.isInitialized()", timeout=30)
    quiz_events(b, [{"type": "complete", "score": score(3, 3, 1)}])
    assert (core(b)["raw"], core(b)["status"]) == ("75", "passed")  # the LMS's 70, not the package's 80

    (tmp_path / "lms.html").write_text(
        (tmp_path / "lms.html")
        .read_text()
        .replace('mastery_score = "70";', 'mastery_score = "70"; window.API.cmi.core.lesson_mode = "review";')
    )
    b.open((tmp_path / "lms.html").as_uri(), ready="window.API && window.API.isInitialized()", timeout=30)
    quiz_events(b, [{"type": "complete", "score": score(1, 1, 3)}])
    c = core(b)
    assert c["status"] == "not attempted" and c["raw"] == ""


@needs_chromium
def test_outside_an_lms_the_packaged_page_plays_as_usual(
    built: SimpleNamespace, browser: Browser, tmp_path: Path
) -> None:
    b = browser
    with zipfile.ZipFile(built.out / "lecture-scorm12.zip") as zf:
        zf.extractall(tmp_path / "pkg")
    b.open((tmp_path / "pkg" / "index.html").as_uri(), ready="document.readyState === 'complete'", timeout=30)
    b.eval("document.getElementById('lecture').play().catch(() => null)")
    b.eval(
        "new Promise(r => { const v = document.getElementById('lecture');"
        " if (v.currentTime > 0.3) r(); else v.addEventListener('timeupdate', () => v.currentTime > 0.3 && r()); })",
        timeout=20,
    )
    b.eval(
        "document.dispatchEvent(new CustomEvent('lecturequiz',"
        " {detail: {type: 'complete', score: {right: 1, answered: 1, skipped: 0, total: 1}}}))"
    )
    assert b.eval("typeof window.API") == "undefined"
    assert b.eval("[...document.scripts].some(s => s.src.endsWith('/scorm.js'))")
    problems = [
        e
        for e in b.events
        if e.get("method") == "Runtime.exceptionThrown"
        or (e.get("method") == "Runtime.consoleAPICalled" and e["params"].get("type") in ("error", "assert"))
        or (e.get("method") == "Log.entryAdded" and e["params"]["entry"].get("level") == "error")
    ]
    assert problems == []
    requests = b.requests()
    assert any(u.endswith("/scorm.js") for u in requests) and any(u.endswith("/lecture.mp4") for u in requests)
    assert all(u.startswith(("file://", "data:")) for u in requests), requests


# --- GIFT, read back by gift-pegjs --------------------------------------------------------------------


def gift_parse(path: Path) -> list[dict[str, Any]]:
    assert NODE is not None
    script = (
        "const p = require('gift-pegjs');"
        " console.log(JSON.stringify(p.parse(require('fs').readFileSync(process.argv[1], 'utf8'))))"
    )
    r = subprocess.run(
        [NODE, "-e", script, str(path)], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(r.stdout)


def text_of(html_text: str) -> str:
    """What a reader sees of HTML: tags out, entities decoded, <br> as a line break."""
    return html.unescape(re.sub(r"<[^>]+>", "", html_text.replace("<br>\n", "\n")))


def imgs(html_text: str) -> list[tuple[bytes, str]]:
    return [
        (base64.b64decode(data), html.unescape(alt))
        for data, alt in re.findall(r'<img src="data:image/png;base64,([^"]+)" alt="([^"]*)">', html_text)
    ]


@needs_gift_parser
def test_gift_reads_back_as_the_bank(built: SimpleNamespace) -> None:
    parsed = gift_parse(built.out / "questions.gift.txt")
    categories = [p["title"] for p in parsed if p["type"] == "Category"]
    assert categories == [f"{TITLE}/The data as matrices: W1 {{4 × 2}}", f"{TITLE}/Training moves the boundary"]
    questions = [p for p in parsed if p["type"] != "Category"]
    asked = built.bank.asked()
    assert [p["title"] for p in questions] == [q.id for q in asked]
    for p, q in zip(questions, asked, strict=True):
        assert p["stem"]["format"] == "html" and text_of(p["stem"]["text"]).startswith(q.prompt), p["stem"]
        assert text_of(p["globalFeedback"]["text"]) == f"{q.explanation} {taught(built, q)}"
        if q.kind == "choice":
            assert p["type"] == "MC"
            assert [c["isCorrect"] for c in p["choices"]] == [c.correct for c in q.choices]
            for got, want in zip(p["choices"], q.choices, strict=True):
                assert text_of(got["text"]["text"]).strip() == want.text
                assert (text_of(got["feedback"]["text"]) if got["feedback"] else "") == want.feedback
                pictures = imgs(got["text"]["text"])
                assert pictures == ([] if want.picture is None else [(
                    (built.folder / want.picture.file).read_bytes(), want.picture.alt)])  # fmt: skip
        else:
            assert p["type"] == "Numerical"
            (answer,) = p["choices"]
            assert answer["isCorrect"] and answer["text"]["type"] == "range"
            assert (answer["text"]["number"], answer["text"]["range"]) == (q.answer, q.tolerance)
        pictures = imgs(p["stem"]["text"])
        assert pictures == (
            [] if q.picture is None else [((built.folder / q.picture.file).read_bytes(), q.picture.alt)]
        )
    tricky = questions[0]
    (right,) = [c for c in tricky["choices"] if c["isCorrect"]]
    assert TRICKY in text_of(tricky["stem"]["text"]) and TRICKY in text_of(right["feedback"]["text"])
    assert "Answer in (no unit: a weight)." in text_of(questions[2]["stem"]["text"])


def test_gift_escapes_every_reserved_character() -> None:
    assert escape("a~b=c#d{e}f:g\\h\ni\r") == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\ni"
    assert number(-0.00714) == "-0.00714" and number(1e-05) == "0.00001" and number(3.0) == "3" and number(0.0) == "0"


# --- QTI 1.2 for Canvas, read with ElementTree ----------------------------------------------------------

QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
IMSCC = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"


def qti_items(files: dict[str, bytes]) -> list[ET.Element]:
    manifest = ET.fromstring(files["imsmanifest.xml"])
    (res,) = [r for r in manifest.iter(f"{IMSCC}resource") if r.get("type") == "imsqti_xmlv1p2"]
    (f,) = res.findall(f"{IMSCC}file")
    assessment = ET.fromstring(files[f.get("href", "")])
    return list(assessment.iter(f"{QTI}item"))


def item_field(item: ET.Element, label: str) -> str | None:
    for f in item.iter(f"{QTI}qtimetadatafield"):
        if f.findtext(f"{QTI}fieldlabel") == label:
            return f.findtext(f"{QTI}fieldentry")
    return None


def mattext(el: ET.Element | None) -> str:
    return "" if el is None else el.findtext(f"{QTI}material/{QTI}mattext") or ""


def test_qti_holds_every_question_its_right_answers_and_pictures(built: SimpleNamespace) -> None:
    files = zip_bytes(built.out / "questions-qti.zip")
    items = qti_items(files)
    asked = built.bank.asked()
    assert [i.get("title") for i in items] == [q.id for q in asked]
    for item, q in zip(items, asked, strict=True):
        prompt = item.find(f"{QTI}presentation")
        assert prompt is not None
        prompt_html = mattext(prompt)
        assert text_of(prompt_html).strip().startswith(q.prompt)
        feedback = {
            fb.get("ident"): text_of(mattext(fb.find(f"{QTI}flow_mat"))).strip()
            for fb in item.iter(f"{QTI}itemfeedback")
        }
        assert feedback["general_fb"] == f"{q.explanation} {taught(built, q)}"
        conditions = list(item.iter(f"{QTI}respcondition"))
        scoring = [c for c in conditions if c.findtext(f"{QTI}setvar") == "100"]
        assert len(scoring) == 1 and scoring[0].find(f"{QTI}setvar").get("varname") == "SCORE"  # type: ignore[union-attr]
        if q.kind == "choice":
            assert item_field(item, "question_type") == "multiple_choice_question"
            labels = {lab.get("ident"): lab for lab in prompt.iter(f"{QTI}response_label")}
            assert len(labels) == len(q.choices)
            right = scoring[0].findtext(f"{QTI}conditionvar/{QTI}varequal")
            for ident, label in labels.items():
                text = text_of(mattext(label)).strip()
                (want,) = [c for c in q.choices if c.text == text]
                assert (ident == right) == want.correct
                assert feedback.get(f"{ident}_fb", "") == want.feedback
                srcs = re.findall(r'<img alt="([^"]*)" src="%24IMS-CC-FILEBASE%24/images/([^"]+)"', mattext(label))
                assert srcs == (
                    [] if want.picture is None else [(html.escape(want.picture.alt), Path(want.picture.file).name)]
                )
        else:
            assert item_field(item, "question_type") == "numerical_question"
            cond = scoring[0].find(f"{QTI}conditionvar")
            assert cond is not None
            exact = Decimal(cond.findtext(f".//{QTI}varequal") or "nan")
            low = Decimal(cond.findtext(f".//{QTI}vargte") or "nan")
            high = Decimal(cond.findtext(f".//{QTI}varlte") or "nan")
            a, t = Decimal(repr(q.answer)), Decimal(repr(q.tolerance))
            assert (exact, low, high) == (a, a - t, a + t)  # exact: not rounded to 4 decimals
            if q.unit:
                assert f"Answer in {q.unit}." in text_of(prompt_html)
        if q.picture is not None:
            assert f"images/{Path(q.picture.file).name}" in prompt_html
    pictures = {n: b for n, b in files.items() if n.startswith("images/")}
    want = {
        f"images/{Path(p.file).name}": (built.folder / p.file).read_bytes()
        for q in asked
        for p in (q.picture, *(c.picture for c in q.choices))
        if p is not None
    }
    assert pictures == want
    manifest = files["imsmanifest.xml"].decode()
    assert all(f'href="{n}"' in manifest for n in want)
    assert TRICKY in text_of(mattext(items[0].find(f"{QTI}presentation")))


def test_markdown_escaping_keeps_the_text() -> None:
    from text2qti.config import Config  # type: ignore[import-untyped]
    from text2qti.markdown import Markdown  # type: ignore[import-untyped]

    md = Markdown(Config())
    for text in (TRICKY, "1. not a list", "# not a heading", "- not an item", "> not a quote", "a  \n  b"):
        rendered = md.md_to_html(md_escape(text))
        assert text_of(rendered.replace("\n", " ")).split() == text.split(), (text, rendered)


# --- bad input: one line, exit code 2, the previous package untouched -----------------------------------


def previous(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.iterdir()}


def test_a_lecture_never_built_is_one_line_naming_the_build(
    built: SimpleNamespace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    r = package(tmp_path / "empty-build")
    err = one_line_error(r)
    assert "python -m lecture build --quality preview" in err and "index.html" in err
    assert not (tmp_path / "empty-build" / "package").exists()
    r = cli(capsys, built.build_dir, "--quality", "ultra")
    assert "unknown quality preset 'ultra'" in one_line_error(r)
    for args, words in (
        (["--format", "scorm,pdf"], "unknown format 'pdf'"),
        (["--format", ","], "--format needs"),
        (["--mastery", "101"], "--mastery"),
    ):
        assert words in one_line_error(cli(capsys, built.build_dir, *args, "--out", str(tmp_path / "o")))
    assert not (tmp_path / "o").exists()


def test_an_invalid_bank_is_read_banks_line_and_the_previous_package_stays(
    built: SimpleNamespace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build_dir = tmp_path / "build"
    shutil.copytree(built.build_dir / "lecture", build_dir / "lecture")
    out = tmp_path / "out"
    assert cli(capsys, build_dir, "--out", str(out)).returncode == 0
    before = previous(out)
    bank = build_dir / "lecture" / QUALITY / "questions.json"
    data = json.loads(bank.read_text())
    data["questions"][1]["tolerance"] = -1
    bank.write_text(json.dumps(data))
    err = one_line_error(cli(capsys, build_dir, "--out", str(out)))
    assert str(bank) in err and "'matrix_algebra.z_first'" in err and "tolerance" in err
    assert previous(out) == before
    bank.write_text("{not json")
    assert "not valid JSON" in one_line_error(cli(capsys, build_dir, "--out", str(out)))
    assert previous(out) == before
    (build_dir / "lecture" / QUALITY / "questions" / "red-aaaaaaaaaa.png").unlink()
    bank.write_text(
        json.dumps({**data, "questions": [q for q in data["questions"] if q["id"] != "matrix_algebra.z_first"]})
    )
    assert "red-aaaaaaaaaa.png" in one_line_error(cli(capsys, build_dir, "--out", str(out)))
    assert previous(out) == before


def test_an_unwritable_output_is_one_line_and_nothing_changes(
    built: SimpleNamespace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    err = one_line_error(cli(capsys, built.build_dir, "--out", str(blocker)))
    assert str(blocker) in err and "--out" in err
    err = one_line_error(cli(capsys, built.build_dir, "--out", str(blocker / "below")))
    assert "--out" in err and blocker.read_text() == "not a folder"


def test_a_lecture_without_questions_gets_its_scorm_package_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build_dir = tmp_path / "build"
    folder = make_lecture(build_dir, with_bank=False)
    r = cli(capsys, build_dir)
    assert r.returncode == 0, r.stderr
    out = build_dir / "package" / QUALITY
    assert sorted(p.name for p in out.iterdir()) == ["lecture-scorm12.zip"]
    assert "no questions.json" in r.stdout
    files = zip_bytes(out / "lecture-scorm12.zip")
    assert "questions.json" not in files and b'data-questions="0"' in files["index.html"]
    err = one_line_error(cli(capsys, build_dir, "--format", "scorm,qti"))
    assert "no questions.json" in err and "QTI" in err
    assert read_lecture(folder, QUALITY).questions() == 0


@needs_chromium
def test_without_questions_watching_to_the_end_completes(browser: Browser, tmp_path: Path) -> None:
    build_dir = tmp_path / "build"
    make_lecture(build_dir, with_bank=False)
    assert main(["package", "--quality", QUALITY, "--build-dir", str(build_dir)]) == 0
    lms = unpacked(SimpleNamespace(out=build_dir / "package" / QUALITY), tmp_path, "80")
    b = browser
    b.open(lms.as_uri(), ready="window.API && window.API.isInitialized()", timeout=30)
    assert core(b)["status"] == "incomplete"
    b.eval(
        "new Promise(r => { const v = document.getElementById('sco').contentDocument.getElementById('lecture');"
        " v.addEventListener('ended', () => setTimeout(r, 50));"
        " const go = () => { v.currentTime = v.duration - 0.3; v.play(); };"
        " if (v.readyState >= 1) go(); else v.addEventListener('loadedmetadata', go); })",
        timeout=20,
    )
    c = core(b)
    assert c["status"] == "completed" and c["raw"] == ""


def test_a_question_text2qti_refuses_is_one_line_naming_it(tmp_path: Path) -> None:
    from lecture.package.built import PackageError
    from lecture.package.qti import make_qti

    bank = make_bank(tmp_path)
    twin = replace(bank.questions[1], id="matrix_algebra.twin")  # the same prompt twice: text2qti refuses
    bank = replace(bank, questions=(*bank.questions, twin))
    with pytest.raises(PackageError) as e:
        make_qti(bank, tmp_path, TITLE, "questions.json")
    assert str(e.value).count("\n") == 0
    assert "question 'matrix_algebra.twin'" in str(e.value) and "Duplicate question" in str(e.value)


def test_the_written_files_replace_the_previous_ones_whole(
    built: SimpleNamespace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "questions.gift.txt").write_text("an older package")
    r = cli(capsys, built.build_dir, "--format", "gift", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert (out / "questions.gift.txt").read_bytes() == (built.out / "questions.gift.txt").read_bytes()
    assert sorted(p.name for p in out.iterdir()) == ["questions.gift.txt"]


def test_zip_entries_are_deflated_but_the_video_is_stored(built: SimpleNamespace) -> None:
    with zipfile.ZipFile(built.out / "lecture-scorm12.zip") as zf:
        kinds = {i.filename: i.compress_type for i in zf.infolist()}
        assert kinds["lecture.mp4"] == zipfile.ZIP_STORED and kinds["index.html"] == zipfile.ZIP_DEFLATED
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert zf.testzip() is None
