from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from hub.audit import log_access
from hub.models import (
    AccessLog,
    ConditionType,
    District,
    ImportBatch,
    NeedPathway,
    Offence,
    OffenceCategory,
    Organisation,
    Person,
    ReoffenceRecord,
    StaffProfile,
)
from hub.personal_data import PersonalDataAdmin

REFERENCE_DATA = "reference data, no records of people"


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    no_personal_data = REFERENCE_DATA
    list_display = ["name", "active"]


@admin.register(OffenceCategory)
class OffenceCategoryAdmin(admin.ModelAdmin):
    no_personal_data = REFERENCE_DATA
    list_display = ["key", "label", "mode_of_trial", "default_gravity", "excluded", "active"]
    list_filter = ["mode_of_trial", "active"]


@admin.register(NeedPathway)
class NeedPathwayAdmin(admin.ModelAdmin):
    no_personal_data = REFERENCE_DATA
    list_display = ["key", "label", "sort_order", "is_extra", "active"]


@admin.register(ConditionType)
class ConditionTypeAdmin(admin.ModelAdmin):
    no_personal_data = REFERENCE_DATA
    list_display = ["key", "label", "object", "pathway", "needs_provider", "retired"]
    list_filter = ["object", "retired"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    no_personal_data = REFERENCE_DATA
    list_display = ["name", "kind", "active"]
    list_filter = ["kind"]


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    no_personal_data = "staff members' organisation and rank, not records of people"
    list_display = ["user", "organisation", "rank"]
    list_select_related = ["user", "organisation"]


@admin.register(Person)
class PersonAdmin(PersonalDataAdmin, SimpleHistoryAdmin):
    person_path = ""
    list_display = ["last_name", "first_name", "date_of_birth", "pnc_id", "district"]
    search_fields = ["last_name", "first_name", "pnc_id"]


@admin.register(Offence)
class OffenceAdmin(PersonalDataAdmin, SimpleHistoryAdmin):
    list_display = ["person", "category", "offence_date", "gravity_score"]
    list_select_related = ["person", "category"]
    raw_id_fields = ["person"]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: the log is evidence and is never edited. People by number only (no names:
    administrators read the log, not the records)."""

    no_personal_data = "the access log itself: staff activity and person numbers"
    list_display = ["at", "username", "action", "object_type", "object_id", "person_id"]
    list_filter = ["action"]
    fields = [
        "at",
        "username",
        "action",
        "object_type",
        "object_id",
        "person_id",
        "description",
        "justification",
        "recipient",
        "path",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Read-only: batches are written by the imports only."""

    no_personal_data = "import batches: file names and counts"

    list_display = ["imported_at", "kind", "file_name", "via", "imported_by", "rows_created"]
    list_filter = ["kind", "via"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReoffenceRecord)
class ReoffenceRecordAdmin(PersonalDataAdmin, admin.ModelAdmin):
    """Read-only: records come from the national extract and are corrected there."""

    list_display = ["person_ref", "offence_date", "proven_date", "offence_category", "disposal"]
    list_filter = ["disposal"]
    search_fields = ["person_ref"]
    raw_id_fields = ["person", "batch"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class HubUserAdmin(UserAdmin):
    """Staff accounts for administrators (issue 17, separation of duties): they create
    accounts and give roles, but only a superuser makes a superuser or gives permissions one
    by one, and nobody changes their own roles or status (an administrator cannot make
    themselves an authorising officer). Each change of someone's roles is an access-log entry."""

    no_personal_data = "staff accounts, not records of people in the workflow"

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions"]
            if obj is not None and obj.pk == request.user.pk:
                fields += ["groups", "is_staff", "is_active"]
        return fields

    def save_related(self, request, form, formsets, change):
        before = set(form.instance.groups.values_list("name", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(form.instance.groups.values_list("name", flat=True))
        if before != after:
            changes = [f"added {name}" for name in sorted(after - before)]
            changes += [f"removed {name}" for name in sorted(before - after)]
            log_access(
                request,
                action=AccessLog.Action.ALTERATION,
                object_type="auth.user",
                object_id=form.instance.pk,
                description=f"Roles of {form.instance.get_username()}: {'; '.join(changes)}",
            )
