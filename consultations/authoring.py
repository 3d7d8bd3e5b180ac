"""Keys and codes that nobody types.

A question's *key* is what the analysis adds answers up by, across versions,
and what a facilitated session's sheet and the exports name the question by;
an option's *code* is what an answer stores. Both are made here from the text
in the partnership's first working language ("¿De dónde viene el agua?" →
``de_donde_viene_el_agua``) and then never change: a question keeps its key
when its text is edited or copied into a new version, and an option keeps its
code when its label is, so answers already given keep their meaning.

A key is unique among *every* version of its questionnaire, not only the
current one: a question added after another was removed must not inherit the
removed one's answers. The analysis needs keys to be stable and unique, not
to be chosen by a person, so the builder has no key field at all; services
still take an explicit ``key`` (importers of XLSForm/Kobo forms keep their
field names, and the demo its readable keys).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext as _

from partnerships.errors import ServiceError
from partnerships.languages import clean_texts, first_language, in_language, language_name

KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
CODE_RE = re.compile(r"^[\w.-]{1,60}$")
KEY_LENGTH = 40  # readable as a column of a sheet; the longest allowed is 60
CODE_LENGTH = 40


def _slug(text: str, limit: int) -> str:
    """Lowercase ASCII words joined by underscores, cut at a word boundary."""
    words = [w for w in slugify(text).replace("-", "_").split("_") if w]
    slug = ""
    for word in words:
        candidate = f"{slug}_{word}" if slug else word
        if len(candidate) > limit:
            break
        slug = candidate
    if not slug and words:
        slug = words[0][:limit]
    return slug


def _unique(base: str, taken: Iterable[str], limit: int) -> str:
    used = set(taken)
    if base not in used:
        return base
    n = 2
    while True:
        suffix = f"_{n}"
        candidate = base[: limit - len(suffix)] + suffix
        if candidate not in used:
            return candidate
        n += 1


def question_key(texts: Mapping[str, str], languages: Sequence[str], taken: Iterable[str]) -> str:
    """A new question's key, from its text (in the first working language,
    else any), unique among ``taken``."""
    text = in_language(texts, reader=first_language(list(languages)), languages=languages)
    base = _slug(text, KEY_LENGTH)
    if not base or not base[0].isalpha():
        base = f"q_{base}" if base else "question"
    return _unique(base[:KEY_LENGTH], taken, KEY_LENGTH)


def check_key(key: str) -> str:
    key = str(key).strip()
    if not KEY_RE.match(key):
        raise ServiceError(
            _(
                "A key is 1 to 60 lowercase letters, digits and underscores, starting with a letter."
            ),
            field="key",
        )
    return key


def options_from_rows(
    rows: Sequence[Mapping[str, Any]], languages: Sequence[str]
) -> list[dict[str, Any]]:
    """Options as stored (``[{"code", "label": {language: text}}]``) from rows
    given with or without their code. A row without a code gets one made from
    its label; a row's code, once made, is kept. Every label is needed in the
    first working language."""
    first = first_language(list(languages))
    options: list[dict[str, Any]] = []
    for row in rows:
        labels = clean_texts(row.get("label") or {})
        code = str(row.get("code") or "").strip()
        if not labels and not code:
            continue  # an empty row
        if not labels.get(first):
            raise ServiceError(
                _("Give every option a label in %(language)s.")
                % {"language": language_name(first)},
                field="options",
            )
        if code and not CODE_RE.match(code):
            raise ServiceError(
                _("“%(code)s” is not a valid option code: letters, digits, _ . - only.")
                % {"code": code[:60]},
                field="options",
            )
        options.append({"code": code, "label": labels})
    taken = [o["code"] for o in options if o["code"]]
    if len(taken) != len(set(taken)):
        raise ServiceError(_("Two options have the same code."), field="options")
    for option in options:
        if not option["code"]:
            base = _slug(option["label"][first], CODE_LENGTH) or "option"
            option["code"] = _unique(base, taken, CODE_LENGTH)
            taken.append(option["code"])
    return options
