"""Synthetic data for the matched comparison (tests and bench/comparison_bench.py): treated
people (hub cautions) and a comparison pool, with a planted effect and planted confounding.

Who is diverted depends on age, previous offences, offence category and gravity: the treated
are younger, have fewer previous proven offences, more shoplifting and lower gravity. The same
covariates drive reoffending: the one-year proven reoffending probability without the hub is

    p0(x) = 0.12 + 0.07 min(prior, 6) + 0.003 max(0, 40 - age) + 0.03 (gravity - 1) + c(category)

and with it p0(x) + `effect` (never below 0, since p0 >= 0.12 and effect >= -0.12): the effect
on the treated is exactly `effect` on the probability scale, while the unadjusted difference
adds the treated's lower p0. Everything is written in bulk (hub.bulk: COPY on PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from cautions.models import Case, CaseStatus, CrimeOutcome
from hub.bulk import bulk_insert
from hub.lib.pnc import format_pnc
from hub.models import District, ImportBatch, Offence, OffenceCategory, Person, ReoffenceRecord
from reporting.models import ComparisonBatch, ComparisonRecord

CATEGORIES = ["shoplifting", "criminal_damage", "public_order", "theft"]
CATEGORY_EFFECT = {"shoplifting": 0.08, "criminal_damage": 0.02, "public_order": 0.0, "theft": 0.05}
TREATED_MIX = {
    "category": [0.55, 0.2, 0.1, 0.15],
    "gravity": [0.55, 0.35, 0.1],
    "age_scale": 6.0,
    "prior_mean": 0.5,
}
POOL_MIX = {
    "category": [0.25, 0.25, 0.25, 0.25],
    "gravity": [0.3, 0.4, 0.3],
    "age_scale": 10.0,
    "prior_mean": 2.5,
}
SEXES, SEX_P = ["male", "female"], [0.75, 0.25]
ETHNICITIES, ETHNICITY_P = ["W1", "A1"], [0.85, 0.15]
# Two districts: a covariate with no influence adds only noise to the matching.
DISTRICTS = 2
CHUNK = 50_000
# Serial numbers of the PNC IDs: treated from year 20, the pool from year 21.
TREATED_YEAR, POOL_YEAR = 20, 21


@dataclass(frozen=True)
class Planted:
    effect: float
    treated: int
    pool: int
    date_from: dt.date
    date_to: dt.date


def _covariates(rng: np.random.Generator, n: int, mix: dict) -> dict[str, np.ndarray]:
    age = np.minimum(18 + rng.gamma(2.0, mix["age_scale"], n).astype(int), 80)
    return {
        "age": age,
        "prior": np.minimum(rng.poisson(mix["prior_mean"], n), 15),
        "category": rng.choice(len(CATEGORIES), n, p=mix["category"]),
        "gravity": 1 + rng.choice(3, n, p=mix["gravity"]),
        "sex": rng.choice(len(SEXES), n, p=SEX_P),
        "ethnicity": rng.choice(len(ETHNICITIES), n, p=ETHNICITY_P),
    }


def base_probability(cov: dict[str, np.ndarray]) -> np.ndarray:
    category_effect = np.array([CATEGORY_EFFECT[key] for key in CATEGORIES])[cov["category"]]
    return (
        0.12
        + 0.07 * np.minimum(cov["prior"], 6)
        + 0.003 * np.maximum(0, 40 - cov["age"])
        + 0.03 * (cov["gravity"] - 1)
        + category_effect
    )


class _Builder:
    def __init__(self, rng, date_from: dt.date, date_to: dt.date):
        self.rng = rng
        self.date_from = date_from
        self.days = (date_to - date_from).days + 1
        self.districts = list(District.objects.order_by("pk").values_list("pk", flat=True))
        self.districts = self.districts[:DISTRICTS]
        keys = dict(OffenceCategory.objects.values_list("key", "pk"))
        self.category_ids = [keys[key] for key in CATEGORIES]
        self.batch = ImportBatch.objects.create(
            kind=ImportBatch.Kind.REOFFENCES,
            via=ImportBatch.Via.COMMAND,
            file_name="synthetic-comparison.csv",
            rows_in_file=0,
            rows_created=0,
        )
        self.pool_batch = ComparisonBatch.objects.create(file_name="synthetic-pool.csv")

    def chunk(self, n: int, mix: dict, effect: float, treated: bool) -> dict:
        cov = _covariates(self.rng, n, mix)
        p = base_probability(cov) + (effect if treated else 0.0)
        cov["reoffences"] = np.where(self.rng.random(n) < p, 1 + self.rng.poisson(0.5, n), 0)
        cov["index"] = self.rng.integers(0, self.days, n)
        cov["district"] = self.rng.integers(0, len(self.districts), n)
        return cov

    def records(self, refs: list[str], person_ids, cov: dict) -> None:
        rows = []
        for i, ref in enumerate(refs):
            index = self.date_from + dt.timedelta(days=int(cov["index"][i]))
            person_id = None if person_ids is None else person_ids[i]
            for j in range(int(cov["prior"][i])):
                offence = index - dt.timedelta(days=61 + 40 * j + int(self.rng.integers(0, 39)))
                rows.append((ref, person_id, offence, offence + dt.timedelta(days=30)))
            for j in range(int(cov["reoffences"][i])):
                offence = index + dt.timedelta(days=1 + 60 * j + int(self.rng.integers(0, 59)))
                rows.append((ref, person_id, offence, offence + dt.timedelta(days=20)))
        bulk_insert(
            ReoffenceRecord,
            [
                {
                    "person_ref": ref,
                    "person_id": person_id,
                    "offence_date": offence,
                    "proven_date": proven,
                    "offence_category": "theft",
                    "disposal": "conviction",
                    "batch_id": self.batch.pk,
                }
                for ref, person_id, offence, proven in rows
            ],
            returning=False,
        )

    def treated(self, start: int, cov: dict) -> None:
        n = len(cov["age"])
        refs = [format_pnc(TREATED_YEAR, start + i) for i in range(n)]
        index = [self.date_from + dt.timedelta(days=int(day)) for day in cov["index"]]
        people = bulk_insert(
            Person,
            [
                {
                    "first_name": "Synthetic",
                    "last_name": "Treated",
                    "date_of_birth": day - dt.timedelta(days=int(365.25 * cov["age"][i]) + 1),
                    "sex": SEXES[cov["sex"][i]],
                    "ethnicity": ETHNICITIES[cov["ethnicity"][i]],
                    "pnc_id": refs[i],
                    "district_id": self.districts[cov["district"][i]],
                }
                for i, day in enumerate(index)
            ],
        )
        offences = bulk_insert(
            Offence,
            [
                {
                    "person_id": people[i],
                    "category_id": self.category_ids[cov["category"][i]],
                    "description": "Synthetic offence",
                    "offence_date": day - dt.timedelta(days=2),
                    "district_id": self.districts[cov["district"][i]],
                    "gravity_score": int(cov["gravity"][i]),
                    "mode_of_trial": "either_way",
                }
                for i, day in enumerate(index)
            ],
        )
        bulk_insert(
            Case,
            [
                {
                    "reference": f"SYN-{start + i}",
                    "person_id": people[i],
                    "offence_id": offences[i],
                    "status": CaseStatus.ACTIVE,
                    "source": Case.Source.IMPORT,
                    "caution_date": day,
                    "crime_outcome": CrimeOutcome.CAUTION,
                    "age_at_caution": int(cov["age"][i]),
                    "compliance_period_weeks": 16,
                    "compliance_deadline": day + dt.timedelta(weeks=16),
                }
                for i, day in enumerate(index)
            ],
            returning=False,
        )
        self.records(refs, people, cov)

    def pool(self, start: int, cov: dict) -> None:
        n = len(cov["age"])
        refs = [format_pnc(POOL_YEAR, start + i) for i in range(n)]
        index = [self.date_from + dt.timedelta(days=int(day)) for day in cov["index"]]
        bulk_insert(
            ComparisonRecord,
            [
                {
                    "batch_id": self.pool_batch.pk,
                    "person_ref": refs[i],
                    "date_of_birth": day - dt.timedelta(days=int(365.25 * cov["age"][i]) + 1),
                    "age_at_disposal": int(cov["age"][i]),
                    "sex": SEXES[cov["sex"][i]],
                    "ethnicity": ETHNICITIES[cov["ethnicity"][i]],
                    "district_id": self.districts[cov["district"][i]],
                    "offence_category_id": self.category_ids[cov["category"][i]],
                    "offence_date": day - dt.timedelta(days=2),
                    "gravity_score": int(cov["gravity"][i]),
                    "disposal": "charged",
                    "disposal_date": day,
                    "retention_review_date": day.replace(year=day.year + 6, day=min(day.day, 28)),
                }
                for i, day in enumerate(index)
            ],
            returning=False,
        )
        self.records(refs, None, cov)


def build_comparison_data(
    *,
    treated: int,
    pool: int,
    effect: float = -0.10,
    date_from: dt.date = dt.date(2023, 1, 1),
    date_to: dt.date = dt.date(2023, 12, 31),
    seed: int = 19,
    progress: Callable[[str], None] | None = None,
) -> Planted:
    """Write `treated` cautioned people and a pool of `pool` people with disposals in
    [date_from, date_to]; return what was planted."""
    if not -0.12 <= effect <= 0.1:
        raise ValueError("effect must keep the probabilities within 0 and 1")
    builder = _Builder(np.random.default_rng(seed), date_from, date_to)
    for start in range(0, treated, CHUNK):
        n = min(CHUNK, treated - start)
        builder.treated(start, builder.chunk(n, TREATED_MIX, effect, treated=True))
        if progress:
            progress(f"treated {start + n:,}")
    for start in range(0, pool, CHUNK):
        n = min(CHUNK, pool - start)
        builder.pool(start, builder.chunk(n, POOL_MIX, effect, treated=False))
        if progress:
            progress(f"pool {start + n:,}")
    return Planted(effect, treated, pool, date_from, date_to)
