"""The registry of audit action names.

Every app declares the actions it records, with a readable label, in its own
`audit_actions.py` (`ACTIONS = {"planning.skp.submit": _("Mengajukan SKP"), ...}`)
and registers them when Django starts (`AppConfig.ready`). The audit pages and
the employee's "who processed my data" page read the labels from here.

Names are written in full where they are recorded, so that grepping a name
finds the code that records it. Recording a name that is not registered fails
in development and in the tests (`AUDIT_STRICT`), and a test reads the source
for names that no test happens to record.

Refused accesses (`record_denied`) are named "<app>.<model>.<verb>" after the
object that was refused (the model label and the view's or endpoint's action),
so they need no registration; other names of refusals are registered.
"""

from collections.abc import Mapping

from django.apps import apps
from django.utils.functional import Promise

_ACTIONS: dict[str, Promise | str] = {}


class UnregisteredAction(LookupError):
    """An action was recorded that no app registered (see the module docstring)."""


def register(actions: Mapping[str, Promise | str]) -> None:
    for name, label in actions.items():
        if not name or " " in name or "." not in name:
            raise ValueError(f"audit action names are dotted words: {name!r}")
        known = _ACTIONS.get(name)
        if known is not None and str(known) != str(label):
            raise ValueError(f"audit action {name!r} is registered twice with different labels")
        _ACTIONS[name] = label


def is_registered(name: str) -> bool:
    return name in _ACTIONS


def label(name: str) -> Promise | str | None:
    return _ACTIONS.get(name)


def registered() -> dict[str, Promise | str]:
    return dict(_ACTIONS)


def check(name: str, *, denied: bool = False) -> None:
    """Raise UnregisteredAction for a name that may not be recorded."""
    if denied:
        if name in _ACTIONS or _names_a_model(name):
            return
        raise UnregisteredAction(
            f"refused access {name!r} names no model: use '<app>.<model>.<verb>' or register it"
        )
    if name not in _ACTIONS:
        raise UnregisteredAction(
            f"audit action {name!r} is not registered: add it to its app's audit_actions.py"
        )


def _names_a_model(name: str) -> bool:
    parts = name.split(".")
    if len(parts) != 3 or not all(parts):
        return False
    try:
        apps.get_model(parts[0], parts[1])
    except LookupError:
        return False
    return True
