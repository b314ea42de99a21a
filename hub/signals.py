"""Signals hub sends so that higher apps can react to a change in the core without hub
importing them. Each is sent by the hub service that makes the change, inside its transaction;
receivers are connected in the receiving app's `apps.py`."""

from django.dispatch import Signal

# Sent by hub.services.person_anonymise with `person` (row locked, identifiers still present)
# and `user`, first, before anything is blanked: a receiver links or scrubs its own records
# of the person (by PNC ID, name, contact details) in the same transaction. An exception in a
# receiver aborts the anonymisation.
person_anonymising = Signal()
