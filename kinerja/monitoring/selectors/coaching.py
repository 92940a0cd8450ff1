"""Coaching, mentoring and counselling sessions."""

from django.db.models import QuerySet

from kinerja.org.access import Access
from kinerja.org.models import Employee

from ..models import CoachingSession
from .access import coaching_q


def coaching_list(access: Access) -> list[CoachingSession]:
    return list(
        CoachingSession.objects.filter(coaching_q(access))
        .select_related("employee", "coach")
        .order_by("-date", "-pk")[:100]
    )


def coaching_session_queryset() -> QuerySet[CoachingSession]:
    return CoachingSession.objects.select_related("employee", "coach")


def has_coaching(employee: Employee) -> bool:
    """Whether any coaching, mentoring or counselling was recorded for the employee."""
    return CoachingSession.objects.filter(employee=employee).exists()
