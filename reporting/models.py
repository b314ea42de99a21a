"""Reporting has no tables of its own: it computes from the national records (hub.ImportBatch,
hub.ReoffenceRecord) and the cases. This module only names the reporting permissions."""

from django.db import models


class ReportingAccess(models.Model):
    """Carries the reporting permissions; no table (managed = False), never queried.

    The permissions were declared on the import batch until it moved to hub (issue 15); kept
    here so that they stay "reporting.<codename>" for hub/roles.py and every permission check.
    Reporting 0002 moved the existing permission rows here, so groups keep them.
    """

    class Meta:
        managed = False
        default_permissions = ()
        # The reporting permissions (hub/roles.py gives them to analysts and administrators).
        permissions = [
            ("view_dashboard", "Can view the reporting dashboard (aggregates only)"),
            ("export_aggregates", "Can download the dashboard's aggregate tables"),
            ("import_data", "Can import historic cases and reoffence records"),
        ]

    def __str__(self) -> str:
        return "Reporting permissions"
