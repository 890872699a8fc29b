"""Language packs: every pack fills every field, the registry finds every pack module, and the packs are the only
place in ``core/`` (and the engine hints) where a language's words live."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import re
import string
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from sidecar_stt.core.languages import LANGUAGES, LanguagePack, language_pack, language_packs, normalize_language
from sidecar_stt.core.languages import pack as pack_module

SRC = Path(__file__).resolve().parents[1] / "src" / "sidecar_stt"
LANGUAGES_DIR = SRC / "core" / "languages"

MAY_BE_EMPTY = {
    "filler_phrases": "Swedish and Danish have no hesitation phrases yet",
    "word_forms": "only nynorsk says num2words' words in other forms",
    "ending_forms": "only nynorsk says num2words' endings in other forms",
    "borrowed": "a language with every table of its own borrows nothing",
    "variants": "only Norwegian has interchangeable forms of a number word (sju/syv) for read-backs to follow",
    "spelling_rules": "only the Norwegian packs have dialect and engine spellings of number words yet",
}
"""Fields a pack may leave empty, and why."""


def _pack_modules() -> list[str]:
    return sorted(p.stem for p in LANGUAGES_DIR.glob("*.py") if not p.stem.startswith("_") and p.stem != "pack")


def test_the_registry_finds_every_pack_module_and_nothing_else() -> None:
    modules = _pack_modules()
    assert set(modules) == {"nb", "nn", "en", "sv", "da"}
    assert sorted(LANGUAGES) == modules
    assert LANGUAGES == ("nb", "nn", "en", "sv", "da")  # rank order: help texts and error messages keep it
    for name in modules:
        module = importlib.import_module(f"sidecar_stt.core.languages.{name}")
        assert module.PACK is language_pack(name)
        assert module.PACK.code == name
    assert [p.code for p in language_packs()] == list(LANGUAGES)
    assert len({p.rank for p in language_packs()}) == len(LANGUAGES)


def _empty(value: object) -> bool:
    if isinstance(value, re.Pattern):
        return not value.pattern
    if isinstance(value, str | tuple | list | frozenset | set | Mapping):
        return len(value) == 0
    return False


def _fields(obj: object, prefix: str = "") -> Iterator[tuple[str, str, object]]:
    """(path, field name, value) of every field of ``obj``, nested dataclasses included."""
    for f in dataclasses.fields(obj):  # type: ignore[arg-type]
        value = getattr(obj, f.name)
        path = f"{prefix}{f.name}"
        yield path, f.name, value
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            yield from _fields(value, path + ".")


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_pack_fills_every_field(code: str) -> None:
    pack = language_pack(code)
    assert isinstance(pack, LanguagePack)
    empty = [path for path, name, value in _fields(pack) if _empty(value) and name not in MAY_BE_EMPTY]
    assert not empty, f"{code}: empty fields {empty}"
    for path, _, value in _fields(pack):
        if isinstance(value, tuple | frozenset):
            assert all(isinstance(w, str | tuple) and w for w in value), f"{code}: {path} holds an empty entry"
            words = [w for w in value if isinstance(w, str)]
            assert all(w == w.lower() and w == w.strip() for w in words), f"{code}: {path} not lower case, stripped"


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_pack_has_every_model_text_with_its_placeholders(code: str) -> None:
    reference = language_pack("nb").model_texts
    texts = language_pack(code).model_texts
    assert set(texts) == set(reference)
    for key, text in texts.items():
        fields = {name for _, name, _, _ in string.Formatter().parse(text) if name}
        wanted = {name for _, name, _, _ in string.Formatter().parse(reference[key]) if name}
        assert fields == wanted, f"{code}: {key} has placeholders {fields}, expected {wanted}"


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_borrowed_field_is_the_other_packs_own_and_named(code: str) -> None:
    pack = language_pack(code)
    names = {f.name for f in dataclasses.fields(LanguagePack)}
    for field, owner in pack.borrowed.items():
        assert field in names and owner in LANGUAGES and owner != code
        assert getattr(pack, field) is getattr(language_pack(owner), field)
        assert field not in language_pack(owner).borrowed, "borrow from the pack that owns the table"
    for other in language_packs():
        for field in names - {"listen_cues"} - set(pack.borrowed) - set(other.borrowed):
            if other.code != code and not isinstance(getattr(pack, field), str | int | tuple):
                assert getattr(pack, field) is not getattr(other, field), f"{code}.{field} is {other.code}'s"


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_code_and_alias_finds_its_pack(code: str) -> None:
    pack = language_pack(code)
    for tag in (code, code.upper(), f"{code}-XX", f"{code}_xx", *pack.aliases):
        assert normalize_language(tag) == code
        assert language_pack(tag) is pack
    assert pack.numbers.code == code


def test_an_unknown_language_is_one_clear_error() -> None:
    with pytest.raises(ValueError, match=r"unsupported language 'de-DE'; expected one of nb, nn, en, sv, da"):
        language_pack("de-DE")


# -- the packs are the only place the words live ---------------------------------------------------------------

_TOKEN = re.compile(r"[^\W\d_]{2,}")


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, re.Pattern):
        yield value.pattern
    elif isinstance(value, Mapping):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, tuple | list | frozenset | set):
        for v in value:
            yield from _strings(v)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _strings(getattr(value, f.name))


def _vocabulary() -> frozenset[str]:
    """Every word of every pack's word lists and patterns (not the model's prose)."""
    words: set[str] = set()
    for pack in language_packs():
        for field in ("numbers", "answers", "corrections", "intent", "listen_cues", "keypad", "engine_hints"):
            for text in _strings(getattr(pack, field)):
                words.update(w.lower() for w in _TOKEN.findall(text))
    return frozenset(words)


def _codes() -> frozenset[str]:
    return frozenset(tag for pack in language_packs() for tag in (pack.code, *pack.aliases))


def _known(text: str, vocabulary: frozenset[str]) -> bool:
    """Whether ``text`` is a word or phrase of the packs ("stemmer ikke"): every word of it is in ``vocabulary``."""
    words = _TOKEN.findall(text.lower())
    return bool(words) and " ".join(words) == " ".join(text.lower().split()) and set(words) <= vocabulary


MIN_WORDS = 3
"""A table of this many words of the packs' vocabulary (or a pattern alternating them) is a word list."""


def word_tables(source: str, vocabulary: frozenset[str], codes: frozenset[str]) -> list[str]:
    """Where ``source`` defines a language's words: a literal tuple/list/set/dict (or a regex alternation) holding
    :data:`MIN_WORDS` words of ``vocabulary``, or a dict keyed by two language codes (a table per language).
    ``__all__``, ``__slots__`` and ``Literal[...]`` are names of code, not words."""
    tree = ast.parse(source)
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id in ("__all__", "__slots__") for t in targets) and node.value:
                skip.update(id(n) for n in ast.walk(node.value))
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "Literal":
            skip.update(id(n) for n in ast.walk(node.slice))
    found: list[str] = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Tuple | ast.List | ast.Set | ast.Dict):
            elements = [k for k in node.keys if k is not None] if isinstance(node, ast.Dict) else node.elts
            texts = [e.value for e in elements if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if isinstance(node, ast.Dict) and len({t.lower() for t in texts} & codes) >= 2:
                found.append(f"line {node.lineno}: a table per language {texts[:5]}")
            known = {t.lower() for t in texts if _known(t, vocabulary)}
            if len(known) >= MIN_WORDS and not known <= codes:  # ("nb", "nn", "no") names languages
                found.append(f"line {node.lineno}: words {sorted(known)[:5]}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            for group in re.findall(r"\(([^()]*\|[^()]*)\)", node.value):
                known = {a.strip().lower() for a in group.split("|") if _known(a, vocabulary)}
                if len(known) >= MIN_WORDS:
                    found.append(f"line {node.lineno}: a pattern of words {sorted(known)[:5]}")
    return found


def _scanned_modules() -> list[Path]:
    core = [p for p in (SRC / "core").rglob("*.py") if LANGUAGES_DIR not in p.parents]
    return sorted([*core, SRC / "engines" / "hints.py"])


def test_no_module_outside_the_packs_keeps_words_of_a_language() -> None:
    vocabulary, codes = _vocabulary(), _codes()
    assert len(_scanned_modules()) > 30
    offenders = {
        str(p.relative_to(SRC)): hits
        for p in _scanned_modules()
        if (hits := word_tables(p.read_text(encoding="utf-8"), vocabulary, codes))
    }
    assert not offenders, f"word lists outside core/languages: {offenders}"


@pytest.mark.parametrize(
    "source",
    [
        '_YES = ("ja", "jo", "jepp", "stemmer")',
        '_NO: Final = frozenset({"nei", "feil", "stemmer ikke"})',
        '_HOME_REGION = {"nb": "NO", "en": "NO"}',
        'WORDS = {"nb": x, "sv": y}',
        '_ASK = re.compile(r"\\b(hva|kva|vad|hvad)\\b")',
        'def f(w):\n    return w in ["nittito", "trettifire", "femti"]',
    ],
)
def test_the_scan_finds_a_word_table_written_outside_the_packs(source: str) -> None:
    assert word_tables(source, _vocabulary(), _codes())


@pytest.mark.parametrize(
    "source",
    [
        '__all__ = ["ja", "nei", "stemmer", "feil"]',
        'Answer = Literal["ja", "nei", "stemmer"]',
        'KINDS = ("mobile", "voip", "pager", "uan")',
        'x = {"nb": 1}',
        'NORWEGIAN = ("nb", "nn", "no")',
    ],
)
def test_the_scan_leaves_names_of_code_alone(source: str) -> None:
    assert not word_tables(source, _vocabulary(), _codes())


def test_the_pack_shape_is_one_module_of_dataclasses() -> None:
    shapes = [v for v in vars(pack_module).values() if dataclasses.is_dataclass(v) and isinstance(v, type)]
    assert LanguagePack in shapes
    for shape in shapes:
        assert shape.__dataclass_params__.frozen, f"{shape.__name__} must be frozen"  # type: ignore[attr-defined]
