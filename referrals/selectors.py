"""Reads for referral screens, and the partials other apps embed."""


def non_engagement_flags_for_officer(user):
    """Open "not engaging" reports on the cases this officer is in charge of (worklist)."""
    return []


def referrals_for_case_page(case):
    """The case's referrals with attendance, progress reports and end-of-support summary,
    for the officer's case page (never the session notes)."""
    return []
