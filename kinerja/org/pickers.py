"""Pickers that scale: choosing a person, a unit or a position by searching
on the server as one types, within what the user may see.

A picker is a text input (`<name>_cari`) that asks `org:picker` for at most
`PICKER_LIMIT` matches (htmx), and a hidden input (`<name>`) that holds the
chosen id (static/kinerja/app.js fills it when a match is clicked). Without
JavaScript the text input is a plain field: the NIP, the code or the id typed
there is looked up on submit, and a text that names nobody gets a clear error.

A *scope* names what may be chosen: `pegawai` (the employees the user may
see), `unit`, `jabatan`... Later stages register their own scopes in their
`AppConfig.ready` (`register_scope`), so the search endpoint never imports them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, QueryDict
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import selectors
from .access import Access, get_access, get_visible_or_404
from .models import Employee, OrgUnit, Position

KINDS = ("employee", "unit", "position")


@dataclass(frozen=True)
class Scope:
    name: str
    kind: str  # one of KINDS
    queryset: Callable[[Access], QuerySet]


_SCOPES: dict[str, Scope] = {}


def register_scope(name: str, kind: str, queryset: Callable[[Access], QuerySet]) -> None:
    if kind not in KINDS:
        raise ValueError(kind)
    _SCOPES[name] = Scope(name=name, kind=kind, queryset=queryset)


def get_scope(name: str) -> Scope | None:
    return _SCOPES.get(name)


def _visible_active(access: Access) -> QuerySet[Employee]:
    return Employee.objects.filter(access.employee_filter(), is_active=True)


def _agency_active(access: Access) -> QuerySet[Employee]:
    if access.agency_id is None:
        return Employee.objects.none()
    return Employee.objects.filter(agency_id=access.agency_id, is_active=True)


def _agency_units(access: Access) -> QuerySet[OrgUnit]:
    if access.agency_id is None:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(agency_id=access.agency_id)


def _agency_positions(access: Access) -> QuerySet[Position]:
    if access.agency_id is None:
        return Position.objects.none()
    return Position.objects.filter(agency_id=access.agency_id, is_active=True)


register_scope("pegawai", "employee", _visible_active)
register_scope(
    "pegawai-fungsional",
    "employee",
    lambda access: _visible_active(access).filter(position__kind=Position.Kind.FUNGSIONAL),
)
register_scope("pegawai-instansi", "employee", _agency_active)
register_scope("unit", "unit", lambda access: access.visible_units())
register_scope("unit-instansi", "unit", _agency_units)
register_scope("jabatan", "position", _agency_positions)

PLACEHOLDERS = {
    "employee": gettext_lazy("Ketik nama atau NIP"),
    "unit": gettext_lazy("Ketik nama atau kode unit"),
    "position": gettext_lazy("Ketik nama jabatan, kode jabatan atau kode unit"),
}
HELP = {
    "employee": gettext_lazy(
        "Ketik nama, NIP atau kode unit lalu pilih dari daftar; "
        "tanpa JavaScript, ketik NIP lengkap (18 angka)."
    ),
    "unit": gettext_lazy(
        "Ketik nama atau kode unit lalu pilih dari daftar; tanpa JavaScript, ketik kode unit."
    ),
    "position": gettext_lazy(
        "Ketik nama atau kode jabatan lalu pilih dari daftar; tanpa JavaScript, ketik kode jabatan."
    ),
}


def not_found_message(kind: str, text: str) -> str:
    if kind == "employee":
        return _(
            "Pegawai “%(text)s” tidak ditemukan di antara pegawai yang dapat Anda pilih. "
            "Ketik NIP lengkap (18 angka) atau pilih nama dari daftar."
        ) % {"text": text[:60]}
    if kind == "unit":
        return _(
            "Unit “%(text)s” tidak ditemukan. Ketik kode unit atau pilih nama dari daftar."
        ) % {"text": text[:60]}
    return _(
        "Jabatan “%(text)s” tidak ditemukan. Ketik kode jabatan atau pilih nama dari daftar."
    ) % {"text": text[:60]}


def resolve(
    scope_name: str, access: Access, *, value: str, text: str
) -> Employee | OrgUnit | Position | None:
    """The object a picker posted, within its scope: the chosen id, else what
    the typed text names. None when both are empty; ValidationError (with the
    message to show) when they name nothing the user may choose."""
    scope = _SCOPES[scope_name]
    qs = scope.queryset(access)
    value, text = (value or "").strip(), (text or "").strip()
    if value:
        found = (
            selectors.picker_queryset(scope.kind, qs).filter(pk=int(value)).first()
            if value.isdigit()
            else None
        )
        if found is None:
            raise ValidationError(not_found_message(scope.kind, text or value))
        return found
    if not text:
        return None
    found = selectors.picker_exact(qs, scope.kind, text)
    if found is None:
        raise ValidationError(not_found_message(scope.kind, text))
    return found


def resolve_posted(
    request: HttpRequest, scope_name: str, name: str
) -> Employee | OrgUnit | Position | None:
    """The object a picker named `name` posted, within the scope and the user's
    access. A chosen id outside it is a 404 (recorded, like any foreign id);
    a typed text that names nothing raises ValidationError with the message."""
    scope = _SCOPES[scope_name]
    value = (request.POST.get(name, "") or "").strip()
    if value:
        qs = selectors.picker_queryset(scope.kind, scope.queryset(get_access(request)))
        return get_visible_or_404(
            request, qs, access_filter=Q(), pk=value if value.isdigit() else 0
        )
    return resolve(
        scope_name, get_access(request), value="", text=request.POST.get(f"{name}_cari", "")
    )


def with_typed_choice(
    data: QueryDict, access: Access, scope_name: str, name: str
) -> tuple[QueryDict, str]:
    """`data` (a POST or GET) with the id of what was typed in a picker's text
    field when no match was chosen from the list (the page without JavaScript),
    so that an existing form reads `name` as before. Returns the data and the
    message to show when the text names nothing ("" otherwise)."""
    if (data.get(name) or "").strip() or not (data.get(f"{name}_cari") or "").strip():
        return data, ""
    try:
        found = resolve(scope_name, access, value="", text=data.get(f"{name}_cari", ""))
    except ValidationError as error:
        return data, error.messages[0]
    data = data.copy()
    data[name] = str(found.pk) if found is not None else ""
    return data, ""


def picker_context(
    name: str,
    scope_name: str,
    *,
    field_id: str = "",
    value: Any = "",
    label: str = "",
    required: bool = False,
) -> dict[str, Any]:
    scope = _SCOPES[scope_name]
    return {
        "name": name,
        "scope": scope_name,
        "field_id": field_id or f"id_{name}",
        "value": "" if value is None else value,
        "label": label,
        "required": required,
        "placeholder": PLACEHOLDERS[scope.kind],
        "help": HELP[scope.kind],
    }


class PickerWidget(forms.Widget):
    """Renders org/_picker.html; its value is (chosen id, typed text)."""

    template_name = "org/_picker.html"

    def __init__(self, scope: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.scope = scope

    def value_from_datadict(self, data: Any, files: Any, name: str) -> tuple[str, str]:
        return (data.get(name, "") or "", data.get(f"{name}_cari", "") or "")

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}_cari" not in data

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer=None):
        pk, label = "", ""
        if isinstance(value, tuple):
            pk, label = value
        elif isinstance(value, Employee | OrgUnit | Position):
            pk = value.pk
            label = selectors.option_of(_SCOPES[self.scope].kind, value).label
        elif value not in (None, ""):
            pk = value
        context = picker_context(
            name,
            self.scope,
            field_id=(attrs or {}).get("id", ""),
            value=pk,
            label=label,
            required=self.is_required,
        )
        return render_to_string(self.template_name, context)


class PickerField(forms.Field):
    """A person, unit or position chosen with a picker. The form sets
    `field.access` (the user's Access) before validation."""

    def __init__(self, *, scope: str, **kwargs: Any) -> None:
        self.scope = scope
        self.access: Access | None = None
        kwargs.setdefault("widget", PickerWidget(scope))
        super().__init__(**kwargs)

    default_error_messages = {
        "invalid_choice": gettext_lazy(
            "Select a valid choice. That choice is not one of the available choices."
        ),
    }

    def clean(self, value: Any) -> Any:
        pk, text = value if isinstance(value, tuple) else (value or "", "")
        if self.access is None:
            raise ValidationError(_("Pilihan tidak dapat diperiksa."))
        try:
            found = resolve(self.scope, self.access, value=str(pk), text=text)
        except ValidationError:
            if str(pk).strip():  # a chosen id outside the scope: only a forged form sends it
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                ) from None
            raise
        if found is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        self.validate(found)
        self.run_validators(found)
        return found

    def validate(self, value: Any) -> None:
        return None
