from django.contrib import admin

from reporting.models import ImportBatch, ReoffenceRecord


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
