"""Reusable case filters."""

from django.db import models


class CaseQuerySet(models.QuerySet):
    def open(self):
        from cautions.models import CLOSED

        return self.exclude(status__in=CLOSED)

    def visible_to(self, user):
        # Police officers work across the force; other roles see no cases on these pages
        # (caseworkers reach their people through referrals, analysts through aggregates).
        if user.has_perm("cautions.view_case"):
            return self
        return self.none()
