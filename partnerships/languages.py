"""Texts a partnership writes in its own languages: one mechanism for every room.

A title, a question, a statement, a goal… is stored as ``{language code: text}``.
Which languages it has is decided by the partnership's *working languages*
(``Partnership.languages``, the first one first), not by the languages the
product's pages speak: a partnership working in Spanish only writes Spanish
only, and one working in French writes French although the pages do not speak
it yet.

Writing
    ``text_fields`` gives a form one field per working language, named
    ``<prefix>_<code>``: the first language's field required, the others
    optional, each labelled in the reader's language ("Título (español)").
    ``texts_from`` reads them back and ``initial_texts`` fills them; a form
    that inherits ``TextsForm`` does all three in its working languages
    (``add_texts``, ``texts``, ``initial_texts_of``). Services
    check with ``require_first`` that the first working language is there
    (a ``ServiceError`` on that language's field), so the API and every other
    caller obey the same rule as the pages.

Reading
    ``in_language`` picks the reader's language, else the partnership's working
    languages in their order, else any language the text has — never English
    by default. It learns the working languages, in this order:

    1. ``languages=``, where the partnership is at hand (services, exports,
       the public pages, the portal's summaries);
    2. the request's *content languages*, set once per request by
       ``partnerships.permissions.partnership_view`` for every page inside a
       partnership (so ``{{ q.label }}`` and the models' ``label`` properties
       need no argument in templates); other code sets them with
       ``reading(partnership)``;
    3. otherwise none: the instance's default language (``LANGUAGE_CODE``,
       Spanish), then any language present.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.utils.translation import get_language, gettext, pgettext

from partnerships.errors import ServiceError

if TYPE_CHECKING:
    from partnerships.models import Partnership

MAX_TEXT = 5000
TEXTAREA = {"rows": 2}

_CONTENT: ContextVar[tuple[str, ...]] = ContextVar("hsbp_content_languages", default=())

# Languages whose own words for languages are capitalised ("Spanish", "Spanisch");
# elsewhere a language's name is a common noun, written in lower case ("español").
_CAPITALISED_NAMES = frozenset({"en", "de"})


def _base(code: str | None) -> str:
    return (code or "").split("-")[0].lower()


def default_language() -> str:
    """The instance's own language: what a partnership without working
    languages reads, and the last resort before "any language"."""
    return _base(settings.LANGUAGE_CODE) or "es"


def working_languages(partnership: Partnership | Sequence[str] | None) -> list[str]:
    """The partnership's working languages, first one first (never empty)."""
    if partnership is None:
        codes: Sequence[str] = ()
    elif isinstance(partnership, list | tuple):
        codes = partnership
    else:
        codes = getattr(partnership, "languages", None) or ()
    found = list(dict.fromkeys(_base(c) for c in codes if c))
    return found or [default_language()]


def first_language(partnership: Partnership | Sequence[str] | None) -> str:
    return working_languages(partnership)[0]


@contextmanager
def reading(partnership: Partnership | Sequence[str] | None) -> Iterator[None]:
    """Within this block, texts fall back to these working languages."""
    token = _CONTENT.set(tuple(working_languages(partnership)))
    try:
        yield
    finally:
        _CONTENT.reset(token)


def content_languages() -> tuple[str, ...]:
    """The working languages set for this request (empty outside one)."""
    return _CONTENT.get()


def in_language(
    texts: Mapping[str, str] | None,
    fallback: str = "",
    *,
    languages: Sequence[str] | None = None,
    reader: str | None = None,
) -> str:
    """A multilingual text in the reader's language (``reader``, else the
    active one), else the first of the working languages that has it, else the
    instance's language, else any language it has, else ``fallback``."""
    if not texts:
        return fallback
    order = [
        _base(reader or get_language()),
        *(languages if languages is not None else content_languages()),
        default_language(),
    ]
    for code in order:
        text = texts.get(code)
        if text:
            return text
    return next((text for text in texts.values() if text), fallback)


def language_name(code: str) -> str:
    """The name of a language in the reader's language ("español", "Spanish");
    an unknown code stays a code."""
    info = LANG_INFO.get(code) or LANG_INFO.get(_base(code))
    if not info or "name" not in info:
        return code
    name = gettext(info["name"])
    if _base(get_language()) not in _CAPITALISED_NAMES:
        name = name[:1].lower() + name[1:]
    return name


def field_label(label: Any, code: str) -> str:
    """A text field's label with its language: "Título (español)"."""
    return pgettext("a text field in one language", "%(field)s (%(language)s)") % {
        "field": label,
        "language": language_name(code),
    }


# --- Forms --------------------------------------------------------------------------


def text_fields(
    form: forms.BaseForm,
    prefix: str,
    label: Any,
    *,
    languages: Sequence[str],
    required: bool = True,
    area: bool = False,
    max_length: int = MAX_TEXT,
    widget_attrs: dict[str, Any] | None = None,
) -> None:
    """Add ``<prefix>_<code>`` for each working language: the first required
    (when ``required``), the others optional."""
    for index, code in enumerate(working_languages(list(languages))):
        attrs = {**(TEXTAREA if area else {}), **(widget_attrs or {}), "lang": code}
        widget = forms.Textarea(attrs=attrs) if area else forms.TextInput(attrs=attrs)
        form.fields[f"{prefix}_{code}"] = forms.CharField(
            label=field_label(label, code),
            required=required and index == 0,
            widget=widget,
            max_length=max_length,
        )


class TextsForm(forms.Form):
    """A form whose texts are written in the partnership's working languages:
    every room's forms of titles, questions, statements, goals… are these.
    ``languages``: the partnership, or its working languages.

    ``add_texts`` adds a text's fields (as ``text_fields``), ``texts`` reads
    one text back by language and ``texts_of`` several; ``initial_texts_of``
    fills them from a stored record."""

    def __init__(
        self, *args: Any, languages: Partnership | Sequence[str] | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.languages = working_languages(languages)

    def add_texts(self, prefix: str, label: Any, **options: Any) -> None:
        text_fields(self, prefix, label, languages=self.languages, **options)

    def texts(self, prefix: str) -> dict[str, str]:
        return texts_from(self.cleaned_data, prefix, self.languages)

    def texts_of(self, prefixes: Iterable[str]) -> dict[str, dict[str, str]]:
        return {prefix: self.texts(prefix) for prefix in prefixes}


def initial_texts_of(
    record: Any,
    fields: Mapping[str, str] | Iterable[str],
    languages: Partnership | Sequence[str] | None,
) -> dict[str, str]:
    """A record's stored texts as the initial values of a ``TextsForm``:
    ``fields`` names the form's prefixes, or maps each prefix to the record's
    attribute where the two differ (``{"help": "help_text"}``)."""
    pairs = fields.items() if isinstance(fields, Mapping) else ((f, f) for f in fields)
    codes = working_languages(languages)
    initial: dict[str, str] = {}
    for prefix, attribute in pairs:
        initial.update(initial_texts(prefix, getattr(record, attribute), codes))
    return initial


def texts_from(data: Mapping[str, Any], prefix: str, languages: Sequence[str]) -> dict[str, str]:
    """The texts typed in a form's fields, by language (empty ones included:
    ``clean_texts`` drops them)."""
    return {
        code: str(data.get(f"{prefix}_{code}") or "") for code in working_languages(list(languages))
    }


def initial_texts(
    prefix: str, texts: Mapping[str, str] | None, languages: Sequence[str]
) -> dict[str, str]:
    """A stored text as the initial values of its fields."""
    texts = texts or {}
    return {f"{prefix}_{code}": texts.get(code, "") for code in working_languages(list(languages))}


# --- Services -----------------------------------------------------------------------


def clean_texts(texts: Mapping[str, Any] | None) -> dict[str, str]:
    """A multilingual text without its empty languages, trimmed."""
    return {_base(str(k)): str(v).strip() for k, v in (texts or {}).items() if v and str(v).strip()}


def require_first(
    texts: Mapping[str, str],
    partnership: Partnership | Sequence[str] | None,
    *,
    prefix: str,
) -> None:
    """Refuse a text that lacks the partnership's first working language; the
    error names that language's field (``<prefix>_<code>``)."""
    first = first_language(partnership)
    if not (texts.get(first) or "").strip():
        raise ServiceError(
            gettext(
                "Write this text in %(language)s: it is the partnership's first working language."
            )
            % {"language": language_name(first)},
            field=f"{prefix}_{first}",
        )
