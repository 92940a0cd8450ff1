"""Who is looking, for the apps below the org chart (audit, jobs).

The org app decides what a user may see (`kinerja.org.access.Access`). The
lower apps need a little of that (the agency, whether the user is admin BKD)
but may not import org, which imports them. Org registers its resolver here at
start-up (`OrgConfig.ready`); audit and jobs ask `viewer(request)`.
"""

from collections.abc import Callable
from typing import Any, Protocol


class Viewer(Protocol):
    user: Any
    agency_id: int | None
    is_admin: bool


_resolver: Callable[[Any], Viewer] | None = None


def set_resolver(resolver: Callable[[Any], Viewer]) -> None:
    global _resolver
    _resolver = resolver


def viewer(request: Any) -> Viewer:
    if _resolver is None:
        raise RuntimeError("kinerja.org is not installed: nobody resolves the viewer")
    return _resolver(request)
