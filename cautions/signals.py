"""What the cautions app announces to the apps above it (STYLE.md "Between apps").

Cautions never imports a higher app. When one of its transitions changes what a case asks of
others, its service sends a signal here, inside its transaction and after its own writes (never
from `save()`); a higher app connects a receiver in its `apps.py` and does its part in the same
transaction, so that either both happen or neither does. Receivers' errors propagate (`send`,
not `send_robust`): a failed receiver rolls the transition back.
"""

from django.dispatch import Signal

# Sent (sender: the Case model; arguments `case`, `actor`, `change`) when a caution is given, a condition
# is varied or ended, a breach is decided, or the case closes (completed or withdrawn): its
# conditions in force, or its being open, changed. `case` carries the status just saved.
# Receivers: referrals (referrals.sync.on_case_changed: the case's referrals follow).
# `change` is CONDITIONS_VARIED when a condition was varied or ended, else "".
# Receivers: referrals (above), api.webhooks (events for partners: case.closed,
# conditions.varied).
case_changed = Signal()
CONDITIONS_VARIED = "conditions_varied"

# Sent (sender: the Case model; arguments `case`, `actor`) when a case is sent for
# authorisation: it waits for an authorising officer. Receivers: notifications (sergeants told).
case_submitted = Signal()

# Sent (sender: the Case model; arguments `case`, `breach`, `actor`) when a breach is recorded:
# it waits for an authorising officer's decision. Receivers: notifications (sergeants told).
breach_recorded = Signal()
