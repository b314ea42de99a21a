"""Prepared queries (hub/prepared.py) give what the plain queryset gives, for each call's values."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, Value
from django.utils import timezone

from cautions.models import Case, Condition
from hub.models import Offence, Person
from hub.prepared import PreparedQuery
from tests.cautions.factories import ActiveCaseFactory, CaseFactory
from tests.factories import OffenceFactory, PersonFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)


def _offences_of(person_id):
    return (
        Offence.objects.filter(person_id=person_id)
        .select_related("person__district", "category")
        .defer("description")
        .order_by("offence_date", "id")
    )


def test_each_call_runs_with_its_own_values_and_matches_the_queryset(
    django_assert_num_queries,
):
    first, second = PersonFactory(), PersonFactory()
    for day in (DAY, DAY - dt.timedelta(days=5)):
        OffenceFactory(person=first, offence_date=day)
    OffenceFactory(person=second, offence_date=DAY)
    prepared = PreparedQuery(_offences_of)

    for person in (first, second, first):
        expected = list(_offences_of(person.pk))
        with django_assert_num_queries(1):
            got = prepared(person.pk)
            # The related rows came in the same query; the deferred field did not.
            assert [(o.person.district.name, o.category.key) for o in got] == [
                (o.person.district.name, o.category.key) for o in expected
            ]
        assert [o.pk for o in got] == [o.pk for o in expected]
        assert [o.offence_date for o in got] == [o.offence_date for o in expected]
        assert all(o.get_deferred_fields() == {"description"} for o in got)
    assert prepared(-5) == []


def test_the_sql_is_built_once_per_database():
    person = PersonFactory()
    OffenceFactory(person=person)
    builds = []

    def build(person_id):
        builds.append(person_id)
        return _offences_of(person_id)

    prepared = PreparedQuery(build)
    for _ in range(3):
        assert len(prepared(person.pk)) == 1
    # Once to learn the model, once with stand-in values to compile; never again.
    assert len(builds) == 2


def test_dates_and_ids_together():
    person = PersonFactory()
    on_day = OffenceFactory(person=person, offence_date=DAY)
    OffenceFactory(person=person, offence_date=DAY + dt.timedelta(days=10))
    OffenceFactory(person=person, offence_date=DAY - dt.timedelta(days=10))
    between = PreparedQuery(
        lambda person_id, start, end: Offence.objects.filter(
            person_id=person_id, offence_date__gte=start, offence_date__lte=end
        ).order_by("offence_date")
    )
    assert [o.pk for o in between(person.pk, DAY, DAY)] == [on_day.pk]
    assert len(between(person.pk, DAY - dt.timedelta(days=10), DAY + dt.timedelta(days=10))) == 3
    assert between(person.pk, DAY + dt.timedelta(days=11), DAY + dt.timedelta(days=20)) == []


def test_a_query_without_arguments():
    PersonFactory.create_batch(2)
    everyone = PreparedQuery(lambda: Person.objects.order_by("pk"))
    assert [p.pk for p in everyone()] == list(
        Person.objects.order_by("pk").values_list("pk", flat=True)
    )


@pytest.mark.parametrize(
    ("build", "args", "message"),
    [
        (lambda pk: Person.objects.filter(pk=pk).values("pk"), (1,), "whole model instances"),
        (
            lambda pk: Person.objects.filter(pk=pk).prefetch_related("offences"),
            (1,),
            "without prefetch_related",
        ),
        (lambda pk: Person.objects.all(), (1,), "must reach its SQL"),
        (lambda name: Person.objects.filter(last_name=name), ("Smith",), "ids and dates"),
    ],
)
def test_refuses_what_it_cannot_serve(build, args, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        PreparedQuery(build)(*args)


# What build functions read besides their arguments is fixed at the first call: each of these
# would have served the first call's value for the life of the process.
@pytest.mark.parametrize(
    ("build", "value"),
    [
        # today's date, worked out in the build function
        (
            lambda person_id: Offence.objects.filter(
                person_id=person_id, offence_date__lte=timezone.localdate()
            ),
            "date",
        ),
        # a date a week after the argument: an argument of its own
        (
            lambda on: Offence.objects.filter(offence_date__gte=on + dt.timedelta(days=7)),
            "date",
        ),
        # an int setting
        (
            lambda person_id: Offence.objects.filter(
                person_id=person_id, pk__gte=settings.REPORT_CACHE_SECONDS
            ),
            "int",
        ),
        # the clock
        (
            lambda person_id: Person.objects.filter(pk=person_id, created_at__lte=timezone.now()),
            "datetime",
        ),
        (
            lambda case_id: Condition.objects.filter(case_id=case_id, hours__gte=Decimal("1.5")),
            "Decimal",
        ),
        (
            lambda case_id: Condition.objects.annotate(share=Value(0.5)).filter(case_id=case_id),
            "float",
        ),
    ],
    ids=["localdate", "derived-date", "int-setting", "now", "decimal", "float"],
)
def test_refuses_a_value_that_is_not_an_argument_on_the_first_call(build, value):
    prepared = PreparedQuery(build)
    argument = DAY if "on" in build.__code__.co_varnames else PersonFactory().pk
    for _ in range(2):  # and on every call after: nothing was kept
        with pytest.raises(ImproperlyConfigured) as refused:
            prepared(argument)
        message = str(refused.value)
        assert f"is the {value} " in message
        assert "not one of the call's arguments" in message
        assert "pass it as an argument" in message
        assert "test_prepared.py" in message  # where the build function is


def test_strings_booleans_and_none_are_constants_it_may_carry():
    case = ActiveCaseFactory(conditions=1)
    CaseFactory()  # being assessed: left out
    statuses = PreparedQuery(
        lambda officer_id: Case.objects.filter(
            Q(status__in=[Case.Status.ACTIVE, "breach"]) | Q(court_outcome="", pk=None),
            officer_id=officer_id,
            officer__is_active=True,
        )
    )
    assert [c.pk for c in statuses(case.officer_id)] == [case.pk]
