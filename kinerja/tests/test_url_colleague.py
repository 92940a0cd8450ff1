"""Every URL that takes a parameter is closed to a colleague of the same agency
who has no relation to the object (issue 13): the sibling of the other-agency
walk in test_url_tenancy.py, over the same auto-discovered URLs and the same
`URL_CASES`.

The colleague is Fitri (a fungsional of the bidang: not the object's owner, not
above the staff or the kasi in the chart, no role). An app names another
colleague for a URL whose object is hers in `URL_CASE_COLLEAGUES = {"<name>":
"<world person>"}`, and a URL that every employee of the agency may open by
design (the org chart, the calendar) in `COLLEAGUE_VISIBLE = {"<name>": "why"}`:
there the colleague must not get a 404 on reading, and a change they may not
make is a 403 (an action on what they see), never a 400 or a success. A URL
whose action every colleague may take (giving feedback) is listed in
`COLLEAGUE_MAY_ACT` too.
"""

import importlib
import importlib.util

import pytest
from django.conf import settings

from kinerja.audit.models import AuditEvent

from .test_url_tenancy import CASES, PUBLIC, URLS, _case_url, _methods, _send

DEFAULT_COLLEAGUE = "fungsional"


def _load(attr):
    found = {}
    for app in settings.INSTALLED_APPS:
        if not app.startswith("kinerja."):
            continue
        name = f"{app}.tests.url_cases"
        if (
            importlib.util.find_spec(f"{app}.tests") is None
            or importlib.util.find_spec(name) is None
        ):
            continue
        found.update(getattr(importlib.import_module(name), attr, {}))
    return found


COLLEAGUES = _load("URL_CASE_COLLEAGUES")
VISIBLE = _load("COLLEAGUE_VISIBLE")
MAY_ACT = _load("COLLEAGUE_MAY_ACT")


def _tried(client, url):
    methods = _methods(url)
    tried = []
    if methods is None:
        response = client.get(url)
        if response.status_code == 405:  # POST only (require_POST)
            response = client.post(url, data={})
            tried.append(("POST", response.status_code))
        else:
            tried.append(("GET", response.status_code))
    else:
        for method in methods:
            response = _send(client, method, url)
            tried.append((method.upper(), response.status_code))
    return tried


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(VISIBLE))
def test_colleague_sees_agency_wide_objects_and_may_not_change_them(name, world, client):
    url = _case_url(name, world, report_missing=False)
    client.force_login(world.user(COLLEAGUES.get(name, DEFAULT_COLLEAGUE)))
    tried = _tried(client, url)
    reads = [(m, code) for m, code in tried if m == "GET"]
    writes = [(m, code) for m, code in tried if m != "GET"]
    assert all(code != 404 and code < 500 for _m, code in reads), (name, reads)
    if name not in MAY_ACT:
        assert all(code == 403 for _m, code in writes), (
            f"{name} ({url}): a change the colleague may not make must be a 403 with its "
            f"message, before any check of the input; got {writes}"
        )


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(URLS))
def test_unrelated_colleague_gets_404(name, world, client):
    if name in VISIBLE:
        pytest.skip(f"visible to the whole agency by design: {VISIBLE[name]}")
    url = _case_url(name, world, report_missing=False)
    who = COLLEAGUES.get(name, DEFAULT_COLLEAGUE)
    colleague = world.user(who)
    client.force_login(colleague)
    tried = _tried(client, url)
    wrong = [(m, code) for m, code in tried if code != 404]
    assert not wrong, (
        f"{name} ({url}): {who}, a colleague with no relation to the object, must get 404 "
        f"on every method; got {wrong}."
    )
    assert AuditEvent.objects.filter(outcome="denied", actor=colleague).exists(), (
        f"{name}: the refused access was not recorded"
    )


def test_colleague_settings_name_real_urls():
    stale = sorted((set(COLLEAGUES) | set(VISIBLE) | set(MAY_ACT)) - set(URLS))
    assert not stale, f"URL_CASE_COLLEAGUES/COLLEAGUE_VISIBLE name unknown URLs: {stale}"
    assert not (set(VISIBLE) & set(PUBLIC)), "a public URL needs no COLLEAGUE_VISIBLE entry"
    assert set(MAY_ACT) <= set(VISIBLE)
    assert set(CASES)
