"""Project reports on a finished team RHK: each member's achievements and
challenges (docs/domain.md §3)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.audit.services import audited
from kinerja.authz import require_employee
from kinerja.org.models import User
from kinerja.planning.models import Rhk

from ..models import ProjectReport
from ..selectors import is_team_member, project_report_of
from ._checks import clean_text, require_same_agency


@transaction.atomic
def project_report_save(
    *, actor: User, rhk: Rhk, achievements: str, challenges: str
) -> ProjectReport:
    """A member's report on a finished team RHK: on their own RHK or on the
    superior's RHK that their RHK intervenes in. One report per member."""
    me = require_employee(actor)
    require_same_agency(actor, rhk)
    if not is_team_member(me, rhk):
        raise PermissionDenied(_("Anda bukan anggota tim RHK ini."))
    achievements = clean_text(achievements, _("Capaian"))
    challenges = clean_text(challenges, _("Tantangan"))
    report = project_report_of(rhk, me) or ProjectReport(
        agency_id=rhk.agency_id, rhk=rhk, author=me
    )
    with audited(
        report,
        "monitoring.report.save",
        actor=actor,
        fields=["achievements", "challenges"],
        subject=me,
    ):
        report.achievements = achievements
        report.challenges = challenges
        report.save()
    return report
