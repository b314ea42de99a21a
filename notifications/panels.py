"""What notifications shows on the case page's Support section (cautions.panels): the
person's consent to reminders and any reminder that could not be delivered."""

from cautions import panels
from cautions.panels import Panel
from notifications.selectors import reminder_summary


def case_support(*, case, user) -> Panel | None:
    """Two queries (consent, failures), whatever the number of messages."""
    if not user.has_perm("notifications.view_contactconsent"):
        return None
    return Panel(
        "notifications/_reminder_summary.html",
        {
            "reminders": reminder_summary(case.person_id),
            "reminders_person_id": case.person_id,
            "reminders_link": True,
        },
    )


def register_panels() -> None:
    # After the referrals (order 100): reminders are about their appointments.
    panels.register("case_support", "notifications.reminders", case_support, order=200)
