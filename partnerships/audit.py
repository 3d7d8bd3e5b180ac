"""The audit trail: the one place that writes ``AuditEntry`` rows.

Services save partnership data through ``save_audited`` and delete it through
``delete_audited``; the admin does the same (``partnerships.admin``). Signals
are deliberately not used: they miss bulk writes and hide who acted.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models, transaction

from partnerships.kinds import kind_of, model_of_kind
from partnerships.models import AuditAction, AuditEntry, Partnership

REDACTED = "•••"


def _label_user(user: Any, partnership: Partnership) -> str:
    """How the trail names a person: the name they chose to show, else their
    membership's reference in this partnership. Never an email address (every
    member reads the trail) and never the sequential user id."""
    if user is None or not getattr(user, "pk", None):
        return "—"
    if user.display_name:
        return str(user.display_name)
    from partnerships.models import Member

    member = Member.objects.filter(partnership=partnership, user=user).only("public_id").first()
    if member is not None:
        return str(member.short_ref)
    return "admin" if user.is_staff else "—"


def _value(instance: models.Model, field_name: str) -> Any:
    field = instance._meta.get_field(field_name)
    if field_name in getattr(instance, "audit_redacted", ()):
        return REDACTED
    if isinstance(field, models.ForeignKey):
        related = getattr(instance, field_name)
        if related is None:
            return None
        related_model = field.related_model
        if isinstance(related_model, type) and related_model._meta.label == "accounts.User":
            return _label_user(related, _partnership_of(instance))
        return str(related)
    value = getattr(instance, field_name)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, list | dict | int | float | bool | str) or value is None:
        return value
    return str(value)


def snapshot(instance: models.Model) -> dict[str, Any]:
    return {name: _value(instance, name) for name in getattr(instance, "audit_fields", ())}


def _partnership_of(instance: models.Model) -> Partnership:
    partnership = getattr(instance, "partnership", None)
    if not isinstance(partnership, Partnership):
        raise TypeError(f"{instance!r} does not belong to a partnership; it cannot be audited.")
    return partnership


def _write(
    *, actor: Any, instance: models.Model, action: AuditAction, changes: dict[str, Any]
) -> AuditEntry:
    return AuditEntry.objects.create(
        partnership=_partnership_of(instance),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=_label_user(actor, _partnership_of(instance))
        if actor is not None
        else "system",
        action=action,
        kind=kind_of(type(instance)),
        object_id=str(getattr(instance, "public_id", None) or instance.pk),
        object_label=str(instance)[:200],
        changes=changes,
        subjects=list(getattr(instance, "audit_subjects", list)()),
    )


def save_audited(
    instance: models.Model, *, actor: Any, update_fields: list[str] | None = None
) -> AuditEntry | None:
    """Save ``instance`` and record what changed. Returns the entry, or None
    when nothing the trail tracks changed."""
    with transaction.atomic():
        if instance._state.adding:
            instance.save()
            changes = {
                k: [None, v] for k, v in snapshot(instance).items() if v not in (None, "", [])
            }
            return _write(
                actor=actor, instance=instance, action=AuditAction.CREATE, changes=changes
            )
        before_obj = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
        before = snapshot(before_obj)
        instance.save(update_fields=update_fields)
        after = snapshot(instance)
        changes = {k: [before[k], after[k]] for k in after if before.get(k) != after[k]}
        if not changes:
            return None
        return _write(actor=actor, instance=instance, action=AuditAction.CHANGE, changes=changes)


def record_event(
    *,
    actor: Any,
    partnership: Partnership,
    kind: str,
    action: AuditAction,
    label: str,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """An event that changes no record but belongs in the trail: who exported
    what, when. ``kind`` is a kind granted with ``audited=True``."""
    return AuditEntry.objects.create(
        partnership=partnership,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=_label_user(actor, partnership) if actor is not None else "system",
        action=action,
        kind=kind,
        object_id=partnership.slug,
        object_label=label[:200],
        changes={key: [None, value] for key, value in (details or {}).items()},
    )


def delete_audited(instance: models.Model, *, actor: Any) -> AuditEntry:
    with transaction.atomic():
        changes = {k: [v, None] for k, v in snapshot(instance).items() if v not in (None, "", [])}
        entry = _write(actor=actor, instance=instance, action=AuditAction.DELETE, changes=changes)
        instance.delete()
        return entry


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def relabel_for_reader(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Name each entry's record as the reader reads it, where the record
    still exists and its name is made of translated words ("Invitation as
    participant", a step's title): the stored label was written in the
    language of whoever acted. One query per such kind of record on the page.
    Call it before ``protection.mask_audit_entries``, which may then hide a
    name."""
    by_kind: dict[str, list[AuditEntry]] = {}
    for entry in entries:
        by_kind.setdefault(entry.kind, []).append(entry)
    for kind, group in by_kind.items():
        model = model_of_kind(kind)
        if model is None or not getattr(model, "audit_relabel", False):
            continue
        ids = {e.object_id for e in group if _is_uuid(e.object_id)}
        if not ids:
            continue
        query = model._default_manager.filter(public_id__in=ids)
        if any(f.name == "user" for f in model._meta.fields):
            query = query.select_related("user")
        live = {str(getattr(obj, "public_id", "")): str(obj)[:200] for obj in query}
        for entry in group:
            entry.object_label = live.get(entry.object_id, entry.object_label)
    return entries
