"""The one kind of refusal every workflow raises.

A service that refuses raises ``ServiceError`` with a message for the person
who asked, in their language, and the form field it concerns when there is
one. Pages put it back on the form (``partnerships.form_view``), the API
answers it as JSON. It lives beneath everything that raises it — the services,
``languages.require_first`` — so that none of them imports another to refuse.
"""

from __future__ import annotations


class ServiceError(Exception):
    """A refusal with a message for the person who asked, in their language."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
