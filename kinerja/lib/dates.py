"""One date format for the interface (issue 12).

``tanggal(d)`` is "2 Desember 2026" in Indonesian and "2 December 2026" in
English (the active language); ``tanggal(d, "pendek")`` is "02-12-2026" for
dense tables. Add ``jam`` for the time ("2 Desember 2026 14:05"), ``id`` to
force Indonesian (official PDF forms are Indonesian whatever the reader's
language). Accepts dates, datetimes (aware ones shown in local time) and ISO
strings (document snapshots store dates as text); anything else is returned
as it came, and empty values become "".
"""

from datetime import date, datetime
from typing import Any

from django.utils import timezone, translation

from kinerja.rules.planning import MONTHS as INDONESIAN_MONTHS

MONTHS = {
    "id": INDONESIAN_MONTHS,
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


def _coerce(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return (
                datetime.fromisoformat(text)
                if "T" in text or " " in text
                else date.fromisoformat(text)
            )
        except ValueError:
            return value
    return value


def tanggal(value: Any, style: str = "") -> Any:
    value = _coerce(value)
    if value is None or value == "":
        return ""
    if not isinstance(value, date):
        return value
    options = {part.strip() for part in str(style or "").split(",") if part.strip()}
    has_time = isinstance(value, datetime)
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if "pendek" in options:
        text = f"{value.day:02d}-{value.month:02d}-{value.year}"
    else:
        lang = "id" if "id" in options else (translation.get_language() or "id")[:2]
        months = MONTHS.get(lang, MONTHS["id"])
        text = f"{value.day} {months[value.month - 1]} {value.year}"
    if has_time and "jam" in options:
        text += f" {value.hour:02d}:{value.minute:02d}"
    return text
