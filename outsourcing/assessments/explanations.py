"""The rules of an assessment result, stored as codes with parameters and put into words for each reader.

A result is frozen when the assessment is completed and read for years after, by people of either language; a
sentence stored in the words of whoever completed it would stay in that language for ever. Every rule is stored
as `{"code": ..., "params": {...}}` and `say()` renders it in the reader's language when the page or export is
built. Parameters are figures and item codes, never words.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_noop

from outsourcing.core import phrases

RULES = {
    "blocked": gettext_noop("Blocked: a blocker forbids approval whatever the score."),
    "missing_data": gettext_noop(
        "No recommendation: the system has no data for %(codes)s. Supply the data, or score these items by hand."
    ),
    "nothing_scored": gettext_noop("No score: nothing was scored."),
    "approve": gettext_noop("Score %(score)s ≥ %(threshold)s: approve."),
    "approve_with_conditions": gettext_noop("%(low)s ≤ score %(score)s < %(high)s: approve with conditions."),
    "reject": gettext_noop("Score %(score)s < %(threshold)s: reject."),
    "hidden": gettext_noop("Hidden: shown only when %(code)s = %(value)s; not scored."),
    "no_data": gettext_noop(
        "No data for criterion %(code)s: left out of the score until the data is supplied or the reviewer scores it."
    ),
    "criterion": gettext_noop("Criterion %(code)s = %(score)s of 100 × weight %(weight)s = %(points)s points."),
    "unscored": gettext_noop("Not yet scored: 0 of %(weight)s points."),
    "reviewer": gettext_noop("Reviewer's score %(score)s of %(max)s × weight %(weight)s = %(points)s points."),
    "reviewer_without_data": gettext_noop(
        "No data from the system; scored by hand. Reviewer's score %(score)s of %(max)s × weight %(weight)s = "
        "%(points)s points."
    ),
}


def rule(name: str, /, **params: Any) -> dict[str, Any]:
    """A rule as stored: its code and its parameters (as text, so the stored result reads back the same)."""
    if name not in RULES:
        raise KeyError(name)
    return {"code": name, "params": {k: str(v) for k, v in params.items()}}


def say(stored: Any) -> str:
    """A stored rule in the reader's language; a sentence stored before rules had codes is shown as it is."""
    if isinstance(stored, dict) and stored.get("code") in RULES:
        return gettext(RULES[stored["code"]]) % stored.get("params", {})
    return "" if stored is None else str(stored)


def worded(result: dict[str, Any]) -> dict[str, Any]:
    """A result (frozen or live) with its rules in the reader's language, as pages, exports and the API show it:
    `rule` and `recommendation_rule` become sentences; the stored code and parameters stay beside them
    (`rule_code`, `rule_params`, `recommendation_rule_code`, `recommendation_rule_params`)."""
    shown = dict(result)
    stored = result.get("recommendation_rule")
    shown["recommendation_rule"] = say(stored)
    if isinstance(stored, dict):
        shown["recommendation_rule_code"] = stored.get("code", "")
        shown["recommendation_rule_params"] = stored.get("params", {})
    sections = []
    for section in result.get("sections", []):
        lines = []
        for line in section.get("items", []):
            line = dict(line)
            stored = line.get("rule")
            line["rule"] = say(stored)
            if "criterion_detail" in line:
                line["criterion_detail"] = phrases.say(line["criterion_detail"])
            if isinstance(stored, dict):
                line["rule_code"], line["rule_params"] = stored.get("code", ""), stored.get("params", {})
            lines.append(line)
        sections.append({**section, "items": lines})
    shown["sections"] = sections
    return shown


def from_sentence(sentence: str, languages: tuple[str, ...] = ("en", "zh-hans")) -> dict[str, Any] | str:
    """The stored rule a sentence of an earlier result says (results frozen before rules had codes), read in
    either language; the sentence itself when it matches no rule."""
    import re

    from django.utils import translation

    for language in languages:
        with translation.override(language):
            for code, msgid in RULES.items():
                text = gettext(msgid)
                pattern = re.escape(text)
                for name in re.findall(r"%\((\w+)\)s", text):
                    pattern = pattern.replace(re.escape(f"%({name})s"), f"(?P<{name}>.+?)", 1)
                match = re.fullmatch(pattern, sentence)
                if match:
                    return {"code": code, "params": match.groupdict()}
    return sentence
