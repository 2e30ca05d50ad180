"""Sentences the product composes and keeps: stored as the English msgid and its parameters, worded in the reader's
language whenever shown.

A criterion's explanation ("Weighted SLA attainment 98.5% over 32 measurements …") is computed in the language of
whoever asked, but some are stored (an appraisal's explanation, a frozen assessment result) and read for years by
people of both languages. A `Phrase` is a `str` holding the words of the moment it was made — so everything that
took a string goes on working unchanged — that knows its msgid and parameters: `str(phrase)` words it again in the
current language, `stored(phrase)` gives `{"msgid", "params"}` to keep, and `say(stored)` words a kept one.
The msgid is marked with `gettext_noop` where the phrase is made, so the catalogue has it (like the inbox's
notices, which are kept the same way).
"""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext


def _word(msgid: str, params: dict[str, Any]) -> str:
    text = gettext(msgid)
    values = {k: say(v) if isinstance(v, dict) else str(v) for k, v in params.items()}
    return text % values if params or "%%" in text else text


class Phrase(str):
    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, /, **params: Any) -> Phrase:
        kept = {
            k: stored(v) if isinstance(v, Phrase) else (v if isinstance(v, dict) else str(v)) for k, v in params.items()
        }
        phrase = super().__new__(cls, _word(msgid, kept))
        phrase.msgid, phrase.params = msgid, kept
        return phrase

    def __str__(self) -> str:
        return _word(self.msgid, self.params)

    @classmethod
    def label(cls, lazy_label: Any) -> Phrase:
        """A translated label (a choice's, gettext_lazy) as a phrase: its msgid is its English words."""
        with translation.override("en"):
            return cls(str(lazy_label))


def stored(value: Any) -> Any:
    """What to keep in a JSON field for a phrase (a plain string is kept as it is)."""
    if isinstance(value, Phrase):
        return {"msgid": value.msgid, "params": value.params}
    return value


def say(value: Any) -> str:
    """A kept phrase in the reader's language; a plain string (kept before phrases were) as it is."""
    if isinstance(value, dict) and "msgid" in value:
        return _word(value["msgid"], value.get("params", {}))
    return "" if value is None else str(value)


def read_back(sentence: Any, msgids: list[str], languages: tuple[str, ...] = ("en", "zh-hans")) -> Any:
    """The kept form of a sentence stored before phrases were (for data migrations): the first msgid whose
    wording, in one of the languages, the sentence is; the sentence itself when none is."""
    import re

    if not isinstance(sentence, str):
        return sentence
    for language in languages:
        with translation.override(language):
            for msgid in msgids:
                text = gettext(msgid)
                pattern = re.escape(text).replace("%%", "%")
                for name in re.findall(r"%\((\w+)\)s", text):
                    pattern = pattern.replace(re.escape(f"%({name})s"), f"(?P<{name}>.+?)", 1)
                match = re.fullmatch(pattern, sentence)
                if match:
                    return {"msgid": msgid, "params": match.groupdict()}
    return sentence
