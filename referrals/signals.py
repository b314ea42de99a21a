"""What the referrals app announces to the apps above it (as cautions.signals does).

`referral_event` is sent (sender: the Referral model; arguments `referral`, `event`) for every
event row written, inside the writing transaction. Receivers: api.webhooks (events for
partners: referral.created, accepted, returned, closed)."""

from django.dispatch import Signal

referral_event = Signal()
