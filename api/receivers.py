"""The API hears the apps below it through their signals (connected in ApiConfig.ready)."""

from api import webhooks
from cautions.signals import CONDITIONS_VARIED


def on_referral_event(sender, *, referral, event, **kwargs) -> None:
    webhooks.referral_changed(referral, event.kind)
    webhooks.appointment_changed(referral, event)


def on_case_changed(sender, *, case, change="", **kwargs) -> None:
    webhooks.case_changed(case, conditions_varied=change == CONDITIONS_VARIED)
