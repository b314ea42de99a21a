"""Referrals to support providers: every write and state transition (see STYLE.md)."""


def referrals_sync_for_case(*, case, actor) -> None:
    """Create or update the case's referrals from its conditions that need a provider.

    Called by cautions.services inside their transaction whenever a caution is administered,
    a condition is varied or ended, or the case closes. One referral per provider per case.
    (Contract between the cautions and referrals apps; implemented in the referrals issue.)
    """
