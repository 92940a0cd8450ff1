"""Display texts of the follow-up app: predikat names and a rule in words.

Pure helpers (no query): used by the pages, the template tags and the rule service's
conflict message alike.
"""

from collections.abc import Iterable

from django.utils.translation import gettext as _

from kinerja.rules.predikat import PREDIKAT_ORDER

from .models import FollowupRule, Outcome

#: Predikat code -> its name; translated where shown (`{% translate %}`, `predikat_label`).
PREDIKAT_LABELS = {
    "sangat_baik": "Sangat Baik",
    "baik": "Baik",
    "butuh_perbaikan": "Butuh Perbaikan",
    "kurang": "Kurang/Misconduct",
    "sangat_kurang": "Sangat Kurang",
}
PREDIKAT_CHOICES = list(PREDIKAT_LABELS.items())


def predikat_text(codes: Iterable[str]) -> str:
    """The predikat of `codes` by name, best first: "Sangat Baik, Baik"."""
    wanted = set(codes)
    return ", ".join(PREDIKAT_LABELS[c] for c in PREDIKAT_ORDER if c in wanted)


def rule_label(rule: FollowupRule) -> str:
    """A rule in words: "Kandidat penghargaan: Sangat Baik dalam 1 tahun berturut-turut"."""
    consecutive = _("berturut-turut") if rule.consecutive else _("terakhir")
    return _("%(outcome)s: %(predikat)s dalam %(n)s tahun %(how)s") % {
        "outcome": Outcome(rule.outcome).label,
        "predikat": predikat_text(rule.predikat),
        "n": rule.years,
        "how": consecutive,
    }
