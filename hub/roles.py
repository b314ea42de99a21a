"""Roles: Django groups carrying permissions. A role decides what a user may do; the user's
organisation (StaffProfile) decides which records they see.

Groups are created by migration (hub 0003); their permissions are (re)applied after every
migrate from ROLE_PERMISSIONS, so that a permission added by a later app migration reaches
its role without a hand-written data migration. Idempotent.
"""

from django.db.models.signals import post_migrate


class Role:
    OFFICER = "Police officer"
    AUTHORISING_OFFICER = "Authorising officer"
    CASEWORKER = "Support caseworker"
    ANALYST = "OPCC analyst"
    ADMINISTRATOR = "Administrator"
    # The force's data protection / disclosure staff: subject access requests (issue 17).
    DISCLOSURE = "Disclosure team"

    ALL = (OFFICER, AUTHORISING_OFFICER, CASEWORKER, ANALYST, ADMINISTRATOR, DISCLOSURE)


_OFFICER = [
    "hub.view_person",
    "hub.add_person",
    "hub.change_person",
    "hub.view_offence",
    "hub.add_offence",
    "cautions.view_case",
    "cautions.add_case",
    "cautions.change_case",
    "cautions.print_caution",
    "referrals.view_referral",
    "referrals.add_referral",
    # Reminders to the person (issue 18): the officer records consent when giving the caution.
    "notifications.view_contactconsent",
    "notifications.add_contactconsent",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.OFFICER: _OFFICER,
    # An authorising officer (sergeant or above) does everything an officer does, and decides.
    # Merging duplicate people (and undoing a merge) moves cases between records: a decision
    # for sergeants, who see both records' cases, not for every officer (issue 16 point 10).
    Role.AUTHORISING_OFFICER: [
        *_OFFICER,
        "cautions.authorise_case",
        "cautions.decide_breach",
        "records.merge_person",
    ],
    Role.CASEWORKER: [
        "referrals.view_referral",
        "referrals.change_referral",
        "referrals.view_supportsession",
        "referrals.add_supportsession",
        # Reminders of the appointments they book (issue 18): record or stop consent.
        "notifications.view_contactconsent",
        "notifications.add_contactconsent",
    ],
    Role.ANALYST: [
        "reporting.view_dashboard",
        "reporting.export_aggregates",
        "reporting.import_data",
    ],
    # Accounts, the access log and retention (issue 17: separation of duties). No workflow
    # decision and no case, person or referral record: a user given another role as well
    # holds that role's permissions too. The break-glass superuser is apart (README).
    Role.ADMINISTRATOR: [
        "hub.view_accesslog",
        "hub.export_accesslog",
        "reporting.import_data",
        "cautions.review_retention",
        # Staff accounts: the Staff accounts pages (reset two-factor authentication, sign out
        # everywhere, enrolment codes) and, in the Django admin, creating accounts and giving
        # roles (never to themselves, never superuser: hub.admin.HubUserAdmin).
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "auth.view_group",
        "hub.view_staffprofile",
        "hub.add_staffprofile",
        "hub.change_staffprofile",
        "hub.view_organisation",
        # Partner API tokens (issue 14): see and revoke them (api.token_views).
        "api.view_apitoken",
        "api.change_apitoken",
        # Partners' webhooks: register them, read the delivery log, redeliver.
        "api.view_webhooksubscription",
        "api.add_webhooksubscription",
        "api.change_webhooksubscription",
        # Clearing sign-in lockouts and the per-address throttle (README, Security).
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        # Messages kept unsent when no GOV.UK Notify key is set (issue 18).
        "notifications.view_outbox",
    ],
    # Subject access only: it finds the person in its own search (merged and anonymised records
    # included) and exports everything held; it reads no person page, case or referral.
    Role.DISCLOSURE: ["records.subject_access"],
}

# Where each role lands after sign-in (first match wins, in this order).
ROLE_HOME = [
    (Role.ADMINISTRATOR, "hub:audit_log"),
    (Role.AUTHORISING_OFFICER, "cautions:worklist"),
    (Role.OFFICER, "cautions:worklist"),
    (Role.CASEWORKER, "referrals:inbox"),
    (Role.ANALYST, "reporting:dashboard"),
    (Role.DISCLOSURE, "records:subject_access_search"),
]


def sync_role_permissions(**_kwargs) -> None:
    from django.contrib.auth.models import Group, Permission

    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = set()
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.update(
                Permission.objects.filter(
                    content_type__app_label=app_label, codename=codename
                ).values_list("pk", flat=True)
            )
        group.permissions.set(wanted)


def connect_signals() -> None:
    post_migrate.connect(sync_role_permissions, dispatch_uid="hub.sync_role_permissions")


def user_roles(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return cached


def home_url_name(user) -> str:
    roles = user_roles(user)
    for role, url_name in ROLE_HOME:
        if role in roles:
            return url_name
    if user.is_superuser:
        return "hub:audit_log"
    return "hub:no_role"
