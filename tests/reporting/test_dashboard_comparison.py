"""The dashboard's "Compared with similar people not diverted" (issue 19): computed as a
snapshot by the worker, the rates with their interval and the difference in words, the
unadjusted difference, the balance table and chart, who is left out, the caveat, fewer than
60 matched said in words, and small cells hidden."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from demo.comparison_synthetic import build_comparison_data
from reporting.comparison_view import comparison_view
from reporting.models import ReportSnapshot

pytestmark = pytest.mark.django_db

COMPARISON = reverse("reporting:comparison")


def _window(planted) -> dict:
    return {
        "date_from": planted.date_from.isoformat(),
        "date_to": planted.date_to.isoformat(),
        "as_of": "2025-12-31",
    }


def test_the_comparison_section_shows_the_matched_estimate(as_user, analyst):
    planted = build_comparison_data(treated=400, pool=1600, effect=-0.10)
    client = as_user(analyst)
    response = client.get(COMPARISON, _window(planted))
    page = response.content.decode()
    view = response.context["comparison"]
    assert view.available
    assert view.too_few is None
    assert "Compared with similar people not diverted" in page
    assert "95% interval" in page
    assert "Of every 100 people diverted, about" in page
    assert "Without matching, diverted people" in page  # the unadjusted difference
    assert escape(view.caveat) in page
    assert "Left out: no similar person found" in page
    assert 'id="table-comparison-balance"' in page
    assert "<svg" in page
    assert page.count('class="oh-smd__after') == len(view.balance_table.rows)
    assert ReportSnapshot.objects.filter(kind="comparison").count() == 1
    summary = client.get(reverse("reporting:dashboard"), _window(planted)).content.decode()
    assert "Of every 100 people diverted" in summary


def test_fewer_than_60_matched_says_so_in_words_naming_the_minimum(as_user, analyst):
    planted = build_comparison_data(treated=40, pool=400, effect=-0.10)
    response = as_user(analyst).get(COMPARISON, _window(planted))
    page = response.content.decode()
    assert "fewer than 60 diverted people with complete follow-up could be matched" in page
    assert "at least 60 matched people" in page
    assert "Of every 100 people diverted" not in page


def _payload(*, treated_n=200, matched=190, pool_n=900, rate_treated=0.2, rate_comparison=0.3):
    return {
        "comparison": {
            "treated": {
                "n": treated_n,
                "matched": matched,
                "unmatched": treated_n - matched,
                "pending_follow_up": 3,
                "age_not_recorded": 0,
            },
            "comparison_pool": {"n": pool_n, "matched_unique": 150, "pending_follow_up": 40},
            "balance": [
                {"covariate": "age", "smd_before": 0.45, "smd_after": 0.04},
                {"covariate": "sex:male", "smd_before": -0.2, "smd_after": 0.12},
            ],
            "rate": {
                "treated": rate_treated,
                "comparison": rate_comparison,
                "difference": rate_treated - rate_comparison,
                "ci_low": -0.17,
                "ci_high": -0.03,
                "p_value": 0.004,
            },
            "unadjusted": {"treated": 0.22, "comparison": 0.35, "difference": -0.13},
            "frequency_per_100": {"treated": 30.0, "comparison": 45.0},
            "balance_ok": False,
            "caveat": "Only what is recorded is matched.",
        }
    }


def test_counts_of_fewer_than_five_people_are_hidden():
    view = comparison_view(_payload(treated_n=193, matched=190), 5)
    rows = {row[0]: row[1] for row in view.counts_table.rows}
    assert rows["Left out: no similar person found (outside the caliper)"] == "[c]"  # 3
    assert rows["Left out: diverted, follow-up not complete"] == "[c]"  # 3
    assert rows["Left out: diverted, age not recorded"] == 0  # zero is shown
    assert rows["Diverted people matched"] == 190


@pytest.mark.parametrize(
    ("rate", "hidden"),
    [(4 / 100, True), (5 / 100, False), (96 / 100, True), (95 / 100, False)],
)
def test_a_rate_that_gives_away_fewer_than_five_people_is_hidden(rate, hidden):
    view = comparison_view(_payload(treated_n=100, matched=100, rate_treated=rate), 5)
    assert (view.rate["treated"] == "[c]") is hidden
    assert (view.rate["difference"] == "[c]") is hidden
    assert ("not shown" in view.words) is hidden


def test_difference_in_words_and_the_balance_flag():
    view = comparison_view(_payload(), 5)
    assert view.words.startswith("Of every 100 people diverted, about 10 fewer")
    assert "statistically significant" in view.words
    assert not view.balance_ok
    assert [row[3] for row in view.balance_table.rows] == ["Yes", "No"]
    assert view.chart[1]["ok"] is False


def test_an_interval_including_no_difference_says_it_could_be_none():
    payload = _payload()
    payload["comparison"]["rate"].update(ci_low=-0.05, ci_high=0.02, p_value=0.3)
    assert "could be none at all" in comparison_view(payload, 5).words


def test_no_payload_yet_is_being_computed():
    assert not comparison_view(None, 5).available


def test_the_comparison_is_queued_once_with_the_figures(as_user, analyst, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = as_user(analyst)
    window = {"date_from": "2023-01-01", "date_to": "2023-12-31", "as_of": "2025-12-31"}
    for _ in range(3):
        page = client.get(COMPARISON, window).content.decode()
    assert "Figures are being computed" in page
    keys = [
        result.args_kwargs["args"][0]
        for result in DBTaskResult.objects.filter(task_path="reporting.tasks.compute_snapshot")
    ]
    kinds = sorted(ReportSnapshot.objects.get(key=key).kind for key in keys)
    assert kinds == ["comparison", "dashboard"]


def test_the_comparison_tables_download_like_the_others(as_user, analyst):
    planted = build_comparison_data(treated=300, pool=1200, effect=-0.10)
    client = as_user(analyst)
    query = "?" + "&".join(f"{k}={v}" for k, v in _window(planted).items())
    page = client.get(COMPARISON + query).content.decode()
    assert " points<br>" in page.split('data-label="Difference">')[1][:20]  # signed, in points
    for key in ("comparison-counts", "comparison-balance"):
        url = reverse("reporting:export", args=[key]) + query
        response = client.post(url, {"justification": "Panel"})
        assert response["Content-Type"].startswith("text/csv"), key
    body = response.content.decode("utf-8-sig")
    assert body.startswith("Characteristic,Before matching,After matching")
