from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "active"]


@admin.register(OffenceCategory)
class OffenceCategoryAdmin(admin.ModelAdmin):
    list_display = ["key", "label", "mode_of_trial", "default_gravity", "excluded", "active"]
    list_filter = ["mode_of_trial", "active"]


@admin.register(NeedPathway)
class NeedPathwayAdmin(admin.ModelAdmin):
    list_display = ["key", "label", "sort_order", "is_extra", "active"]


@admin.register(ConditionType)
class ConditionTypeAdmin(admin.ModelAdmin):
    list_display = ["key", "label", "object", "pathway", "needs_provider", "retired"]
    list_filter = ["object", "retired"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "active"]
    list_filter = ["kind"]


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "rank"]
    list_select_related = ["user", "organisation"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "date_of_birth", "pnc_id", "district"]
    search_fields = ["last_name", "first_name", "pnc_id"]


@admin.register(Offence)
class OffenceAdmin(SimpleHistoryAdmin):
    list_display = ["person", "category", "offence_date", "gravity_score"]
    list_select_related = ["person", "category"]
    raw_id_fields = ["person"]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: the log is evidence and is never edited."""

    list_display = ["at", "user", "action", "object_type", "object_id", "person"]
    list_filter = ["action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Read-only: batches are written by the imports only."""

    list_display = ["imported_at", "kind", "file_name", "via", "imported_by", "rows_created"]
    list_filter = ["kind", "via"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReoffenceRecord)
class ReoffenceRecordAdmin(admin.ModelAdmin):
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
