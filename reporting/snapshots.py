"""Computed reports kept in the database for every process, refreshed by the worker (ADR 0006).

A page never computes a report. It reads the snapshot of the report for its arguments:
- fresh (computed over the data as it is now, by `data_version()`): shown;
- stale (the data changed since) or being recomputed: the last one is shown with the time it
  was computed, and the report is queued for the worker, once: a conditional update claims it
  (`computing_since`), so a hundred analysts opening the page queue one computation;
- none yet: the page says figures are being computed and reloads itself.

The key is a digest of the report's kind and its arguments, all of them and nothing else
(never the user: figures are the same for everyone allowed to see them). `encode` refuses an
argument missing, unknown or of the wrong type, so a caller cannot silently share or split
snapshots.
"""

import dataclasses
import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from reporting.models import ReportSnapshot
from reporting.report_sql import ReportFilters
from reporting.selectors import data_version

# Each kind of report: its arguments and their types, and the function (by dotted path, so
# that this module imports no report) that computes its payload from them.
_OPTIONAL_DATETIME = (dt.datetime, type(None))
KINDS: dict[str, dict] = {
    "dashboard": {
        "compute": "reporting.published.dashboard_payload",
        "arguments": {
            "date_from": dt.date,
            "date_to": dt.date,
            "as_of": dt.date,
            "filters": ReportFilters,
            "quarters": bool,
            "all_groups": bool,
            "last_import": _OPTIONAL_DATETIME,
            # Disclosure control's threshold shapes which figures the payload hides.
            "min_cell": int,
        },
    },
    "comparison": {
        "compute": "reporting.published.comparison_payload",
        "arguments": {"date_from": dt.date, "date_to": dt.date, "as_of": dt.date},
    },
}


class SnapshotMisuse(TypeError):
    """Arguments that do not name exactly one report: missing, unknown or of the wrong type."""


def _type_ok(value, expected) -> bool:
    # type() rather than isinstance(): a datetime is a date and True is an int, and either
    # given in the other's place would change the report without changing the key's intent.
    allowed = expected if isinstance(expected, tuple) else (expected,)
    return type(value) in allowed


def _encode_value(value):
    if isinstance(value, dt.date):  # dates and datetimes
        return value.isoformat()
    if isinstance(value, ReportFilters):
        return dataclasses.asdict(value)
    return value


def _decode_value(value, expected):
    allowed = expected if isinstance(expected, tuple) else (expected,)
    if value is None:
        return None
    if dt.datetime in allowed:
        return dt.datetime.fromisoformat(value)
    if dt.date in allowed:
        return dt.date.fromisoformat(value)
    if ReportFilters in allowed:
        return ReportFilters(**value)
    return value


def encode(kind: str, arguments: dict) -> dict:
    """The canonical (JSON) form of a report's arguments; raises SnapshotMisuse unless they
    are exactly the kind's arguments, each of its type."""
    if kind not in KINDS:
        raise SnapshotMisuse(f"No report of kind {kind!r}: one of {sorted(KINDS)}")
    expected = KINDS[kind]["arguments"]
    missing, unknown = set(expected) - set(arguments), set(arguments) - set(expected)
    if missing or unknown:
        raise SnapshotMisuse(
            f"A {kind} snapshot takes exactly {sorted(expected)}: "
            f"missing {sorted(missing)}, unknown {sorted(unknown)}"
        )
    for name, value in arguments.items():
        if not _type_ok(value, expected[name]):
            raise SnapshotMisuse(f"{kind} argument {name!r}: {type(value).__name__} given")
    return {name: _encode_value(arguments[name]) for name in sorted(expected)}


def decode(kind: str, encoded: dict) -> dict:
    expected = KINDS[kind]["arguments"]
    return {name: _decode_value(encoded[name], expected[name]) for name in expected}


def snapshot_key(kind: str, arguments: dict) -> str:
    canonical = json.dumps([kind, encode(kind, arguments)], sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def current_version() -> str:
    """The data version (reporting.selectors.data_version) as stored on a snapshot: its
    SHA-256, a fixed 64 characters however many sources the version counts. It counts writes
    to the comparison pool too (reporting.data_version.SOURCES), so one version serves both
    kinds of snapshot."""
    return hashlib.sha256(repr(data_version()).encode()).hexdigest()


@dataclass
class Snapshot:
    """What a page shows: the payload (None until the first one is computed), when it was
    computed, and whether it is over the data as it is now."""

    key: str
    payload: dict | None
    computed_at: dt.datetime | None
    fresh: bool
    computing: bool

    @property
    def ready(self) -> bool:
        return self.payload is not None

    @property
    def stale(self) -> bool:
        return self.ready and not self.fresh


def _claim(kind: str, key: str, encoded: dict) -> bool:
    """Mark the snapshot as being computed and queue it, unless someone already did (one
    conditional UPDATE decides). A claim older than REPORT_SNAPSHOT_CLAIM_SECONDS is taken
    over: its worker died. Returns whether this call queued it."""
    from reporting.tasks import compute_snapshot

    ReportSnapshot.objects.get_or_create(key=key, defaults={"kind": kind, "arguments": encoded})
    now = timezone.now()
    expired = now - dt.timedelta(seconds=settings.REPORT_SNAPSHOT_CLAIM_SECONDS)
    unclaimed = Q(computing_since__isnull=True) | Q(computing_since__lt=expired)
    claimed = ReportSnapshot.objects.filter(unclaimed, key=key).update(computing_since=now)
    if claimed:
        compute_snapshot.enqueue(key)
    return bool(claimed)


def _read(key: str) -> ReportSnapshot | None:
    return (
        ReportSnapshot.objects.filter(key=key)
        .only("payload", "computed_at", "data_version", "computing_since")
        .first()
    )


def read(kind: str, arguments: dict) -> Snapshot:
    """The snapshot to show for this report, queuing a new one when it is stale or missing.

    Queries: two when fresh (the data version, the snapshot); otherwise up to four more (the
    row made, the claim, the queued task, the snapshot read again: an immediate task backend
    has computed it by then)."""
    encoded = encode(kind, arguments)
    key = snapshot_key(kind, arguments)
    version = current_version()
    row = _read(key)
    if row is not None and row.payload is not None and row.data_version == version:
        return Snapshot(key, row.payload, row.computed_at, fresh=True, computing=False)
    if _claim(kind, key, encoded):
        row = _read(key)
    return Snapshot(
        key,
        row.payload if row else None,
        row.computed_at if row else None,
        fresh=bool(row and row.payload is not None and row.data_version == version),
        computing=bool(row and row.computing_since),
    )


def request_refresh(kind: str, arguments: dict) -> bool:
    """An analyst's "compute the figures again": queue the report even if it looks fresh (a
    change the data version cannot see, such as a label renamed). Once, like read()."""
    return _claim(kind, snapshot_key(kind, arguments), encode(kind, arguments))


def compute(key: str) -> ReportSnapshot | None:
    """Compute the snapshot `key` now (the worker's task) and store it with the data version
    read before computing: a change made meanwhile leaves it stale, so it is computed again."""
    row = ReportSnapshot.objects.filter(key=key).first()
    if row is None:
        return None
    version = current_version()
    function = import_string(KINDS[row.kind]["compute"])
    payload = function(**decode(row.kind, row.arguments))
    ReportSnapshot.objects.filter(pk=row.pk).update(
        payload=payload,
        data_version=version,
        computed_at=timezone.now(),
        computing_since=None,
    )
    row.refresh_from_db()
    return row
