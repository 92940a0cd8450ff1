"""The structure the code keeps (docs/architecture.md), read from the source.

- Layers: a lower layer never imports a higher one, and no modules import each
  other in a cycle (imports inside functions count too).
- Audit action names are written in full where they are recorded, and every
  one is registered by its app (kinerja.audit.registry).
- No module translates with `gettext` at import time: the text would be frozen
  in the language of the moment and never appear in English.
"""

import ast
from functools import cache
from pathlib import Path

import pytest

from kinerja.audit import registry

ROOT = Path(__file__).resolve().parents[1]

# Lowest first. A module may import its own layer and the layers below it.
LAYERS = (
    ("kinerja.lib", "kinerja.rules", "kinerja.bench", "kinerja.templatetags"),
    (
        "kinerja.audit",
        "kinerja.jobs",
        "kinerja.celery",
        "kinerja.api",
        "kinerja.web",
        "kinerja.files",
    ),
    ("kinerja.org", "kinerja.authz"),
    ("kinerja.planning",),
    ("kinerja.monitoring",),
    ("kinerja.assessment",),
    ("kinerja.surveys", "kinerja.followup"),
)
# The project's wiring and tools stand above every app.
TOP = (
    "kinerja.urls",
    "kinerja.api_urls",
    "kinerja.settings",
    "kinerja.wsgi",
    "kinerja.health",
    "kinerja.testing",
    "kinerja.ops",
    "kinerja.demo",
)


def _source_files():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path


def _module_name(path):
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def _trees():
    return {_module_name(p): (p, ast.parse(p.read_text(), str(p))) for p in _source_files()}


def _resolve(module, node):
    """Absolute module names imported by one Import/ImportFrom node."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        package = module.split(".")
        is_package = _trees()[module][0].name == "__init__.py"
        base = package if is_package else package[:-1]
        base = base[: len(base) - (node.level - 1)]
        prefix = ".".join(base + ([node.module] if node.module else []))
    else:
        prefix = node.module or ""
    names = []
    for alias in node.names:
        candidate = f"{prefix}.{alias.name}"
        names.append(candidate if candidate in _trees() else prefix)
    return names


@cache
def import_graph():
    """module -> set of kinerja modules it imports (anywhere in the file)."""
    modules = _trees()
    graph = {}
    for module, (_path, tree) in modules.items():
        targets = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for name in _resolve(module, node):
                    while name and name not in modules:
                        name = name.rpartition(".")[0]
                    if name.startswith("kinerja") and name != module and name != "kinerja":
                        targets.add(name)
        graph[module] = targets
    return graph


def layer_of(module):
    for rank, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return rank
    if any(module == p or module.startswith(p + ".") for p in TOP) or module == "kinerja":
        return len(LAYERS)
    raise AssertionError(f"{module} has no layer: add it to LAYERS in {__file__}")


def cycles(graph):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_every_module_has_a_layer():
    for module in import_graph():
        layer_of(module)


def test_no_lower_layer_imports_a_higher_one():
    wrong = [
        f"{module} (layer {layer_of(module)}) imports {target} (layer {layer_of(target)})"
        for module, targets in import_graph().items()
        for target in sorted(targets)
        if layer_of(target) > layer_of(module)
    ]
    assert wrong == []


def test_no_import_cycles():
    assert cycles(import_graph()) == []


def test_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


# --- audit action names -------------------------------------------------------------------

# The audit services and the parameter that carries the action's name.
RECORDERS = {
    "record": {("action", 0)},
    "audited": {("action", 1)},
    "audited_update": {("action", 1)},
    "AuditEvent": {("action", None)},
}


def _parents(tree):
    parents = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    return parents


def _enclosing_function(node, parents):
    function = parents.get(node)
    while function is not None and not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
        function = parents.get(function)
    return function


def _params(function):
    """name -> positional index (None for keyword-only) of a function's parameters."""
    if function is None:
        return {}
    args = function.args
    positional = args.posonlyargs + args.args
    found = {a.arg: i for i, a in enumerate(positional)}
    found.update({a.arg: None for a in args.kwonlyargs})
    if positional and positional[0].arg in ("self", "cls"):
        found = {k: (i - 1 if i else i) for k, i in found.items() if k not in ("self", "cls")}
    return found


def _leaves(node):
    if isinstance(node, ast.IfExp):
        return _leaves(node.body) + _leaves(node.orelse)
    return [node]


def _action_args(call, specs):
    for name, index in specs:
        for keyword in call.keywords:
            if keyword.arg == name:
                yield keyword.value
                break
        else:
            if index is not None and index < len(call.args):
                yield call.args[index]


def _scan(recorders, trees=None):
    """Walk every call to a recorder. Returns (places, forwarders): places are
    (file:line, name or None) for each action named (None: not written in full);
    forwarders are the helpers that hand their own parameter on as the action."""
    places, forwarders = [], {}
    for path, tree in trees if trees is not None else _trees().values():
        parents = _parents(tree)
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call):
                continue
            name = getattr(call.func, "id", None) or getattr(call.func, "attr", None)
            if name not in recorders:
                continue
            where = f"{path.relative_to(ROOT.parent) if path.is_absolute() else path}:{call.lineno}"
            function = _enclosing_function(call, parents)
            params = _params(function)
            for arg in _action_args(call, recorders[name]):
                for leaf in _leaves(arg):
                    if isinstance(leaf, ast.Constant) and isinstance(leaf.value, str):
                        places.append((where, leaf.value))
                    elif isinstance(leaf, ast.Name) and leaf.id in params:
                        forwarders.setdefault(function.name, set()).add((leaf.id, params[leaf.id]))
                    else:
                        places.append((where, None))
    return places, forwarders


def recorders(trees=None):
    """The audit services, and every helper that passes its own parameter on
    to one of them as the action's name (its callers then name the action)."""
    known = {name: set(specs) for name, specs in RECORDERS.items()}
    while True:
        _places, forwarders = _scan(known, trees)
        grown = {name: set(specs) for name, specs in known.items()}
        for name, specs in forwarders.items():
            grown.setdefault(name, set()).update(specs)
        if grown == known:
            return known
        known = grown


def recorded_actions():
    """(file:line, name or None) for every place that names an audit action."""
    return _scan(recorders())[0]


def test_forwarding_helpers_count_as_recorders():
    source = """
def _audit(action, actor, obj):
    record(action, actor=actor, target=obj)

def export(kind, *, actor, created_action, updated_action):
    _audit(created_action if kind else updated_action, actor, None)

def save(actor, obj, x):
    _audit("planning.skp.save", actor, obj)
    _audit(f"planning.{x}", actor, obj)
    export(1, actor=actor, created_action="a.b.create", updated_action="a.b.update")
"""
    trees = [(Path("sample.py"), ast.parse(source))]
    found = recorders(trees)
    assert found["_audit"] == {("action", 0)}
    assert found["export"] == {("created_action", None), ("updated_action", None)}
    places = sorted(_scan(found, trees)[0], key=lambda p: (int(p[0].split(":")[1]), str(p[1])))
    assert places == [
        ("sample.py:9", "planning.skp.save"),
        ("sample.py:10", None),
        ("sample.py:11", "a.b.create"),
        ("sample.py:11", "a.b.update"),
    ]


def test_audit_actions_are_written_in_full():
    dynamic = [where for where, name in recorded_actions() if name is None]
    assert dynamic == [], "write the action name in full (no f-string, no prefix added later)"


def test_every_recorded_action_is_registered():
    missing = sorted(
        f"{where}: {name}"
        for where, name in recorded_actions()
        if name is not None and not registry.is_registered(name)
    )
    assert missing == []


def test_recording_an_unregistered_action_fails(world):
    from kinerja.audit.services import record

    with pytest.raises(registry.UnregisteredAction):
        record("planning.skp.something_new", actor=world.user("admin"))


def test_a_refusal_is_named_after_a_model_or_registered(world):
    from kinerja.audit.services import record_denied

    record_denied("planning.skp.approve", actor=world.user("admin"))
    record_denied("org.import.view", actor=world.user("admin"))
    with pytest.raises(registry.UnregisteredAction):
        record_denied("nothing.here.view", actor=world.user("admin"))


# --- translations at import time ----------------------------------------------------------

EAGER = {"gettext", "ngettext", "pgettext", "npgettext"}


def _eager_aliases(tree):
    """Names bound to an eager gettext in this module (e.g. `gettext as _`)."""
    aliases = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                if alias.name in EAGER:
                    aliases.add(alias.asname or alias.name)
    return aliases


def eager_calls_at_import(tree):
    """Line numbers of eager gettext calls outside any function (module and
    class bodies run at import)."""
    aliases = _eager_aliases(tree)
    found = []

    def walk(node, in_function):
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
            )
            eager = isinstance(child, ast.Call) and getattr(child.func, "id", None) in aliases
            if eager and not inside:
                found.append(child.lineno)
            walk(child, inside)

    if aliases:
        walk(tree, False)
    return found


def test_no_gettext_at_import_time():
    found = [
        f"{path.relative_to(ROOT.parent)}:{line}"
        for path, tree in _trees().values()
        for line in eager_calls_at_import(tree)
    ]
    assert found == [], "use gettext_lazy for text built at import"


def test_the_gettext_check_sees_calls_at_import_only():
    tree = ast.parse(
        "from django.utils.translation import gettext as _\n"
        "LABEL = _('Sekarang')\n"
        "class Form:\n    title = _('Judul')\n"
        "def f():\n    return _('Nanti')\n"
        "g = lambda: _('Nanti juga')\n"
    )
    assert eager_calls_at_import(tree) == [2, 4]
    lazy = ast.parse("from django.utils.translation import gettext_lazy as _\nX = _('a')\n")
    assert eager_calls_at_import(lazy) == []
