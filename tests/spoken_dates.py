"""Phone numbers whose pairs read like a date said aloud, shared by the round-trip property tests."""

from __future__ import annotations


def reads_as_a_date_in_pairs(digits: str) -> bool:
    """DD MM 19|20 YY with YY said as one number: read in pairs ("tjuefire, tolv, nitten, nittiåtte") it is a date
    said aloud, which the parser refuses on purpose (``core.phone._is_date``)."""
    d = digits
    return len(d) == 8 and d[4:6] in ("19", "20") and d[6] != "0" and 1 <= int(d[:2]) <= 31 and 1 <= int(d[2:4]) <= 12
