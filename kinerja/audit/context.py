"""Where the current request's origin is kept, so services can log it without
having the request passed through every call."""

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestOrigin:
    ip_address: str | None = None
    user_agent: str = ""
    path: str = ""


current_origin: contextvars.ContextVar[RequestOrigin] = contextvars.ContextVar(
    "kinerja_request_origin",
    default=RequestOrigin(),  # noqa: B039 - frozen, immutable
)
