"""The record page names every tracked field in the reader's language: each
field listed in a model's ``audit_fields`` has a translatable verbose name,
and Spanish reads it in Spanish.

A room whose models still fail may be listed in ``ROOMS_BEING_FIXED``
(``xfail(strict=True)``), so the mark must go the day they are fixed."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.utils import translation
from django.utils.functional import Promise

from partnerships.kinds import kinded_models

# Words that are the same in Spanish on purpose (the glossary's "actor").
SAME_IN_SPANISH: set[str] = {"actor"}

# Rooms whose models still have untranslated audited fields, and why (none).
ROOMS_BEING_FIXED: dict[str, str] = {}


def _audited_models() -> list[type[Any]]:
    audited = {m for m in apps.get_models() if getattr(m, "audit_fields", ())}
    return sorted(audited | set(kinded_models()), key=lambda m: m._meta.label)


def _untranslated(model: type[Any]) -> list[str]:
    problems = []
    for name in getattr(model, "audit_fields", ()):
        field = model._meta.get_field(name)
        label = getattr(field, "verbose_name", None)
        if not isinstance(label, Promise):
            problems.append(f"{name}: verbose name {label!r} is not marked for translation")
            continue
        with translation.override("en"):
            english = str(label)
        with translation.override("es"):
            spanish = str(label)
        if spanish == english and english not in SAME_IN_SPANISH:
            problems.append(f"{name}: “{english}” has no Spanish translation")
    return problems


def _cases() -> list[Any]:
    by_app: dict[str, list[str]] = {}
    for model in _audited_models():
        by_app.setdefault(model._meta.app_label, []).append(model._meta.label)
    cases = []
    for app_label, labels in sorted(by_app.items()):
        marks = []
        if app_label in ROOMS_BEING_FIXED:
            marks.append(pytest.mark.xfail(strict=True, reason=ROOMS_BEING_FIXED[app_label]))
        cases.append(pytest.param(app_label, labels, marks=marks, id=app_label))
    return cases


@pytest.mark.parametrize(("app_label", "labels"), _cases())
def test_it_names_every_audited_field_in_spanish(app_label: str, labels: list[str]) -> None:
    problems = [
        f"{label}.{problem}" for label in labels for problem in _untranslated(apps.get_model(label))
    ]
    assert problems == []
