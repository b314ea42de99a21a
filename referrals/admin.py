"""Admin: read-mostly. Transitions go through services.py; the admin is for support staff to
look things up, so the lists show no session notes."""

from django.contrib import admin

from hub.personal_data import PersonalDataAdmin
from referrals.models import Referral, ReferralEvent


class ReferralEventInline(admin.TabularInline):
    model = ReferralEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "kind", "from_status", "to_status", "reason", "data"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Referral)
class ReferralAdmin(PersonalDataAdmin, admin.ModelAdmin):
    person_path = "case.person"
    list_display = ["pk", "case", "provider", "status", "assigned_to", "due_date"]
    list_filter = ["status", "provider"]
    list_select_related = ["case", "provider", "assigned_to"]
    readonly_fields = [f.name for f in Referral._meta.fields]
    inlines = [ReferralEventInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
