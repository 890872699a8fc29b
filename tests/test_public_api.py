"""The package root's public API is pinned, and core never imports livekit."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import sidecar_stt

pytestmark = pytest.mark.unit


def _type_checking_imports(package: str) -> dict[str, str]:
    """``name -> absolute module`` of every import in the ``if TYPE_CHECKING:`` block of ``package``'s
    ``__init__.py`` (what type checkers read)."""
    path = importlib.import_module(package).__file__
    assert path is not None
    tree = ast.parse(Path(path).read_text(encoding="utf-8"), filename=path)
    imports: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for stmt in node.body:
                assert isinstance(stmt, ast.ImportFrom), ast.unparse(stmt)
                module = importlib.util.resolve_name("." * stmt.level + (stmt.module or ""), package)
                for alias in stmt.names:
                    imports[alias.asname or alias.name] = module
    return imports


# each package with lazy names and the attribute holding its literal map (name -> module)
LAZY_MAPS = [
    ("sidecar_stt", "_EXPORTS"),
    ("sidecar_stt.calls", "_EXPORTS"),
    ("sidecar_stt.testing", "_EXPORTS"),
    ("sidecar_stt.engines", "_LAZY"),
    ("sidecar_stt.evaluation", "_LAZY"),
]


@pytest.mark.parametrize(("package", "attribute"), LAZY_MAPS)
def test_the_lazy_map_is_the_type_checking_imports(package: str, attribute: str) -> None:
    # the map resolved at run time is a literal; what type checkers see is the TYPE_CHECKING block: the two agree
    module = importlib.import_module(package)
    lazy = {name: importlib.util.resolve_name(target, package) for name, target in getattr(module, attribute).items()}
    assert lazy == _type_checking_imports(package)
    for name in lazy:
        assert name in module.__all__, name
        assert getattr(module, name) is not None, name


def test_the_library_never_reads_its_own_source_for_its_exports(tmp_path: Path) -> None:
    # a sourceless install: only .pyc files beside each other; the root's lazy names still resolve
    root = Path(sidecar_stt.__file__).parent
    copy = tmp_path / "sidecar_stt"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "compileall", "-b", "-q", str(copy)], check=True)
    for source in copy.rglob("*.py"):
        source.unlink()
    code = (
        "import sidecar_stt, sidecar_stt.calls\n"
        "assert sidecar_stt.__file__.endswith('.pyc'), sidecar_stt.__file__\n"
        "assert 'TranscriptLedger' in sidecar_stt.__all__ and 'CallStore' in sidecar_stt.calls.__all__\n"
        "print(sidecar_stt.TranscriptLedger.__name__, sidecar_stt.ConfigurationError.__name__)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["TranscriptLedger", "ConfigurationError"]


def test_all_is_what_the_package_provides() -> None:
    # __all__ is exactly the lazy names, sorted, and each is the object of the module it names
    exports = sidecar_stt._EXPORTS
    assert sidecar_stt.__all__ == sorted([*exports, "__version__"], key=str.casefold)
    for name, module in exports.items():
        assert getattr(sidecar_stt, name) is getattr(importlib.import_module(module), name), name
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = sidecar_stt.Nope  # type: ignore[attr-defined]


def test_the_adapter_and_the_capture_events_are_all_public_at_the_root() -> None:
    import sidecar_stt.adapters.livekit as adapter
    import sidecar_stt.core.capture_events as events

    wanted = {*adapter.__all__, *(n for n in events.__all__ if n.endswith("Event"))} - {"SidecarEventTypes"}
    assert wanted - set(sidecar_stt.__all__) == set()
    for name in ("PhoneCaptureMachine", "CallerAnswer", "Proposal", "extract_phone_numbers", "read_back"):
        assert name in sidecar_stt.__all__


def test_core_imports_with_livekit_blocked() -> None:
    code = (
        "import sys\n"
        "for m in ('livekit', 'livekit.agents', 'livekit.rtc'): sys.modules[m] = None\n"
        "import importlib, pkgutil, sidecar_stt.core as core\n"
        "for info in pkgutil.walk_packages(core.__path__, 'sidecar_stt.core.'):\n"
        "    importlib.import_module(info.name)\n"
        "import sidecar_stt\n"
        "sidecar_stt.TranscriptLedger\n"
        "assert not any(k.startswith('livekit') and sys.modules[k] is not None for k in sys.modules)\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_testing_fakes_are_public_and_resolve() -> None:
    import sidecar_stt.testing as testing

    for name in ("FakeRealtimeServer", "ScriptedEngine", "CallerAudioInput", "offline_call", "synthesize_speech"):
        assert name in testing.__all__
    for name in testing.__all__:
        assert getattr(testing, name) is not None, name
