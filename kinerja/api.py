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
