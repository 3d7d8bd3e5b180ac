"""The instance administrator's admin. It writes through the audit trail like
the rest of the platform, and the audit trail itself is read-only here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from partnerships.audit import delete_audited, save_audited
from partnerships.models import AuditEntry, Invitation, Member, Partner, Partnership, StepCompletion


class AuditedAdmin(admin.ModelAdmin[Any]):
    """Only instance administrators (superusers) use the admin; every save and
    delete is recorded in the partnership's audit trail."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        save_audited(obj, actor=request.user)

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        delete_audited(obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        for obj in queryset:
            delete_audited(obj, actor=request.user)


@admin.register(Partnership)
class PartnershipAdmin(AuditedAdmin):
    list_display = ["name", "locality_name", "country", "status", "is_published"]
    search_fields = ["name", "locality_name"]

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        obj.delete()  # its audit trail goes with it

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        queryset.delete()


@admin.register(Partner)
class PartnerAdmin(AuditedAdmin):
    list_display = ["name", "partner_type", "partnership", "joined_on", "left_on"]
    list_filter = ["partner_type"]


@admin.register(Member)
class MemberAdmin(AuditedAdmin):
    list_display = ["user", "role", "partner", "partnership"]
    list_filter = ["role"]
    raw_id_fields = ["user"]


@admin.register(Invitation)
class InvitationAdmin(AuditedAdmin):
    list_display = ["role", "partnership", "created_at", "expires_at", "accepted_at", "revoked_at"]
    exclude = ["email"]


@admin.register(StepCompletion)
class StepCompletionAdmin(AuditedAdmin):
    list_display = ["step", "partnership", "completed_on"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    list_display = ["at", "partnership", "actor_label", "action", "kind", "object_label"]
    list_filter = ["action", "kind"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    # Append-only: nobody adds, changes or deletes entries here.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
