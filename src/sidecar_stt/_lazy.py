"""Lazy package attributes (PEP 562): a name is imported from its module on first access, then cached.

Used by the package root and the subpackages whose exports pull in livekit, a vendor SDK or matplotlib, so that
importing the package itself stays cheap.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_getattr(package: str, exports: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package`` resolving ``name`` from ``exports[name]`` (absolute, or relative
    to ``package``)."""

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, package), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__


def type_checking_exports(path: str, package: str) -> dict[str, str]:
    """``name -> module`` for every ``from .module import name as name`` in the ``if TYPE_CHECKING:`` block of
    the file at ``path``: that block is the one list of a package's lazy exports, read by type checkers as
    imports and here as the map :func:`lazy_getattr` resolves."""
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), filename=path)
    exports: dict[str, str] = {}
    for node in tree.body:
        if not (isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"):
            continue
        for stmt in node.body:
            if isinstance(stmt, ast.ImportFrom):
                module = "." * stmt.level + (stmt.module or "")
                for alias in stmt.names:
                    exports[alias.asname or alias.name] = importlib.util.resolve_name(module, package)
    return exports
