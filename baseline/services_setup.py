"""Changing, reordering and removing the baseline's set-up: dimensions, age
bands and gender options (adding them is in ``baseline.services``).

Codes never change: threats, conditions, contributions and questions point
at a dimension, and consultation responses, respondent profiles and session
attendance keep the *code* of an age band or a gender option. So a rename is
always safe, and a removal is refused while anything uses the entry. Every
write is audited and atomic; a refusal is a ``ServiceError`` and nothing is
written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from baseline.models import (
    DEFAULT_AGE_BANDS,
    DEFAULT_DIMENSIONS,
    DEFAULT_GENDERS,
    AgeBand,
    Dimension,
    GenderOption,
)
from baseline.services import LANGUAGES, MAX_TEXT, check_band
from partnerships.audit import delete_audited, save_audited
from partnerships.errors import ServiceError
from partnerships.languages import require_first

DEFAULT_DIMENSION_CODES = frozenset(code for code, *_rest in DEFAULT_DIMENSIONS)
DEFAULT_AGE_BAND_CODES = frozenset(code for code, *_rest in DEFAULT_AGE_BANDS)
DEFAULT_GENDER_CODES = frozenset(code for code, _label in DEFAULT_GENDERS)
# No one must be made to state their gender: this option stays (it can be renamed).
KEPT_GENDER = "prefer_not_to_say"
MAX_NAME = 100
UP, DOWN = "up", "down"

Ordered = TypeVar("Ordered", Dimension, GenderOption)


# -- what the forms show -----------------------------------------------------------


def standard_texts(code: str) -> tuple[dict[str, str], dict[str, str]]:
    """A standard dimension's name and description in each language."""
    names: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    for dimension_code, name, text in DEFAULT_DIMENSIONS:
        if dimension_code == code:
            for language in LANGUAGES:
                with translation.override(language):
                    names[language], descriptions[language] = str(name), str(text)
    return names, descriptions


def dimension_texts(dimension: Dimension) -> tuple[dict[str, str], dict[str, str]]:
    """A dimension's names and descriptions per language, as a reader sees
    them: a standard dimension's own texts where it has them, else the
    standard ones."""
    if dimension.code not in DEFAULT_DIMENSION_CODES:
        return dict(dimension.names), dict(dimension.descriptions)
    names, descriptions = standard_texts(dimension.code)
    return {**names, **dimension.names}, {**descriptions, **dimension.descriptions}


def _labels(item: AgeBand | GenderOption) -> set[str]:
    """Its name in every language (a standard entry without a name of its own
    speaks the reader's language)."""
    labels = set()
    for language in LANGUAGES:
        with translation.override(language):
            labels.add(item.label)
    return labels


# -- checks ------------------------------------------------------------------------------


def _clean_texts(values: dict[str, str], limit: int, prefix: str) -> dict[str, str]:
    texts = {}
    for language in values:  # the working languages the form had fields for
        text = (values.get(language) or "").strip()
        if len(text) > limit:
            raise ServiceError(_("This text is too long."), field=f"{prefix}_{language}")
        if text:
            texts[language] = text
    return texts


def _clean_name(name: str | None) -> str:
    name = (name or "").strip()
    if len(name) > MAX_NAME:
        raise ServiceError(_("This text is too long."), field="name")
    return name


def _refuse_taken(
    item: models.Model,
    names: Iterable[str],
    others: Iterable[Any],
    texts_of: Callable[[Any], Iterable[str]],
    field: str,
) -> None:
    """The same rule as when adding: two entries may not share a name (as
    compared by their codes: case, accents and punctuation aside)."""
    wanted = {slugify(name) for name in names} - {""}
    taken: set[str] = set()
    for other in others:
        if other.pk != item.pk:
            taken.add(other.code)
            taken.update(slugify(text) for text in texts_of(other))
    if wanted & taken:
        raise ServiceError(_("There is already one with this name."), field=field)


def _in_use(kind: str, uses: list[str]) -> str:
    """The refusal to remove an entry that records use (one whole sentence
    per kind, for the translators)."""
    sentences = {
        "dimension": _(
            "This dimension cannot be removed while other records use it: %(uses)s. "
            "Change or remove those first."
        ),
        "age_band": _(
            "This age band cannot be removed while consultation records use it: %(uses)s. "
            "Rename it or change its ages instead."
        ),
        "gender": _(
            "This gender option cannot be removed while consultation records use it: "
            "%(uses)s. Rename it instead."
        ),
    }
    return sentences[kind] % {"uses": ", ".join(uses)}


def dimension_uses(dimension: Dimension) -> list[str]:
    """Every kind of record that points at this dimension, with how many
    ("threats (3)"). Found from the models, so a room added later that
    points at dimensions is counted too."""
    uses = []
    for relation in Dimension._meta.get_fields(include_hidden=True):
        if not isinstance(relation, models.ForeignObjectRel):
            continue
        model = relation.related_model
        if not isinstance(model, type) or model._meta.auto_created:
            continue  # the table between threats and their dimensions: counted as threats
        count = model._default_manager.filter(**{relation.field.name: dimension}).count()
        if count:
            uses.append(f"{model._meta.verbose_name_plural} ({count})")
    return uses


def why_dimension_stays(dimension: Dimension) -> str:
    """Why this dimension cannot be removed, or "" when it can."""
    if dimension.code in DEFAULT_DIMENSION_CODES:
        return _("The seven standard dimensions cannot be removed; they can be renamed.")
    uses = dimension_uses(dimension)
    return _in_use("dimension", uses) if uses else ""


# Which records keep a gender or age-band code ("responses (3)"): the rooms that
# store these codes (consultations) are above this one, so each registers a
# finder from its AppConfig.ready(), as rooms register progress checks with the
# stepper. A finder takes (partnership id, "gender" or "age_band", code).
CodeUseFinder = Callable[[int, str, str], list[str]]
_CODE_USE_FINDERS: list[CodeUseFinder] = []


def register_code_uses(finder: CodeUseFinder) -> None:
    if finder not in _CODE_USE_FINDERS:
        _CODE_USE_FINDERS.append(finder)


def code_uses(partnership_id: int, attribute: str, code: str) -> list[str]:
    """The records, in every room, that keep this gender or age-band code."""
    return [use for find in _CODE_USE_FINDERS for use in find(partnership_id, attribute, code)]


def why_age_band_stays(band: AgeBand) -> str:
    if AgeBand.objects.filter(partnership_id=band.partnership_id).count() <= 1:
        return _("Keep at least one age band: consultations ask for one.")
    uses = code_uses(band.partnership_id, "age_band", band.code)
    return _in_use("age_band", uses) if uses else ""


def why_gender_option_stays(option: GenderOption) -> str:
    if option.code == KEPT_GENDER:
        return _("“Prefer not to say” stays: no one must be made to state their gender.")
    if GenderOption.objects.filter(partnership_id=option.partnership_id).count() <= 1:
        return _("Keep at least one gender option: consultations ask for one.")
    uses = code_uses(option.partnership_id, "gender", option.code)
    return _in_use("gender", uses) if uses else ""


# -- dimensions ----------------------------------------------------------------------


@transaction.atomic
def update_dimension(
    *, by: Any, dimension: Dimension, names: dict[str, str], descriptions: dict[str, str]
) -> Dimension:
    """Rename or re-describe a dimension. A standard dimension keeps the
    standard text in a language left empty; when every text is the standard
    one it stores none, and speaks every reader's language again."""
    clean_names = _clean_texts(names, MAX_NAME, "name")
    clean_descriptions = _clean_texts(descriptions, MAX_TEXT, "description")
    if dimension.code in DEFAULT_DIMENSION_CODES:
        standard_names, standard_descriptions = standard_texts(dimension.code)
        clean_names = {**standard_names, **clean_names}
        clean_descriptions = {**standard_descriptions, **clean_descriptions}
        if clean_names == standard_names:
            clean_names = {}
        if clean_descriptions == standard_descriptions:
            clean_descriptions = {}
    else:
        require_first(clean_names, dimension.partnership, prefix="name")
    _refuse_taken(
        dimension,
        clean_names.values(),
        Dimension.objects.filter(partnership_id=dimension.partnership_id),
        lambda other: dimension_texts(other)[0].values(),
        "name_en",
    )
    dimension.names, dimension.descriptions = clean_names, clean_descriptions
    save_audited(dimension, actor=by)
    return dimension


@transaction.atomic
def delete_dimension(*, by: Any, dimension: Dimension) -> None:
    """Only a partnership's own dimension that nothing uses."""
    dimension = Dimension.objects.select_for_update().get(pk=dimension.pk)
    reason = why_dimension_stays(dimension)
    if reason:
        raise ServiceError(reason)
    try:
        delete_audited(dimension, actor=by)
    except ProtectedError:  # something started using it meanwhile
        raise ServiceError(_in_use("dimension", dimension_uses(dimension))) from None


def _move(items: list[Ordered], item: Ordered, direction: str, by: Any) -> None:
    """Swap the item with its neighbour, numbering the list 0, 1, 2… again."""
    if direction not in (UP, DOWN):
        raise ServiceError(_("Choose up or down."), field="direction")
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    swap = index - 1 if direction == UP else index + 1
    if not 0 <= swap < len(items):
        return  # already first or last
    items[index], items[swap] = items[swap], items[index]
    for position, other in enumerate(items):
        if other.position != position:
            other.position = position
            save_audited(other, actor=by)


@transaction.atomic
def move_dimension(*, by: Any, dimension: Dimension, direction: str) -> None:
    items = list(
        Dimension.objects.select_for_update()
        .filter(partnership_id=dimension.partnership_id)
        .order_by("position", "code")
    )
    _move(items, dimension, direction, by)


# -- age bands and gender options ---------------------------------------------------------


@transaction.atomic
def update_age_band(
    *, by: Any, band: AgeBand, name: str, min_age: int | None, max_age: int | None
) -> AgeBand:
    """The same rules as adding one. An empty name: a standard band's name in
    the reader's language, or the band's code."""
    check_band(min_age, max_age)
    name = _clean_name(name)
    _refuse_taken(
        band,
        [name],
        AgeBand.objects.filter(partnership_id=band.partnership_id),
        _labels,
        "name",
    )
    band.name, band.min_age, band.max_age = name, min_age, max_age
    save_audited(band, actor=by)
    return band


@transaction.atomic
def delete_age_band(*, by: Any, band: AgeBand) -> None:
    band = AgeBand.objects.select_for_update().get(pk=band.pk)
    reason = why_age_band_stays(band)
    if reason:
        raise ServiceError(reason)
    delete_audited(band, actor=by)


@transaction.atomic
def update_gender_option(*, by: Any, option: GenderOption, name: str) -> GenderOption:
    """An empty name is a standard option's name in the reader's language;
    an option of the partnership's own needs a name."""
    name = _clean_name(name)
    if not name and option.code not in DEFAULT_GENDER_CODES:
        raise ServiceError(_("Give it a name."), field="name")
    _refuse_taken(
        option,
        [name],
        GenderOption.objects.filter(partnership_id=option.partnership_id),
        _labels,
        "name",
    )
    option.name = name
    save_audited(option, actor=by)
    return option


@transaction.atomic
def delete_gender_option(*, by: Any, option: GenderOption) -> None:
    option = GenderOption.objects.select_for_update().get(pk=option.pk)
    reason = why_gender_option_stays(option)
    if reason:
        raise ServiceError(reason)
    delete_audited(option, actor=by)


@transaction.atomic
def move_gender_option(*, by: Any, option: GenderOption, direction: str) -> None:
    items = list(
        GenderOption.objects.select_for_update()
        .filter(partnership_id=option.partnership_id)
        .order_by("position", "code")
    )
    _move(items, option, direction, by)
