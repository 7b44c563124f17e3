"""``lecture.pptx``: the deck for PowerPoint, Keynote and LibreOffice Impress, written with python-pptx.

:mod:`lecture.deck.make_deck` calls :func:`write_pptx` when ``--format`` includes ``pptx``. One slide per
beat, in lecture order, on black 16:9 slides (:func:`slide_size`). On each:

- the beat's clip filling the slide (:func:`video_box`), with its first frame as the poster, set to start as the slide
  appears (a ``playFrom(0)`` in the slide's main sequence, as PowerPoint writes "Start:
  Automatically") and stop on its last frame, so one click or → per beat, as in the page;
- its title (``2. The forward pass · 3/8``) in the title placeholder, placed just above the slide:
  the outline, the slide sorter's tooltips, the navigation pane and screen readers have it, the
  show does not cover the picture with it;
- its speaker notes (:meth:`lecture.deck.steps.Step.notes`).

After a chapter's last beat, each of its questions (:mod:`lecture.deck.questions`) is two slides,
since PowerPoint's next step is the next slide: the question (its prompt, its picture, its choices
lettered A, B, C..., or "Your answer: ___"), then the same slide with the answer (the right choice
framed, ticked and in bold, the others greyed, "Answer: B — ..." and the explanation in a box at
the bottom, which the question slide leaves empty so nothing moves). No animation: a deck edited or
shown anywhere reveals the same way. Their text is sized to the slide by an estimate of its lines
(:func:`question_layout`), as python-pptx cannot measure text; the notes hold the answer, the
explanation, what each wrong choice shows and where the lecture teaches it.

The chapters are PowerPoint sections (the ``p14:sectionLst`` extension PowerPoint 2010 and later
read; LibreOffice ignores it). python-pptx stores each clip once per distinct file.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.presentation import Presentation as PptxPresentation
from pptx.shapes.autoshape import Shape
from pptx.slide import Slide
from pptx.util import Emu, Pt

from lecture.deck.questions import KICKER, LETTERS, Asked
from lecture.deck.steps import Step
from lecture.quiz.bank import Picture

SLIDE_WIDTH = 12192000
"""EMU: 13.333 inches, PowerPoint's 16:9 width."""

TITLE_HEIGHT = 457200
"""EMU: half an inch, the title's box above the slide."""

TITLE_LAYOUT = 5
"""The default template's "Title Only" layout."""

_SECTIONS_URI = "{521415D9-36F7-43E2-AB2F-B90AF26B5E84}"
_P14 = "http://schemas.microsoft.com/office/powerpoint/2010/main"

# The slide's timing: its main sequence starts the video (shape {spid}) as the slide appears, and
# the media node lets PowerPoint control it. Written as PowerPoint writes "Start: Automatically".
_TIMING = """<p:timing {ns}>
  <p:tnLst><p:par><p:cTn id="1" dur="indefinite" restart="never" nodeType="tmRoot"><p:childTnLst>
    <p:seq concurrent="1" nextAc="seek">
      <p:cTn id="2" dur="indefinite" nodeType="mainSeq"><p:childTnLst>
        <p:par><p:cTn id="3" fill="hold">
          <p:stCondLst>
            <p:cond delay="indefinite"/><p:cond evt="onBegin" delay="0"><p:tn val="2"/></p:cond>
          </p:stCondLst>
          <p:childTnLst><p:par><p:cTn id="4" fill="hold">
            <p:stCondLst><p:cond delay="0"/></p:stCondLst>
            <p:childTnLst><p:par>
              <p:cTn id="5" presetID="1" presetClass="mediacall" presetSubtype="0" fill="hold" nodeType="afterEffect">
                <p:stCondLst><p:cond delay="0"/></p:stCondLst>
                <p:childTnLst><p:cmd type="call" cmd="playFrom(0.0)">
                  <p:cBhvr><p:cTn id="6" dur="{ms}" fill="hold"/><p:tgtEl><p:spTgt spid="{spid}"/></p:tgtEl></p:cBhvr>
                </p:cmd></p:childTnLst>
              </p:cTn>
            </p:par></p:childTnLst>
          </p:cTn></p:par></p:childTnLst>
        </p:cTn></p:par>
      </p:childTnLst></p:cTn>
      <p:prevCondLst><p:cond evt="onPrev" delay="0"><p:tgtEl><p:sldTgt/></p:tgtEl></p:cond></p:prevCondLst>
      <p:nextCondLst><p:cond evt="onNext" delay="0"><p:tgtEl><p:sldTgt/></p:tgtEl></p:cond></p:nextCondLst>
    </p:seq>
    <p:video><p:cMediaNode vol="80000">
      <p:cTn id="7" fill="hold" display="0"><p:stCondLst><p:cond delay="indefinite"/></p:stCondLst></p:cTn>
      <p:tgtEl><p:spTgt spid="{spid}"/></p:tgtEl>
    </p:cMediaNode></p:video>
  </p:childTnLst></p:cTn></p:par></p:tnLst>
</p:timing>"""


def write_pptx(
    path: Path,
    title: str,
    facts: list[str],
    steps: list[Step],
    size: tuple[int, int],
    explains: str = "",
    questions: Sequence[Asked] = (),
    pictures: Path | None = None,
) -> None:
    """Write the deck as a PowerPoint file (see the module docstring).

    Parameters
    ----------
    path : Path
        The ``.pptx`` to write.
    title : str
        The lecture's title (the file's title property).
    facts : list of str
        The run in a few phrases (its subject property, and the first slide's notes).
    steps : list of Step
        The beats, in order, with their clips.
    size : (int, int)
        The video's width and height: the slide has its shape.
    explains : str
        What the run is, in words (every chapter's first notes, and the subject property).
    questions : sequence of Asked
        The questions asked after each chapter's last beat (:func:`lecture.deck.questions.asked_after`).
    pictures : Path, optional
        The folder their pictures' paths are relative to (the deck or the lecture folder); needed
        when a question has a picture.
    """
    prs = Presentation()
    width, height = slide_size(size)
    prs.slide_width, prs.slide_height = width, height
    box = video_box(size, (width, height))
    layout = prs.slide_layouts[TITLE_LAYOUT]
    slide_ids: list[tuple[str, int]] = []
    after: dict[int, list[Asked]] = {}
    for a in questions:
        after.setdefault(a.after.number, []).append(a)
    for st in steps:
        slide = prs.slides.add_slide(layout)
        fill = slide.background.fill
        fill.solid()
        fill.fore_color.rgb = RGBColor(0, 0, 0)

        heading = slide.shapes.title
        assert heading is not None
        heading.text = f"{st.chapter}. {st.title} · {st.beat_number}/{st.beats}"
        heading.left, heading.top = Emu(0), Emu(-TITLE_HEIGHT)
        heading.width, heading.height = prs.slide_width, Emu(TITLE_HEIGHT)
        for paragraph in heading.text_frame.paragraphs:
            for run in paragraph.runs:
                run.font.size = Pt(18)

        movie = slide.shapes.add_movie(
            str(st.folder / st.clip.file),
            *box,
            poster_frame_image=str(st.folder / st.clip.poster),
            mime_type="video/mp4",
        )
        _play_on_entry(slide._element, movie.shape_id, round(1000 * float(st.duration)))

        notes = st.notes()
        if st.beat_number == 1 and explains:
            notes.append(f"This lecture explains {explains}.")
        if st.number == 1 and facts:
            notes.append(f"The run: {'; '.join(facts)}.")
        slide.notes_slide.notes_text_frame.text = "\n".join(notes)
        slide_ids.append((f"{st.chapter}. {st.title}", slide.slide_id))
        for a in after.get(st.number, []):
            for answer in (False, True):
                slide = _question_slide(prs, (width, height), a, answer, pictures)
                slide_ids.append((f"{st.chapter}. {st.title}", slide.slide_id))

    _sections(prs.part._element, slide_ids)
    props = prs.core_properties
    props.title = title
    props.subject = "; ".join([explains, *facts] if explains else facts)
    props.author = "nn-lecture (python -m lecture slides)"
    props.comments = (
        "One slide per beat of the lecture, each chapter's questions after it (a question slide, then its answer); "
        "every number comes from the training history."
    )
    prs.save(str(path))


def slide_size(video: tuple[int, int]) -> tuple[Emu, Emu]:
    """The slide's width and height for a video of this size.

    PowerPoint's 16:9 (13.333 x 7.5 in) for a video within 1 % of it (854 x 480 is 16:9 rounded to
    even pixels), otherwise 13.333 in wide in the video's shape.
    """
    width, height = video
    height_16_9 = SLIDE_WIDTH * 9 // 16
    exact = round(SLIDE_WIDTH * height / width)
    return Emu(SLIDE_WIDTH), Emu(height_16_9 if abs(exact - height_16_9) <= height_16_9 / 100 else exact)


def video_box(video: tuple[int, int], slide: tuple[int, int]) -> tuple[Emu, Emu, Emu, Emu]:
    """Left, top, width and height of the largest box of the video's shape centred on the slide."""
    scale = min(slide[0] / video[0], slide[1] / video[1])
    w, h = round(video[0] * scale), round(video[1] * scale)
    return Emu((slide[0] - w) // 2), Emu((slide[1] - h) // 2), Emu(w), Emu(h)


def _play_on_entry(sld: object, spid: int, ms: int) -> None:
    """Replace python-pptx's play-on-click timing of the slide ``sld`` with one that plays video ``spid`` at once."""
    old = sld.find(qn("p:timing"))  # type: ignore[attr-defined]
    if old is not None:
        sld.remove(old)  # type: ignore[attr-defined]
    sld._insert_timing(parse_xml(_TIMING.format(ns=nsdecls("p"), spid=spid, ms=max(ms, 1))))  # type: ignore[attr-defined]


def _sections(presentation: object, slide_ids: list[tuple[str, int]]) -> None:
    """Add one PowerPoint section per chapter, holding its slides, to ``presentation.xml``.

    ``slide_ids`` is every slide in order with its chapter's name (``2. The forward pass``).
    """
    groups: list[tuple[str, list[int]]] = []
    for name, sid in slide_ids:
        if not groups or groups[-1][0] != name:
            groups.append((name, []))
        groups[-1][1].append(sid)
    sections = []
    for i, (name, ids) in enumerate(groups):
        guid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"nn-lecture/section/{i}/{name}")).upper()
        slides = "".join(f'<p14:sldId id="{sid}"/>' for sid in ids)
        sections.append(
            f'<p14:section name="{_attr(name)}" id="{{{guid}}}"><p14:sldIdLst>{slides}</p14:sldIdLst></p14:section>'
        )
    ext = (
        f'<p:ext {nsdecls("p")} uri="{_SECTIONS_URI}">'
        f'<p14:sectionLst xmlns:p14="{_P14}">{"".join(sections)}</p14:sectionLst></p:ext>'
    )
    ext_lst = presentation.find(qn("p:extLst"))  # type: ignore[attr-defined]
    if ext_lst is None:
        ext_lst = parse_xml(f"<p:extLst {nsdecls('p')}/>")
        presentation.append(ext_lst)  # type: ignore[attr-defined]
    ext_lst.append(parse_xml(ext))


def _attr(text: str) -> str:
    """``text`` escaped for an XML attribute."""
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


# --- the questions --------------------------------------------------------------------------------

IN = 914400
"""EMU per inch."""

BACKGROUND = RGBColor(0x11, 0x14, 0x18)
"""A question slide's background, as the page's."""
TEXT = RGBColor(0xFF, 0xFF, 0xFF)
ACCENT = RGBColor(0x58, 0xC4, 0xDD)
"""The heading's colour."""
RIGHT = RGBColor(0x83, 0xC1, 0x67)
"""The right choice's frame and tick, and the answer box's border."""
RIGHT_FILL = RGBColor(0x22, 0x33, 0x20)
"""Behind the right choice and the answer: a dark tint of :data:`RIGHT`, white text stays legible on it."""
DIMMED = RGBColor(0x8C, 0x8C, 0x8C)
"""The wrong choices' text on the answer slide."""

SIZES = {"prompt": 30.0, "choice": 26.0, "verdict": 26.0, "explanation": 20.0}
"""Points, at full size: 30-point text on a 13.3-inch slide reads from the back of a room."""
HEADING_PT = 18.0
EM = 0.56
"""The average width of a character in ems: a generous estimate for the theme's font (Calibri) and its stand-ins."""
LEADING = 1.2
"""Line height in ems (PowerPoint's single spacing)."""
INSET_X, INSET_Y = IN // 10, IN // 20
"""A text box's inner margins (PowerPoint's defaults)."""
MARGIN, GAP = round(0.55 * IN), round(0.2 * IN)
"""The slide's side margin; the space between two boxes."""
CONTENT_TOP, BOTTOM = round(1.0 * IN), round(0.35 * IN)
"""Where a question slide's content starts (under its heading), and the margin under its answer box."""
TICK = "\u2713"
PICTURE_HEIGHTS = (round(2.4 * IN), IN)
"""EMU: the least height of a "which picture" question's pictures in one row (two thirds of it in two
rows), as wished, then as accepted (a picture under an inch is no picture)."""


def text_height(text: str, width: int, pt: float) -> int:
    """EMU: an estimate of the height of ``text`` wrapped in a text box ``width`` EMU wide at ``pt`` points.

    Greedy word wrap at :data:`EM` ems a character; a word longer than a line breaks where it must.
    """
    per_line = max(1, int((width - 2 * INSET_X) / 12700 / (EM * pt)))
    lines = 0
    for paragraph in text.split("\n"):
        n, used = 1, 0
        for word in paragraph.split():
            w = len(word)
            if used and used + 1 + w > per_line:
                n, used = n + 1, 0
            while w > per_line:
                n, w = n + 1, w - per_line
            used = used + 1 + w if used else w
        lines += n
    return round(lines * pt * LEADING * 12700) + 2 * INSET_Y


@dataclass(frozen=True)
class Box:
    """A rectangle on the slide, EMU."""

    left: int
    top: int
    width: int
    height: int

    @property
    def bottom(self) -> int:
        """Its lower edge."""
        return self.top + self.height


@dataclass(frozen=True)
class QuestionLayout:
    """Where everything of a question's two slides goes, and at what size (points).

    ``choices`` are the choices' text boxes (under their pictures for a "which picture" question,
    whose pictures are ``cards``); ``answer`` is the box the answer slide fills and the question
    slide leaves empty. ``fits`` is false when even the smallest scale overflows (the text is then
    at that scale, and may run past its box).
    """

    scale: float
    prompt: Box
    choices: tuple[Box, ...]
    cards: tuple[Box, ...]
    blank: Box | None
    picture: Box | None
    answer: Box
    fits: bool

    def pt(self, what: str) -> float:
        """The size of ``what`` (a key of :data:`SIZES`) at this layout's scale, to the half point."""
        return round(SIZES[what] * self.scale * 2) / 2


def choice_line(letter: str, text: str) -> str:
    """A choice as its box says it (the tick's room reserved, so the answer slide wraps the same)."""
    return f"{letter}   {text}  {TICK}"


def question_layout(a: Asked, slide: tuple[int, int]) -> QuestionLayout:
    """The largest scale (1 down to 0.5) at which the question's text and pictures fit the slide, and its boxes.

    A "which picture" question first asks for pictures a class can tell apart from the back
    (:data:`PICTURE_HEIGHTS`: smaller text rather than small pictures), then settles for an inch.
    """
    layout = None
    for least in PICTURE_HEIGHTS:
        for step in range(11):
            layout = _layout(a, slide, 1 - step / 20, least)
            if layout.fits:
                return layout
    assert layout is not None
    return layout


def _layout(a: Asked, slide: tuple[int, int], scale: float, least: int) -> QuestionLayout:
    q = a.question
    width, height = slide
    pt = {k: round(v * scale * 2) / 2 for k, v in SIZES.items()}
    inner = width - 2 * MARGIN
    verdict = text_height(f"{TICK} {a.answer()}", inner - IN // 10, pt["verdict"])
    answer_h = verdict + text_height(q.explanation, inner - IN // 10, pt["explanation"]) + IN // 10
    answer = Box(MARGIN, height - BOTTOM - answer_h, inner, answer_h)
    bottom = answer.top - GAP  # the content ends above the answer box
    column, picture = inner, None
    if q.picture is not None:
        column = round(inner * 0.58)
        picture = Box(MARGIN + column + GAP, CONTENT_TOP, inner - column - GAP, bottom - CONTENT_TOP)
    prompt = Box(MARGIN, CONTENT_TOP, column, text_height(q.prompt, column, pt["prompt"]))
    y = prompt.bottom + GAP
    choices: list[Box] = []
    cards: list[Box] = []
    blank = None
    fits = True
    if q.kind == "numeric":
        blank = Box(MARGIN, y, column, text_height(f"Your answer: ____________ {q.unit}", column, pt["choice"]))
        y = blank.bottom
    elif a.pictured:
        n = len(q.choices)
        rows = 1 if n <= 4 else 2
        cols = math.ceil(n / rows)
        card_w = (column - (cols - 1) * GAP) // cols
        labels = [choice_line(letter, c.text) for letter, c in zip(LETTERS, q.choices, strict=False)]
        label_h = max(text_height(label, card_w, pt["choice"]) for label in labels)
        row_h = (bottom - y - (rows - 1) * GAP) // rows
        picture_h = row_h - label_h
        fits = picture_h >= (least if rows == 1 else least * 2 // 3)
        for i in range(n):
            row, col = divmod(i, cols)
            left, top = MARGIN + col * (card_w + GAP), y + row * (row_h + GAP)
            cards.append(Box(left, top, card_w, max(picture_h, IN // 2)))
            choices.append(Box(left, cards[-1].bottom, card_w, label_h))
        y = choices[-1].bottom
    else:
        for letter, c in zip(LETTERS, q.choices, strict=False):
            box = Box(MARGIN, y, column, text_height(choice_line(letter, c.text), column, pt["choice"]))
            choices.append(box)
            y = box.bottom + GAP // 2
        y -= GAP // 2
    fits = fits and y <= bottom and answer.top >= CONTENT_TOP + (height - CONTENT_TOP) // 2
    return QuestionLayout(scale, prompt, tuple(choices), tuple(cards), blank, picture, answer, fits)


def _question_slide(
    prs: PptxPresentation, size: tuple[int, int], a: Asked, answer: bool, pictures: Path | None
) -> Slide:
    """Add the question ``a``'s slide (``answer``: its answer slide) to ``prs``, of ``size`` EMU; return it."""
    q = a.question
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_LAYOUT])
    fill = slide.background.fill
    fill.solid()
    fill.fore_color.rgb = BACKGROUND
    lay = question_layout(a, size)

    heading = slide.shapes.title
    assert heading is not None
    heading.text = f"{KICKER} · {a.label}" + (" · answer" if answer else "")
    heading.left, heading.top = Emu(MARGIN), Emu(round(0.3 * IN))
    heading.width, heading.height = Emu(size[0] - 2 * MARGIN), Emu(round(0.5 * IN))
    _style(heading.text_frame, HEADING_PT, ACCENT, bold=True)
    heading.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT  # the layout centres it; the prompt under it is left

    _text(slide, lay.prompt, [[(q.prompt, TEXT, True)]], lay.pt("prompt"))
    if q.picture is not None and lay.picture is not None:
        _picture(slide, q.picture, lay.picture, pictures)
    if lay.blank is not None:
        unit = f" {q.unit}" if q.unit else ""
        _text(slide, lay.blank, [[("Your answer: ____________" + unit, TEXT, False)]], lay.pt("choice"))
    for i, (letter, c, box) in enumerate(zip(LETTERS, q.choices, lay.choices, strict=False)):
        right = answer and c.correct
        color = TEXT if not answer or c.correct else DIMMED
        runs = [(letter, color, True), (f"   {c.text}", color, right)]
        if right:
            runs.append((f"  {TICK}", RIGHT, True))
        if lay.cards:
            card = lay.cards[i]
            if c.picture is not None:  # at the foot of its card, right above its letter and words
                card = _picture(slide, c.picture, card, pictures, bottom=True)
            if right:  # the right card framed, picture and words together
                _frame(slide, Box(lay.cards[i].left, card.top, lay.cards[i].width, box.bottom - card.top))
            _text(slide, box, [runs], lay.pt("choice"))
        else:
            shape = _text(slide, box, [runs], lay.pt("choice"))
            if right:
                shape.fill.solid()
                shape.fill.fore_color.rgb = RIGHT_FILL
                shape.line.color.rgb = RIGHT
                shape.line.width = Pt(3)
    if answer:
        shape = _text(
            slide,
            lay.answer,
            [[(f"{TICK} {a.answer()}", TEXT, True)], [(q.explanation, TEXT, False)]],
            lay.pt("verdict"),
            sizes=[lay.pt("verdict"), lay.pt("explanation")],
        )
        shape.fill.solid()
        shape.fill.fore_color.rgb = RIGHT_FILL
        shape.line.color.rgb = RIGHT
        shape.line.width = Pt(2)
    slide.notes_slide.notes_text_frame.text = "\n".join(a.notes())
    return slide


def _style(frame: object, pt: float, color: RGBColor, bold: bool = False) -> None:
    """Every run of ``frame`` at ``pt`` points in ``color``."""
    for paragraph in frame.paragraphs:  # type: ignore[attr-defined]
        for run in paragraph.runs:
            run.font.size, run.font.bold = Pt(pt), bold
            run.font.color.rgb = color


def _text(
    slide: Slide,
    box: Box,
    paragraphs: list[list[tuple[str, RGBColor, bool]]],
    pt: float,
    sizes: list[float] | None = None,
) -> Shape:
    """A text box of ``paragraphs`` (each a list of runs: text, colour, bold), wrapped, never resized by the program."""
    shape = slide.shapes.add_textbox(Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height))
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = MSO_ANCHOR.TOP
    frame.margin_left = frame.margin_right = Emu(INSET_X)
    frame.margin_top = frame.margin_bottom = Emu(INSET_Y)
    for i, runs in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        size = sizes[i] if sizes else pt
        for text, color, bold in runs:
            run = paragraph.add_run()
            run.text = text
            run.font.size, run.font.bold = Pt(size), bold
            run.font.color.rgb = color
    return shape


def _picture(slide: Slide, picture: Picture, box: Box, folder: Path | None, bottom: bool = False) -> Box:
    """The picture as large as fits ``box``, its shape kept, centred at its top (``bottom``: its foot); return where.

    It lies on white (a transparent PNG is drawn for a light page) and carries its text alternative.
    """
    if folder is None:
        raise ValueError(f"a question's picture ({picture.file}) needs the folder it is in")
    path = folder / picture.file
    with Image.open(path) as im:
        w, h = im.size
    scale = min(box.width / w, box.height / h)
    pw, ph = round(w * scale), round(h * scale)
    left, top = box.left + (box.width - pw) // 2, box.bottom - ph if bottom else box.top
    back = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Emu(left), Emu(top), Emu(pw), Emu(ph))
    back.fill.solid()
    back.fill.fore_color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    back.line.fill.background()
    pic = slide.shapes.add_picture(str(path), Emu(left), Emu(top), Emu(pw), Emu(ph))
    pic._element.xpath("./p:nvPicPr/p:cNvPr")[0].set("descr", picture.alt)  # what a screen reader says
    return Box(left, top, pw, ph)


def _frame(slide: Slide, box: Box) -> None:
    """A frame in :data:`RIGHT` around ``box`` (the right picture's card), a little outside it."""
    pad = IN // 20
    left, top, width, height = box.left - pad, box.top - pad, box.width + 2 * pad, box.height + 2 * pad
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Emu(left), Emu(top), Emu(width), Emu(height))
    shape.fill.background()
    shape.line.color.rgb = RIGHT
    shape.line.width = Pt(4)
