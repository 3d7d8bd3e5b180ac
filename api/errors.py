"""Every answer under ``/api/`` is JSON, whatever went wrong and in every mode.

Inside the Ninja API, ``install`` registers one handler per kind of failure:
a refusal of a service (400, or 409 when something still refers to what is
being deleted), a foreign or missing object (404), a forbidden action (403),
a body too large (413) or unreadable (400), and anything unexpected (500:
a short message, the traceback only in the server's log — also with DEBUG on,
where Ninja would otherwise send it to the client).

Outside it — a URL no operation answers, a failure in a middleware — the
``JsonErrorsMiddleware`` turns Django's HTML error pages for ``/api/`` paths
into the same JSON shape: ``{"detail": …}``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError

from api.schemas import TEXT_PATTERN
from partnerships import bounded_json, deletion
from partnerships.services import InUse, ServiceError

logger = logging.getLogger("hsbp.api")

API_PREFIX = "/api/"


def _detail(status: int) -> str:
    """The message for an error status that no operation explained."""
    if status == 401:
        return _("Authenticate with a personal API token.")
    if status == 403:
        return _("You may not do this.")
    if status == 404:
        return _("Not found.")
    if status == 405:
        return _("This method is not allowed here.")
    if status == 413:
        return _("The request is too large.")
    if status == 429:
        return _("Too many requests; wait a little.")
    if status >= 500:
        return _("Something went wrong on our side; it has been logged.")
    return _("The request cannot be answered.")


_ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}, "field": {"type": ["string", "null"]}},
    "required": ["detail"],
}
_INVALID = {
    "type": "object",
    "properties": {"detail": {"type": "array", "items": {"type": "object"}}},
    "required": ["detail"],
}
# What any operation may answer besides its own outcomes, as the handlers below say it.
COMMON_ANSWERS = {
    "400": ("The body is not readable JSON, or a service refused it (the field named).", _ERROR),
    "401": ("No valid personal API token.", _ERROR),
    "403": ("The permission table does not allow this to the caller.", _ERROR),
    "404": ("No such record in a partnership of the caller's.", _ERROR),
    "413": ("The request is too large.", _ERROR),
    "422": ("A parameter or a field of the body is not valid (each one is named).", _INVALID),
    "429": ("Too many requests; the Retry-After header says when to try again.", _ERROR),
}


class DocumentedErrorsApi(NinjaAPI):
    """A Ninja API whose schema lists, on every operation, the error answers
    every operation may give: clients (and schemathesis) can rely on it."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        _text_keys(schema)
        for path in schema["paths"].values():
            for operation in path.values():
                responses = operation.setdefault("responses", {})
                for status, (description, body) in COMMON_ANSWERS.items():
                    responses.setdefault(
                        status,
                        {
                            "description": description,
                            "content": {"application/json": {"schema": body}},
                        },
                    )
        return schema


def _text_keys(schema: Any) -> None:
    """Pydantic publishes an object whose keys are ``Text`` as
    ``patternProperties``, which lets keys that do not match through
    unchecked; the API refuses them, so say so: ``propertyNames``."""
    pending = [schema]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            keys = node.get("patternProperties")
            if isinstance(keys, dict) and list(keys) == [TEXT_PATTERN]:
                del node["patternProperties"]
                node["propertyNames"] = {"pattern": TEXT_PATTERN}
                node["additionalProperties"] = keys[TEXT_PATTERN]
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)


def install(api: NinjaAPI) -> None:
    """Register the API's error handlers (``api.v1`` calls it once)."""

    def answer(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(ServiceError)
    def service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
        return answer(request, 400, {"detail": exc.message, "field": exc.field})

    @api.exception_handler(InUse)
    def in_use(request: HttpRequest, exc: InUse) -> HttpResponse:
        return answer(request, 409, {"detail": exc.message, "field": exc.field})

    def referred_to(request: HttpRequest, exc: Any) -> HttpResponse:
        # The service should have said so first; if one did not, the database's
        # own refusal still names what refers to the record, never a 500.
        found = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", [])
        return answer(request, 409, {"detail": deletion.in_use_message(found or []), "field": None})

    api.add_exception_handler(ProtectedError, referred_to)
    api.add_exception_handler(RestrictedError, referred_to)

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return answer(request, 403, {"detail": _detail(403)})

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return answer(request, 404, {"detail": _detail(404)})

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return answer(request, 413, {"detail": _detail(413)})

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return answer(request, 401, {"detail": _detail(401)})

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # Ninja raises 400 "Cannot parse request body" for any unreadable body;
        # say why in the caller's language when we know it.
        cause = exc.__cause__
        if isinstance(cause, bounded_json.JsonTooDeep):
            detail = str(cause)
        elif exc.status_code == 400 and cause is not None:
            detail = _("The body is not readable JSON.")
        elif exc.status_code in (401, 403, 404, 405, 413, 429) or exc.status_code >= 500:
            detail = _detail(exc.status_code)  # Ninja's own words are English only
        else:
            detail = str(exc.message)
        return answer(request, exc.status_code, {"detail": detail})

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path)
        return answer(request, 500, {"detail": _detail(500)})


class JsonErrorsMiddleware:
    """Under ``/api/``, an error Django answered with an HTML page (a URL that
    names no operation, a failure outside the API's own handlers) becomes
    ``{"detail": …}`` JSON with the same status. Other paths are untouched."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            answer = JsonResponse(
                {"detail": _detail(response.status_code)}, status=response.status_code
            )
            for header in ("Allow", "Retry-After", "WWW-Authenticate"):
                if header in response:
                    answer[header] = response[header]
            return answer
        return response

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not request.path.startswith(API_PREFIX):
            return None
        if isinstance(exc, Http404):
            return JsonResponse({"detail": _detail(404)}, status=404)
        if isinstance(exc, PermissionDenied):
            return JsonResponse({"detail": _detail(403)}, status=403)
        logger.error("API error on %s %s", request.method, request.path, exc_info=exc)
        return JsonResponse({"detail": _detail(500)}, status=500)
