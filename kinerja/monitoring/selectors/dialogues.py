"""Performance dialogues and their agreed actions."""

import datetime as dt

from django.db.models import QuerySet

from kinerja.org.access import Access
from kinerja.org.models import Employee

from ..models import AgreedAction, Dialogue
from ._common import _attach, _today
from .access import dialogue_q


def dialogue_list(access: Access) -> list[Dialogue]:
    return list(
        Dialogue.objects.filter(dialogue_q(access))
        .select_related("superior")
        .prefetch_related("participants")
        .order_by("-scheduled_at", "-pk")[:100]
    )


def dialogue_queryset() -> QuerySet[Dialogue]:
    return Dialogue.objects.select_related("superior").prefetch_related("participants")


def is_participant(employee: Employee, dialogue: Dialogue) -> bool:
    return dialogue.participants.filter(pk=employee.pk).exists()


def dialogue_actions(dialogue: Dialogue, today: dt.date | None = None) -> list[AgreedAction]:
    """The dialogue's agreed actions with their owners, overdue ones marked."""
    today = _today(today)
    actions = list(dialogue.actions.select_related("owner"))
    for action in actions:
        _attach(action, is_overdue=action.done_at is None and action.due < today)
    return actions


def agreed_action_queryset() -> QuerySet[AgreedAction]:
    return AgreedAction.objects.select_related("dialogue", "owner")
