"""The dashboard, its downloads and the upload page: who may see them, and what they show."""

import re

import pytest
from django.urls import reverse

from hub.models import AccessLog, ImportBatch
from tests.reporting.builders import caution, person, reoffence
from tests.reporting.jobs import upload
from tests.reporting.test_imports import CASE_HEADER, GOOD_CASES

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reporting:dashboard")
IMPORT = reverse("reporting:import")
WINDOW = {"date_from": "2016-01-01", "date_to": "2016-12-31", "as_of": "2020-01-01"}
TABLES = [
    "headline",
    "quarters",
    "km",
    *(
        f"breakdown-{d}"
        for d in [
            "condition_type",
            "need_pathway",
            "offence_category",
            "district",
            "age_band",
            "sex",
            "ethnicity_group",
        ]
    ),
]


def seed_people(n, *, district="Peterborough", reoffend_every=2):
    people = []
    for i in range(n):
        # Distinctive names, so that the "no personal data" test cannot match page words.
        who = person(district_id=None, first_name=f"Xavforename{i}q", last_name=f"Xavsurname{i}q")
        caution(who, "2016-03-01", district=district, condition_types=("housing", "debt"))
        if i % reoffend_every == 0:
            reoffence(who, "2016-06-01", "2016-07-01")
        people.append(who)
    return people


@pytest.mark.parametrize(
    ("user_fixture", "dashboard", "imports"),
    [
        ("analyst", 200, 200),
        ("administrator", 403, 200),
        ("officer", 403, 403),
        ("sergeant", 403, 403),
        ("caseworker", 403, 403),
    ],
)
def test_who_may_see_what(request, as_user, user_fixture, dashboard, imports):
    client = as_user(request.getfixturevalue(user_fixture))
    assert client.get(DASHBOARD).status_code == dashboard
    assert client.get(reverse("reporting:export", args=["headline"])).status_code == dashboard
    assert client.get(IMPORT).status_code == imports


def test_analyst_lands_on_the_dashboard_and_sees_figures(as_user, analyst):
    seed_people(10)
    client = as_user(analyst)
    assert client.get("/").url == DASHBOARD
    response = client.get(DASHBOARD, WINDOW)
    page = response.content.decode()
    assert "Reoffending and compliance dashboard" in page
    assert "imported police national records" in page
    assert "50.0%" in page  # 5 of 10 reoffended
    # The charts are on the cohorts section, drawn from a JSON block by a script file.
    page = client.get(reverse("reporting:cohorts"), WINDOW).content.decode()
    assert 'id="dashboard-data"' in page
    assert 'src="/static/js/dashboard.js"' in page
    # No inline script or style: the only <script> without src is the JSON data block.
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
    assert inline == [' id="dashboard-data" type="application/json"']
    assert 'style="' not in page


def test_dashboard_without_filters_uses_all_cautions_to_date(as_user, analyst):
    seed_people(6)
    response = as_user(analyst).get(DASHBOARD)
    assert response.status_code == 200
    assert response.context["date_from"].isoformat() == "2016-01-01"
    assert response.context["report"]["people"] == 6


def test_bad_filters_show_errors(as_user, analyst):
    response = as_user(analyst).get(DASHBOARD, {"date_from": "2017-01-01", "date_to": "2016-01-01"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert "on or after its start" in page


def test_small_cells_are_suppressed_on_the_page_and_in_downloads(as_user, analyst):
    seed_people(20, district="Peterborough")
    seed_people(3, district="Fenland", reoffend_every=1)
    client = as_user(analyst)
    response = client.get(DASHBOARD, WINDOW)
    district = response.context["tables"]["breakdown-district"]
    rows = {row[0]: row for row in district.display_rows}
    assert rows["Fenland"][5] == "[c]"  # people measured
    assert rows["Fenland"][7] == "[c]"  # reoffenders
    assert rows["Fenland"][9] == "[c]"  # the rate
    # The force total (23) is shown, so Peterborough's 20 would give Fenland's 3 away.
    assert rows["Peterborough"][5] == "[c]"
    assert "[c] confidential: hidden to protect privacy" in response.content.decode()
    response = client.post(
        reverse("reporting:export", args=["breakdown-district"]) + "?" + _query(WINDOW),
        {"justification": "Quarterly panel report"},
    )
    body = response.content.decode()
    fenland = next(line for line in body.splitlines() if line.startswith("Fenland"))
    assert "[c]" in fenland
    assert ",3," not in fenland
    assert body.strip().splitlines()[-1].startswith('"[c] confidential')


def _query(params):
    from urllib.parse import urlencode

    return urlencode(params)


def test_download_asks_why_and_is_logged_as_a_disclosure(as_user, analyst):
    seed_people(6)
    client = as_user(analyst)
    url = reverse("reporting:export", args=["headline"]) + "?" + _query(WINDOW)
    response = client.get(url)
    assert "Why do you need this download?" in response.content.decode()
    response = client.post(url, {"justification": "  "})
    assert "<title>Error: " in response.content.decode()
    assert AccessLog.objects.count() == 0
    response = client.post(url, {"justification": "Panel report", "recipient": "PCP"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    assert body.startswith("Group,Cautions given")
    assert "Reoffence records imported up to" in body
    entry = AccessLog.objects.get()
    assert (entry.action, entry.user, entry.justification, entry.recipient) == (
        "disclosure",
        analyst,
        "Panel report",
        "PCP",
    )
    assert (
        client.get(reverse("reporting:export", args=["nope"]) + "?" + _query(WINDOW)).status_code
        == 404
    )


def test_analysts_see_no_personal_data_anywhere(as_user, analyst):
    people = seed_people(8)
    known = person(first_name="Zebedee", last_name="Quartermaine", pnc_id="11/424242Q")
    caution(known, "2016-04-01")
    reoffence(known, "2016-05-01", "2016-06-01")
    people.append(known)
    client = as_user(analyst)
    pages = [client.get(DASHBOARD), client.get(DASHBOARD, WINDOW), client.get(IMPORT)]
    for table in TABLES:
        url = reverse("reporting:export", args=[table]) + "?" + _query(WINDOW)
        pages += [client.get(url), client.post(url, {"justification": "Check"})]
    assert all(page.status_code == 200 for page in pages)
    text = "\n".join(page.content.decode() for page in pages)
    for who in people:
        for value in [
            who.first_name,
            who.last_name,
            who.pnc_id,
            who.date_of_birth.isoformat(),
            who.date_of_birth.strftime("%d/%m/%Y"),
            f"{who.date_of_birth.day} {who.date_of_birth:%B %Y}",
        ]:
            assert value not in text, value


@pytest.mark.parametrize("size", [1, 20])
def test_dashboard_query_count_does_not_grow_with_the_data(
    as_user, analyst, size, django_assert_max_num_queries
):
    seed_people(size)
    client = as_user(analyst)
    client.get(DASHBOARD, WINDOW)  # warm the session and permission caches; the snapshot made
    # Session, user, 2 permissions; last import; data version; the snapshot; header: staff
    # profile, organisation; filter choices (3); session save in a savepoint (3). None
    # depends on the data, and the report is not computed.
    with django_assert_max_num_queries(16):
        response = client.get(DASHBOARD, WINDOW)
    assert response.context["report"]["people"] == size
    assert response.context["snapshot"].fresh
    assert "report" not in vars(response.context["dashboard"])


def test_dashboard_figures_follow_new_data_at_once(as_user, analyst):
    """The cached report is keyed on the data: a new caution, a reoffence import or a change
    to a case shows on the next view."""
    seed_people(6)
    client = as_user(analyst)
    assert client.get(DASHBOARD, WINDOW).context["report"]["people"] == 6
    assert client.get(DASHBOARD, WINDOW).context["report"]["people"] == 6  # cached
    who = person()
    caution(who, "2016-05-01", district="Peterborough")
    assert client.get(DASHBOARD, WINDOW).context["report"]["people"] == 7
    before = client.get(DASHBOARD, WINDOW).context["report"]["reoffenders"]
    reoffence(who, "2016-06-01", "2016-07-01")
    ImportBatch.objects.create(
        kind="reoffences", via="command", file_name="x.csv", rows_in_file=1, rows_created=1
    )
    assert client.get(DASHBOARD, WINDOW).context["report"]["reoffenders"] == before + 1


def test_upload_page_imports_a_good_file(as_user, administrator):
    content = "\n".join([CASE_HEADER, *GOOD_CASES]) + "\n"
    page = upload(as_user(administrator), "cases", content, "cases.csv").content.decode()
    assert "4 cases created" in page
    batch = ImportBatch.objects.get()
    assert (batch.imported_by, batch.via) == (administrator, "upload")
    assert "cases.csv" in page


def test_upload_page_lists_every_bad_line_and_imports_nothing(as_user, analyst):
    content = "\n".join(
        [
            "person_ref,offence_date,proven_date,offence_category,disposal",
            "16/1A,2017-01-01,2017-02-01,theft,conviction",
            ",2017-01-01,2017-02-01,theft,conviction",
            "16/1A,2017-01-01,2016-02-01,theft,conviction",
        ]
    )
    page = upload(as_user(analyst), "reoffences", content, "pnc.csv").content.decode()
    assert "Nothing was imported" in page
    assert "line 3: person_ref is missing" in page
    assert "line 4: proven_date is before offence_date" in page
    assert ImportBatch.objects.count() == 0


def test_a_window_of_odd_days_is_published_as_whole_months_with_a_note(as_user, analyst):
    seed_people(6)
    response = as_user(analyst).get(
        DASHBOARD, {"date_from": "2016-01-15", "date_to": "2016-12-30", "as_of": "2020-01-01"}
    )
    context = response.context
    assert (context["date_from"].isoformat(), context["date_to"].isoformat()) == (
        "2016-01-01",
        "2016-12-31",
    )
    assert context["as_of"].isoformat() == "2019-12-31"
    page = response.content.decode()
    assert "published only for whole calendar months that have ended" in page
    assert "These cover 1 January 2016 to 31 December 2016, as at 31 December 2019." in page
    exact = as_user(analyst).get(DASHBOARD, {**WINDOW, "as_of": "2019-12-31"})
    assert "window-note" not in exact.content.decode()


def test_a_window_inside_the_current_month_is_a_form_error(as_user, analyst):
    from django.utils import timezone

    today = timezone.localdate()
    start = today.replace(day=1)
    response = as_user(analyst).get(
        DASHBOARD, {"date_from": start.isoformat(), "date_to": today.isoformat()}
    )
    page = response.content.decode()
    assert "<title>Error: " in page
    assert "figures are published only for whole months that have ended" in page
    assert response.context["figures_shown"] is False


@pytest.mark.parametrize("size", [1, 20])
def test_a_filtered_dashboard_costs_the_same_queries_whatever_the_data(
    as_user, analyst, size, django_assert_max_num_queries
):
    """The parents' reports (disclosure control of a filtered total) are computed with the
    snapshot, by the worker: the page reads it like any other."""
    from hub.models import District

    seed_people(size)
    client = as_user(analyst)
    filtered = {**WINDOW, "district": District.objects.get(name="Peterborough").pk}
    client.get(DASHBOARD, filtered)  # warm the caches; the snapshot made
    # As unfiltered, and the district chosen (the form's check of the choice).
    with django_assert_max_num_queries(17):
        response = client.get(DASHBOARD, filtered)
    assert response.context["report"]["people"] == size


def test_a_header_only_reoffence_file_is_refused_and_the_figures_date_stays(as_user, analyst):
    from reporting.selectors import last_reoffence_import

    client = as_user(analyst)
    good = "person_ref,offence_date,proven_date,offence_category,disposal\n16/1A,2017-01-01,2017-02-01,theft,conviction\n"
    upload(client, "reoffences", good, "a.csv")
    before = last_reoffence_import()
    assert before is not None
    # An empty batch recorded before the refusal existed does not move the date either.
    ImportBatch.objects.create(
        kind=ImportBatch.Kind.REOFFENCES,
        file_name="old-empty.csv",
        rows_in_file=0,
        rows_created=0,
        rows_already_present=0,
    )
    page = upload(client, "reoffences", good.splitlines()[0] + "\n", "empty.csv").content.decode()
    assert "Nothing was imported" in page
    assert "line 2: the file has no rows after its header: nothing to import" in page
    assert ImportBatch.objects.filter(file_name="empty.csv").count() == 0
    assert last_reoffence_import() == before
