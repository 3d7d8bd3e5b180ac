"""The base of every record that belongs to one partnership.

It lives apart from ``partnerships.models`` so that other model modules of this
room (``models_work``) can build on it without importing ``models``, which
imports them to make Django find them."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnershipOwnedQuerySet(models.QuerySet[Any]):
    def for_partnership(self, partnership: models.Model) -> PartnershipOwnedQuerySet:
        return self.filter(partnership=partnership)


class PartnershipOwned(models.Model):
    """Base of every record that belongs to one partnership."""

    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("partnership"),
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    objects = PartnershipOwnedQuerySet.as_manager()

    audit_fields: ClassVar[tuple[str, ...]] = ()
    # Fields whose values the audit trail must never copy (personal data).
    audit_redacted: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True
