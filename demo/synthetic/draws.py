"""Random draws shared by the synthetic histories (demo.synthetic)."""

from __future__ import annotations

import datetime as dt
import random

from demo.synthetic.reference import UTC


def weighted(rng: random.Random, weights: dict, k: int) -> list:
    return rng.choices(list(weights), weights=list(weights.values()), k=k)


def aware(day: dt.date, rng: random.Random, start_hour: int = 8, end_hour: int = 19):
    """A time in working hours on `day`, in UTC."""
    return dt.datetime(
        day.year, day.month, day.day, rng.randint(start_hour, end_hour - 1), rng.randint(0, 59),
        tzinfo=UTC,
    )  # fmt: skip
