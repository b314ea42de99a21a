"""GET /api/v1/reports/comparison/: the matched comparison published as the dashboard
publishes it (small cells suppressed), 422 naming the minimum of 60, analysts' tokens only."""

import pytest
from django.urls import reverse

from demo.comparison_synthetic import build_comparison_data
from reporting.comparison import MINIMUM_MATCHED
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


def mirrored(n):
    return build_comparison_data(treated=n, pool=n, mirror=True, seed=60)


def test_api_publishes_the_suppressed_comparison(analyst):
    mirrored(MINIMUM_MATCHED)
    url = reverse("api:report_comparison")
    response = bearer(analyst).get(url, {"from": "2023-01-01", "to": "2023-12-31",
                                          "as_of": "2025-12-31"})  # fmt: skip
    assert response.status_code == 200
    body = response.json()
    assert body["treated"]["n"] == 60
    assert body["min_cell"] == 5
    assert "reoffenders_matched" not in body["treated"]


def test_api_says_why_there_is_no_estimate(analyst):
    mirrored(MINIMUM_MATCHED - 1)
    response = bearer(analyst).get(
        reverse("api:report_comparison"),
        {"from": "2023-01-01", "to": "2023-12-31", "as_of": "2025-12-31"},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["minimum_matched"] == 60
    assert "at least 60" in body["errors"][0]["message"]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"to": "2023-12-31"}, "from"), ({"from": "2023-13-01", "to": "2023-12-31"}, "from"),
     ({"from": "2023-12-01", "to": "2023-01-31"}, "to")],
)  # fmt: skip
def test_api_names_a_bad_date(analyst, params, field):
    response = bearer(analyst).get(reverse("api:report_comparison"), params)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field


def test_api_is_for_analysts_only(officer):
    response = bearer(officer).get(
        reverse("api:report_comparison"), {"from": "2023-01-01", "to": "2023-12-31"}
    )
    assert response.status_code == 403
