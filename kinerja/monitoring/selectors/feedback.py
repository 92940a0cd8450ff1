"""Feedback threads, requests for feedback and the feedback page."""

from collections import defaultdict
from typing import TypedDict

from django.db.models import QuerySet

from kinerja.org.models import Employee

from ..models import Feedback, FeedbackRequest
from ._common import _attach


def thread(feedbacks: list[Feedback]) -> list[Feedback]:
    """Top-level feedback with `children` (replies in order)."""
    by_parent: dict[int | None, list[Feedback]] = defaultdict(list)
    for fb in feedbacks:
        by_parent[fb.parent_id].append(fb)
    for fb in feedbacks:
        _attach(fb, children=by_parent.get(fb.pk, []))
    return by_parent.get(None, [])


def feedback_queryset() -> QuerySet[Feedback]:
    return Feedback.objects.select_related("employee")


def feedback_request_for(me: Employee, pk: int) -> FeedbackRequest | None:
    """A request for feedback addressed to `me`."""
    return FeedbackRequest.objects.filter(agency_id=me.agency_id, pk=pk, asked=me).first()


class FeedbackOverview(TypedDict):
    thread: list[Feedback]
    given: list[Feedback]
    requests: list[FeedbackRequest]


def feedback_overview(me: Employee) -> FeedbackOverview:
    """The feedback page: the threads about `me` (newest first), what they gave,
    and what they were asked for (three queries). Whom to ask is chosen with a
    picker (org/_picker.html), never from a list of the whole agency."""
    about_me = list(
        Feedback.objects.filter(employee=me)
        .select_related("author", "rhk", "log", "realisasi__iki")
        .order_by("created_at", "pk")
    )
    return {
        "thread": list(reversed(thread(about_me))),
        "given": list(
            Feedback.objects.filter(author=me, parent__isnull=True)
            .select_related("employee")
            .order_by("-created_at", "-pk")[:30]
        ),
        "requests": list(
            FeedbackRequest.objects.filter(asked=me, answered_at=None).select_related("employee")
        ),
    }
