"""Every URL that takes a parameter is closed to other agencies.

The URLs are discovered from the URL configuration, so a new page or API route
cannot slip through: each one needs a case in its app's `tests/url_cases.py`

    URL_CASES = {"<namespace:url_name>": lambda world: {"pk": <object of world.agency>}}

(or an entry in `PUBLIC_URLS = {"<name>": "why it is public"}`). Optionally
`URL_CASE_OWNERS = {"<name>": "<world person>"}` names who in world.agency must
be able to reach the URL when it is not admin BKD.

For each case the admin of the other agency must get 404 on every method the
route has (a foreign id is never a 403, a 400 or a 200), the refusal must be
recorded in the audit trail, and the agency's own user must not get 404 (which
proves the case builds a real object).
"""

import importlib
import importlib.util
import json

import pytest
from django.conf import settings
from django.contrib.staticfiles.views import serve as staticfiles_serve
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import NoReverseMatch
from django.views.static import serve as static_serve

from kinerja.audit.models import AuditEvent

SKIPPED_URLCONFS = {"django.conf.urls.i18n"}
SKIPPED_VIEWS = {static_serve, staticfiles_serve}
# DRF's format suffix ("/api/units/3.json") is not an object id.
IGNORED_PARAMS = {"format"}
WRITE_METHODS = ("put", "patch", "delete", "post")


def _params(pattern):
    regex = pattern.pattern.regex
    named = set(regex.groupindex)
    positional = {f"<positional {i}>" for i in range(regex.groups - len(named))}
    return named | positional


def _walk(patterns, inherited=frozenset(), namespace="", route=""):
    for entry in patterns:
        params = inherited | _params(entry)
        here = route + str(entry.pattern)
        if isinstance(entry, URLResolver):
            urlconf = getattr(entry.urlconf_name, "__name__", entry.urlconf_name)
            if (
                entry.app_name == "admin"
                or str(entry.pattern) == settings.ADMIN_URL
                or urlconf in SKIPPED_URLCONFS
            ):
                continue
            inner = ":".join(x for x in (namespace, entry.namespace) if x)
            yield from _walk(entry.url_patterns, params, inner, here)
        else:
            if getattr(entry.callback, "__wrapped__", entry.callback) in SKIPPED_VIEWS:
                continue
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            view = entry.callback
            view = getattr(view, "cls", None) or getattr(view, "view_class", None) or view
            yield name, here, params - IGNORED_PARAMS, view.__module__


def parametrised_urls():
    """{url name: (route, params)} for every pattern with at least one parameter;
    unnamed ones are keyed by their route (they cannot be reversed: a failure)."""
    found = {}
    for name, route, params, module in _walk(get_resolver().url_patterns):
        if params:
            found.setdefault(name or f"<unnamed> {route}", (route, sorted(params), module))
    return found


def load_cases():
    """URL_CASES, PUBLIC_URLS and URL_CASE_OWNERS of every kinerja.* app, plus
    which file each name came from and names defined twice."""
    cases, public, owners, source, duplicates = {}, {}, {}, {}, []
    for app in settings.INSTALLED_APPS:
        if not app.startswith("kinerja."):
            continue
        module_name = f"{app}.tests.url_cases"
        if importlib.util.find_spec(f"{app}.tests") is None:
            continue
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        for attr, target in (("URL_CASES", cases), ("PUBLIC_URLS", public)):
            for name, value in getattr(module, attr, {}).items():
                if name in cases or name in public:
                    duplicates.append(f"{name} ({source[name]} and {module_name})")
                target[name] = value
                source[name] = module_name
        owners.update(getattr(module, "URL_CASE_OWNERS", {}))
    return cases, public, owners, source, duplicates


URLS = parametrised_urls()
CASES, PUBLIC, OWNERS, SOURCE, DUPLICATES = load_cases()


def _case_url(name, world, *, report_missing=True):
    route, params, module = URLS[name]
    if name in PUBLIC:
        pytest.skip(f"public by design: {PUBLIC[name]}")
    if name not in CASES and not report_missing:
        pytest.skip("no case: reported by test_other_agency_gets_404")
    if name not in CASES:
        app = module.split(".")[1] if module.startswith("kinerja.") else "<app>"
        example = ", ".join(f'"{p}": ...' for p in params)
        pytest.fail(
            f"URL {name!r} ({route}) takes {', '.join(params)} but has no tenancy case. "
            f"Add it to URL_CASES in kinerja/{app}/tests/url_cases.py, e.g. "
            f'"{name}": lambda world: {{{example}}} (an object of world.agency), '
            f"or to PUBLIC_URLS there with the reason if it is public by design.",
            pytrace=False,
        )
    kwargs = CASES[name](world)
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch as exc:
        pytest.fail(f"URL_CASES[{name!r}] in {SOURCE[name]} gives kwargs {kwargs}: {exc}")


def _methods(url):
    """The methods to try: a DRF viewset route knows its own (`actions`); a plain
    view is tried with GET, and with POST when it only accepts POST."""
    actions = getattr(resolve(url).func, "actions", None)
    if actions:
        return [m for m in actions if m not in ("head", "options")]
    return None


def _send(client, method, url):
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, data=json.dumps({}), content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(URLS))
def test_other_agency_gets_404(name, world, client):
    url = _case_url(name, world)
    outsider = world.user("outsider_admin")
    client.force_login(outsider)
    methods = _methods(url)
    tried = []
    if methods is None:
        response = client.get(url)
        if response.status_code == 405:  # POST only (require_POST): the POST must be a 404
            response = client.post(url, data={})
            tried.append(("POST", response.status_code))
        else:
            tried.append(("GET", response.status_code))
    else:
        for method in methods:
            response = _send(client, method, url)
            tried.append((method.upper(), response.status_code))
    wrong = [(m, code) for m, code in tried if code != 404]
    assert not wrong, (
        f"{name} ({url}) with an object of another agency must answer 404 to every method; "
        f"got {wrong}. Fetch the object through the user's access "
        f"(kinerja.org.access.get_visible_or_404, or kinerja.api.ScopedObjectMixin)."
    )
    assert AuditEvent.objects.filter(outcome="denied", actor=outsider).exists(), (
        f"{name}: the refused access was not recorded (use get_visible_or_404 or "
        f"ScopedObjectMixin, which call kinerja.audit.services.record_denied)."
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(URLS))
def test_own_agency_reaches_the_case(name, world, client):
    url = _case_url(name, world, report_missing=False)
    owner = OWNERS.get(name, "admin")
    client.force_login(world.user(owner))
    response = client.get(url)
    assert response.status_code != 404 and response.status_code < 500, (
        f"{name} ({url}): {owner} of the object's own agency got {response.status_code}; "
        f"the case in {SOURCE[name]} must build an object {owner} may reach "
        f"(or name another person in URL_CASE_OWNERS)."
    )


def test_every_case_names_a_parametrised_url():
    stale = sorted((set(CASES) | set(PUBLIC)) - set(URLS))
    assert not stale, f"URL_CASES/PUBLIC_URLS name URLs that do not exist (any more): {stale}"


def test_no_case_is_defined_twice():
    assert not DUPLICATES, f"defined in two url_cases.py files: {DUPLICATES}"


def test_every_parametrised_url_is_named():
    unnamed = sorted(name for name in URLS if name.startswith("<unnamed>"))
    assert not unnamed, f"give these URL patterns a name so they can be tested: {unnamed}"


def test_discovery_finds_pages_and_api_routes():
    assert {"org:employee_detail", "employee-detail", "jobs:detail"} <= set(URLS)
    assert not any(name and name.startswith("admin:") for name in URLS)


def test_an_uncovered_url_fails_with_instructions(monkeypatch):
    monkeypatch.setitem(URLS, "demo:thing", ("demo/<int:pk>/", ["pk"], "kinerja.demo.views"))
    with pytest.raises(pytest.fail.Exception) as failure:
        _case_url("demo:thing", world=None)
    message = str(failure.value)
    assert "'demo:thing' (demo/<int:pk>/) takes pk but has no tenancy case" in message
    assert "kinerja/demo/tests/url_cases.py" in message
    assert '"demo:thing": lambda world: {"pk": ...}' in message
