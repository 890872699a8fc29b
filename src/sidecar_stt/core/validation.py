"""Is a digit string a valid phone number? ``phonenumbers``' own rules, from its metadata compiled once.

:func:`validate` answers for a national number of a region or a ``+``-number. Where a country needs no prefix
handling (Norway, and most countries without a trunk prefix), it decides from the regular expressions of
``phonenumbers``' metadata, compiled once per country code, by the same rules as
``phonenumbers.is_valid_number`` (measured 1.4× faster whole extraction on fresh inputs than ``phonenumbers`` with
a cache, ``benchmarks/bench_validator.py``); everywhere else, and for a national number that starts with its
country code, ``phonenumbers`` decides. A property test holds the two to the same answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Final

import phonenumbers

__all__ = ["Matcher", "RegionInfo", "RegionRule", "ValidNumber", "region_info", "validate", "validate_with_library"]

Matcher = Callable[[str], object]
"""A compiled pattern's ``fullmatch``/``match``: truthy when the digits match."""

_TYPE_DESCS: Final = (
    "mobile", "fixed_line", "premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager", "uan",
    "voicemail",
)  # fmt: skip
"""The number types whose patterns make a number valid (any one will do): the types most numbers are tried first."""


@dataclass(frozen=True, slots=True)
class ValidNumber:
    """A valid phone number."""

    e164: str
    nsn: str
    """The national significant number."""
    region: str
    country_code: int


@dataclass(frozen=True, slots=True)
class TypeRule:
    """One number type of a region (mobile, fixed line, …): its lengths and pattern."""

    lengths: frozenset[int]
    match: Matcher


@dataclass(frozen=True, slots=True)
class RegionRule:
    """The validation metadata of one region, compiled."""

    region: str
    leading: Matcher | None
    """Leading digits that pick this region among those sharing a country code, if the metadata has them."""
    lengths: frozenset[int]
    """The general possible lengths (empty: any)."""
    match: Matcher
    """The general national-number pattern."""
    types: tuple[TypeRule, ...]

    def has_type(self, nsn: str) -> bool:
        """``phonenumbers``' number-type test: the general pattern and at least one type pattern match."""
        n = len(nsn)
        if (self.lengths and n not in self.lengths) or self.match(nsn) is None:
            return False
        return any((not t.lengths or n in t.lengths) and t.match(nsn) is not None for t in self.types)


@dataclass(frozen=True, slots=True)
class RegionInfo:
    """What extraction needs to know about the region of numbers said without a country code."""

    country_code: str
    check: Matcher | None
    """A fast pre-check of national numbers (the general patterns), when the metadata allows one."""
    plain: bool
    """Whether national digits are the national significant number as said (no trunk prefix to strip)."""
    lengths: frozenset[int]
    """The lengths national numbers of the country code may have (empty: unknown)."""


@cache
def _country_rules(cc: int) -> tuple[RegionRule, ...] | None:
    """Validation patterns of every region sharing ``cc``, compiled once (``None``: leave it to phonenumbers)."""
    rules: list[RegionRule] = []
    for region in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(cc, ()):
        meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
        if meta is None or meta.general_desc is None or not meta.general_desc.national_number_pattern:
            return None
        if meta.national_prefix or meta.national_prefix_for_parsing:
            return None  # prefixes to strip: phonenumbers decides
        types: list[TypeRule] = []
        for name in _TYPE_DESCS:
            desc = getattr(meta, name)
            if desc is not None and desc.national_number_pattern:
                types.append(
                    TypeRule(frozenset(desc.possible_length or ()), re.compile(desc.national_number_pattern).fullmatch)
                )
        general = meta.general_desc
        rules.append(
            RegionRule(
                region=region,
                leading=re.compile(meta.leading_digits).match if meta.leading_digits else None,
                lengths=frozenset(general.possible_length or ()),
                match=re.compile(general.national_number_pattern or "").fullmatch,
                types=tuple(types),
            )
        )
    return tuple(rules) or None


def _fast_validate(nsn: str, cc: int, rules: tuple[RegionRule, ...]) -> ValidNumber | None:
    """Validity of ``+cc nsn`` from compiled metadata, by the rules of ``phonenumbers.is_valid_number``."""
    for rule in rules:
        if rule.leading is None:
            if rule.has_type(nsn):
                return ValidNumber(f"+{cc}{nsn}", nsn, rule.region, cc)
        elif rule.leading(nsn):
            return ValidNumber(f"+{cc}{nsn}", nsn, rule.region, cc) if rule.has_type(nsn) else None
    return None


@lru_cache(maxsize=32768)
def validate(number: str, region: str) -> ValidNumber | None:
    """The valid number ``number`` is, else ``None``.

    ``number`` is ``"+<cc><nsn>"`` or national digits of ``region``. Decided from compiled metadata when
    the number needs no prefix handling, by ``phonenumbers`` otherwise.
    """
    if number.startswith("+"):
        digits = number[1:]
        for size in (1, 2, 3):
            head = digits[:size]
            if head.isdigit() and int(head) in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
                rules = _country_rules(int(head))
                if rules is not None and digits[size:].isdigit():
                    return _fast_validate(digits[size:], int(head), rules)
                break
    else:
        info = region_info(region)
        rules = _country_rules(int(info.country_code)) if info.plain else None
        if rules is not None and number.isdigit() and not number.startswith("00"):
            result = _fast_validate(number, int(info.country_code), rules)
            if result is None and number.startswith(info.country_code):
                # phonenumbers strips a leading country code said without "+" ("47 40 00 00 00"): ask it
                return validate_with_library(number, region)
            return result
    return validate_with_library(number, region)


def validate_with_library(number: str, region: str) -> ValidNumber | None:
    """:func:`validate` by ``phonenumbers`` itself (the reference the compiled rules are held to)."""
    try:
        parsed = phonenumbers.parse(number, None if number.startswith("+") else region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    nsn = phonenumbers.national_significant_number(parsed)
    found = phonenumbers.region_code_for_number(parsed) or region
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return ValidNumber(e164, nsn, found, int(parsed.country_code or 0))


@cache
def region_info(region: str) -> RegionInfo:
    """The :class:`RegionInfo` of ``region`` (``ValueError`` when ``phonenumbers`` does not know it)."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if meta is None:
        raise ValueError(f"unknown region {region!r}")
    cc = meta.country_code or 0
    plain = not meta.national_prefix and not meta.national_prefix_for_parsing
    rules = _country_rules(cc) if plain else None
    if rules is None:
        return RegionInfo(str(cc), None, False, frozenset())
    matchers = [rule.match for rule in rules]
    lengths = frozenset(n for rule in rules for n in rule.lengths)
    return RegionInfo(str(cc), lambda digits: next((m for m in matchers if m(digits) is not None), None), True, lengths)
