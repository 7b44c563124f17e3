"""The files written beside ``lecture.mp4``: the page, chapters, captions and pictures.

``python -m lecture build`` calls :func:`write_companions` on the staging folder before it is
published. ``index.html`` plays the lecture with a chapters track, a captions track and a
chapter list, and works when opened straight from disk (``file://``): every path is relative,
and the two tracks are inlined as ``data:`` URLs because browsers treat each ``file://`` page as
a unique origin and refuse to load a ``<track>`` from a neighbouring file (Chromium: "Unsafe
attempt to load URL ... 'file:' URLs are treated as unique security origins"). The same cues are
also written as ``chapters.vtt``/``captions.vtt``/``captions.srt`` for other players and upload
sites. Under the video, the run explorer (:mod:`lecture.explorer`: its data, markup, style and
script, all inlined) lets a learner step through the run the lecture explains. Right under the
video, the transcript (:func:`transcript`) is what the lecture says, chapter by chapter, one
paragraph a beat; each paragraph is a link that seeks the video to its beat (and follows it as
it plays). Without JavaScript the explorer stays hidden and everything else works: the video,
its tracks, and the chapter and transcript links, which then open the video file at their time
(``lecture.mp4#t=…``).
"""

from __future__ import annotations

import base64
import html
import json
import shutil
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from lecture.captions import Cue, chapters, parse_srt, shift, to_srt, to_vtt, without_overlaps
from lecture.explorer import Explorer, explorer_html
from lecture.progress import fmt_seconds
from lecture.render import RenderedSegment
from lecture.settings import Segment
from lecture.stitch import grab_frame


@dataclass(frozen=True)
class Paragraph:
    """A beat in the page's transcript: its time in the lecture and what it says."""

    start: float
    end: float
    text: str


@dataclass(frozen=True)
class TranscriptChapter:
    """A chapter of the page's transcript: its title, start and paragraphs."""

    title: str
    start: float
    paragraphs: tuple[Paragraph, ...]


def transcript(manifest: dict[str, Any]) -> list[TranscriptChapter]:
    """What the lecture says, by chapter and beat, from ``manifest.json``'s segments.

    A beat's paragraph is its lines' spoken form (``spoken``), or their captions (``text``) in a
    silent lecture (``voice.name`` ``"none"``), where nothing is said and the captions are what a
    learner reads. Beats without lines, and chapters without such beats, are left out.
    """
    silent = (manifest.get("voice") or {}).get("name", "none") == "none"
    said = []
    for seg in manifest.get("segments", []):
        paragraphs = []
        for beat in seg.get("beats", []):
            words = [ln.get("text", "") if silent else ln.get("spoken", ln.get("text", "")) for ln in beat["lines"]]
            text = " ".join(w.strip() for w in words if w and w.strip())
            if text:
                paragraphs.append(Paragraph(float(beat["start"]), float(beat["end"]), text))
        if paragraphs:
            said.append(TranscriptChapter(str(seg.get("title", "")), float(seg["start"]), tuple(paragraphs)))
    return said


@dataclass(frozen=True)
class Chapter:
    """A segment placed in the lecture."""

    segment: Segment
    rendered: RenderedSegment
    start: Fraction
    number: int

    @property
    def end(self) -> Fraction:
        """Where the next chapter starts."""
        return self.start + self.rendered.duration

    @property
    def thumb_name(self) -> str:
        """Its thumbnail, relative to the lecture folder."""
        return f"thumbs/{self.number:02d}-{self.segment.name}.jpg"


def lecture_captions(chs: list[Chapter]) -> list[Cue]:
    """Every segment's subcaptions, shifted to lecture time and clipped to its chapter."""
    cues: list[Cue] = []
    for ch in chs:
        own = parse_srt(ch.rendered.srt.read_text(encoding="utf-8"), str(ch.rendered.srt))
        cues.extend(shift(own, ch.start, ch.rendered.duration))
    return without_overlaps(cues)


def data_url(text: str, mime: str = "text/vtt") -> str:
    """``text`` as a base64 ``data:`` URL."""
    return f"data:{mime};charset=utf-8;base64,{base64.b64encode(text.encode()).decode()}"


def clock(seconds: Fraction | float) -> str:
    """``m:ss`` (or ``h:mm:ss``) for the chapter list."""
    s = int(float(seconds))
    h, rest = divmod(s, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


_CSS = """
body { margin: 0; background: #111418; color: #e8e8e8; font: 16px/1.45 system-ui, sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 1.2rem; }
h1 { font-size: 1.5rem; margin: 0.2rem 0 0.4rem; }
.facts { color: #b8b8b8; margin: 0 0 1rem; }
video { width: 100%; height: auto; background: #000; border-radius: 6px; }
ol.chapters { list-style: none; padding: 0; display: grid; gap: 0.6rem;
  grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); }
ol.chapters a { display: block; color: inherit; text-decoration: none; border-radius: 6px;
  padding: 0.4rem; border: 2px solid transparent; background: #1b1f25; }
ol.chapters a:hover, ol.chapters a:focus { border-color: #58c4dd; }
ol.chapters a.current { border-color: #ffe066; }
ol.chapters img { width: 100%; height: auto; display: block; border-radius: 4px; }
.time { color: #9a9a9a; font-variant-numeric: tabular-nums; margin-right: 0.4rem; }
.files a { color: #58c4dd; margin-right: 1rem; }
.transcript h2 { margin: 1rem 0 0.4rem; }
.transcript-text { position: relative; max-height: 16rem; overflow-y: auto; padding: 0 0.8rem 0.4rem;
  background: #1b1f25; border-radius: 6px; }
.transcript h3 { font-size: 0.95rem; color: #b8b8b8; margin: 0.8rem 0 0.2rem; }
.transcript p { margin: 0.2rem 0; }
.transcript a { display: block; color: inherit; text-decoration: none; padding: 0.15rem 0.4rem;
  border-left: 3px solid transparent; border-radius: 3px; }
.transcript a:hover, .transcript a:focus { border-left-color: #58c4dd; background: #242a32; }
.transcript a.current { border-left-color: #ffe066; }
footer { color: #8a8a8a; font-size: 0.85rem; margin-top: 1.5rem; }
"""

_SCRIPT = """
(function () {
  var video = document.getElementById("lecture");
  var links = Array.prototype.slice.call(document.querySelectorAll("ol.chapters a, .transcript a"));
  var box = document.querySelector(".transcript-text"), shown = null;
  // Chapters are not shown by browsers' own controls; "hidden" still loads their cues for scripts.
  for (var i = 0; i < video.textTracks.length; i++) {
    if (video.textTracks[i].kind === "chapters") video.textTracks[i].mode = "hidden";
  }
  function seek(t) { video.currentTime = t; }
  links.forEach(function (a) {
    a.addEventListener("click", function (e) {
      e.preventDefault();
      seek(parseFloat(a.dataset.start));
      history.replaceState(null, "", "#t=" + a.dataset.start);
      video.play();
    });
  });
  video.addEventListener("timeupdate", function () {
    var t = video.currentTime;
    links.forEach(function (a) {
      var on = t >= parseFloat(a.dataset.start) && t < parseFloat(a.dataset.end);
      a.classList.toggle("current", on);
      // the transcript follows the video, within its own box (the page does not move)
      if (on && box && box.contains(a) && a !== shown) {
        shown = a;
        if (a.offsetTop < box.scrollTop || a.offsetTop + a.offsetHeight > box.scrollTop + box.clientHeight) {
          box.scrollTop = a.offsetTop - box.clientHeight / 3;
        }
      }
    });
  });
  var m = /^#t=([0-9.]+)$/.exec(location.hash);
  if (m) video.addEventListener("loadedmetadata", function () { seek(parseFloat(m[1])); }, { once: true });
})();
"""


def page_html(
    title: str,
    facts: list[str],
    chs: list[Chapter],
    chapters_vtt: str,
    captions_vtt: str,
    size: tuple[int, int],
    footer: str,
    explorer: dict[str, Any] | None = None,
    said: list[TranscriptChapter] | None = None,
) -> str:
    """The lecture's page (see the module docstring for why the tracks are inlined).

    ``explorer`` is the run explorer's data (:attr:`lecture.explorer.Explorer.data`); without it
    the page has no explorer. ``said`` is the transcript (:func:`transcript`); without it, or
    when it is empty, the page has none.
    """
    e = html.escape
    items = "\n".join(
        f'    <li><a href="lecture.mp4#t={float(c.start):.3f}" data-start="{float(c.start):.3f}" '
        f'data-end="{float(c.end):.3f}">'
        f'<img src="{c.thumb_name}" alt="" loading="lazy" width="320" height="{round(320 * size[1] / size[0])}">'
        f'<span class="time">{clock(c.start)}</span><span class="title">{e(c.segment.title)}</span></a></li>'
        for c in chs
    )
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<main>
  <h1>{e(title)}</h1>
  <p class="facts">{" · ".join(e(f) for f in facts)}</p>
  <video id="lecture" controls preload="metadata" playsinline width="{size[0]}" height="{size[1]}"
         poster="poster.png" src="lecture.mp4">
    <!-- The tracks are inlined: a file:// page may not load them from chapters.vtt/captions.vtt.
         "default" on the chapters track makes browsers load it (hidden) even without JavaScript. -->
    <track kind="captions" label="English" srclang="en" default src="{data_url(captions_vtt)}">
    <track kind="chapters" label="Chapters" srclang="en" default src="{data_url(chapters_vtt)}">
    Your browser cannot play this video; download <a href="lecture.mp4">lecture.mp4</a>.
  </video>
  {transcript_html(said) if said else ""}
  {explorer_html(explorer) if explorer is not None else ""}
  <h2>Chapters</h2>
  <ol class="chapters">
{items}
  </ol>
  <p class="files">Files: <a href="lecture.mp4">lecture.mp4</a> <a href="chapters.vtt">chapters.vtt</a>
    <a href="captions.vtt">captions.vtt</a> <a href="captions.srt">captions.srt</a>
    <a href="manifest.json">manifest.json</a></p>
  <footer>{e(footer)}</footer>
</main>
<script>{_SCRIPT}</script>
</body>
</html>
"""


def transcript_html(said: list[TranscriptChapter]) -> str:
    """The transcript's markup: a heading per chapter, a link per beat to ``lecture.mp4#t=<start>``."""
    e = html.escape
    parts = [
        '<section class="transcript" aria-labelledby="transcript-title">',
        '<h2 id="transcript-title">Transcript</h2>',
        '<div class="transcript-text">',
    ]
    for ch in said:
        parts.append(f'<h3><span class="time">{clock(ch.start)}</span>{e(ch.title)}</h3>')
        parts += [
            f'<p><a href="lecture.mp4#t={p.start:.3f}" data-start="{p.start:.3f}" data-end="{p.end:.3f}">'
            f"{e(p.text)}</a></p>"
            for p in ch.paragraphs
        ]
    parts += ["</div>", "</section>"]
    return "\n  ".join(parts)


def write_companions(
    staging: Path,
    chs: list[Chapter],
    title: str,
    facts: list[str],
    manifest: dict[str, Any],
    size: tuple[int, int],
    explorer: Explorer | None = None,
) -> dict[str, int]:
    """Write chapters, captions, pictures, manifest and page into ``staging``.

    ``explorer`` (from :func:`lecture.explorer.prepare_explorer`) puts the run explorer under the
    video; its manifest entry, with the page's size, goes into ``manifest["explorer"]``.

    Returns
    -------
    dict
        ``chapters`` and ``captions``: how many cues each track has.
    """
    chapter_cues = chapters([c.segment.title for c in chs], [c.rendered.duration for c in chs])
    chapters_vtt = to_vtt(chapter_cues, ids=[c.segment.name for c in chs])
    caption_cues = lecture_captions(chs)
    captions_vtt = to_vtt(caption_cues)
    (staging / "chapters.vtt").write_text(chapters_vtt, encoding="utf-8")
    (staging / "captions.vtt").write_text(captions_vtt, encoding="utf-8")
    (staging / "captions.srt").write_text(to_srt(caption_cues), encoding="utf-8")

    (staging / "thumbs").mkdir(exist_ok=True)
    for c in chs:
        shutil.copyfile(c.rendered.thumb, staging / c.thumb_name)
    opening = chs[0].rendered
    last_frame = opening.duration - Fraction(1, max(round(opening.frames / opening.duration), 1))
    grab_frame(opening.video, max(last_frame, Fraction(0))).save(staging / "poster.png", optimize=True)

    manifest = dict(manifest)
    manifest["tracks"] = {"chapters": len(chapter_cues), "captions": len(caption_cues)}
    footer = (
        f"Built {manifest.get('built_at', '')} with manim {manifest['tools'].get('manim', '?')}; "
        f"every number in it comes from the training history ({manifest['history']['file']})."
    )
    page = page_html(
        title,
        facts,
        chs,
        chapters_vtt,
        captions_vtt,
        size,
        footer,
        explorer.data if explorer else None,
        transcript(manifest),
    )
    if explorer is not None:
        manifest["explorer"] = {**explorer.entry, "page_bytes": len(page.encode())}
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    (staging / "index.html").write_text(page, encoding="utf-8")
    return {"chapters": len(chapter_cues), "captions": len(caption_cues)}


def lecture_facts(history_meta: dict[str, Any], final_cost: float, final_accuracy: float) -> list[str]:
    """The run in a few phrases (page subtitle), all read from the history."""
    cfg = history_meta["config"]
    ds = history_meta.get("dataset", {})
    return [
        f"data set {cfg['dataset']} ({ds.get('m', '?')} points)",
        f"{cfg['hidden_units']} hidden units",
        f"learning rate {cfg['learning_rate']:g}",
        f"{cfg['iterations']} iterations",
        f"final cost {final_cost:.4f}",
        f"training accuracy {100 * final_accuracy:.2f} %",
    ]


def describe_duration(seconds: Fraction) -> str:
    """Lecture length for the facts line."""
    return f"{fmt_seconds(seconds)} long"
