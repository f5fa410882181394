from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from borderwatch.accounts.models import User


@admin.register(User)
class BorderwatchUserAdmin(UserAdmin):
    list_display = ("username", "role", "member_state", "is_active")
    list_filter = ("role", "member_state", "is_active")
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Role", {"fields": ("role", "member_state")}))
