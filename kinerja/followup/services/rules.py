"""The agency's follow-up rules and allowance (TPP) factors, with the regulation's defaults."""

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.audit.services import audited, record
from kinerja.authz import require_admin, require_same_agency
from kinerja.org.models import Agency, User
from kinerja.rules import followup as rules
from kinerja.rules.predikat import PREDIKAT_ORDER, Predikat

from .. import selectors
from ..labels import PREDIKAT_LABELS, rule_label
from ..models import AllowanceFactor, FollowupRule, FollowupSettings, Outcome

DEFAULT_LEGAL_BASIS = {
    rules.Outcome.AWARD: "PermenPANRB 6/2022 Pasal 31",
    rules.Outcome.PROMOTION_PRIORITY: "PermenPANRB 6/2022 Pasal 31; syarat kenaikan pangkat",
    rules.Outcome.TRAINING_PRIORITY: "PermenPANRB 6/2022 Pasal 31",
    rules.Outcome.COACHING: "PermenPANRB 6/2022 Pasal 33",
    rules.Outcome.SANCTION_PROCESS: "PermenPANRB 6/2022 Pasal 33; PP 30/2019 Pasal 56-58",
}


def rule_defaults_ensure(*, agency: Agency, actor: User | None = None) -> FollowupSettings:
    """Create the agency's settings row and the regulation's default rules and allowance
    factors, once per agency."""
    settings, _created = FollowupSettings.objects.get_or_create(agency_id=agency.pk)
    if settings.defaults_created:
        return settings
    with transaction.atomic():
        FollowupRule.objects.bulk_create(
            [
                FollowupRule(
                    agency_id=agency.pk,
                    outcome=r.outcome.value,
                    years=r.years,
                    predikat=[p.value for p in PREDIKAT_ORDER if p in r.predikat],
                    consecutive=r.consecutive,
                    legal_basis=DEFAULT_LEGAL_BASIS[r.outcome],
                    order=i,
                )
                for i, r in enumerate(rules.DEFAULT_RULES)
            ]
        )
        existing = set(
            AllowanceFactor.objects.filter(agency=agency).values_list("predikat", flat=True)
        )
        AllowanceFactor.objects.bulk_create(
            [
                AllowanceFactor(agency_id=agency.pk, predikat=p.value, cut_percent=cut)
                for p, cut in rules.DEFAULT_CUTS.items()
                if p.value not in existing
            ]
        )
        settings.defaults_created = True
        settings.save(update_fields=["defaults_created"])
        record("followup.rules.defaults", actor=actor, agency=agency, target=settings)
    return settings


def _conflict_message(clash: rules.Conflict, labels: Mapping[int | None, str]) -> str:
    other = clash.second
    witness = ", ".join(f"{y}: {PREDIKAT_LABELS[p]}" for y, p in clash.witness)
    if clash.kind == "contradicts":
        text = _(
            'Aturan ini bertentangan dengan aturan "%(other)s": riwayat yang sama '
            "(mis. %(witness)s) akan menjadi kandidat penghargaan/prioritas sekaligus "
            "pembinaan/sanksi. Persempit predikatnya."
        )
    else:
        text = _(
            'Aturan ini tumpang tindih dengan aturan "%(other)s" untuk hasil yang sama: '
            "riwayat (mis. %(witness)s) cocok dengan keduanya. Gabungkan atau persempit "
            "salah satunya."
        )
    return text % {"other": labels.get(other.key, "?"), "witness": witness}


def _years(value: int | str) -> int:
    message = _("Jumlah tahun harus bilangan bulat 1 sampai 10.")
    try:
        years = int(value)
    except (TypeError, ValueError):
        raise ValidationError(message) from None
    if not 1 <= years <= 10:
        raise ValidationError(message)
    return years


def rule_save(
    *,
    actor: User,
    agency: Agency,
    outcome: str,
    years: int | str,
    predikat: Iterable[str],
    consecutive: bool = True,
    legal_basis: str = "",
    active: bool = True,
    rule: FollowupRule | None = None,
) -> FollowupRule:
    """Create or change a rule; refused when it contradicts or overlaps an active rule."""
    require_admin(actor, agency.pk)
    if outcome not in Outcome.values:
        raise ValidationError(_("Hasil aturan tidak dikenal."))
    years = _years(years)
    codes = [p for p in predikat if p]
    if not codes:
        raise ValidationError(_("Pilih minimal satu predikat."))
    if any(p not in PREDIKAT_LABELS for p in codes):
        raise ValidationError(_("Predikat tidak dikenal."))
    codes = [p.value for p in PREDIKAT_ORDER if p.value in codes]
    legal_basis = (legal_basis or "").strip()
    if outcome == Outcome.SANCTION_PROCESS and not legal_basis:
        raise ValidationError(_("Aturan proses sanksi wajib mencantumkan dasar hukum."))
    if rule is not None:
        require_same_agency(actor, rule)
    candidate = rules.Rule(
        rules.Outcome(outcome),
        years,
        frozenset(Predikat(p) for p in codes),
        bool(consecutive),
        key=rule.pk if rule is not None else None,
    )
    if active:
        others = list(selectors.rules_for(agency, active_only=True, exclude=rule))
        labels: dict[int | None, str] = {r.pk: rule_label(r) for r in others}
        clashes = rules.conflicts(candidate, [r.as_rule() for r in others])
        if clashes:
            raise ValidationError(_conflict_message(clashes[0], labels))
    with transaction.atomic():
        if rule is None:
            rule = FollowupRule(
                agency=agency, order=FollowupRule.objects.filter(agency=agency).count()
            )
        with audited(
            rule,
            "followup.rule.create" if rule.pk is None else "followup.rule.update",
            actor=actor,
            agency=agency,
        ):
            rule.outcome = outcome
            rule.years = years
            rule.predikat = codes
            rule.consecutive = bool(consecutive)
            rule.legal_basis = legal_basis
            rule.active = bool(active)
            rule.save()
    return rule


def _cut(code: str, value: object) -> Decimal:
    name = PREDIKAT_LABELS[code]
    try:
        number = Decimal(str(value).strip().replace(",", ".") or "0")
    except InvalidOperation:
        raise ValidationError(_("Potongan untuk %(p)s harus angka.") % {"p": name}) from None
    if not Decimal(0) <= number <= Decimal(100) or number != number.quantize(Decimal("0.01")):
        raise ValidationError(
            _("Potongan untuk %(p)s harus antara 0 dan 100 persen (dua desimal).") % {"p": name}
        )
    return number


def allowance_update(*, actor: User, agency: Agency, cuts: Mapping[str, object]) -> None:
    """Set the allowance cut (percent, 0-100) per predikat; `cuts` maps code -> value."""
    require_admin(actor, agency.pk)
    parsed = {}
    for code, value in cuts.items():
        if code not in PREDIKAT_LABELS:
            raise ValidationError(_("Predikat tidak dikenal."))
        parsed[code] = _cut(code, value)
    with transaction.atomic():
        current = {f.predikat: f for f in AllowanceFactor.objects.filter(agency=agency)}
        before = {code: str(f.cut_percent) for code, f in current.items()}
        for code, number in parsed.items():
            factor = current.get(code) or AllowanceFactor(agency=agency, predikat=code)
            factor.cut_percent = number
            factor.save()
        record(
            "followup.allowance.update",
            actor=actor,
            agency=agency,
            before=before,
            after={code: str(v) for code, v in parsed.items()},
        )
