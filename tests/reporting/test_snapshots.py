"""The dashboard's figures are computed by the worker, never while a person waits (issue 21):
the snapshot's key, stale figures shown with their time, one computation queued however many
people look, the refresh button, and the page shown before any figures exist."""

import datetime as dt
import inspect
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reporting import snapshots
from reporting.models import ReportSnapshot
from reporting.report_sql import ReportFilters
from reporting.selectors import reoffending_report
from tests.reporting.builders import caution, person, reoffence
from tests.reporting.test_views import WINDOW, seed_people

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reporting:dashboard")
REFRESH = reverse("reporting:refresh")
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def queued(settings):
    """Tasks wait in the database queue for the worker, as in production."""
    settings.TASKS = DB_TASKS


def arguments(**changes) -> dict:
    base = {
        "date_from": dt.date(2016, 1, 1),
        "date_to": dt.date(2016, 12, 31),
        "as_of": dt.date(2019, 12, 31),
        "filters": ReportFilters(),
        "quarters": True,
        "all_groups": False,
        "last_import": None,
        "min_cell": 5,
    }
    return {**base, **changes}


def work() -> None:
    """The worker's part: compute every queued snapshot."""
    for key in ReportSnapshot.objects.exclude(computing_since=None).values_list("key", flat=True):
        snapshots.compute(key)


def queued_tasks(kind: str = "dashboard") -> int:
    """Computations queued for snapshots of this kind (the summary also queues the
    comparison's)."""
    keys = set(ReportSnapshot.objects.filter(kind=kind).values_list("key", flat=True))
    results = DBTaskResult.objects.filter(task_path="reporting.tasks.compute_snapshot")
    return sum(1 for result in results if result.args_kwargs["args"][0] in keys)


# ------------------------------------------------------------------------------- the key
def test_the_key_names_every_argument_of_the_report_and_the_disclosure_threshold():
    report_arguments = set(inspect.signature(reoffending_report).parameters)
    assert set(snapshots.KINDS["dashboard"]["arguments"]) == report_arguments | {"min_cell"}


@pytest.mark.parametrize(
    "change",
    [
        {"date_from": dt.date(2016, 2, 1)},
        {"date_to": dt.date(2016, 11, 30)},
        {"as_of": dt.date(2019, 11, 30)},
        {"filters": ReportFilters(district_id=1)},
        {"filters": ReportFilters(category_id=1)},
        {"filters": ReportFilters(condition_type_id=1)},
        {"quarters": False},
        {"all_groups": True},
        {"last_import": dt.datetime(2020, 1, 1, tzinfo=dt.UTC)},
        {"min_cell": 10},
    ],
)
def test_every_argument_that_shapes_the_figures_changes_the_key(change):
    assert snapshots.snapshot_key("dashboard", arguments(**change)) != snapshots.snapshot_key(
        "dashboard", arguments()
    )


def test_the_same_arguments_give_the_same_key_in_any_order():
    reordered = dict(reversed(list(arguments().items())))
    assert snapshots.snapshot_key("dashboard", reordered) == snapshots.snapshot_key(
        "dashboard", arguments()
    )


@pytest.mark.parametrize(
    ("kind", "given", "message"),
    [
        ("dashboard", {k: v for k, v in arguments().items() if k != "as_of"}, "missing"),
        ("dashboard", {**arguments(), "user": "analyst1"}, "unknown"),
        ("dashboard", {**arguments(), "filters": None}, "filters"),
        # A datetime is a date: accepted silently it would split or share snapshots.
        ("dashboard", {**arguments(), "date_from": dt.datetime(2016, 1, 1)}, "date_from"),
        ("dashboard", {**arguments(), "quarters": 1}, "quarters"),
        ("nope", arguments(), "No report of kind"),
    ],
)
def test_a_misused_key_fails_loudly(kind, given, message):
    with pytest.raises(snapshots.SnapshotMisuse, match=message):
        snapshots.snapshot_key(kind, given)


def test_two_analysts_share_one_snapshot(as_user, analyst, client, immediate_tasks):
    from hub.roles import Role
    from tests.factories import make_user

    seed_people(6)
    as_user(analyst).get(DASHBOARD, WINDOW)
    client.force_login(make_user(Role.ANALYST, username="analyst2"))
    assert client.get(DASHBOARD, WINDOW).context["snapshot"].fresh
    assert ReportSnapshot.objects.filter(kind="dashboard").count() == 1


# ----------------------------------------------------------------------- the read path
def test_before_any_figures_the_page_says_they_are_being_computed(as_user, analyst, queued):
    seed_people(10)
    client = as_user(analyst)
    response = client.get(DASHBOARD, WINDOW)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Figures are being computed" in page
    # A link to check again, not a timed reload (WCAG 2.2.1: the user controls the timing).
    assert 'id="check-again"' in page
    assert "http-equiv" not in page
    assert "50.0%" not in page
    client.get(DASHBOARD, WINDOW)
    assert queued_tasks() == 1  # queued once, not once per request
    work()
    response = client.get(DASHBOARD, WINDOW)
    assert response.context["snapshot"].fresh
    assert "50.0%" in response.content.decode()
    assert "check-again" not in response.content.decode()


def test_stale_figures_are_shown_with_their_time_while_new_ones_are_computed(
    as_user, analyst, queued
):
    seed_people(10)
    client = as_user(analyst)
    client.get(DASHBOARD, WINDOW)
    work()
    computed_at = ReportSnapshot.objects.get(kind="dashboard").computed_at
    who = person()
    caution(who, "2016-05-01")
    reoffence(who, "2016-06-01", "2016-07-01")
    queued_before = queued_tasks()

    response = client.get(DASHBOARD, WINDOW)
    page = response.content.decode()
    assert response.context["report"]["people"] == 10  # the old figures
    local = timezone.localtime(computed_at)
    assert f"Figures computed at {local:%H:%M} on {local:%-d %B %Y}" in page
    assert "new figures are being computed" in page
    for _ in range(3):
        client.get(DASHBOARD, WINDOW)
    assert queued_tasks() == queued_before + 1  # one computation for every request

    work()
    response = client.get(DASHBOARD, WINDOW)
    assert response.context["report"]["people"] == 11
    assert "new figures are being computed" not in response.content.decode()


def test_a_claim_left_by_a_dead_worker_is_taken_over(as_user, analyst, queued, settings):
    seed_people(6)
    client = as_user(analyst)
    client.get(DASHBOARD, WINDOW)
    assert queued_tasks() == 1
    long_ago = timezone.now() - dt.timedelta(seconds=settings.REPORT_SNAPSHOT_CLAIM_SECONDS + 1)
    ReportSnapshot.objects.update(computing_since=long_ago)
    client.get(DASHBOARD, WINDOW)
    assert queued_tasks() == 2
    client.get(DASHBOARD, WINDOW)
    assert queued_tasks() == 2


def test_an_analyst_can_ask_for_the_figures_again_once(as_user, analyst, queued):
    seed_people(6)
    client = as_user(analyst)
    client.get(DASHBOARD, WINDOW)
    work()
    assert queued_tasks() == 1
    query = "?" + "&".join(f"{k}={v}" for k, v in WINDOW.items())
    response = client.post(REFRESH + query, follow=True)
    assert response.redirect_chain[-1][0].startswith(DASHBOARD + "?")
    assert "New figures are being computed" in response.content.decode()
    assert queued_tasks() == 2
    response = client.post(REFRESH + query, follow=True)  # pressed again: still one
    assert "already being computed" in response.content.decode()
    assert queued_tasks() == 2
    assert client.get(REFRESH + query).status_code == 405


@pytest.mark.parametrize("user_fixture", ["officer", "sergeant", "caseworker", "administrator"])
def test_only_analysts_may_ask_for_a_refresh(request, as_user, user_fixture, queued):
    client = as_user(request.getfixturevalue(user_fixture))
    assert client.post(REFRESH).status_code == 403
    assert queued_tasks() == 0
    assert not ReportSnapshot.objects.exists()


# The worker closes its database connections between tasks: it runs for real, so the test
# commits (transaction=True).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_computes_the_queued_snapshot(as_user, analyst, queued):
    seed_people(4)
    client = as_user(analyst)
    assert "Figures are being computed" in client.get(DASHBOARD, WINDOW).content.decode()
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    snapshot = ReportSnapshot.objects.get(kind="dashboard")
    assert snapshot.payload["report"]["people"] == 4
    assert snapshot.computing_since is None
    assert client.get(DASHBOARD, WINDOW).context["snapshot"].fresh


def test_the_operators_command_computes_what_is_stale(as_user, analyst, queued):
    seed_people(10)
    client = as_user(analyst)
    client.get(DASHBOARD, WINDOW)  # queued, not computed
    out = io.StringIO()
    call_command("refresh_report_snapshots", stdout=out)
    assert "2 snapshot(s) computed" in out.getvalue()  # the figures and the comparison
    assert client.get(DASHBOARD, WINDOW).context["snapshot"].fresh
    out = io.StringIO()
    call_command("refresh_report_snapshots", stdout=out)
    assert "0 snapshot(s) computed" in out.getvalue()
