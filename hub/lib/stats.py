"""Statistics on aggregated counts: pure functions, no Django, no database.

The reporting selectors count in SQL and hand only the small aggregated numbers to these
functions (DOMAIN.md, "Exact definitions used by Offender Hub").
"""

import math
from collections.abc import Iterable

# Two-sided 95%: the 97.5th percentile of the standard normal distribution.
Z95 = 1.959963984540054


def wilson_interval(successes: int, total: int, z: float = Z95) -> tuple[float, float] | None:
    """Wilson score interval for a binomial proportion; None when there is no one to count.

    centre = (p + z²/2n) / (1 + z²/n)
    half   = z / (1 + z²/n) * sqrt(p(1-p)/n + z²/4n²)
    """
    if total <= 0:
        return None
    if not 0 <= successes <= total:
        raise ValueError("successes must be between 0 and total")
    p = successes / total
    z2 = z * z
    denominator = 1 + z2 / total
    centre = (p + z2 / (2 * total)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total))
    # Clamp the rounding noise at the ends (0 successes gives a low of 0 exactly in theory).
    return max(0.0, centre - half), min(1.0, centre + half)


def ratio(numerator: int | float, denominator: int | float) -> float | None:
    """numerator / denominator, None when the denominator is 0 (DOMAIN.md: null)."""
    return numerator / denominator if denominator else None


def kaplan_meier(counts: Iterable[tuple[int, int, int]]) -> list[tuple[int, float]]:
    """Product-limit estimate from aggregated counts.

    `counts`: (t, events, censored) per time t, in any order, several rows per t allowed:
    `events` people had their event at t, `censored` people were last seen at t without one.
    Returns [(t, S(t))] for each t with at least one event, ascending. People censored at t
    are still at risk for the events at t and leave the risk set after them.
    """
    by_time: dict[int, list[int]] = {}
    for t, events, censored in counts:
        if events < 0 or censored < 0:
            raise ValueError("counts cannot be negative")
        slot = by_time.setdefault(t, [0, 0])
        slot[0] += events
        slot[1] += censored
    at_risk = sum(events + censored for events, censored in by_time.values())
    survival = 1.0
    steps: list[tuple[int, float]] = []
    for t in sorted(by_time):
        events, censored = by_time[t]
        if events:
            survival *= 1 - events / at_risk
            steps.append((t, survival))
        at_risk -= events + censored
    return steps


def km_median(steps: list[tuple[int, float]]) -> int | None:
    """The smallest event time with S(t) <= 0.5; None if the curve never gets there."""
    for t, survival in steps:
        # A tolerance so that an exact half (e.g. 1 - 2/4) is not missed by rounding.
        if survival <= 0.5 + 1e-12:
            return t
    return None


def exact_binomial_p(successes: int, total: int, expected: float) -> float | None:
    """Two-sided p-value of the exact binomial test of `successes` out of `total` against a
    fixed proportion (scipy.stats.binomtest: the sum of the probabilities of every outcome no
    more likely than the one seen). None when there is nobody to test."""
    if total <= 0:
        return None
    from scipy.stats import binomtest

    return float(binomtest(successes, total, expected, alternative="two-sided").pvalue)
