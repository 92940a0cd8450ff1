"""Page plumbing shared by every app's views (the API's is `kinerja.api`).

Refusals follow `kinerja.authz`: a 404 for what the user may not see, a 403 page
with the message for an action they may not take (Django renders the
`PermissionDenied` message with templates/403.html), and the service's message
on the page for a business rule.

`call_service` is the one way a page calls a service: the service gets the
user as `actor`; a `ValidationError` becomes messages on the page (or errors on
the form) and nothing else happens; a `PermissionDenied` goes on to the 403 page.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse


def show_error(
    request: HttpRequest, error: ValidationError, form: forms.Form | None = None
) -> None:
    """A service's refusal, next to the form when there is one, else as messages."""
    for message in error.messages:
        if form is not None:
            form.add_error(None, message)
        else:
            messages.error(request, message)


def call_service(
    request: HttpRequest,
    service: Callable[..., Any],
    /,
    *,
    form: forms.Form | None = None,
    success: str | None = None,
    **kwargs: Any,
) -> tuple[bool, Any]:
    """Call `service(actor=request.user, **kwargs)`. Returns (True, its result),
    with `success` shown as a message; or (False, None) after showing the
    service's refusal."""
    try:
        result = service(actor=request.user, **kwargs)
    except ValidationError as error:
        show_error(request, error, form)
        return False, None
    if success:
        messages.success(request, success)
    return True, result


def form_errors(request: HttpRequest, form: forms.Form) -> None:
    """A form's errors as page messages, for forms posted from a page that does
    not render the form itself (inline buttons, table rows)."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else None
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))


def with_object(
    fetch: Callable[[HttpRequest, Any], Any],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """The view receives the URL's object, fetched with `fetch(request, pk)`
    through the user's access, instead of its pk. Put it above `require_POST`:
    another agency's id is then a recorded 404 whatever the method."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, pk: Any, **kwargs: Any) -> HttpResponse:
            return view(request, fetch(request, pk), **kwargs)

        return wrapper

    return decorate
