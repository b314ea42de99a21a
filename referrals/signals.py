"""What the referrals app announces to the apps above it (as cautions.signals does).

`referral_event` is sent (sender: the Referral model; arguments `referral`, `event`) for every
event row written, inside the writing transaction. Receivers: api.webhooks (events for
partners: referral.created, accepted, returned, closed; appointment.booked, missed) and the
notifications app (reminders, staff notifications). Appointment events (kinds
appointment_booked, _rescheduled, _cancelled, _attended, _missed) carry
`data["appointment_id"]`."""

from django.dispatch import Signal

referral_event = Signal()
