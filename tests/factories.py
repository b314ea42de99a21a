"""Factories shared by every app's tests. Reference data comes from the migrations."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from hub.lib.pnc import format_pnc
from hub.models import District, Offence, OffenceCategory, Organisation, Person, Rank, StaffProfile
from hub.roles import Role


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Support provider {n}")
    kind = Organisation.Kind.SUPPORT_PROVIDER


def police_force() -> Organisation:
    return Organisation.objects.get_or_create(
        name="Cambridgeshire Constabulary", defaults={"kind": Organisation.Kind.POLICE_FORCE}
    )[0]


def opcc() -> Organisation:
    return Organisation.objects.get_or_create(
        name="Cambridgeshire and Peterborough OPCC", defaults={"kind": Organisation.Kind.OPCC}
    )[0]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    # Not Faker's names, which people's records use: a staff member's name in the page header
    # must never be taken for a person's by the isolation tests (two CI runs failed on
    # "Louis" and "Miller" shared by a caseworker or analyst and a cautioned person).
    first_name = factory.Sequence(lambda n: f"Staff{n}")
    last_name = factory.Sequence(lambda n: f"Member{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))
        if create:
            self.save()


def make_user(role: str | None, *, organisation: Organisation | None = None, **kwargs):
    """A user with a role and the staff profile that role normally has."""
    roles = {
        Role.OFFICER: [Role.OFFICER],
        Role.AUTHORISING_OFFICER: [Role.OFFICER, Role.AUTHORISING_OFFICER],
        Role.CASEWORKER: [Role.CASEWORKER],
        Role.ANALYST: [Role.ANALYST],
        Role.ADMINISTRATOR: [Role.ADMINISTRATOR],
        Role.DISCLOSURE: [Role.DISCLOSURE],
        None: [],
    }[role]
    if organisation is None:
        organisation = {
            Role.CASEWORKER: None,
            Role.ANALYST: opcc(),
        }.get(role, police_force())
        if organisation is None:
            organisation = OrganisationFactory()
    user = UserFactory(roles=roles, **kwargs)
    rank = {Role.AUTHORISING_OFFICER: Rank.SERGEANT, Role.OFFICER: Rank.CONSTABLE}.get(role, "")
    StaffProfile.objects.get_or_create(
        user=user, defaults={"organisation": organisation, "rank": rank}
    )
    return user


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=19, maximum_age=70)
    sex = "male"
    ethnicity = "W1"
    pnc_id = factory.Sequence(lambda n: format_pnc(20, n))
    district = factory.LazyFunction(lambda: District.objects.get(name="Peterborough"))


class OffenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offence

    person = factory.SubFactory(PersonFactory)
    category = factory.LazyFunction(lambda: OffenceCategory.objects.get(key="shoplifting"))
    description = "Took goods worth £30 from a shop without paying."
    offence_date = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=10))
    district = factory.LazyAttribute(lambda o: o.person.district)
    gravity_score = factory.LazyAttribute(lambda o: o.category.default_gravity)
    mode_of_trial = factory.LazyAttribute(lambda o: o.category.mode_of_trial)
