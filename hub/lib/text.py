"""Checks on text typed into names. Framework-free.

A name may hold any letter, mark, digit, space or punctuation of any script, but not the
characters that change how text around it is *shown* without being seen themselves: bidi
overrides and isolates (U+202A-U+202E, U+2066-U+2069: "Daniel\u202eSEHGUH" shows as
"DanielHUGHES"), zero-width spaces and joiners (U+200B-U+200D, U+2060, U+FEFF), soft hyphens,
and control characters. Two records could then look identical on screen and in a printed
document while differing underneath (a duplicate nobody can see), or a name could make a
line of a list or an export read backwards.

Refused: Unicode categories Cc (controls), Cf (format: bidi, zero-width), Co (private use), Cs
(surrogates), Cn (unassigned), Zl and Zp (line and paragraph separators).
"""

from __future__ import annotations

import unicodedata

REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})


def hidden_characters(text: str) -> list[str]:
    """Each refused character in `text`, once, as `U+202E RIGHT-TO-LEFT OVERRIDE`, in the
    order they first appear."""
    found: list[str] = []
    for char in text:
        if unicodedata.category(char) in REFUSED_CATEGORIES:
            described = f"U+{ord(char):04X} {unicodedata.name(char, 'control character')}"
            if described not in found:
                found.append(described)
    return found


def hidden_characters_message(label: str, text: str) -> str | None:
    """The error to show at a field labelled `label` whose value is `text`, or None if the
    text holds no refused character."""
    found = hidden_characters(text)
    if not found:
        return None
    return (
        f"{label} must contain only letters, spaces and punctuation: remove the hidden "
        f"character{'s' if len(found) > 1 else ''} ({', '.join(found)}), for example by typing "
        "the name again rather than pasting it"
    )
