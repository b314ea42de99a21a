"""The condition types a victim's requested action points to (s.23ZA: their requested action
is attached unless inappropriate). Pure: words in, condition type keys out; the proposal page
pre-fills a condition of each type found, which the officer completes or removes (with a
reason recorded when the request is left out)."""

from __future__ import annotations

# (words found in the request, lower case) -> condition type key, in the order suggested.
REQUEST_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("compensat", "pay for", "pay back", "money back", "refund"), "compensation"),
    (("apolog", "say sorry", "letter"), "apology_letter"),
    (("repair", "put right", "clean", "make good", "fix"), "repair_damage"),
    (("restorative", "meet", "conference"), "restorative_justice"),
)


def suggested_types(requested_action: str) -> list[str]:
    """The condition type keys a requested action names, in REQUEST_WORDS order, each once."""
    text = requested_action.lower()
    return [key for words, key in REQUEST_WORDS if any(word in text for word in words)]
