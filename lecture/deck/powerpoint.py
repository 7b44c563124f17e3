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

The chapters are PowerPoint sections (the ``p14:sectionLst`` extension PowerPoint 2010 and later
read; LibreOffice ignores it). python-pptx stores each clip once per distinct file.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Emu, Pt

from lecture.deck.steps import Step

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
    path: Path, title: str, facts: list[str], steps: list[Step], size: tuple[int, int], explains: str = ""
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
    """
    prs = Presentation()
    width, height = slide_size(size)
    prs.slide_width, prs.slide_height = width, height
    box = video_box(size, (width, height))
    layout = prs.slide_layouts[TITLE_LAYOUT]
    slide_ids: list[tuple[Step, int]] = []
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
        slide_ids.append((st, slide.slide_id))

    _sections(prs.part._element, slide_ids)
    props = prs.core_properties
    props.title = title
    props.subject = "; ".join([explains, *facts] if explains else facts)
    props.author = "nn-lecture (python -m lecture slides)"
    props.comments = "One slide per beat of the lecture; every number comes from the training history."
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


def _sections(presentation: object, slide_ids: list[tuple[Step, int]]) -> None:
    """Add one PowerPoint section per chapter, holding its slides, to ``presentation.xml``."""
    groups: list[tuple[str, list[int]]] = []
    for st, sid in slide_ids:
        if st.beat_number == 1:
            groups.append((f"{st.chapter}. {st.title}", []))
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
