"""Attacks on the published figures (issue 17 point 3): differencing two windows one day
apart, and working a hidden cell out from the total. Both worked before disclosure control
(reporting.disclosure); each test here failed then."""

import csv
import io
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tests.reporting.builders import caution, person, reoffence

# The dashboard's figures are computed as the first request queues them (the worker's part).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]

COUNT_COLUMNS = [
    "Cautions given",
    "Complied",
    "Failed",
    "People measured (follow-up complete)",
    "Pending follow-up",
    "Reoffenders",
]


def download(client, table, params) -> list[dict]:
    url = reverse("reporting:export", args=[table]) + "?" + urlencode(params)
    response = client.post(url, {"justification": "Panel report"})
    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    # The last line is the key to "[c]" when anything is hidden; it is not a row.
    rows = list(csv.DictReader(io.StringIO("\n".join(lines))))
    # The figures only: "Figures as at" names the date asked for.
    return [
        {key: value for key, value in row.items() if key != "Figures as at"}
        for row in rows
        if row.get("Cautions given") is not None
    ]


def is_hidden(cell: str) -> bool:
    """Whatever marker is used ("[c]" now, "fewer than 5" before), a hidden cell is not a
    number."""
    try:
        float(cell.replace(",", ""))
    except ValueError:
        return cell != ""
    return False


def seed_march():
    """20 men and 10 women cautioned in the first 20 days of March 2016, half reoffending."""
    for i in range(30):
        who = person(sex="male" if i < 20 else "female")
        caution(who, f"2016-03-{i % 20 + 1:02d}")
        if i % 2:
            reoffence(who, "2016-06-01", "2016-07-01")


def test_two_windows_one_day_apart_no_longer_single_out_the_person_cautioned_that_day(
    as_user, analyst
):
    seed_march()
    target = person(sex="female", ethnicity="B1")
    caution(target, "2016-03-21", district="Fenland")
    reoffence(target, "2016-05-01", "2016-05-20")
    client = as_user(analyst)
    before = {"date_from": "2016-01-01", "date_to": "2016-03-20", "as_of": "2020-01-01"}
    after = {**before, "date_to": "2016-03-21"}
    for table in ["breakdown-sex", "breakdown-ethnicity_group", "breakdown-district", "headline"]:
        # Before: the two downloads differed in exactly the target's row (women 10 -> 11,
        # female reoffenders 5 -> 6: she reoffended). Now both are March as a whole.
        assert download(client, table, before) == download(client, table, after), table


def test_figures_as_at_one_day_apart_no_longer_single_out_whose_follow_up_ended(as_user, analyst):
    seed_march()
    client = as_user(analyst)
    # Follow-up of people cautioned on 1 March 2016 ends on 1 September 2017.
    window = {"date_from": "2016-03-01", "date_to": "2016-03-31"}
    day_before = download(client, "breakdown-sex", {**window, "as_of": "2017-08-31"})
    day_of = download(client, "breakdown-sex", {**window, "as_of": "2017-09-01"})
    assert day_before == day_of


def hidden_cells_derivable_from_totals(client, params) -> list[str]:
    """Tables in which a column has exactly one hidden cell while the force total of that
    column is shown: the hidden cell is the total minus the others."""
    headline = download(client, "headline", params)[0]
    found = []
    for table in [f"breakdown-{d}" for d in ("district", "sex", "age_band", "offence_category")]:
        rows = download(client, table, params)
        for column in COUNT_COLUMNS:
            hidden = [row for row in rows if is_hidden(row[column])]
            if len(hidden) == 1 and not is_hidden(headline[column]):
                found.append(f"{table}: {column}")
    return found


def test_a_hidden_cell_is_not_the_total_minus_the_shown_cells(as_user, analyst):
    for _ in range(20):
        caution(person(), "2016-03-01", district="Peterborough")
    for _ in range(3):
        caution(person(), "2016-03-01", district="Fenland", status="prosecution_resumed")
    client = as_user(analyst)
    params = {"date_from": "2016-01-01", "date_to": "2016-12-31", "as_of": "2020-01-01"}
    # Before: Fenland "fewer than 5" beside Peterborough 20 and a total of 23.
    assert hidden_cells_derivable_from_totals(client, params) == []
    district = {row["District"]: row for row in download(client, "breakdown-district", params)}
    assert district["Fenland"]["People measured (follow-up complete)"] == "[c]"
    assert district["Peterborough"]["People measured (follow-up complete)"] == "[c]"
    assert district["Fenland"]["Failed"] == "[c]"


def test_everyone_in_a_small_group_reoffending_is_not_shown(as_user, analyst):
    for i in range(30):
        who = person(sex="male")
        caution(who, "2016-03-01")
        if i % 2:
            reoffence(who, "2016-06-01", "2016-07-01")
    for _ in range(7):  # 7 women, every one reoffended: "100%" would say so of each
        who = person(sex="female")
        caution(who, "2016-03-01")
        reoffence(who, "2016-06-01", "2016-07-01")
    client = as_user(analyst)
    params = {"date_from": "2016-03-01", "date_to": "2016-03-31", "as_of": "2020-01-01"}
    sex = {row["Sex"]: row for row in download(client, "breakdown-sex", params)}
    assert sex["Female"]["People measured (follow-up complete)"] == "7"
    assert sex["Female"]["Reoffenders"] == "[c]"
    assert sex["Female"]["Reoffending rate"] == "[c]"


def test_filtering_to_the_group_hidden_as_a_complement_does_not_show_its_figures(as_user, analyst):
    from hub.models import District

    for _ in range(20):
        caution(person(), "2016-03-01", district="Peterborough")
    for _ in range(3):
        caution(person(), "2016-03-01", district="Fenland", status="prosecution_resumed")
    client = as_user(analyst)
    params = {"date_from": "2016-01-01", "date_to": "2016-12-31", "as_of": "2020-01-01"}
    district = {row["District"]: row for row in download(client, "breakdown-district", params)}
    assert is_hidden(district["Peterborough"]["Cautions given"])  # Fenland's complement
    peterborough = {**params, "district": District.objects.get(name="Peterborough").pk}
    # Before: the filtered total showed Peterborough's 20, and 23 - 20 = Fenland's 3.
    total = download(client, "headline", peterborough)[0]
    for column in ["Cautions given", "People measured (follow-up complete)"]:
        assert total[column] == "[c]", column
    page = client.get(reverse("reporting:dashboard"), peterborough).content.decode()
    headline = page[page.index('id="table-headline"') : page.index("</table>")]
    assert ">20<" not in headline


def test_two_filters_hide_what_each_dashboard_with_one_of_them_hides(as_user, analyst):
    from hub.models import District, OffenceCategory

    for _ in range(20):
        caution(person(), "2016-03-01", district="Peterborough", category="shoplifting")
    for _ in range(3):
        caution(
            person(),
            "2016-03-01",
            district="Fenland",
            category="theft",
            status="prosecution_resumed",
        )
    client = as_user(analyst)
    params = {"date_from": "2016-01-01", "date_to": "2016-12-31", "as_of": "2020-01-01"}
    peterborough = District.objects.get(name="Peterborough").pk
    shoplifting = OffenceCategory.objects.get(key="shoplifting").pk
    # With one filter, each dashboard hides its total (Fenland's or theft's complement), and
    # so its only row: the district's one offence, the offence's one district.
    only_district = download(
        client, "breakdown-offence_category", {**params, "district": peterborough}
    )
    assert only_district[0]["Cautions given"] == "[c]"
    # Both filters: the total is that same cell; showing 20 would give 23 - 20 = 3 away.
    both = {**params, "district": peterborough, "offence_category": shoplifting}
    assert download(client, "headline", both)[0]["Cautions given"] == "[c]"
