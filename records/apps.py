from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """Person records as a whole: merging duplicate people and subject access exports.
    Orchestrations above the apps they read and move (hub, cautions, referrals, reporting);
    only demo sits above."""

    name = "records"
