"""The matched comparison as analysts and the API get it: the minimum of 60 matched on both
sides, follow-up completeness, the command's exit status, the API's suppression."""

import datetime as dt
import json

import pytest
from django.core.management import call_command

from cautions.models import Case
from demo.comparison_synthetic import build_comparison_data
from reporting.comparison import MINIMUM_MATCHED, TooFewMatched, comparison_report
from reporting.comparison_disclosure import published_comparison
from reporting.models import ComparisonRecord
from reporting.report_sql import PROVEN_BY_MONTHS, last_date_complete_by

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2025, 12, 31)
WINDOW = {"date_from": dt.date(2023, 1, 1), "date_to": dt.date(2023, 12, 31)}


def mirrored(n):
    return build_comparison_data(treated=n, pool=n, mirror=True, seed=60)


def test_exactly_the_minimum_of_60_matched_gives_an_estimate():
    mirrored(MINIMUM_MATCHED)
    report = comparison_report(**WINDOW, as_of=AS_OF)
    assert report["treated"]["matched"] == 60
    assert report["treated"]["unmatched"] == 0
    assert report["minimum_matched"] == 60


def test_59_matched_is_refused_naming_the_minimum():
    mirrored(MINIMUM_MATCHED - 1)
    with pytest.raises(TooFewMatched) as refused:
        comparison_report(**WINDOW, as_of=AS_OF)
    assert (refused.value.minimum, refused.value.matched) == (60, 0)
    assert "at least 60" in str(refused.value)


def test_command_exits_with_status_2_below_the_minimum(capsys):
    mirrored(MINIMUM_MATCHED - 1)
    with pytest.raises(SystemExit) as exited:
        call_command("comparison_report", "--from", "2023-01-01", "--to", "2023-12-31",
                     "--as-of", "2025-12-31", "--format", "json")  # fmt: skip
    assert exited.value.code == 2
    captured = capsys.readouterr()
    assert "60" in captured.err
    assert captured.out == ""


def test_command_prints_json_and_table(capsys):
    mirrored(MINIMUM_MATCHED)
    args = ["--from", "2023-01-01", "--to", "2023-12-31", "--as-of", "2025-12-31"]
    call_command("comparison_report", *args, "--format", "json")
    report = json.loads(capsys.readouterr().out)
    assert set(report) >= {
        "treated", "comparison_pool", "balance", "rate", "unadjusted", "frequency_per_100",
        "balance_ok", "caveat",
    }  # fmt: skip
    assert report["treated"]["n"] == report["treated"]["matched"] + report["treated"]["unmatched"]
    assert {"n", "matched_unique", "pending_follow_up"} <= set(report["comparison_pool"])
    assert 0 <= report["rate"]["treated"] <= 1
    assert "Abadie" in report["method"]["variance"]
    call_command("comparison_report", *args)
    table = capsys.readouterr().out
    assert "matched rate" in table
    assert "Indicative only" in table


def test_only_people_with_complete_follow_up_are_compared_on_both_sides():
    build_comparison_data(treated=400, pool=1600, seed=7)
    as_of = dt.date(2024, 12, 31)  # complete up to index dates of 2023-06-30
    report = comparison_report(**WINDOW, as_of=as_of)
    last = last_date_complete_by(as_of, PROVEN_BY_MONTHS)
    assert last == dt.date(2023, 6, 30)
    treated_complete = Case.objects.filter(caution_date__lte=last).count()
    pool_complete = ComparisonRecord.objects.filter(disposal_date__lte=last).count()
    assert report["treated"]["n"] == treated_complete
    assert report["treated"]["pending_follow_up"] == 400 - treated_complete
    assert report["comparison_pool"]["n"] == pool_complete
    assert report["comparison_pool"]["pending_follow_up"] == 1600 - pool_complete
    # One day later, the people of 2023-07-01 are complete too.
    later = comparison_report(**WINDOW, as_of=dt.date(2025, 1, 1))
    assert later["treated"]["n"] == Case.objects.filter(caution_date__lte="2023-07-01").count()


def test_pool_people_with_a_hub_caution_are_left_out():
    build_comparison_data(treated=300, pool=1200, seed=8)
    before = comparison_report(**WINDOW, as_of=AS_OF)["comparison_pool"]["n"]
    record = ComparisonRecord.objects.order_by("pk").first()
    case = Case.objects.select_related("person").order_by("pk").first()
    # The pool record is of a person the hub cautioned (same PNC ID).
    ComparisonRecord.objects.filter(pk=record.pk).update(person_ref=case.person.pnc_id)
    assert comparison_report(**WINDOW, as_of=AS_OF)["comparison_pool"]["n"] == before - 1


def test_published_figures_suppress_small_cells():
    report = {
        "treated": {"n": 100, "matched": 97, "unmatched": 3, "pending_follow_up": 0,
                    "age_not_recorded": 0, "reoffenders_matched": 2},
        "comparison_pool": {"n": 500, "matched_unique": 80, "pending_follow_up": 12,
                            "reoffenders_matched": 20},
        "rate": {"treated": 0.02, "comparison": 0.2, "difference": -0.18, "ci_low": -0.3,
                 "ci_high": -0.1, "p_value": 0.001, "standard_error": 0.05},
        "unadjusted": {"treated": 0.02, "comparison": 0.3, "difference": -0.28,
                       "treated_reoffenders": 2, "comparison_reoffenders": 150},
        "frequency_per_100": {"treated": 3.0, "comparison": 25.0},
        "balance": [], "balance_ok": True, "caveat": "",
    }  # fmt: skip
    out = published_comparison(report, k=5)
    hidden = {"suppressed": True}
    assert out["treated"]["unmatched"] == hidden
    # n = matched + unmatched: one more of them is hidden, or unmatched follows.
    assert hidden in (out["treated"]["n"], out["treated"]["matched"])
    assert out["rate"]["treated"] == hidden
    assert out["rate"]["difference"] == hidden
    assert out["frequency_per_100"]["treated"] == hidden
    assert out["unadjusted"]["treated"] == hidden
    assert out["comparison_pool"]["pending_follow_up"] == 12
    assert "reoffenders_matched" not in out["treated"]
    assert "treated_reoffenders" not in out["unadjusted"]
