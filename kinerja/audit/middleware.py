from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .context import RequestOrigin, current_origin


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_origin.set(
            RequestOrigin(
                ip_address=request.META.get("REMOTE_ADDR") or None,
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
                path=request.path[:300],
            )
        )
        try:
            return self.get_response(request)
        finally:
            current_origin.reset(token)
