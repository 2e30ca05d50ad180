"""Recognise an uploaded file by its content, never by its name or the browser's word for it."""

from __future__ import annotations

import zipfile
from pathlib import PurePosixPath
from typing import IO

from .choices import FileType


def sniff(stream: IO[bytes]) -> FileType | None:
    """The accepted type this file really is, or None."""
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return FileType.PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileType.PNG
    if head.startswith(b"\xff\xd8\xff"):
        return FileType.JPEG
    if head.startswith(b"PK\x03\x04"):
        return _office_type(stream)
    return None


def _office_type(stream: IO[bytes]) -> FileType | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        stream.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return FileType.DOCX
    if "xl/workbook.xml" in names:
        return FileType.XLSX
    return None


EXTENSIONS: dict[str, tuple[str, ...]] = {
    FileType.PDF: (".pdf",),
    FileType.PNG: (".png",),
    FileType.JPEG: (".jpg", ".jpeg"),
    FileType.DOCX: (".docx",),
    FileType.XLSX: (".xlsx",),
}


def download_name(original_name: str, mime_type: str) -> str:
    """The name a file is downloaded under: the uploader's name with the extension of what the file really is
    (a PDF uploaded as `contract.html` downloads as `contract.pdf`, so no browser treats it as a page)."""
    extensions = EXTENSIONS.get(mime_type)
    if extensions is None:
        return original_name
    name = PurePosixPath(original_name.replace("\\", "/")).name or "file"
    if name.lower().endswith(extensions):
        return name
    stem = name.rsplit(".", 1)[0] if "." in name.strip(".") else name
    return (stem.rstrip(".") or "file") + extensions[0]
