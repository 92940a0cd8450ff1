"""Checks shared by the monitoring services. A refused business rule is a
`ValidationError`; who may act is `kinerja.authz` and `require_rater` here."""

import datetime as dt
from typing import Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from kinerja.org.models import Employee, OrgUnit, User
from kinerja.planning.models import Period
from kinerja.planning.selectors.calendar import calendar_for

from ..selectors import is_rater, period_closed, period_for_date

TEXT_MAX = 5000


class AgencyRow(Protocol):
    @property
    def agency_id(self) -> int: ...


def clean_text(
    value: str | None, label: str, *, required: bool = True, limit: int = TEXT_MAX
) -> str:
    """The stripped text; refused when required and empty, or longer than `limit`."""
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(_("%(label)s wajib diisi.") % {"label": label})
    if len(value) > limit:
        raise ValidationError(
            _("%(label)s terlalu panjang (maksimal %(n)s karakter).") % {"label": label, "n": limit}
        )
    return value


def require_same_agency(actor: User, row: AgencyRow) -> None:
    """Pages and the API fetch rows through the user's access; this guards the
    services when called with a row of another agency all the same."""
    if actor.agency_id != row.agency_id:
        raise ValidationError(_("Data berasal dari instansi lain."))


def require_rater(me: Employee, employee: Employee, today: dt.date, message: str) -> None:
    """Only the employee's pejabat penilai may take this action."""
    if not is_rater(me, employee, today):
        raise PermissionDenied(message)


def require_period_open(period: Period, today: dt.date, unit: OrgUnit | None = None) -> None:
    """Realisasi of a period may change within its realisasi window of the calendar that
    applies to `unit` (by default from the period's first day to the end of its evaluation
    window; kinerja/planning/selectors/calendar.py), unless its year is closed."""
    realisasi = calendar_for(unit, period.year).period(period.pk).realisasi
    if period.year.status == "closed" or realisasi.has_closed(today):
        raise ValidationError(
            _("Periode %(p)s sudah ditutup (batas %(d)s); realisasi tidak dapat diubah.")
            % {"p": period.label, "d": realisasi.end.strftime("%d-%m-%Y")}
        )
    if today < realisasi.start:
        raise ValidationError(
            _("Periode %(p)s belum dibuka; realisasi dapat diisi mulai %(d)s.")
            % {"p": period.label, "d": realisasi.start.strftime("%d-%m-%Y")}
        )


def require_log_date_open(agency_id: int, date: dt.date, today: dt.date) -> Period:
    """The period of a daily log's date, which must not be in the future nor in
    a closed period."""
    if date > today:
        raise ValidationError(_("Tanggal catatan tidak boleh di masa depan."))
    period = period_for_date(agency_id, date)
    if period is None:
        raise ValidationError(
            _("Tanggal %(d)s di luar periode penilaian.") % {"d": f"{date:%d-%m-%Y}"}
        )
    if period_closed(period, today):
        raise ValidationError(
            _("Periode %(p)s sudah ditutup; catatan tanggal %(d)s tidak dapat diubah.")
            % {"p": period.label, "d": f"{date:%d-%m-%Y}"}
        )
    return period
