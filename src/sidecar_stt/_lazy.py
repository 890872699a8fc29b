"""Lazy package attributes (PEP 562): a name is imported from its module on first access, then cached.

Used by the package root and the subpackages whose exports pull in livekit, a vendor SDK or matplotlib, so that
importing the package itself stays cheap. Each package spells its map out as a literal (``name -> module``); it
never reads its own source, so a sourceless install (only ``.pyc``) works. tests/test_public_api.py pins each map
to the package's ``TYPE_CHECKING`` imports, the list type checkers read.
"""

from __future__ import annotations

import importlib
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
