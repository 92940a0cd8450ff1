"""Evidence and daily logs."""

from django.db.models import Prefetch, QuerySet

from kinerja.org.models import Employee

from ..models import DailyLog, Evidence, Feedback


def evidence_queryset() -> QuerySet[Evidence]:
    return Evidence.objects.select_related("owner", "realisasi", "log")


def evidence_file_queryset() -> QuerySet[Evidence]:
    """Evidence stored as a file, with what its download records."""
    return Evidence.objects.select_related("owner", "agency").filter(kind=Evidence.Kind.FILE)


def daily_log_queryset() -> QuerySet[DailyLog]:
    return DailyLog.objects.all()


def daily_log_detail_queryset() -> QuerySet[DailyLog]:
    return DailyLog.objects.select_related("employee", "rhk").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.select_related("reviewed_by")),
        Prefetch("feedback", queryset=Feedback.objects.select_related("author")),
    )


def daily_logs_of(employee: Employee, limit: int = 60) -> list[DailyLog]:
    """The employee's latest logs with their evidence and feedback (three queries)."""
    return list(
        daily_log_detail_queryset().filter(employee=employee).order_by("-date", "-pk")[:limit]
    )
