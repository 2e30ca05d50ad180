"""Records whose words the admin writes in both languages (an assessment template's sections and questions).

The product's own wording is translated by gettext; words an admin types are data, and a catalogue cannot know
them. A record that people of both languages read keeps its words twice: `<field>` in English (always filled)
and `<field>_zh_hans` in Simplified Chinese (optional). `in_reader_language` answers the one the reader's
language asks for, and English where the Chinese is not written (yet).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language


def reader_reads_chinese() -> bool:
    return (get_language() or "").lower().startswith("zh")


def in_reader_language(record: Any, name: str) -> str:
    if reader_reads_chinese():
        chinese = getattr(record, f"{name}_zh_hans", "")
        if chinese:
            return str(chinese)
    return str(getattr(record, name))
