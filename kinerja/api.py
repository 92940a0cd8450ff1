"""Shared API plumbing, for every app's api.py.

- `exception_handler`: the refusal rule of `kinerja.authz`, answered once for
  the whole API: a Django ValidationError raised by a service becomes a 400 with
  the service's (Indonesian) message, a PermissionDenied a 403 with its message,
  Http404 a 404; so viewsets just call services.
- `ScopedObjectMixin`: put it first in every viewset that has detail routes.
  `get_queryset()` must already be limited to what the user may see (through
  `kinerja.org.access.get_access(request)`); the mixin then fetches the object
  from that queryset only, and a miss (another agency's id, or one the user may
  not see) is recorded with `record_denied` and answered with 404, for every
  method (GET, PUT, PATCH, DELETE and custom detail actions alike).
  In a custom `@action(detail=True)`, call `self.get_object()` BEFORE validating
  the request body, so that a foreign id is a 404 and never a 400.
(POST /api/token/ and the person's tokens are in kinerja/org/tokens_api.py.)
"""

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, QuerySet
from django.http import Http404
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from kinerja.audit.services import record_denied


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    elif isinstance(exc, DjangoPermissionDenied) and exc.args:
        exc = exceptions.PermissionDenied(detail=str(exc))
    return drf_exception_handler(exc, context)


_VERBS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class ScopedObjectMixin:
    """`get_object()` through the scoped `get_queryset()`; a miss is recorded as
    a refused access and raised as 404 (never 403, which would confirm that the
    id exists). Detail routes only match digits, so "/api/units/abc/" is a plain 404."""

    lookup_value_regex = "[0-9]+"
    # Provided by the GenericAPIView this mixin is combined with.
    request: Request
    kwargs: dict[str, Any]
    action: str | None
    lookup_field: str
    lookup_url_kwarg: str | None

    if TYPE_CHECKING:

        def get_queryset(self) -> QuerySet[Any]: ...

        def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]: ...

        def check_object_permissions(self, request: Request, obj: Model) -> None: ...

    def denied_action(self) -> str:
        """Action name for the audit trail, e.g. "org.employee.view"."""
        verb = _VERBS.get(self.request.method) or self.action or "view"
        return f"{self.get_queryset().model._meta.label_lower}.{verb}"

    def get_object(self) -> Model:
        queryset = self.filter_queryset(self.get_queryset())
        lookup_url_kwarg = self.lookup_url_kwarg or self.lookup_field
        value = self.kwargs[lookup_url_kwarg]
        try:
            obj = queryset.filter(**{self.lookup_field: value}).first()
        except (TypeError, ValueError, DjangoValidationError):
            obj = None
        if obj is None:
            record_denied(
                self.denied_action(),
                actor=self.request.user,
                target_type=queryset.model._meta.label_lower,
                target_id=value,
            )
            raise Http404
        self.check_object_permissions(self.request, obj)
        return obj


# --- The uniform error responses, documented once for every operation ---------------------

ERROR_SCHEMAS: dict[str, dict[str, Any]] = {
    "Error": {
        "type": "object",
        "description": "A refusal with its message (403, 404, 405, 415, 429...).",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "ValidationError": {
        "description": (
            "Input refused (400): each field with its messages; `detail` or "
            "`non_field_errors` for the input as a whole (a business rule's message); "
            "nested objects and lists give their own fields' messages."
        ),
        "anyOf": [
            {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Messages"}},
            {"type": "array", "items": {"type": "string"}},
        ],
    },
    "Messages": {
        "anyOf": [
            {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "object"}]}},
            {"type": "object"},
            {"type": "string"},
        ]
    },
}

_ERRORS = {
    "400": ("ValidationError", "Masukan ditolak: pesan per kolom, atau aturan yang dilanggar."),
    "401": ("Error", "Token tidak valid, dicabut atau kedaluwarsa."),
    "403": ("Error", "Belum masuk, atau tindakan yang tidak boleh Anda lakukan (dengan pesan)."),
    "404": ("Error", "Tidak ditemukan, atau di luar yang boleh Anda lihat."),
    "405": ("Error", "Metode tidak diizinkan."),
    "415": ("Error", "Jenis isi permintaan tidak didukung."),
    "429": ("Error", "Terlalu banyak permintaan; coba lagi nanti."),
}


def _error_codes(operation: dict[str, Any], view: Any) -> list[str]:
    codes = ["403", "404", "405"]
    if operation.get("parameters") or operation.get("requestBody"):
        codes.append("400")
    if operation.get("requestBody"):
        codes.append("415")
    authenticators = getattr(view, "authentication_classes", [])
    if authenticators and authenticators[0]().authenticate_header(None):
        codes.append("401")  # sent only when the first authenticator names a challenge
    if getattr(view, "throttle_classes", None):
        codes.append("429")
    return codes


def document_error_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS): every operation
    documents the refusals `exception_handler` answers with, and their bodies
    (`Error`: `{"detail": "..."}`, `ValidationError`: the fields' messages), so a
    client (and schemathesis) knows every status code the API may send. A response
    an operation documents itself is kept; one without a body gets the error body."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(ERROR_SCHEMAS)
    views = {
        (path, method.lower()): view
        for path, _regex, method, view in generator._get_paths_and_endpoints()
    }
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            view = views.get((path, method))
            responses = operation["responses"]
            for code in _error_codes(operation, view):
                component, description = _ERRORS[code]
                content = {
                    "application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}
                }
                documented = responses.setdefault(code, {"description": description})
                documented.setdefault("content", content)
    return result
