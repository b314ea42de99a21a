"""Reusable case filters."""

from django.db import models


class CaseQuerySet(models.QuerySet):
    def open(self):
        # The model's own constant: importing cautions.models here would be a cycle.
        return self.exclude(status__in=self.model.CLOSED)

    def visible_to(self, user):
        """The cases `user` may see: the one rule, for lists and for one case alike
        (cautions.access.get_case_for_user applies it to the case page's prepared read too)."""
        return self if sees_cases(user) else self.none()


def sees_cases(user) -> bool:
    # Police officers work across the force; other roles see no cases on these pages
    # (caseworkers reach their people through referrals, analysts through aggregates).
    return user.has_perm("cautions.view_case")
