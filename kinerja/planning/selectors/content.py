"""An SKP as plain data: what is printed and what an approved version's hash
covers (kinerja.lib.hashing)."""

from collections.abc import Mapping
from typing import Any

from kinerja.lib.hashing import plain
from kinerja.org.models import Employee, OrgUnit, Position

from .. import berakhlak
from ..models import Iki, Rhk, Skp
from .skp import SKP_RELATED


def _person(
    employee: Employee | None, position: Position | None, unit: OrgUnit | None
) -> dict[str, str] | None:
    if employee is None:
        return None
    return {
        "name": employee.full_name,
        "nip": employee.nip,
        "pangkat": " / ".join(x for x in (employee.pangkat, employee.golongan) if x),
        "jabatan": position.name if position else "",
        "unit": unit.name if unit else "",
    }


def _manual(iki: Iki) -> dict[str, str] | None:
    if not hasattr(iki, "manual"):
        return None
    manual = iki.manual
    return {
        "definition": manual.definition,
        "formula": manual.formula,
        "unit": manual.unit,
        "data_source": manual.data_source,
        "reporting_period": manual.reporting_period,
    }


def _rhk(
    rhk: Rhk, aspects: Mapping[str, object], perspektifs: Mapping[str, object]
) -> dict[str, Any]:
    parent, goal = rhk.parent, rhk.org_goal
    return {
        "id": rhk.pk,
        "kind": rhk.kind,
        "text": rhk.text,
        "source": rhk.source,
        "assigned_by": rhk.assigned_by,
        "parent": parent.text if parent is not None else "",
        "parent_iki": [i.text for i in parent.ikis.all()] if parent is not None else [],
        "org_goal": goal.text if goal is not None else "",
        "iki": [
            {
                "text": i.text,
                "aspect": str(aspects.get(i.aspect, "")),
                "perspektif": str(perspektifs.get(i.perspektif, "")),
                "target": i.target_text,
                "target_min": i.target_min,
                "target_max": i.target_max,
                "unit": i.unit,
                "manual": _manual(i),
            }
            for i in rhk.ikis.all()
        ],
    }


def skp_content(skp: Skp) -> dict[str, Any]:
    """The SKP as plain data (JSON types): what is printed and what the hash covers."""
    skp = (
        Skp.objects.select_related("agency", *SKP_RELATED)
        .prefetch_related("expectations")
        .get(pk=skp.pk)
    )
    rhks = list(
        Rhk.objects.filter(skp=skp)
        .select_related("parent", "org_goal")
        .prefetch_related("ikis", "ikis__manual", "parent__ikis")
        .order_by("kind", "order", "pk")
    )
    expectations = {e.value: e.ekspektasi_khusus for e in skp.expectations.all()}
    aspects = dict(Iki.Aspect.choices)
    perspektifs = dict(Iki.Perspektif.choices)
    rater_position = skp.rater_position
    content = {
        "document": "SKP",
        "skp_id": skp.pk,
        "version": skp.version,
        "format": skp.format_code,
        "form": skp.form,
        "approach": skp.approach,
        "agency": skp.agency.name,
        "year": skp.year.year,
        "valid_from": skp.valid_from.isoformat(),
        "valid_until": (skp.valid_until or skp.year.end).isoformat(),
        "employee": _person(skp.employee, skp.position, skp.unit),
        "rater": _person(
            skp.rater, rater_position, rater_position.unit if rater_position else None
        ),
        "rhk": [_rhk(r, aspects, perspektifs) for r in rhks],
        "perilaku": [
            {
                "value": code,
                "name": name,
                "guides": list(guides),
                "ekspektasi_khusus": expectations.get(code, ""),
            }
            for code, name, guides in berakhlak.VALUES
        ],
        "lampiran": {
            "dukungan_sumber_daya": skp.dukungan_sumber_daya,
            "skema_pertanggungjawaban": skp.skema_pertanggungjawaban,
            "konsekuensi": skp.konsekuensi,
        },
    }
    # Plain JSON types only (Decimal -> str), so the stored snapshot and the
    # hash computed from it agree.
    return plain(content)
