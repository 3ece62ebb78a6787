"""No button signal feeds its ``checked`` argument into a slot parameter meant for something else (issue 11
item 4: ``save_button.clicked.connect(self.save)`` passed ``checked=False`` as ``to_datasource``).

Every ``<x>.clicked/triggered/toggled/… .connect(self.method)`` of the plugin is read from the source; the
connected method must take no parameter with a default value (wrap the call in a lambda instead), unless the
parameter is meant to receive the signal's value (listed below)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "opendata_publisher"
#: (file, method): methods whose optional first parameter is the signal's own value, on purpose
ALLOWED = {
    ("plugin_main.py", "toggle_dock"),  # triggered(checked) shows / hides the dock
    ("check_page.py", "set_running"),  # the schema picker's busyChanged(running, message) drives the run state
}


def _connections(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    methods = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    methods.setdefault(item.name, []).append(item)
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "connect"):
            continue
        if not node.args:
            continue
        slot = node.args[0]
        if isinstance(slot, ast.Attribute) and isinstance(slot.value, ast.Name) and slot.value.id == "self":
            for method in methods.get(slot.attr, []):
                yield node.lineno, ast.unparse(node.func.value), slot.attr, method


def offending_connections(package: Path = PACKAGE):
    found = []
    for path in sorted(package.rglob("*.py")):
        for line, signal, name, method in _connections(path):
            params = method.args.args[1:]
            if not params or not method.args.defaults:
                continue
            if (path.name, name) in ALLOWED:
                continue
            found.append(f"{path.relative_to(package)}:{line}: {signal}.connect(self.{name})")
    return found


def test_no_slot_receives_a_signal_value_it_does_not_expect():
    assert offending_connections() == []


def test_the_scan_finds_the_pattern(tmp_path):
    """The scan itself catches ``clicked.connect(self.save)`` with ``def save(self, to_datasource=None)``."""
    (tmp_path / "page.py").write_text(
        "class Page:\n"
        "    def build(self):\n"
        "        self.button.clicked.connect(self.save)\n"
        "    def save(self, to_datasource=None):\n"
        "        return to_datasource\n",
        encoding="utf-8",
    )
    assert offending_connections(tmp_path) == ["page.py:3: self.button.clicked.connect(self.save)"]
