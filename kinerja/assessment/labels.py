"""Words and pictures for the assessment pages and messages: the reasons behind
a proposal, what an employee may see of their evaluation, the quotas a
calibration breaks, the distribution chart (inline SVG, no JavaScript library).
No queries here."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kinerja.rules import distribution
from kinerja.rules.predikat import PREDIKAT_ORDER

from .models import Evaluation, OrgGradeChoice, PredikatChoice, RatingChoice
from .selectors.predikat import current_predikat, predikat_label


def _texts():
    return {
        "majority_above": _(
            "Lebih dari separuh RHK (%(above)s dari %(total)s) di atas ekspektasi."
        ),
        "above_not_majority": _(
            "Tidak lebih dari separuh RHK di atas ekspektasi (%(above)s dari %(total)s)."
        ),
        "no_utama_below": _("Tidak ada RHK utama di bawah ekspektasi."),
        "utama_below": _(
            "%(utama_below)s RHK utama di bawah ekspektasi, sehingga tidak dapat Di Atas "
            "Ekspektasi."
        ),
        "majority_at_least_meets": _(
            "Lebih dari separuh RHK (%(at_least)s dari %(total)s) minimal sesuai ekspektasi."
        ),
        "at_least_meets_not_majority": _(
            "Tidak lebih dari separuh RHK minimal sesuai ekspektasi (%(at_least)s dari %(total)s)."
        ),
        "utama_below_within_small_part": _(
            "RHK utama di bawah ekspektasi (%(utama_below)s dari %(utama_total)s) masih "
            "sebagian kecil."
        ),
        "utama_below_over_small_part": _(
            "RHK utama di bawah ekspektasi (%(utama_below)s dari %(utama_total)s) melebihi "
            "sebagian kecil."
        ),
        "majority_below": _(
            "Lebih dari separuh RHK (%(below)s dari %(total)s) di bawah ekspektasi."
        ),
        "below_not_majority": _(
            "Pedoman tidak menentukan kasus ini (RHK di bawah ekspektasi bukan mayoritas); "
            "pejabat penilai memutuskan."
        ),
        "no_utama": _("SKP tidak memiliki RHK utama."),
        "unit_head": _(
            "Pegawai memimpin unit kerja: rating hasil kerja mengikuti predikat kinerja "
            "organisasi unitnya (%(grade)s)."
        ),
        "last_period": _("Hasil periode terakhir menjadi hasil tahunan."),
    }


def reason_texts(codes, counts):
    counts = dict(counts or {})
    counts.setdefault("at_least", counts.get("above", 0) + counts.get("meets", 0))
    if "grade" in counts:
        counts["grade"] = OrgGradeChoice(counts["grade"]).label
    texts = _texts()
    out = []
    for code in codes or []:
        text = texts.get(code, code)
        try:
            out.append(text % counts)
        except (KeyError, TypeError):
            out.append(text.split(" (")[0].rstrip(".") + ".")
    return out


def evaluation_view(evaluation, settings, *, for_employee, appeal_blocked=""):
    """What the employee's page shows for one evaluation (prefetched rows only:
    no query here); `appeal_blocked` is selectors.appeal_blocked_reason's answer."""
    rows = list(evaluation.rhk_rows.all())
    codes = evaluation.hasil_reasons or []
    counts = {}
    if rows and all(r.rating for r in rows):
        total = len(rows)
        above = sum(r.rating == "di_atas" for r in rows)
        meets = sum(r.rating == "sesuai" for r in rows)
        utama = [r for r in rows if r.rhk.kind == "utama"]
        counts = {
            "total": total,
            "above": above,
            "meets": meets,
            "below": total - above - meets,
            "utama_total": len(utama),
            "utama_below": sum(r.rating == "di_bawah" for r in utama),
        }
    if "unit_head" in codes:
        counts["grade"] = evaluation.org_grade or "baik"
    peers = list(evaluation.peers.all())
    visible_final = evaluation.published or not for_employee
    return {
        "rows": rows,
        "behaviour": list(evaluation.behaviour_rows.all()),
        "reasons": reason_texts(codes, counts),
        "peers": [
            {
                "name": p.peer.full_name if (settings and settings.peer_names_visible) else "",
                "ratings": p.ratings,
                "comment": p.comment,
            }
            for p in peers
            if p.submitted_at
        ],
        "changes": list(evaluation.calibration_changes.all()),
        "appeal": evaluation.appeal_obj,
        "show_ratings": evaluation.is_locked,
        "predikat": (
            predikat_label(current_predikat(evaluation))
            if visible_final and evaluation.predikat_final
            else ""
        ),
        "awaiting_calibration": evaluation.is_locked and evaluation.is_annual and not visible_final,
        "appeal_blocked": appeal_blocked if for_employee else "",
        "differs": evaluation.hasil_proposed and evaluation.hasil != evaluation.hasil_proposed,
        "proposed": RatingChoice(evaluation.hasil_proposed).label
        if evaluation.hasil_proposed
        else "",
    }


def predikat_names(predikat):
    """The labels of a set of predikat codes, best first."""
    chosen = set(predikat)
    return ", ".join(str(PredikatChoice(p.value).label) for p in PREDIKAT_ORDER if p in chosen)


def evaluation_label(evaluation: Evaluation) -> str:
    """ "Triwulan I 2026" or "tahunan 2026", in messages about an evaluation."""
    if evaluation.period is not None:
        return f"{evaluation.period.label} {evaluation.year.year}"
    return _("tahunan %(y)s") % {"y": evaluation.year.year}


def violation_text(violation: distribution.Violation) -> str:
    """One broken quota of a calibration, as the page and the refusal say it."""
    names = ", ".join(str(PredikatChoice(p).label) for p in sorted(violation.rule.predikat))
    if violation.kind == distribution.ViolationKind.OVER_MAX:
        return _("%(p)s: %(c)s pegawai, paling banyak %(m)s.") % {
            "p": names,
            "c": violation.count,
            "m": violation.allowed_max,
        }
    if violation.kind == distribution.ViolationKind.MISSING_ONE:
        return _("%(p)s: paling sedikit satu pegawai, saat ini tidak ada.") % {"p": names}
    return _("%(p)s: %(c)s pegawai, paling sedikit %(m)s.") % {
        "p": names,
        "c": violation.count,
        "m": violation.allowed_min,
    }


def _band_text(low, high):
    if low is not None and high is not None:
        return _("diizinkan %(a)s–%(b)s") % {"a": low, "b": high}
    if high is not None:
        return _("paling banyak %(b)s") % {"b": high}
    if low is not None:
        return _("paling sedikit %(a)s") % {"a": low}
    return _("tanpa batas")


def chart(state, width=340, bar_h=18, row_h=68, left=4):
    """Bars of the proposed (current) count per predikat with the allowed band
    drawn behind them: data for an inline SVG in the template. Each predikat
    takes a row: its full name and count on a line of their own above the bar,
    the allowed band (its own, and any shared with other predikat) below it,
    so nothing is cut or overlaps at a phone's width (the drawing is 340 units
    wide: close to 1:1 on a 360 px screen)."""
    n = max(state.n, 1)
    plot = width - 2 * left
    bars = []
    for i, bar in enumerate(state.bars):
        y = i * row_h
        low = bar["min"] if bar["min"] is not None else 0
        high = bar["max"] if bar["max"] is not None else n
        over = bar["max"] is not None and bar["count"] > bar["max"]
        under = bar["min"] is not None and bar["count"] < bar["min"]
        has_own = bar["min"] is not None or bar["max"] is not None
        parts = [_band_text(bar["min"], bar["max"])] if has_own else []
        for joint in bar.get("joint", []):
            parts.append(
                _("bersama %(others)s: %(band)s")
                % {"others": joint["others"], "band": _band_text(joint["min"], joint["max"])}
            )
            under = under or not joint["ok"]
        band = "; ".join(parts) or _("tanpa batas")
        bars.append(
            {
                **bar,
                "y": y + 20,
                "text_y": y + 14,
                "bar_y": y + 23,
                "band_y": y + 58,
                "w": max(round(plot * bar["count"] / n, 1), 0),
                "band_x": left + round(plot * min(low, n) / n, 1),
                "band_w": max(round(plot * (min(high, n) - min(low, n)) / n, 1), 2),
                "band_text": band,
                "bad": over or under,
                "has_band": bar["min"] is not None or bar["max"] is not None,
            }
        )
    summary = "; ".join(
        _("%(p)s: %(c)s pegawai, %(band)s")
        % {"p": b["label"], "c": b["count"], "band": b["band_text"]}
        + (" (" + str(_("dilanggar")) + ")" if b["bad"] else "")
        for b in bars
    )
    return {
        "width": width,
        "height": len(bars) * row_h,
        "bar_h": bar_h,
        "band_h": bar_h + 6,
        "left": left,
        "right": width - left,
        "bars": bars,
        "summary": summary,
    }


def calibration_rows(state, *, editable) -> SafeString:
    """The employee rows of a calibration page as escaped HTML, built in Python:
    the template engine takes seconds for 2,000 rows, this a few milliseconds."""
    labels = [_("Pegawai"), _("Unit"), _("Hasil / perilaku"), _("Predikat usulan")]
    labels += [_("Predikat saat ini"), _("Ubah")]
    change = _("Ubah predikat")
    rows = []
    for e in state.evaluations:
        pk, name = e.pk, e.name
        cells = format_html_join(
            "",
            '<td data-label="{}">{}</td>',
            zip(
                labels[:5],
                (name, e.unit, e.ratings, e.proposed_label, e.current_label),
                strict=True,
            ),
        )
        if editable:
            link = (
                format_html(
                    '<a href="?ubah={0}#change-form" hx-get="?ubah={0}" '
                    'hx-target="#change-form">{1} {2}</a>',
                    pk,
                    change,
                    name,
                )
                if e.predikat
                else ""
            )
            cells = format_html('{}<td data-label="{}">{}</td>', cells, labels[5], link)
        rows.append(format_html("<tr>{}</tr>", cells))
    return mark_safe("".join(rows))  # noqa: S308 - every part escaped by format_html
