"""Import-boundary check of the plugin's layers (run by ``make lint``).

The plugin is layered: ``toolbelt`` (QGIS helpers: network, log, settings, auth) knows no domain,
``core`` (schemas, checks, metadata, portals) knows no user interface, ``gui`` and ``processing`` use
``core`` and ``toolbelt`` but not each other. Every import statement of the package is read, including the ones inside
functions, and each import that crosses a boundary the wrong way is printed as ``path:line``, as is
each import cycle between modules (even through imports inside functions); the exit code is 1 when there
is at least one.

Usage: python3 scripts/check_imports.py [package folder, default opendata_publisher]
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Dict, Iterator, List, Set, Tuple

PACKAGE = "opendata_publisher"

#: layer -> layers it must not import
FORBIDDEN = {
    "toolbelt": ("core", "gui", "processing"),
    "core": ("gui", "processing"),
    "processing": ("gui",),
    "gui": ("processing",),  # what both need (e.g. the metadata renderers) lives in core
}


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(tree: ast.AST, module: str, is_package: bool) -> Iterator[Tuple[int, str]]:
    """(line, absolute module name) of every import of ``tree`` (relative imports resolved)."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            if node.module is None or node.level and not node.module:
                # ``from . import x`` / ``from .. import x``: x may be a subpackage
                for alias in node.names:
                    yield node.lineno, f"{prefix}.{alias.name}"
            else:
                yield node.lineno, prefix


def layer_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == PACKAGE else ""


def violations(root: Path) -> List[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        module = module_name(path, root)
        forbidden = FORBIDDEN.get(layer_of(module), ())
        if not forbidden:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, target in imported_modules(tree, module, path.name == "__init__.py"):
            if layer_of(target) in forbidden:
                found.append(
                    f"{path}:{line}: {module} imports {target} ({layer_of(module)} must not import {layer_of(target)})"
                )
    return found


def _module_imports(root: Path) -> Dict[str, Set[str]]:
    """Module -> the package's modules it imports (``from pkg import name`` counts as importing ``pkg``)."""
    parsed = {}
    for path in sorted(root.rglob("*.py")):
        module = module_name(path, root)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        parsed[module] = {target for _line, target in imported_modules(tree, module, path.name == "__init__.py")}
    graph = {}
    for module, targets in parsed.items():
        resolved = set()
        for target in targets:
            while target and target not in parsed:
                target = target.rpartition(".")[0]
            if target and target != module and not module.startswith(target + "."):
                resolved.add(target)  # a module's own parent packages are imported anyway: not a cycle
        graph[module] = resolved
    return graph


def cycles(root: Path) -> List[List[str]]:
    """Groups of modules that import each other, directly or through others (Tarjan's algorithm)."""
    graph = _module_imports(root)
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    found = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in sorted(graph[module]):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * len(graph) + 100))
    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def main(argv: List[str]) -> int:
    root = Path(argv[1] if len(argv) > 1 else PACKAGE)
    if not (root / "__init__.py").is_file():
        print(f"error: {root} is not the plugin package", file=sys.stderr)
        return 2
    found = violations(root)
    found += ["import cycle: " + " <-> ".join(group) for group in cycles(root)]
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} import problem(s): see the layers in scripts/check_imports.py", file=sys.stderr)
        return 1
    print("import boundaries: ok, no import cycle")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
