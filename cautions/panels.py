"""Parts of cautions' pages that apps above cautions contribute: cautions may not import them.

A slot is a named place on a page. An app registers a builder for a slot in its
`AppConfig.ready()` (referrals/apps.py fills both); the page calls each builder in a fixed order
(`order`, then name) and renders what it returns with `{% panel %}` (cautions_panels), which
includes the panel's template with the panel's context added to the page's. A builder runs its
own reads: each must read a fixed number of queries, whatever the number of rows, so that the
page's query budget holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Panel:
    """What a page shows in a slot: a template and what it needs beyond the page's context."""

    template: str
    context: dict = field(default_factory=dict)


# slot: what the page passes to each builder, as keyword arguments
SLOTS = {
    # The Support section of the case page (cautions:case_support).
    "case_support": ("case", "user"),
    # The top of the officer's worklist (cautions:worklist).
    "worklist": ("user",),
}

# A builder returns its panel, or None when it has nothing to show.
Builder = Callable[..., Panel | None]

_registry: dict[str, dict[str, tuple[int, Builder]]] = {slot: {} for slot in SLOTS}


def register(slot: str, name: str, builder: Builder, *, order: int = 100) -> None:
    """Add `builder` to `slot` under `name` (registering a name again replaces it, so a second
    `ready()` does not show a panel twice)."""
    if slot not in SLOTS:
        raise ValueError(f"No slot {slot!r}: the slots are {', '.join(SLOTS)}")
    _registry[slot][name] = (order, builder)


def registered(slot: str) -> list[str]:
    """The names of the builders of `slot`, in the order their panels are shown."""
    return [name for name, _ in _ordered(slot)]


def panels_for(slot: str, **kwargs) -> list[Panel]:
    """The panels of `slot`, built for this page (`kwargs`: what SLOTS names)."""
    if set(kwargs) != set(SLOTS[slot]):
        raise TypeError(f"Slot {slot!r} is built from {', '.join(SLOTS[slot])}")
    panels = (builder(**kwargs) for _, builder in _ordered(slot))
    return [panel for panel in panels if panel is not None]


def _ordered(slot: str) -> list[tuple[str, Builder]]:
    entries = sorted(_registry[slot].items(), key=lambda item: (item[1][0], item[0]))
    return [(name, builder) for name, (_, builder) in entries]
