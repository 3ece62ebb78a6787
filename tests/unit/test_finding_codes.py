"""Every finding code the plugin can emit is in the registry (core/checks/registry.py), so the dock, the
reports and the Processing algorithms can always say what it means and what to do.

The codes are read from the source: the first argument (or ``code=``) of every call to ``Finding``,
``ValueProblem`` and of every function of the plugin that has a ``code`` parameter (``_layer_finding``,
``make_finding``, the completeness collector…), plus ``code = "…"`` assignments. A typo in one of them
fails here, because :func:`describe` is strict. The codes the plugin reads back (``finding.code == "…"``,
the codes each conform fix answers, the legal gate's exemptions) must be registered too: a typo there would
silently never match. Elsewhere (reports, the dock) :func:`describe_any` still shows an unknown code, with an
:class:`UnknownCodeWarning` that the test configuration turns into an error.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, Iterator, Set, Tuple

import pytest

from opendata_publisher.core.checks.registry import (
    CONSTRAINT_TITLES,
    UnknownCode,
    UnknownCodeWarning,
    all_checks,
    describe,
    describe_any,
)
from opendata_publisher.core.conform.fixes import FIXES
from opendata_publisher.core.legal.gate import EXEMPTABLE_CODES

PACKAGE = Path(__file__).resolve().parents[2] / "opendata_publisher"
#: classes whose first field is the code
CODE_CLASSES = {"Finding": 0, "ValueProblem": 0}


def _trees() -> Iterator[Tuple[Path, ast.AST]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


#: the parsed source of the plugin (a list of (path, tree); tests give their own sources to the scan)
SOURCES = list(_trees())


def _code_argument(call: ast.Call, position: int):
    """The expression given as the code of a call (``code=`` or its position), or None."""
    for keyword in call.keywords:
        if keyword.arg == "code":
            return keyword.value
    if len(call.args) > position and not any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
        return call.args[position]
    return None


def _callee(node: ast.Call) -> str:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return ""


def _functions(sources):
    for path, tree in sources:
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield path, node


def _code_emitters(sources) -> Dict[Tuple[str, str], int]:
    """Every function of the plugin that passes its ``code`` parameter on to a Finding or a ValueProblem
    (directly or through another such function) -> the parameter's position (``self`` not counted).

    Keyed by (module, name) for methods, which are only matched in their own module (``_Collector.add``
    is not ``set.add``), and by ("", name) for functions and classes.
    """
    emitters = {("", name): position for name, position in CODE_CLASSES.items()}
    changed = True
    while changed:
        changed = False
        for path, function in _functions(sources):
            names = [a.arg for a in function.args.posonlyargs + function.args.args]
            method = bool(names) and names[0] in ("self", "cls")
            if method:
                names = names[1:]
            key = (str(path) if method else "", function.name)
            if "code" not in names or key in emitters:
                continue
            for node in ast.walk(function):
                position = _emitter_position(emitters, path, node)
                if position is not None:
                    argument = _code_argument(node, position)
                    if isinstance(argument, ast.Name) and argument.id == "code":
                        emitters[key] = names.index("code")
                        changed = True
                        break
    return emitters


def _emitter_position(emitters, path: Path, node: ast.AST):
    """The code's position when ``node`` calls an emitter, else None."""
    if not isinstance(node, ast.Call):
        return None
    name = _callee(node)
    position = emitters.get(("", name))
    return emitters.get((str(path), name)) if position is None else position


def _strings(expr: ast.AST) -> Iterator[str]:
    """The literal codes an expression can take (``"a" if x else "b"``; ``f"constraint-error/{name}"``)."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        yield expr.value
    elif isinstance(expr, ast.IfExp):
        yield from _strings(expr.body)
        yield from _strings(expr.orelse)
    elif isinstance(expr, ast.JoinedStr) and expr.values and isinstance(expr.values[0], ast.Constant):
        yield str(expr.values[0].value).rstrip("/")


def emitted_codes(sources=SOURCES) -> Dict[str, Set[str]]:
    """Code -> the places (``path:line``) that emit it.

    A literal given as the code, or a local variable ``code`` given as the code whose literal values
    (``code = "…"`` in the same function) are taken.
    """
    emitters = _code_emitters(sources)
    found: Dict[str, Set[str]] = {}
    for path, function in _functions(sources):
        local = [n.value for n in ast.walk(function) if isinstance(n, ast.Assign) and _assigns_code(n)]
        for node in ast.walk(function):
            position = _emitter_position(emitters, path, node)
            argument = None if position is None else _code_argument(node, position)
            if argument is None:
                continue
            values = local if isinstance(argument, ast.Name) and argument.id == "code" else [argument]
            for value in values:
                for code in _strings(value):
                    found.setdefault(code, set()).add(f"{_where(path)}:{node.lineno}")
    return found


def _where(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent)) if path.is_relative_to(PACKAGE.parent) else str(path)


def compared_codes(sources=SOURCES) -> Dict[str, Set[str]]:
    """Code -> the places that compare a finding's code with it: ``f.code == "…"``, ``f.full_code in ("…",
    …)``, ``code != "…"``."""
    found: Dict[str, Set[str]] = {}
    for path, tree in sources:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Compare) or not _is_code(node.left):
                continue
            for comparator in node.comparators:
                items = comparator.elts if isinstance(comparator, (ast.Tuple, ast.List, ast.Set)) else [comparator]
                for item in items:
                    if isinstance(item, ast.Constant) and isinstance(item.value, str):
                        found.setdefault(item.value, set()).add(f"{_where(path)}:{node.lineno}")
    return found


def _is_code(expr: ast.AST) -> bool:
    """``x.code``, ``x.full_code``, or a variable ``code``/``full_code``."""
    if isinstance(expr, ast.Attribute):
        return expr.attr in ("code", "full_code")
    return isinstance(expr, ast.Name) and expr.id in ("code", "full_code")


def read_codes() -> Dict[str, Set[str]]:
    """Codes the plugin reads back: compared in the source, answered by a conform fix, exempted by the legal
    gate."""
    found = compared_codes()
    for fix in FIXES:
        for code in fix.codes:
            found.setdefault(code, set()).add(f"conform fix « {fix.id} » (core/conform/fixes.py)")
    for code in EXEMPTABLE_CODES:
        found.setdefault(code, set()).add("EXEMPTABLE_CODES (core/legal/gate.py)")
    return found


def _registered(code: str) -> bool:
    try:
        describe(code)
    except UnknownCode:
        return False
    return True


def _assigns_code(node: ast.Assign) -> bool:
    return [getattr(target, "id", None) for target in node.targets] == ["code"]


CODES = emitted_codes()
READ = read_codes()


def test_the_source_scan_finds_the_codes_of_every_kind_of_check():
    # one code per way of emitting them, so that the scan itself cannot silently find nothing
    for code in (
        "missing-label",  # validator (_layer_finding)
        "constraint-error",  # values (ValueProblem)
        "siret",  # custom checks (_identifier_problem)
        "phone-number-value",  # custom checks (ValueProblem in a helper)
        "code-commune-insee",  # custom checks (code = "…")
        "metadata-invalid-siren",  # completeness collector (add)
        "legal-person-name",  # legal detectors (make_finding)
    ):
        assert code in CODES, f"{code} not found by the scan: the test no longer sees the emitters"
    assert len(CODES) >= 60


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_emitted_code_is_registered(code):
    try:
        info = describe(code)
    except UnknownCode:
        pytest.fail(f"finding code « {code} » emitted at {', '.join(sorted(CODES[code]))} is not in the registry")
    assert info.title and info.help and info.severity in ("error", "warning", "info")


def test_every_constraint_has_a_title():
    for name in CONSTRAINT_TITLES:
        assert describe(f"constraint-error/{name}").title == CONSTRAINT_TITLES[name]


def test_a_typo_is_refused_and_only_display_falls_back():
    for typo in ("missing-lable", "constraint-error/enmu", "type-error/enum", ""):
        with pytest.raises(UnknownCode):
            describe(typo)
    with pytest.warns(UnknownCodeWarning):
        generic = describe_any("missing-lable")
    assert generic.title == "missing-lable" and generic.family == "other"
    assert describe_any("missing-label") == describe("missing-label") == all_checks()["missing-label"]


@pytest.mark.parametrize("code", sorted(READ))
def test_every_code_the_plugin_reads_back_is_registered(code):
    assert _registered(code), f"finding code « {code} » read at {', '.join(sorted(READ[code]))} is not in the registry"


def test_the_scan_sees_the_codes_read_back_by_the_conform_fixes_the_legal_gate_and_the_publisher():
    for code, place in (
        ("constraint-error/pattern", "conform fix"),
        ("reversed-french-gps-coordinates", "conform fix"),
        ("legal-person-name", "EXEMPTABLE_CODES"),
        ("missing-label", "core/publish.py"),
        ("check-error", "core/report.py"),
    ):
        assert any(place in where for where in READ.get(code, ())), f"{code} not seen in {place}"


TYPOS = """
def validate(layer, problems, report):
    findings = [Finding(code="missing-lable", severity="error", message="", hint="")]
    findings.append(_layer_finding("extra-lable", "champ"))
    findings.append(make_finding("legal-emial", "courriel"))
    return ValueProblem("type-eror", message="", hint="")


def _helper(value, code):
    return ValueProblem(code, message=str(value), hint="")


def check(value):
    code = "sirett" if value else "siren"
    return _helper(value, code)


def gate(findings):
    return [f for f in findings if f.code == "legal-phon" or f.full_code in ("constraint-error/patern",)]
"""


def test_a_typo_anywhere_a_code_is_written_fails_the_scan(tmp_path):
    # the scan itself, on a module written with a typo in each way a code is emitted or read
    sources = [(tmp_path / "typos.py", ast.parse(TYPOS))] + SOURCES
    unregistered = {code for code in emitted_codes(sources) if not _registered(code)}
    assert unregistered == {"missing-lable", "extra-lable", "legal-emial", "type-eror", "sirett"}
    assert {code for code in compared_codes(sources) if not _registered(code)} == {
        "legal-phon",
        "constraint-error/patern",
    }


def test_showing_an_unknown_code_warns_so_that_the_tests_fail_on_it():
    with pytest.warns(UnknownCodeWarning, match="missing-lable"):
        describe_any("missing-lable")


def test_the_test_configuration_makes_an_unknown_code_shown_an_error():
    # pyproject.toml's filterwarnings: any test that displays an unregistered code (report, dock) fails
    with pytest.raises(UnknownCodeWarning):
        describe_any("missing-lable")
