"""recording/ and calls/ import each other in no circle (counting imports under TYPE_CHECKING and inside
functions: a circle there is a circle of the design even when Python never runs it)."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import sidecar_stt

PACKAGES = ("sidecar_stt.recording", "sidecar_stt.calls")


def module_files(src: Path, root_package: str) -> dict[str, Path]:
    files = {}
    for path in (src / root_package.replace(".", "/")).rglob("*.py"):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        files[".".join(parts)] = path
    return files


def _absolute(module: str, is_package: bool, level: int, name: str | None) -> str:
    if level == 0:
        return name or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, name] if name else base)


def import_graph(files: Mapping[str, Path], root_package: str) -> dict[str, set[str]]:
    """Module → the package's modules it imports anywhere in its source. Importing ``a.b.c`` also runs the
    ``__init__`` of ``a.b`` (unless the importer lives inside ``a.b`` already), so that is an edge too."""
    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        targets: list[str] = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.extend(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = _absolute(module, path.name == "__init__.py", node.level, node.module)
                targets.append(base)
                targets.extend(f"{base}.{alias.name}" for alias in node.names)
        edges = set()
        for target in targets:
            if not target.startswith(root_package):
                continue
            parts = target.split(".")
            for i in range(1, len(parts) + 1):
                ancestor = ".".join(parts[:i])
                if ancestor in files and module != ancestor and not module.startswith(ancestor + "."):
                    edges.add(ancestor)
        graph[module] = edges
    return graph


def cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_recording_and_calls_are_in_no_import_circle() -> None:
    src = Path(sidecar_stt.__file__).parent.parent
    files = module_files(src, "sidecar_stt")
    graph = import_graph(files, "sidecar_stt")
    assert "sidecar_stt.recording.recorder" in graph and "sidecar_stt.calls.store" in graph
    involved = [c for c in cycles(graph) if any(m.startswith(PACKAGES) for m in c)]
    assert involved == []


def test_the_walk_sees_imports_under_type_checking_and_in_functions(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("from .b import B\n")
    (package / "a.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .sub.b import B\n")
    (package / "sub" / "b.py").write_text("def f():\n    from .. import c\n")
    (package / "c.py").write_text("import pkg.a\n")
    graph = import_graph(module_files(tmp_path, "pkg"), "pkg")
    assert graph["pkg.a"] == {"pkg.sub", "pkg.sub.b"}
    assert cycles(graph) == [["pkg.a", "pkg.c", "pkg.sub", "pkg.sub.b"]]
