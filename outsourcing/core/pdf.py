"""The fonts of every PDF the product writes: one font that covers Chinese and Latin text, embedded as a subset.

A PDF sent on must look the same on the receiver's machine, so its fonts travel inside it. The font is Noto Sans
CJK SC (Debian's `fonts-noto-cjk`; another file may be named with OUTSOURCING_PDF_FONT / OUTSOURCING_PDF_FONT_BOLD).
Its Latin letters are part of it, so one font sets mixed text with the right letter widths ("Vendor", never
"V endor"). Noto CJK draws its glyphs as PostScript (CFF) outlines, which reportlab cannot embed: `embeddable`
cuts the font down to the characters a document uses (fontTools) and converts those outlines to TrueType, which
reportlab then embeds (FontFile2). A document's cut is cached by its set of characters.

Without the font file the PDF is still written, with reportlab's standard fonts (Helvetica; STSong-Light for
Chinese), which are *not* embedded: `fonts()` says so (`embedded=False`), the failure is logged, and the system
check `core.W001` names the missing file at start-up.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import logging
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core import checks

logger = logging.getLogger(__name__)
logging.getLogger("fontTools").setLevel(logging.WARNING)  # its subsetter reports every table it touches

NOTO_DIRS = ["/usr/share/fonts/opentype/noto", "/usr/share/fonts/noto-cjk", "/usr/share/fonts/google-noto-cjk"]
REGULAR = "NotoSansCJK-Regular.ttc"
BOLD = "NotoSansCJK-Bold.ttc"
FACE = "Noto Sans CJK SC"  # the Simplified Chinese face of the collection (its Latin letters are the same)
MAX_ERROR = 1.0  # font units (of 1000 per em) a converted curve may stray: invisible at any print size


def _find(env: str, name: str) -> Path | None:
    configured = os.environ.get(env)
    if configured:
        return Path(configured) if Path(configured).is_file() else None
    for folder in NOTO_DIRS:
        path = Path(folder) / name
        if path.is_file():
            return path
    return None


def font_files() -> tuple[Path | None, Path | None]:
    """(regular, bold) font files found on this machine; bold falls back to the regular file."""
    regular = _find("OUTSOURCING_PDF_FONT", REGULAR)
    bold = _find("OUTSOURCING_PDF_FONT_BOLD", BOLD) or regular
    return regular, bold


@checks.register()
def check_pdf_font(**_kwargs: object) -> list[checks.CheckMessage]:
    regular, _bold = font_files()
    if regular is not None:
        return []
    return [
        checks.Warning(
            "No font for PDF exports: the comparison PDF is written with non-embedded standard fonts.",
            hint=f"Install Debian's fonts-noto-cjk ({REGULAR} in {NOTO_DIRS[0]}) or set OUTSOURCING_PDF_FONT "
            "to a TrueType/OpenType font file that covers Chinese.",
            id="core.W001",
        )
    ]


@functools.lru_cache(maxsize=8)
def _face_index(path: Path) -> int:
    if path.suffix.lower() not in {".ttc", ".otc"}:
        return -1
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(path), lazy=True)
    try:
        names = [font["name"].getDebugName(4) or "" for font in collection.fonts]
    finally:
        collection.close()
    # "Noto Sans CJK SC" in the regular file, "Noto Sans CJK SC Bold" in the bold one
    return next((i for i, name in enumerate(names) if name == FACE or name.startswith(FACE + " ")), 0)


@functools.lru_cache(maxsize=32)
def embeddable(path: Path, characters: frozenset[str]) -> bytes:
    """The font at `path` cut down to `characters`, with TrueType outlines: a font reportlab can embed."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), fontNumber=_face_index(path), lazy=True)
    for tag in ("GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "DSIG"):
        if tag in font:
            del font[tag]  # vertical and OpenType layout are not used by reportlab: dropping them is faster
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.glyph_names = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(characters)))
    subsetter.subset(font)
    if "CFF " in font:
        _cff_to_truetype(font)
    # reportlab shares one font object per PostScript name: each cut gets a name of its own (the same cut, the
    # same name), or a document would be set with an earlier document's cut and miss its characters.
    digest = hashlib.sha1("".join(sorted(characters)).encode(), usedforsecurity=False).hexdigest()[:8]
    names = font["name"]
    postscript = (names.getDebugName(6) or "PdfFont").split("-")
    names.setName("-".join([postscript[0] + digest, *postscript[1:]]), 6, 3, 1, 0x409)
    names.setName("-".join([postscript[0] + digest, *postscript[1:]]), 6, 1, 0, 0)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def _cff_to_truetype(ttf: Any) -> None:
    """Replace the font's CFF outlines by quadratic TrueType ones (fontTools' otf2ttf recipe)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = ttf.getGlyphOrder()
    glyph_set = ttf.getGlyphSet()
    quadratic = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        quadratic[name] = pen.glyph()
    ttf["loca"] = newTable("loca")
    glyf = ttf["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = quadratic
    del ttf["CFF "]
    glyf.compile(ttf)
    hmtx = ttf["hmtx"]
    for name, glyph in glyf.glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    maxp = ttf["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for attribute in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attribute, 0)
    post = ttf["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    ttf.sfntVersion = "\000\001\000\000"


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    embedded: bool  # False: the standard fonts of the fallback, not embedded (see the module's docstring)


FALLBACK_LATIN, FALLBACK_BOLD, FALLBACK_CJK = "Helvetica", "Helvetica-Bold", "STSong-Light"


@contextlib.contextmanager
def document_fonts(text: str) -> Iterator[Fonts]:
    """Fonts that set `text` (every character the document will show), registered with reportlab while the
    document is built. Each document registers its own cut under its own name and removes it afterwards, so
    documents built at the same time (threaded workers) never share or leak one."""
    from reportlab.lib.fonts import _ps2tt_map, _tt2ps_map
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.pdfmetrics import registerFontFamily
    from reportlab.pdfbase.ttfonts import TTFont

    regular_path, bold_path = font_files()
    characters = frozenset(text) | frozenset("0123456789 .,%-–—()+·:;/")
    registered: list[str] = []
    chosen: Fonts | None = None
    if regular_path is not None and bold_path is not None:
        try:
            token = uuid.uuid4().hex[:12]
            for path, weight in ((regular_path, "Regular"), (bold_path, "Bold")):
                name = f"NotoSansCJKsc-{weight}-{token}"
                pdfmetrics.registerFont(TTFont(name, io.BytesIO(embeddable(path, characters))))
                registered.append(name)
            chosen = Fonts(registered[0], registered[1], embedded=True)
            # <b> and <i> in a paragraph pick from the family: without one they would fall back to Helvetica.
            registerFontFamily(
                chosen.regular, normal=chosen.regular, bold=chosen.bold, italic=chosen.regular, boldItalic=chosen.bold
            )
        except Exception:  # a damaged or unexpected font file: still write the PDF, and say why it looks plain
            logger.exception("PDF font %s could not be prepared; using the standard fonts", regular_path)
    else:
        logger.warning("No PDF font file (%s): the PDF's fonts are not embedded", REGULAR)
    if chosen is None:
        chosen = _fallback(text)
    try:
        yield chosen
    finally:
        for name in registered:  # reportlab has no public way to forget a font or its family
            font = pdfmetrics._fonts.pop(name, None)
            if font is not None:
                pdfmetrics._dynFaceNames.pop(font.face.name, None)
            for key in [k for k, v in _tt2ps_map.items() if k[0] == name.lower() or v == name]:
                _tt2ps_map.pop(key, None)
            _ps2tt_map.pop(name.lower(), None)


def _fallback(text: str) -> Fonts:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if any(ord(ch) > 0x2FFF for ch in text):
        if FALLBACK_CJK not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_CJK))
        return Fonts(FALLBACK_CJK, FALLBACK_CJK, embedded=False)
    return Fonts(FALLBACK_LATIN, FALLBACK_BOLD, embedded=False)
