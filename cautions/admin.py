"""Admin: rule thresholds (a single editable row) and read-mostly views of cases.

Cases change only through the workflow services (one event per transition), so the case
records are read-only here. Condition types are edited in the hub admin; a type in use cannot
be deleted (PROTECT), only retired.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cautions.models import Case, CaseEvent, Condition, RuleSettings
from hub.personal_data import PersonalDataAdmin


@admin.register(RuleSettings)
class RuleSettingsAdmin(SimpleHistoryAdmin):
    no_personal_data = "rule thresholds, no records of people"
    list_display = [
        "__str__",
        "max_offence_age_months",
        "max_previous_history",
        "default_compliance_weeks",
        "max_compliance_weeks",
        "breach_decision_margin_days",
    ]

    def has_add_permission(self, request):
        return not RuleSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class _ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ConditionInline(_ReadOnly, admin.TabularInline):
    model = Condition
    fields = ["condition_type", "description", "due_date", "status", "provider"]
    readonly_fields = fields
    extra = 0


class CaseEventInline(_ReadOnly, admin.TabularInline):
    model = CaseEvent
    fields = ["at", "kind", "actor", "from_status", "to_status", "reason"]
    readonly_fields = fields
    extra = 0


@admin.register(Case)
class CaseAdmin(PersonalDataAdmin, _ReadOnly, SimpleHistoryAdmin):
    list_display = ["reference", "person", "status", "officer", "caution_date", "outcome_date"]
    list_filter = ["status", "source"]
    search_fields = ["reference", "person__last_name"]
    list_select_related = ["person", "officer"]
    inlines = [ConditionInline, CaseEventInline]
