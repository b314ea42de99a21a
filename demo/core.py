"""Demo data for `make run`: users (one per role), organisations, people and offences.

Idempotent: everything is found by a natural key (username, organisation name, PNC ID) before
it is created. The demo data of the other apps (demo.cases, demo.caseloads, demo.historic)
builds on this, each with a `seed(ctx)` function; seed_demo calls them in order after this one.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from hub.models import District, Offence, OffenceCategory, Organisation, Person, Rank, StaffProfile
from hub.roles import Role

FORCE = "Cambridgeshire Constabulary"
OUTSIDE_LINKS = "Outside Links (HMP Peterborough)"
SECOND_PROVIDER = "Fenland Wellbeing and Recovery Service"
OPCC = "Cambridgeshire and Peterborough OPCC"
# Printed on the caution document beside each condition with the provider (fictitious).
PROVIDER_CONTACTS = {
    OUTSIDE_LINKS: "HMP Peterborough, Saville Road, Peterborough PE3 7PD; 01733 000101",
    SECOND_PROVIDER: "12 High Street, March PE15 9JD; 01354 000202",
}

# username, first, last, organisation, roles, rank, staff (Django admin). Nobody is a superuser:
# the administrator manages accounts, the access log and retention, and takes no workflow
# decision (issue 17); a break-glass superuser is made apart (README, Security).
DEMO_USERS = [
    ("officer", "Priya", "Shah", FORCE, [Role.OFFICER], Rank.CONSTABLE, False),
    (
        "sergeant",
        "Tom",
        "Baker",
        FORCE,
        [Role.OFFICER, Role.AUTHORISING_OFFICER],
        Rank.SERGEANT,
        False,
    ),
    ("caseworker", "Alex", "Morgan", OUTSIDE_LINKS, [Role.CASEWORKER], "", False),
    ("caseworker2", "Sam", "Okafor", SECOND_PROVIDER, [Role.CASEWORKER], "", False),
    ("analyst", "Jo", "Fielding", OPCC, [Role.ANALYST], "", False),
    ("admin", "Chris", "Lane", FORCE, [Role.ADMINISTRATOR], "", True),
    ("disclosure", "Ruth", "Adeyemi", FORCE, [Role.DISCLOSURE], "", False),
]

# The demo people's PNC IDs before their check letters were computed (issue 16 point 10):
# a database seeded earlier has its people renumbered, so that seeding again duplicates no one.
LEGACY_PNC_IDS = {
    "05/200006P": "05/0200006Y",
    "06/200004M": "06/0200004L",
    "08/200003L": "08/0200003Q",
    "09/100007G": "09/0100007P",
    "10/100004D": "10/0100004B",
    "11/200009S": "11/0200009T",
    "12/100002B": "12/0100002E",
    "13/200001J": "13/0200001P",
    "14/100005E": "14/0100005N",
    "14/200005N": "14/0200005J",
    "15/100001A": "15/0100001Z",
    "15/200010T": "15/0200010E",
    "17/200002K": "17/0200002B",
    "18/100006F": "18/0100006A",
    "19/100003C": "19/0100003M",
    "19/200007Q": "19/0200007M",
    "20/100008H": "20/0100008H",
    "20/200008R": "20/0200008D",
}


# first, last, dob, sex, ethnicity, pnc, district, address, phone
DEMO_PEOPLE = [
    (
        "Daniel",
        "Hughes",
        dt.date(1994, 5, 12),
        "male",
        "W1",
        "15/0100001Z",
        "Peterborough",
        "12 Lincoln Road, Peterborough PE1 2RZ",
        "07700 900101",
    ),
    (
        "Kelly",
        "Marsh",
        dt.date(1988, 11, 3),
        "female",
        "W1",
        "12/0100002E",
        "Fenland",
        "4 Market Street, Wisbech PE13 1EX",
        "07700 900102",
    ),
    (
        "Marcus",
        "Green",
        dt.date(2001, 2, 27),
        "male",
        "B1",
        "19/0100003M",
        "Cambridge",
        "Flat 3, 88 Mill Road, Cambridge CB1 2AS",
        "07700 900103",
    ),
    (
        "Aisha",
        "Rahman",
        dt.date(1979, 8, 19),
        "female",
        "A2",
        "10/0100004B",
        "Huntingdonshire",
        "27 High Street, St Neots PE19 1BN",
        "07700 900104",
    ),
    (
        "Lee",
        "Carter",
        dt.date(1990, 1, 30),
        "male",
        "W9",
        "14/0100005N",
        "East Cambridgeshire",
        "9 Fore Hill, Ely CB7 4AA",
        "07700 900105",
    ),
    (
        "Natalia",
        "Kowalski",
        dt.date(1996, 6, 8),
        "female",
        "W9",
        "18/0100006A",
        "South Cambridgeshire",
        "2 Church Lane, Sawston CB22 3JR",
        "07700 900106",
    ),
    (
        "Jordan",
        "Price",
        dt.date(1985, 9, 14),
        "male",
        "M1",
        "09/0100007P",
        "Peterborough",
        "55 Cromwell Road, Peterborough PE1 2EL",
        "07700 900107",
    ),
    (
        "Ryan",
        "Walsh",
        dt.date(1999, 12, 1),
        "male",
        "W2",
        "20/0100008H",
        "Cambridge",
        "16 Newmarket Road, Cambridge CB5 8DT",
        "07700 900108",
    ),
]

# pnc, category, days ago, description
DEMO_OFFENCES = [
    (
        "15/0100001Z",
        "shoplifting",
        20,
        "Took groceries worth £42 from a supermarket without paying.",
    ),
    ("12/0100002E", "criminal_damage", 35, "Broke a neighbour's fence panel during an argument."),
    ("19/0100003M", "drugs_possession", 12, "Found in possession of a small quantity of cannabis."),
    ("10/0100004B", "theft", 50, "Took a bicycle left unlocked outside a station."),
    ("14/0100005N", "drunk_disorderly", 8, "Drunk and shouting at passers-by outside a pub."),
    ("18/0100006A", "public_order", 15, "Threatening words towards door staff."),
    ("09/0100007P", "minor_assault", 70, "Pushed a man over in a queue; minor injury."),
    ("20/0100008H", "shoplifting", 100, "Took clothing worth £85 from a department store."),
    ("15/0100001Z", "theft", 400, "Took a phone left on a café table."),
]


@dataclass
class DemoContext:
    users: dict = field(default_factory=dict)
    organisations: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    offences: list = field(default_factory=list)
    today: dt.date = field(default_factory=timezone.localdate)


def seed(ctx: DemoContext) -> DemoContext:
    organisations = {
        FORCE: Organisation.Kind.POLICE_FORCE,
        OUTSIDE_LINKS: Organisation.Kind.SUPPORT_PROVIDER,
        SECOND_PROVIDER: Organisation.Kind.SUPPORT_PROVIDER,
        OPCC: Organisation.Kind.OPCC,
    }
    for name, kind in organisations.items():
        ctx.organisations[name], _ = Organisation.objects.get_or_create(
            name=name,
            defaults={"kind": kind, "contact_details": PROVIDER_CONTACTS.get(name, "")},
        )
    user_model = get_user_model()
    for username, first, last, org, roles, rank, staff in DEMO_USERS:
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user = user_model.objects.create_user(
                username=username,
                password=settings.DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                email=f"{username}@example.org",
                is_staff=staff,
            )
        elif (user.is_staff, user.is_superuser) != (staff, False):
            # A demo database seeded before issue 17 made `admin` a superuser.
            user.is_staff, user.is_superuser = staff, False
            user.save(update_fields=["is_staff", "is_superuser"])
        user.groups.add(*Group.objects.filter(name__in=roles))
        StaffProfile.objects.get_or_create(
            user=user, defaults={"organisation": ctx.organisations[org], "rank": rank}
        )
        ctx.users[username] = user

    districts = {d.name: d for d in District.objects.all()}
    officer = ctx.users["officer"]
    for old, new in LEGACY_PNC_IDS.items():
        Person.objects.filter(pnc_id=old).update(pnc_id=new)
    for first, last, dob, sex, eth, pnc, district, address, phone in DEMO_PEOPLE:
        ctx.people[pnc], _ = Person.objects.get_or_create(
            pnc_id=pnc,
            defaults={
                "first_name": first,
                "last_name": last,
                "date_of_birth": dob,
                "sex": sex,
                "ethnicity": eth,
                "district": districts[district],
                "address": address,
                "phone": phone,
                "created_by": officer,
            },
        )
    categories = {c.key: c for c in OffenceCategory.objects.all()}
    for pnc, category_key, days_ago, description in DEMO_OFFENCES:
        person = ctx.people[pnc]
        category = categories[category_key]
        offence, _ = Offence.objects.get_or_create(
            person=person,
            category=category,
            description=description,
            defaults={
                "offence_date": ctx.today - dt.timedelta(days=days_ago),
                "district": person.district,
                "gravity_score": category.default_gravity,
                "mode_of_trial": category.mode_of_trial,
                "victim_present": category_key in {"criminal_damage", "minor_assault", "theft"},
                "recorded_by": officer,
            },
        )
        ctx.offences.append(offence)
    return ctx
