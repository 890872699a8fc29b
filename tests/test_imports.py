"""The package's import graph: no module cycles, the test kit only where it belongs, ``core`` free of livekit.

Walks every module's imports with ``ast`` (function-level imports and ``TYPE_CHECKING`` blocks included: a cycle
hidden behind either is still two files that cannot be read apart).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "sidecar_stt"
MAY_USE_TEST_KIT = ("sidecar_stt.testing", "sidecar_stt.demo", "sidecar_stt.cli")
"""Only the demo, the CLI and the test kit itself may import ``sidecar_stt.testing`` (and the tests)."""


def _modules(src: Path) -> dict[str, tuple[Path, bool]]:
    """Dotted module name -> (file, is a package)."""
    found: dict[str, tuple[Path, bool]] = {}
    for path in sorted((src / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return found


def _imported(module: str, is_package: bool, node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        prefix = ".".join([*base, node.module] if node.module else base)
    else:
        prefix = node.module or ""
    for alias in node.names:
        yield f"{prefix}.{alias.name}"  # a submodule, or else a name defined in ``prefix`` (resolved below)


def import_graph(src: Path = SRC) -> dict[str, set[str]]:
    """Each module of the package -> the modules of the package (and outside names) it imports."""
    modules = _modules(src)
    graph: dict[str, set[str]] = {}
    for module, (path, is_package) in modules.items():
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for name in _imported(module, is_package, node):
                if not name.startswith(PACKAGE):
                    deps.add(name)
                    continue
                while name not in modules and "." in name:  # a name in a module: that module
                    name = name.rsplit(".", 1)[0]
                if name in modules and name != module:
                    deps.add(name)
        graph[module] = deps
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for dep in graph.get(node, ()):
            if dep not in graph:
                continue
            if dep not in index:
                visit(dep)
                low[node] = min(low[node], low[dep])
            elif dep in on_stack:
                low[node] = min(low[node], index[dep])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_itself_round_a_cycle() -> None:
    assert cycles(import_graph()) == []


def test_only_the_demo_and_the_cli_use_the_test_kit() -> None:
    offenders = [
        f"{module} -> {dep}"
        for module, deps in import_graph().items()
        for dep in deps
        if dep.startswith("sidecar_stt.testing") and not module.startswith(MAY_USE_TEST_KIT)
    ]
    assert offenders == []


def test_core_never_imports_livekit_or_the_adapters() -> None:
    offenders = [
        f"{module} -> {dep}"
        for module, deps in import_graph().items()
        if module.startswith("sidecar_stt.core")
        for dep in deps
        if dep.split(".")[0] == "livekit" or dep.startswith(("sidecar_stt.adapters", "sidecar_stt.engines"))
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"a.py": "from . import b\n", "b.py": "def f():\n    from .a import x\n"},
            [["sidecar_stt.a", "sidecar_stt.b"]],
        ),
        (
            {
                "a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .b import B\n",
                "b.py": "import sidecar_stt.a\n",
            },
            [["sidecar_stt.a", "sidecar_stt.b"]],
        ),
        ({"a.py": "from . import b\n", "b.py": "import os\n"}, []),
    ],
)
def test_the_walk_finds_cycles_behind_function_and_type_checking_imports(
    tmp_path: Path, files: dict[str, str], expected: list[list[str]]
) -> None:
    package = tmp_path / PACKAGE
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name, text in files.items():
        (package / name).write_text(text)
    assert cycles(import_graph(tmp_path)) == expected
