"""Synthetic staff: officers, sergeants and caseworkers, so that caseloads look real."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from demo.synthetic.reference import FORCE, PROVIDERS
from hub.models import Organisation, Rank, StaffProfile
from hub.roles import Role


@dataclass
class Staff:
    officers: list[int]
    sergeants: list[int]
    caseworkers: dict[int, list[int]]  # provider id -> user ids
    providers: list[tuple[int, int]]  # (provider id, weight)
    analyst: int | None


def ensure_staff(ctx_users: dict, *, officers: int, sergeants: int) -> Staff:
    """Synthetic staff around the demo users (idempotent: found by username)."""
    user_model = get_user_model()
    force = Organisation.objects.get_or_create(
        name=FORCE, defaults={"kind": Organisation.Kind.POLICE_FORCE}
    )[0]
    providers = []
    for name, weight in PROVIDERS:
        org = Organisation.objects.get_or_create(
            name=name, defaults={"kind": Organisation.Kind.SUPPORT_PROVIDER}
        )[0]
        providers.append((org, weight))
    groups = {g.name: g for g in Group.objects.filter(name__in=Role.ALL)}

    def user(username, first, last, org, roles, rank=""):
        account = user_model.objects.filter(username=username).first()
        if account is None:
            account = user_model(username=username, first_name=first, last_name=last)
            account.set_unusable_password()
            account.save()
            account.groups.add(*[groups[r] for r in roles if r in groups])
            StaffProfile.objects.create(user=account, organisation=org, rank=rank)
        return account.pk

    officer_ids = [
        user(f"pc{n:04d}", "Synthetic", f"Officer {n}", force, [Role.OFFICER], Rank.CONSTABLE)
        for n in range(1, officers + 1)
    ]
    sergeant_ids = [
        user(
            f"ps{n:04d}",
            "Synthetic",
            f"Sergeant {n}",
            force,
            [Role.OFFICER, Role.AUTHORISING_OFFICER],
            Rank.SERGEANT,
        )
        for n in range(1, sergeants + 1)
    ]
    caseworkers = {}
    for index, (org, _weight) in enumerate(providers):
        caseworkers[org.pk] = [
            user(
                f"sw{index}{n:02d}", "Synthetic", f"Caseworker {index}-{n}", org, [Role.CASEWORKER]
            )
            for n in range(1, 4)
        ]
    # The demo users take an ordinary share of the work.
    if "officer" in ctx_users:
        officer_ids.append(ctx_users["officer"].pk)
    if "sergeant" in ctx_users:
        sergeant_ids.append(ctx_users["sergeant"].pk)
    for name in ("caseworker", "caseworker2"):
        demo = ctx_users.get(name)
        if demo is not None and hasattr(demo, "profile"):
            caseworkers.setdefault(demo.profile.organisation_id, []).append(demo.pk)
    analyst = ctx_users.get("analyst")
    return Staff(
        officers=officer_ids,
        sergeants=sergeant_ids,
        caseworkers=caseworkers,
        providers=[(org.pk, weight) for org, weight in providers],
        analyst=analyst.pk if analyst else None,
    )
