"""What a kind of structured answer is: how it is read from one engine text, validated, normalised, grouped, read
back and corrected in part.

A :class:`Kind` is the one shape a capture drives for every structured answer — a fødselsnummer, a date of birth,
a postcode, an e-mail address, an account, organisation or card number, an app's own code, a phone number. Each
kind lives in its own module of this package; :func:`~sidecar_stt.core.kinds.kind` finds one by name.

Candidates (:class:`KindCandidate`) carry a normalised value and a score in 0..1, best first. A kind whose value
must never reach a log (a payment card) marks its candidates ``secret``: their ``repr`` and ``str`` mask it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

__all__ = ["Kind", "KindCandidate", "SpokenValue", "mask"]


def mask(value: str) -> str:
    """A value as logs may show it: every character but the last four starred (``"************1111"``)."""
    keep = 4 if len(value) > 8 else 0
    return "*" * (len(value) - keep) + value[len(value) - keep :]


@dataclass(frozen=True, slots=True)
class KindCandidate:
    """A valid value of a kind found in a text."""

    kind: str
    """The kind's name (``"birth-number"``)."""
    value: str
    """The normalised value: 11 digits, an ISO date, 4 digits, a lower-cased address …"""
    score: float
    """0..1: how sure the reading is; rival readings of the same words and missing context lower it."""
    span: tuple[int, int]
    """Character offsets of the words it was read from."""
    groups: tuple[str, ...] = ()
    """The value in the groups it is read back in."""
    secret: bool = False
    """The value never reaches a log: ``repr`` and ``str`` mask it."""

    def __repr__(self) -> str:
        value = mask(self.value) if self.secret else self.value
        groups = tuple(mask(g) for g in self.groups) if self.secret else self.groups
        return (
            f"KindCandidate(kind={self.kind!r}, value={value!r}, score={self.score!r}, span={self.span!r}, "
            f"groups={groups!r}, secret={self.secret!r})"
        )

    __str__ = __repr__


@dataclass(frozen=True, slots=True)
class SpokenValue:
    """A read-back: the value's groups and the words that say each of them."""

    groups: tuple[str, ...]
    """The value's groups (``("15", "10", "86", "95088")``)."""
    words: tuple[str, ...]
    """The words of each group as spoken (``("femten", "ti", "åttiseks", "nittifem null åtte åtte")``)."""
    separator: str = ", "
    """Between the groups' words."""
    template: str = ""
    """Where the words go when they are not simply joined, ``{0}`` the first ("the {0} of {1} {2}")."""

    @property
    def text(self) -> str:
        """The exact words the agent speaks."""
        return self.template.format(*self.words) if self.template else self.separator.join(self.words)


@runtime_checkable
class Kind(Protocol):
    """One kind of structured answer (see the module docstring)."""

    @property
    def name(self) -> str:
        """The kind's name, as ``sidecar extract`` and the corpora spell it (``"birth-number"``)."""
        ...

    @property
    def secret(self) -> bool:
        """Whether its values must never reach a log."""
        ...

    def candidates(self, text: str, *, language: str = "nb") -> tuple[KindCandidate, ...]:
        """Every valid value read from one engine text, best first (empty when there is none)."""
        ...

    def normalize(self, value: str) -> str | None:
        """``value`` as the kind writes it (digits only, lower case, ISO date), or ``None`` when it is none."""
        ...

    def validate(self, value: str) -> bool:
        """Whether a normalised ``value`` is a value of the kind (length, characters, check digits, range)."""
        ...

    def groups(self, value: str) -> tuple[str, ...]:
        """The groups a valid ``value`` is read back in."""
        ...

    def read_back(self, value: str, *, language: str = "nb") -> SpokenValue:
        """The words that confirm a valid ``value`` with the caller, in ``language``."""
        ...

    def group_names(self, value: str, *, language: str = "nb") -> tuple[str, ...]:
        """What the caller calls each of :meth:`groups` in a partial correction ("dag", "siste fem")."""
        ...
