"""Django admin for bootstrapping (the first network admin); day-to-day management is in the app."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from werkbrug.network.models import Membership, Organisation, ReferralLine, SubRegion, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class WerkbrugUserAdmin(UserAdmin):
    inlines = [MembershipInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "org_type", "is_active"]
    list_filter = ["kind", "org_type", "is_active"]
    search_fields = ["name"]


admin.site.register(SubRegion)
admin.site.register(ReferralLine)
