"""What referrals shows on cautions' pages (cautions.panels): the case page's Support section
and the "not engaging" flags at the top of the officer's worklist. Registered by
ReferralsConfig.ready()."""

from cautions import panels
from cautions.panels import Panel
from referrals import actions
from referrals.selectors import (
    complied_reports_awaiting_confirmation,
    non_engagement_flags_for_officer,
    referrals_for_case_page,
    returned_referrals_for_officer,
)


def case_support(*, case, user) -> Panel:
    """The case's referrals with attendance, progress and summaries, never session notes
    (three queries whatever their number, none when there is no referral; see
    referrals_for_case_page), and the link to refer by hand."""
    return Panel(
        "referrals/_case_referrals.html",
        {
            "case_referrals": referrals_for_case_page(case),
            "can_refer": actions.can_refer(case, user),
        },
    )


def worklist_flags(*, user) -> Panel:
    """Open "not engaging" reports on the officer's cases (one query)."""
    return Panel(
        "referrals/_officer_worklist_flags.html",
        {"non_engagement_flags": non_engagement_flags_for_officer(user)},
    )


def worklist_complied_reports(*, user) -> Panel | None:
    """Providers' "complied" reports waiting for the officer to confirm (one query)."""
    reports = list(complied_reports_awaiting_confirmation(user))
    if not reports:
        return None
    return Panel("referrals/_officer_worklist_complied.html", {"complied_reports": reports})


def worklist_returned_referrals(*, user) -> Panel | None:
    """Referrals providers returned on the officer's running cases (one query)."""
    returned = list(returned_referrals_for_officer(user))
    if not returned:
        return None
    return Panel("referrals/_officer_worklist_returned.html", {"returned_referrals": returned})


def register_panels() -> None:
    panels.register("case_support", "referrals", case_support)
    panels.register("worklist", "referrals.non_engagement", worklist_flags)
    panels.register("worklist", "referrals.returned", worklist_returned_referrals, order=110)
    panels.register("worklist", "referrals.complied", worklist_complied_reports, order=120)
