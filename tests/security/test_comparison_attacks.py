"""The matched comparison attacked: the pool import as an oracle, crafted query strings, other
roles' tokens, and windows too small to publish."""

import pytest

from hub.roles import Role
from reporting.comparison_import import import_comparison
from reporting.models import ComparisonRecord
from reporting.services import ImportRejected
from tests.api.conftest import bearer
from tests.factories import PersonFactory, make_user
from tests.reporting.test_comparison_import import GOOD, pool_file

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/comparison/"


def test_the_pool_import_says_nothing_about_people_the_hub_holds():
    """The same file gives the same messages and summary whether or not the hub holds the
    PNC ID (with another date of birth): no oracle."""
    bad = GOOD[0].replace("theft", "piracy")
    with pytest.raises(ImportRejected) as without:
        import_comparison(pool_file([bad]))
    PersonFactory(pnc_id="21/0000001A")
    with pytest.raises(ImportRejected) as held:
        import_comparison(pool_file([bad]))
    assert without.value.errors == held.value.errors
    assert "4 comparison pool records created" in import_comparison(pool_file(GOOD)).summary()


def test_replaying_an_import_creates_nothing():
    import_comparison(pool_file(GOOD))
    import_comparison(pool_file(GOOD))
    assert ComparisonRecord.objects.count() == len(GOOD)


@pytest.mark.parametrize("role", [Role.OFFICER, Role.CASEWORKER, Role.AUTHORISING_OFFICER])
def test_other_roles_tokens_are_refused(role):
    response = bearer(make_user(role)).get(URL, {"from": "2023-01-01", "to": "2023-12-31"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2023-01-01' OR 1=1 --", "to": "2023-12-31"},
        {"from": "0001-01-01x", "to": "2023-12-31"},
        {"from": "2023-01-01", "to": "9" * 5000},
        {"from": "2023-01-01", "to": "2023-12-31", "as_of": "2023-02-30"},
    ],
)
def test_crafted_dates_are_field_errors(params):
    response = bearer(make_user(Role.ANALYST)).get(URL, params)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] in {"from", "to", "as_of"}


def test_a_window_of_the_current_month_only_is_refused():
    """Published figures are whole months that have ended (disclosure rule 5)."""
    import datetime as dt

    today = dt.date.today()
    response = bearer(make_user(Role.ANALYST)).get(
        URL, {"from": today.replace(day=1).isoformat(), "to": today.isoformat()}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "from"
