"""Read a certificate file instead of comparing it with the typed record by eye.

The text comes from the PDF's text layer, or — for an image or a scanned PDF — from OCR (Debian's Tesseract
with its Simplified Chinese data, run locally; nothing is downloaded), plus the payload of any QR code on it
(zxing-cpp). From that text the certificate's fields are picked out, in Chinese and English layouts: its
number, the holder, the standard (ISO 9001:2015, ISO/IEC 27001:2022, CMMI level …), the issuer and the
validity dates. `compare` then says for each field whether it matches the qualification as typed, differs, or
was not found — always with the line it was read from, so the verifier sees the evidence, not a verdict alone.

A file that cannot be read is "not read", never an error: OCR is an aid to the verifier, not a gate.
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

MAX_PAGES = 3  # a certificate is one or two pages; annexes (scope lists) do not hold its fields
RENDER_SCALE = 300 / 72  # 300 dpi: what Tesseract is trained for
MAX_TEXT = 20_000  # characters kept of what was read: enough for every field, bounded for storage
MIN_TEXT_LAYER = 40  # fewer characters than this in the text layer means a scanned PDF: OCR it
OCR_LANGUAGES = "chi_sim+eng"


class Method:
    TEXT_LAYER = "text_layer"
    OCR = "ocr"
    NONE = "none"


class Verdict:
    MATCHES = "matches"
    DIFFERS = "differs"
    NOT_FOUND = "not_found"


FIELDS = ("number", "holder", "standard", "issuer", "valid_from", "valid_until")


@dataclass
class Found:
    """A field read from the certificate: its value (dates as ISO strings) and the line it came from."""

    value: str
    source: str


@dataclass
class Reading:
    method: str  # Method: text layer, OCR or none
    text: str
    qr: list[str] = field(default_factory=list)
    fields: dict[str, Found] = field(default_factory=dict)
    problem: str = ""  # why nothing could be read, for the verifier (never shown as an error page)

    @property
    def read(self) -> bool:
        return bool(self.fields)

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "text": self.text,
            "qr": self.qr,
            "fields": {name: asdict(found) for name, found in self.fields.items()},
            "problem": self.problem,
        }


# --- getting the text -------------------------------------------------------------------------------------------


def read_file(data: bytes) -> Reading:
    """Everything that can be read from a PDF, PNG or JPEG file; `method` none with a `problem` otherwise."""
    try:
        if data.startswith(b"%PDF-"):
            reading = _read_pdf(data)
        elif data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")):
            reading = _read_images([_open_image(data)])
        else:
            return Reading(method=Method.NONE, text="", problem="not a PDF or image")
    except Exception as exc:
        return Reading(method=Method.NONE, text="", problem=f"unreadable: {type(exc).__name__}")
    reading.text = reading.text[:MAX_TEXT]
    reading.fields = parse_fields(reading.text, reading.qr)
    if not reading.fields and not reading.problem:
        reading.problem = "no certificate field found"
    return reading


def _open_image(data: bytes) -> Any:
    from PIL import Image

    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _read_pdf(data: bytes) -> Reading:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    pages = reader.pages[:MAX_PAGES]
    text = "\n".join(page.extract_text() or "" for page in pages)
    if len(text.strip()) >= MIN_TEXT_LAYER:  # QR codes are found at half the resolution OCR needs
        return Reading(method=Method.TEXT_LAYER, text=text, qr=_qr_codes(_render_pdf(data, RENDER_SCALE / 2)))
    return _read_images(_render_pdf(data, RENDER_SCALE))


def _render_pdf(data: bytes, scale: float) -> list[Any]:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return [document[i].render(scale=scale).to_pil() for i in range(min(len(document), MAX_PAGES))]
    finally:
        document.close()


def _read_images(images: list[Any]) -> Reading:
    qr = _qr_codes(images)
    text, problem = ocr(images)
    return Reading(method=Method.OCR if text else Method.NONE, text=text, qr=qr, problem=problem)


def _qr_codes(images: Iterable[Any]) -> list[str]:
    try:
        import zxingcpp
    except ImportError:  # pragma: no cover - a dependency of the project; kept optional at run time
        return []
    payloads: list[str] = []
    for image in images:
        payloads.extend(code.text for code in zxingcpp.read_barcodes(image) if code.text)
    return payloads


def ocr_available() -> bool:
    import shutil

    return shutil.which("tesseract") is not None


def ocr(images: list[Any]) -> tuple[str, str]:
    """The text of the images by Tesseract: each page as it is and cleaned of speckle, both kept, since each
    reads some lines the other misreads. ("", problem) when Tesseract is not installed."""
    if not ocr_available():
        return "", "OCR is not installed (Debian package tesseract-ocr with tesseract-ocr-chi-sim)"
    import pytesseract
    from PIL import ImageFilter, ImageOps

    texts = []
    for image in images:
        grey = image.convert("L")
        cleaned = ImageOps.autocontrast(grey.filter(ImageFilter.MedianFilter(3))).point(lambda v: 255 if v > 150 else 0)
        for variant in (grey, cleaned):
            texts.append(pytesseract.image_to_string(variant, lang=OCR_LANGUAGES, timeout=60))
    return "\n".join(texts), ""


# --- picking out the fields -------------------------------------------------------------------------------------

_SEP = r"\s*[:：+]?\s*"
_NUMBER_LABELS = [
    r"(?:certificate|cert\.?|registration|reg\.?)\s*(?:no\.?|number|#)",
    r"证书编号|证书号码|证书号|注册号|认证证书号|编号",
]
_HOLDER_PATTERNS = [
    r"this is to certify that\s*(?:the\s+)?(?:(?:quality|information security|it service|environmental)"
    r"\s+management system of\s+)?(?P<v>.+?)(?:\s+(?:has|have|is|was|were|operates|complies|meets|located|for)\b|$)",
    r"(?:certified organi[sz]ation|organi[sz]ation name|organi[sz]ation|holder|company|certificate holder)"
    + _SEP
    + r"(?P<v>.+)",
    r"兹证明\s*(?P<v>.+?)(?:的|[，,]|\s{2,}|$)",
    r"(?:组织名称|获证组织|证书持有人|单位名称|企业名称)" + _SEP + r"(?P<v>.+)",
]
_ISSUER_PATTERNS = [
    r"(?:issued by|certification body|issuer|issuing body|accredited body)" + _SEP + r"(?P<v>.+)",
    r"(?:发证机构|认证机构|颁发机构|发证单位)" + _SEP + r"(?P<v>.+)",
]
_FROM_LABELS = (
    r"(?:valid from|effective date|issue date|date of issue|issued on|initial certification date|"
    r"发证日期|颁发日期|生效日期|初次发证日期)"
)
_UNTIL_LABELS = (
    r"(?:valid until|valid to|valid thru|expiry date|expiration date|expires on|expires|有效期至|截止日期|有效期限至)"
)
_RANGE_LABELS = r"(?:valid(?:ity)?(?: period)?|有效期(?:限)?)"

_MONTHS = {
    m: i
    for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)
}
_DATE_PATTERNS = [
    r"(?P<y>(?:19|20)\d\d)\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?",
    r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon>[A-Za-z]{3,9})\.?,?\s+(?P<y>(?:19|20)\d\d)",
    r"(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)",
]


def _dates(line: str) -> list[tuple[int, datetime.date]]:
    """Every date in the line with its position, in the layouts certificates use."""
    found = []
    for pattern in _DATE_PATTERNS:
        for match in re.finditer(pattern, line, re.IGNORECASE):
            parts = match.groupdict()
            month = int(parts["m"]) if parts.get("m") else _MONTHS.get((parts.get("mon") or "")[:3].lower())
            if not month:
                continue
            try:
                found.append((match.start(), datetime.date(int(parts["y"]), month, int(parts["d"]))))
            except ValueError:
                continue
    return sorted(set(found))


_ISO = r"(?:ISO\s*/?\s*(?:IEC)?\s*)?(?<!\d)"
_STANDARDS = [
    (re.compile(_ISO + r"9001\s*[:：]\s*(\d{4})", re.I), "ISO 9001:{0}", "iso9001"),
    (re.compile(_ISO + r"27001\s*[:：]\s*(\d{4})", re.I), "ISO/IEC 27001:{0}", "iso27001"),
    (re.compile(_ISO + r"20000(?:-1)?\s*[:：]\s*(\d{4})", re.I), "ISO/IEC 20000-1:{0}", "iso20000"),
    (re.compile(_ISO + r"14001\s*[:：]\s*(\d{4})", re.I), "ISO 14001:{0}", "iso14001"),
    (
        re.compile(r"CMMI[^\n]{0,40}?(?:maturity\s+level|level|ML|成熟度(?:等级)?)\s*(\d)", re.I),
        "CMMI level {0}",
        "cmmi",
    ),
    (re.compile(r"CMMI[^\n]{0,20}?(\d)\s*级", re.I), "CMMI level {0}", "cmmi"),
]


def parse_fields(text: str, qr: Iterable[str] = ()) -> dict[str, Found]:
    """The certificate's fields found in its text and QR payloads (a QR payload wins: it is exact)."""
    result: dict[str, Found] = {}
    for source in [*qr, text]:  # QR first: no OCR errors in it
        for name, found in _parse(source).items():
            result.setdefault(name, found)
    return result


_CJK = r"[\u3400-\u9fff\uff08\uff09\uff1a\uff0c]"


def _lines(text: str) -> list[str]:
    """Non-empty lines with runs of blanks folded, and no blank between two Chinese characters (OCR puts
    them where the glyphs are spaced)."""
    lines = []
    for line in text.splitlines():
        line = re.sub(r"[ \t\u3000]+", " ", line).strip()
        line = re.sub(f"(?<={_CJK}) (?={_CJK})", "", line)
        if line:
            lines.append(line)
    return lines


def _parse(text: str) -> dict[str, Found]:
    found: dict[str, Found] = {}
    lines = _lines(text)
    for line in lines:
        lower = line.lower()
        if "number" not in found:
            for label in _NUMBER_LABELS:
                match = re.search(f"(?:{label}){_SEP}(?P<v>[A-Za-z0-9][A-Za-z0-9\\-/.]{{3,40}})", line, re.I)
                if match:
                    found["number"] = Found(match["v"].rstrip("-./"), line)
                    break
        if "holder" not in found:
            for pattern in _HOLDER_PATTERNS:
                match = re.search(pattern, line, re.I)
                if match and match["v"].strip(" :："):
                    found["holder"] = Found(match["v"].strip(" :：。"), line)
                    break
        if "issuer" not in found:
            for pattern in _ISSUER_PATTERNS:
                match = re.search(pattern, line, re.I)
                if match and match["v"].strip():
                    found["issuer"] = Found(match["v"].strip(" :：。."), line)
                    break
        if "standard" not in found:
            for regex, template, _code in _STANDARDS:
                match = regex.search(line)
                if match:
                    found["standard"] = Found(template.format(match[1]), line)
                    break
        dates = _dates(line)
        if dates:
            if re.search(_UNTIL_LABELS, lower) and "valid_until" not in found:
                found["valid_until"] = Found(dates[-1][1].isoformat(), line)
            elif re.search(_FROM_LABELS, lower) and "valid_from" not in found:
                found["valid_from"] = Found(dates[0][1].isoformat(), line)
            elif re.search(_RANGE_LABELS, lower) and len(dates) >= 2:
                found.setdefault("valid_from", Found(dates[0][1].isoformat(), line))
                found.setdefault("valid_until", Found(dates[-1][1].isoformat(), line))
            elif re.search(_RANGE_LABELS, lower) and "valid_until" not in found:
                found["valid_until"] = Found(dates[-1][1].isoformat(), line)
    return found


def standard_code(value: str) -> tuple[str, int | None] | None:
    """(qualification type code, level) named by a standard as read, e.g. ("cmmi", 3) or ("iso27001", None)."""
    for regex, _template, code in _STANDARDS:
        match = regex.search(value)
        if match:
            return code, int(match[1]) if code == "cmmi" else None
    return None


# --- comparing with what was typed ------------------------------------------------------------------------------

# Characters OCR confuses in certificate numbers: compared as one.
_CONFUSABLE = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "|": "1", "S": "5", "B": "8", "Z": "2"})


def _plain(value: str) -> str:
    """Upper case, full-width folded, without spaces and punctuation: how two spellings are compared."""
    folded = unicodedata.normalize("NFKC", value).upper()
    return "".join(ch for ch in folded if ch.isalnum())


def _same_number(typed: str, read: str) -> bool:
    return _plain(typed).translate(_CONFUSABLE) == _plain(read).translate(_CONFUSABLE)


def _same_name(names: Iterable[str], read: str) -> bool:
    """The read name is one of the names (or contains it, or is contained: OCR keeps or drops a suffix)."""
    got = _plain(read)
    for name in names:
        want = _plain(name)
        if want and got and (want == got or (len(got) >= 4 and (want in got or got in want))):
            return True
    return False


@dataclass
class Comparison:
    field: str
    typed: str
    read: str
    source: str
    verdict: str  # Verdict


def compare(reading: Reading, *, typed: dict[str, Any], holder_names: Iterable[str]) -> list[Comparison]:
    """Each field as matches / differs / not found against the qualification as typed.

    `typed` holds the qualification's `number`, `issuer`, `type_code`, `level`, `valid_from`, `valid_until`;
    `holder_names` the vendor's names (legal and English), any of which the holder may be printed as.
    """
    names = [n for n in holder_names if n]
    rows = []
    for name in FIELDS:
        found = reading.fields.get(name)
        want = _typed_text(name, typed, names)
        if found is None:
            rows.append(Comparison(name, want, "", "", Verdict.NOT_FOUND))
            continue
        if name == "number":
            same = _same_number(str(typed.get("number", "")), found.value)
        elif name == "holder":
            same = _same_name(names, found.value)
        elif name == "issuer":
            same = _same_name([str(typed.get("issuer", ""))], found.value)
        elif name == "standard":
            code = standard_code(found.value)
            same = (
                code is not None
                and code[0] == typed.get("type_code")
                and (code[1] is None or code[1] == typed.get("level"))
            )
        else:
            same = found.value == _iso(typed.get(name))
        rows.append(Comparison(name, want, found.value, found.source, Verdict.MATCHES if same else Verdict.DIFFERS))
    return rows


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime.date) else str(value or "")


def _typed_text(name: str, typed: dict[str, Any], names: list[str]) -> str:
    if name == "holder":
        return " / ".join(names)
    if name == "standard":
        level = typed.get("level")
        return f"{typed.get('type_code', '')}" + (f" level {level}" if level else "")
    return _iso(typed.get(name))
