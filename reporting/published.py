"""The payloads of the dashboard's snapshots (reporting.snapshots), computed by the worker.

`dashboard_payload`: the reoffending report for the filters, and the counts its total must
hide because a dashboard with one filter fewer hides them in this group's row (disclosure
control: filtering to a group must not give away what its parent hid). `comparison_payload`:
the matched comparison (reporting.comparison), or why there is none.
Both are plain JSON: they are stored in the database and read by every process.
"""

import datetime as dt
from dataclasses import replace

from hub.models import ConditionType, District, OffenceCategory
from reporting.exports import group_hidden
from reporting.report_sql import ReportFilters
from reporting.selectors import cached_reoffending_report, reoffending_report

# Each filter: the attribute of ReportFilters, the breakdown whose group it selects, the model
# and the attribute that is the group's key in that breakdown.
FILTER_GROUPS = (
    ("district_id", "district", District, "name"),
    ("category_id", "offence_category", OffenceCategory, "key"),
    ("condition_type_id", "condition_type", ConditionType, "key"),
)


def chosen_groups(filters: ReportFilters) -> dict:
    """{ReportFilters attribute: (dimension, group key)} for each filter set (one query each)."""
    chosen = {}
    for attribute, dimension, model, key in FILTER_GROUPS:
        pk = getattr(filters, attribute)
        if pk is not None:
            value = model.objects.filter(pk=pk).values_list(key, flat=True).first()
            chosen[attribute] = (dimension, value)
    return chosen


def hidden_by_parents(arguments: dict, chosen: dict, k: int, done: dict) -> frozenset[str]:
    """The counts to hide in the total of the report of `arguments`, filtered by `chosen`:
    those hidden in its group's row of each report with one filter fewer, as that report
    publishes it (itself after its own parents, down to the unfiltered one). `done` keeps each
    combination's answer."""
    names = frozenset(chosen)
    if names not in done:
        hidden: set[str] = set()
        for attribute, (dimension, group) in chosen.items():
            parent_arguments = {
                **arguments,
                "filters": replace(arguments["filters"], **{attribute: None}),
            }
            rest = {name: value for name, value in chosen.items() if name != attribute}
            parent_hidden = hidden_by_parents(parent_arguments, rest, k, done)
            parent = cached_reoffending_report(**parent_arguments)
            hidden |= group_hidden(parent, dimension, group, k, parent_hidden)
        done[names] = frozenset(hidden)
    return done[names]


def dashboard_payload(
    *,
    date_from: dt.date,
    date_to: dt.date,
    as_of: dt.date,
    filters: ReportFilters,
    quarters: bool,
    all_groups: bool,
    last_import: dt.datetime | None,
    min_cell: int,
) -> dict:
    arguments = {
        "date_from": date_from,
        "date_to": date_to,
        "as_of": as_of,
        "filters": filters,
        "quarters": quarters,
        "all_groups": all_groups,
        "last_import": last_import,
    }
    report = reoffending_report(**arguments)
    inherited = hidden_by_parents(arguments, chosen_groups(filters), min_cell, {})
    return {"report": report, "inherited_hidden": sorted(inherited)}


def _plain(value):
    """JSON's own types (the engine's figures may be numpy scalars)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if hasattr(value, "item"):  # a numpy scalar
        return value.item()
    return value


def comparison_payload(*, date_from: dt.date, date_to: dt.date, as_of: dt.date) -> dict:
    """{"comparison": the report}, {"too_few": {"minimum": 60}} below the Justice Data Lab's
    minimum of matched people, or {"unavailable": why} (the model cannot be fitted). The
    number matched is not kept when too few: it may be a small cell."""
    from reporting.comparison import ComparisonUnavailable, TooFewMatched, comparison_report

    try:
        report = comparison_report(date_from=date_from, date_to=date_to, as_of=as_of)
    except TooFewMatched as error:
        return {"too_few": {"minimum": error.minimum}}
    except ComparisonUnavailable as error:
        return {"unavailable": str(error)}
    return {"comparison": _plain(report)}
