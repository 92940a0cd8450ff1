"""The person's home page: an inbox gathered from every stage, without org importing any.

Org is the earliest stage, so it cannot ask planning, monitoring, assessment, surveys or
follow-up what waits for someone. Instead each of them registers, in its
`AppConfig.ready`, functions that org calls when it renders the home page:

- `register_inbox_source(fn)`: `fn(access, today) -> list[InboxItem]`, what waits for the
  person in that stage, each with its deadline and the page where to act;
- `register_progress_source(fn)`: `fn(access, today) -> list[ProgressFact]`, where the
  person stands (their SKP's status, their latest predikat, ...);
- `register_home_panel(fn)`: `fn(access, today) -> HomePanel | None`, a block of the page
  rendered with the stage's own template (planning's calendar timeline).

Every function lives in its app's selectors and runs a FIXED number of queries, whatever
the size of the agency: a manager gets aggregate counts ("12 SKP menunggu persetujuan",
linking to the list), never one item per employee. `inbox_items` sorts the items most
urgent first: overdue, then due within `SOON_DAYS`, then the rest by deadline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: Urgency levels of an item, highest first.
OVERDUE = 3
SOON = 2
NORMAL = 1
INFO = 0
#: An item due within this many days counts as due soon.
SOON_DAYS = 7


def urgency_of(due: dt.date | None, today: dt.date, *, base: int = NORMAL) -> int:
    """Overdue (past its deadline), soon (within SOON_DAYS), else `base`."""
    if due is None:
        return base
    if due < today:
        return OVERDUE
    if (due - today).days <= SOON_DAYS:
        return max(SOON, base)
    return base


@dataclass(frozen=True)
class InboxItem:
    """One thing waiting for the person. `count` is set for an aggregate item (a list of
    many things behind one link)."""

    kind: str
    title: str
    url: str
    detail: str = ""
    due: dt.date | None = None
    urgency: int = NORMAL
    count: int | None = None

    @property
    def is_overdue(self) -> bool:
        return self.urgency == OVERDUE

    @property
    def is_soon(self) -> bool:
        return self.urgency == SOON


@dataclass(frozen=True)
class ProgressFact:
    """One line of "where I stand": a label, its value, and where to read more."""

    label: str
    value: str
    url: str = ""
    order: int = 50


@dataclass(frozen=True)
class HomePanel:
    """A block of the home page rendered with a stage's template and context."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


Source = Callable[[Any, dt.date], list[Any]]
PanelSource = Callable[[Any, dt.date], "HomePanel | None"]

_ITEM_SOURCES: list[Source] = []
_PROGRESS_SOURCES: list[Source] = []
_PANELS: list[PanelSource] = []


def _add(registry: list, fn: Callable) -> Callable:
    if fn not in registry:  # ready() may run twice (tests, autoreload)
        registry.append(fn)
    return fn


def register_inbox_source(fn: Source) -> Source:
    return _add(_ITEM_SOURCES, fn)


def register_progress_source(fn: Source) -> Source:
    return _add(_PROGRESS_SOURCES, fn)


def register_home_panel(fn: PanelSource) -> PanelSource:
    return _add(_PANELS, fn)


def sort_key(item: InboxItem) -> tuple:
    return (-item.urgency, item.due or dt.date.max, str(item.title))


def inbox_items(access: Any, today: dt.date) -> list[InboxItem]:
    """Everything waiting for the person, most urgent first."""
    if access.agency_id is None:
        return []
    items = [item for source in _ITEM_SOURCES for item in source(access, today)]
    return sorted(items, key=sort_key)


def progress_facts(access: Any, today: dt.date) -> list[ProgressFact]:
    if access.agency_id is None:
        return []
    facts = [fact for source in _PROGRESS_SOURCES for fact in source(access, today)]
    return sorted(facts, key=lambda f: f.order)


def home_panels(access: Any, today: dt.date) -> list[HomePanel]:
    if access.agency_id is None:
        return []
    panels = [panel for source in _PANELS if (panel := source(access, today)) is not None]
    return sorted(panels, key=lambda p: p.order)
