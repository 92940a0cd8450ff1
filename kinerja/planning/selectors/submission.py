"""What keeps an SKP from being submitted: the checks behind skp_submit, shown
on the SKP page before the employee tries."""

from django.utils.translation import gettext as _

from kinerja.rules import planning as rules

from ..models import Iki, Rhk, Skp


def parent_problem(skp: Skp, parent: Rhk | None) -> str | None:
    """Why `parent` cannot be the superior RHK of an RHK in `skp` (None: it can).
    It must belong to the SKP of this SKP's rater, same year, still open."""
    if parent is None:
        return None
    if parent.agency_id != skp.agency_id:
        return _("RHK atasan berasal dari instansi lain.")
    parent_skp = parent.skp
    if parent_skp.year_id != skp.year_id:
        return _("RHK atasan berasal dari periode penilaian (tahun) lain.")
    if skp.rater_id is None or parent_skp.employee_id != skp.rater_id:
        return _("RHK atasan harus berasal dari SKP pejabat penilai Anda, bukan dari rantai lain.")
    if parent_skp.status == Skp.Status.DITUTUP:
        return _("RHK atasan berasal dari SKP yang sudah ditutup.")
    return None


def needs_link(skp: Skp, rhk: Rhk, position_kind: str | None) -> bool:
    """Must this RHK be linked upwards? A JPT's RHK utama to a sasaran strategis
    or the superior's RHK (the top of the tree has nothing to link to); anyone
    else's as the rules say (rules.link_required)."""
    if skp.is_jpt:
        return skp.rater_id is not None and rhk.kind == Rhk.Kind.UTAMA
    return rules.link_required(
        form=skp.form,
        position_kind=position_kind,
        has_rater=skp.rater_id is not None,
        source=rhk.source,
    )


def _link_problem(skp: Skp, rhk: Rhk, position_kind: str | None) -> str | None:
    """An RHK that must be linked (to a goal or the superior's RHK) and is not."""
    if rhk.parent_id is not None or not needs_link(skp, rhk, position_kind):
        return None
    label = rhk.text[:60]
    if skp.is_jpt:
        if rhk.org_goal_id is not None:
            return None
        return _(
            'RHK "%(rhk)s" harus diambil dari sasaran strategis organisasi atau RHK atasan.'
        ) % {"rhk": label}
    return _('RHK "%(rhk)s" harus dikaitkan dengan RHK atasan yang diintervensi.') % {"rhk": label}


def submit_problems(skp: Skp) -> list[str]:
    """Everything that keeps an SKP from being submitted (empty list: ready)."""
    problems = []
    rhks = list(
        skp.rhks.select_related("parent__skp").prefetch_related("ikis").order_by("kind", "order")
    )
    if not any(r.kind == Rhk.Kind.UTAMA for r in rhks):
        problems.append(_("SKP harus memiliki minimal satu RHK utama."))
    position_kind = skp.position.kind if skp.position is not None else None
    for rhk in rhks:
        label = rhk.text[:60]
        if not rhk.ikis.all():
            problems.append(_('RHK "%(rhk)s" belum memiliki IKI.') % {"rhk": label})
        link = _link_problem(skp, rhk, position_kind)
        if link:
            problems.append(link)
        parent = parent_problem(skp, rhk.parent)
        if parent:
            problems.append(f"{label}: {parent}")
    if skp.is_jpt:
        missing = rules.missing_perspektif(iki.perspektif for rhk in rhks for iki in rhk.ikis.all())
        if missing:
            names = dict(Iki.Perspektif.choices)
            problems.append(
                _("Perspektif belum tercakup: %(p)s.")
                % {"p": ", ".join(str(names[p]) for p in missing)}
            )
    return problems
