"""Indikator kinerja individu (IKI) of an RHK, with their targets, and the
manual IKI (format A.1.3) that explains one.

The target is entered once: a number with its unit, a range with its unit, or
a qualitative description. The shown text (`target_text`) is derived from the
numbers and the unit when there are numbers (kinerja.rules.planning.target_label),
so the unit is never written twice."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.audit.services import audited, record, snapshot
from kinerja.org.models import User
from kinerja.rules import planning as rules

from ..models import Iki, ManualIki, Rhk, Skp
from ._shared import check_editable, next_order

# What a caller may set on an IKI (iki_add's keywords, iki_update's fields).
IKI_FIELDS = (
    "text",
    "target_text",
    "aspect",
    "perspektif",
    "target_min",
    "target_max",
    "unit",
    "lower_is_better",
)


def _validate_fields(
    skp: Skp,
    *,
    text: str | None,
    target_text: str | None,
    aspect: str | None,
    perspektif: str | None,
    target_min: Decimal | None,
    target_max: Decimal | None,
    unit: str | None,
) -> None:
    if not (text or "").strip():
        raise ValidationError(_("Indikator kinerja individu wajib diisi."))
    if target_min is None and target_max is None and not (target_text or "").strip():
        raise ValidationError(
            _(
                "Target wajib diisi: angka dengan satuan, rentang angka dengan satuan, "
                "atau uraian kualitatif."
            )
        )
    if skp.is_jpt:
        if perspektif not in Iki.Perspektif.values:
            raise ValidationError(
                _(
                    "IKI JPT harus memilih perspektif (penerima layanan, proses bisnis, "
                    "penguatan internal, atau anggaran)."
                )
            )
        if aspect:
            raise ValidationError(_("IKI JPT memakai perspektif, bukan aspek."))
    else:
        if perspektif:
            raise ValidationError(_("Perspektif hanya untuk SKP JPT."))
        if skp.approach == rules.KUANTITATIF and aspect not in Iki.Aspect.values:
            raise ValidationError(_("Pilih aspek IKI: kuantitas, kualitas, waktu, atau biaya."))
        if aspect and aspect not in Iki.Aspect.values:
            raise ValidationError(_("Aspek IKI tidak dikenal."))
    if target_min is not None and target_max is not None and target_min > target_max:
        raise ValidationError(_("Batas bawah target tidak boleh lebih besar dari batas atas."))
    if (target_min is not None or target_max is not None) and not (unit or "").strip():
        raise ValidationError(_("Satuan wajib diisi untuk target berupa angka atau rentang."))


def _bounds(
    target_min: Decimal | None, target_max: Decimal | None
) -> tuple[Decimal | None, Decimal | None]:
    """One number is stored as both bounds (the target is that number)."""
    target_min = None if target_min is None else Decimal(str(target_min))
    target_max = None if target_max is None else Decimal(str(target_max))
    if target_min is None:
        return target_max, target_max
    if target_max is None:
        return target_min, target_min
    return target_min, target_max


@transaction.atomic
def iki_add(
    *,
    actor: User,
    rhk: Rhk,
    text: str,
    target_text: str = "",
    aspect: str = "",
    perspektif: str = "",
    target_min: Decimal | None = None,
    target_max: Decimal | None = None,
    unit: str = "",
    lower_is_better: bool = False,
) -> Iki:
    """Adds an IKI. `iki.warnings` lists absolute words found in the target
    (a warning, not an error)."""
    skp = rhk.skp
    check_editable(actor, skp)
    _validate_fields(
        skp,
        text=text,
        target_text=target_text,
        aspect=aspect,
        perspektif=perspektif,
        target_min=target_min,
        target_max=target_max,
        unit=unit,
    )
    target_min, target_max = _bounds(target_min, target_max)
    target_text = rules.target_label(
        text=target_text, minimum=target_min, maximum=target_max, unit=unit
    )
    iki = Iki.objects.create(
        agency_id=skp.agency_id,
        rhk=rhk,
        text=text.strip(),
        aspect=aspect or "",
        perspektif=perspektif or "",
        target_text=target_text,
        target_min=target_min,
        target_max=target_max,
        unit=" ".join((unit or "").split()),
        lower_is_better=lower_is_better,
        order=next_order(rhk.ikis.all()),
    )
    iki.warnings = rules.absolute_words(f"{text} {target_text}")
    record("planning.iki.add", actor=actor, target=iki, subject=skp.employee, after=snapshot(iki))
    return iki


@transaction.atomic
def iki_update(*, actor: User, iki: Iki, **fields: str | Decimal | bool | None) -> Iki:
    """Changes the given IKI_FIELDS; the others stay."""
    skp = iki.rhk.skp
    check_editable(actor, skp)
    unknown = set(fields) - set(IKI_FIELDS)
    if unknown:
        raise ValidationError(_("Kolom tidak dikenal: %(f)s") % {"f": ", ".join(sorted(unknown))})
    merged = {f: fields.get(f, getattr(iki, f)) for f in IKI_FIELDS}
    _validate_fields(
        skp,
        text=merged["text"],
        target_text=merged["target_text"],
        aspect=merged["aspect"],
        perspektif=merged["perspektif"],
        target_min=merged["target_min"],
        target_max=merged["target_max"],
        unit=merged["unit"],
    )
    merged["target_min"], merged["target_max"] = _bounds(merged["target_min"], merged["target_max"])
    merged["unit"] = " ".join(str(merged["unit"] or "").split())
    merged["target_text"] = rules.target_label(
        text=str(merged["target_text"] or ""),
        minimum=merged["target_min"],
        maximum=merged["target_max"],
        unit=merged["unit"],
    )
    with audited(iki, "planning.iki.update", actor=actor, subject=skp.employee):
        for name, value in merged.items():
            # None is stored empty, except for the bounds of the target.
            setattr(iki, name, value if value is not None or name.startswith("target_m") else "")
        iki.save()
    iki.warnings = rules.absolute_words(f"{iki.text} {iki.target_text}")
    return iki


@transaction.atomic
def iki_delete(*, actor: User, iki: Iki) -> None:
    skp = iki.rhk.skp
    check_editable(actor, skp)
    record(
        "planning.iki.delete", actor=actor, target=iki, subject=skp.employee, before=snapshot(iki)
    )
    iki.delete()


@transaction.atomic
def iki_manual_set(
    *,
    actor: User,
    iki: Iki,
    definition: str,
    formula: str = "",
    unit: str = "",
    data_source: str = "",
    reporting_period: str = "",
) -> ManualIki:
    skp = iki.rhk.skp
    check_editable(actor, skp)
    if not (definition or "").strip():
        raise ValidationError(_("Definisi manual IKI wajib diisi."))
    manual, _created = ManualIki.objects.update_or_create(
        iki=iki,
        defaults={
            "agency_id": skp.agency_id,
            "definition": definition.strip(),
            "formula": formula,
            "unit": unit,
            "data_source": data_source,
            "reporting_period": reporting_period,
        },
    )
    record(
        "planning.iki.manual",
        actor=actor,
        target=manual,
        subject=skp.employee,
        after=snapshot(manual),
    )
    return manual
