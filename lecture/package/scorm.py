"""The SCORM 1.2 package of a built lecture: ``lecture-scorm12.zip``.

A SCORM 1.2 content package (ADL SCORM 1.2 Content Aggregation Model, IMS Content Packaging 1.1.2):
``imsmanifest.xml`` at the root of the zip, with one organization whose one item launches one SCO,
the lecture's page. Its resource lists every other file of the zip (``<file href>``), and no file
it lists is missing: the page, the video and its tracks, the manifest, the poster, the chapter
thumbnails, ``questions.json`` and its pictures, and ``scorm.js``.

``scorm.js`` (``templates/scorm.js``, copied as it is) is the glue between the page's quiz and the
LMS: the packaged ``index.html`` is the lecture's page with one ``<script src="scorm.js"
data-mastery="80" data-questions="N"></script>`` added before its last ``</body>`` (the data the
glue reads); nothing else of the page changes. It finds the LMS's ``API`` object as SCORM 1.2
says (this window and its parents, then the opener's), sets ``cmi.core.lesson_status`` to
``incomplete`` when the lecture starts, reports ``cmi.core.score`` (``raw`` = right answers / questions,
0 to 100) after every ``lecturequiz`` event of the page, sets ``passed`` or ``failed`` against the
mastery score when the quiz is complete, and calls ``LMSFinish`` once when the page goes away.

The zip is the same bytes for the same lecture: its entries carry a fixed date, in a fixed order.
The video is stored as it is (it is compressed already); the rest is deflated.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from urllib.parse import quote

from lecture.package.built import PAGE, BuiltLecture, PackageError
from lecture.templating import render

TEMPLATES = Path(__file__).resolve().parent / "templates"
"""The manifest's template and the glue."""
MANIFEST_FILE = "imsmanifest.xml"
GLUE = "scorm.js"
MASTERY = 80
"""The default ``adlcp:masteryscore``: 80 % of the questions right passes."""
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
"""Every entry's date (the earliest a zip can hold), so the same lecture gives the same zip."""
STORED = (".mp4", ".png", ".jpg", ".jpeg", ".webp")
"""Files already compressed: stored, not deflated again."""


def identifier(lecture: BuiltLecture) -> str:
    """The manifest's identifier: ``nn-lecture-`` and 16 hex digits of what the package is made of."""
    return f"nn-lecture-{lecture.digest()[:16]}"


def glue_tag(mastery: int, questions: int) -> str:
    """The ``<script>`` tag of the glue, with its data: the mastery score to fall back on, the questions asked."""
    return f'<script src="{GLUE}" data-mastery="{int(mastery)}" data-questions="{int(questions)}"></script>\n'


def packaged_page(page: str, mastery: int, questions: int) -> str:
    """The lecture's page with the glue's ``<script>`` tag (:func:`glue_tag`) before its last ``</body>``.

    Raises
    ------
    PackageError
        If the page has no ``</body>``.
    """
    at = page.lower().rfind("</body>")
    if at < 0:
        raise PackageError(f"{PAGE} has no </body> to add the SCORM glue before; rebuild the lecture")
    return page[:at] + glue_tag(mastery, questions) + page[at:]


def manifest_xml(lecture: BuiltLecture, files: list[str], mastery: int) -> str:
    """``imsmanifest.xml`` of a package holding ``files`` (the launched page first)."""
    return render(
        TEMPLATES,
        "imsmanifest.xml",
        identifier=identifier(lecture),
        title=lecture.title,
        mastery=mastery,
        launch=quote(PAGE),
        files=[quote(f, safe="/") for f in files],
    )


def package_files(lecture: BuiltLecture) -> list[str]:
    """Every file of the package but the manifest: the lecture's, and the glue after the page."""
    return [PAGE, GLUE, *(f for f in lecture.files if f != PAGE)]


def _entry(name: str, size: int = 0) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, ZIP_DATE)
    info.file_size = size  # zipfile decides from it whether the entry needs ZIP64 (a video over 2 GiB)
    info.compress_type = zipfile.ZIP_STORED if name.lower().endswith(STORED) else zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def write_scorm(lecture: BuiltLecture, path: Path, mastery: int = MASTERY) -> list[str]:
    """Write the SCORM 1.2 zip of ``lecture`` to ``path``; return the files it holds (the manifest first)."""
    files = package_files(lecture)
    made = {
        MANIFEST_FILE: manifest_xml(lecture, files, mastery),
        PAGE: packaged_page(lecture.page, mastery, lecture.questions()),
        GLUE: (TEMPLATES / GLUE).read_text(encoding="utf-8"),
    }
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in made.items():
            zf.writestr(_entry(name), text.encode("utf-8"))
        for name in files:
            if name in made:
                continue
            src_path = lecture.folder / name
            with src_path.open("rb") as src, zf.open(_entry(name, src_path.stat().st_size), "w") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
    return [MANIFEST_FILE, *files]
