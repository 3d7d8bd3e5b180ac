"""How a record names itself: one ``label`` for pages, choices and the audit
trail, and ``str()`` the same, so no room writes ``__str__`` and ``label`` again.

- ``Labelled``: ``str()`` is the ``label`` the model defines.
- ``Titled``: a partnership's record titled in its working languages
  (questionnaires, conversations, goals); untitled, it shows its public id.
- ``Coded``: a partnership's list entry with a code and a name left blank for
  the defaults, which then speak the reader's language (age bands, genders,
  segments).

They are abstract models with no fields: inheriting one changes no table and
makes no migration. They live here, beside ``models.py`` rather than in it,
because they are about reading, not storing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.db import models

from partnerships.languages import in_language
from partnerships.models import PartnershipOwned


class Labelled(models.Model):
    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        raise NotImplementedError


class Titled(Labelled, PartnershipOwned):
    # The model's own ``title = models.JSONField(...)``, {language: text}: left
    # on each model, so reading one shows all its fields.
    title: Any

    class Meta:
        abstract = True

    @property
    def label(self) -> str:
        return in_language(self.title, fallback=str(self.public_id))


class Coded(Labelled, PartnershipOwned):
    # The model's own ``code`` and ``name`` fields, and the labels of the
    # codes it creates by default (lazy translations).
    code: Any
    name: Any
    default_labels: ClassVar[Mapping[str, Any]] = {}

    class Meta:
        abstract = True

    @property
    def label(self) -> str:
        return self.name or str(self.default_labels.get(self.code, self.code))
