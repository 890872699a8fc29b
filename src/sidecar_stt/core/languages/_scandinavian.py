"""Words the Scandinavian packs share: one set of listen cues for nb, nn, sv and da.

An agent's prompt may mix the neighbour languages ("Kan jeg få nummeret ditt?" in a Swedish call), and the cue
words are close enough that one pattern serves all four.
"""

from __future__ import annotations

import re

from .pack import ListenCues

__all__ = ["LISTEN_CUES"]

LISTEN_CUES = ListenCues(
    number=re.compile(
        r"\b(telefonnum\w*|mobilnum\w*|mobiltelefonnum\w*|num(mer|ret|mere)\w*|mobil(en|ar)?|tlf|nå (deg|dere|dig))\b"
    ),
    ask=re.compile(
        r"\?|\b(hva|kva|vad|hvad|hvilket|hvilke|kva for|vilket|vilka)\b"
        r"|\b(kan|kunne|vil|ville|må) (du|de|dere|ni|jeg få|eg få|jag få|jeg be om|eg be om|jag be om)\b"
        r"|\b(trenger|treng|behøver|behöver)\b"
        r"|^(si|sei|säg|sig|gi|gje|ge|giv|oppgi|uppge|opplys|oplys|fortell|fortel|berätta|les|läs|tast)\b"
    ),
    rules_out=re.compile(
        r"\b(ikke|ikkje|inte|aldri|aldrig|registrert|registrerat|registreret|lagret|lagra|lagrat|gemt"
        r"|notert|noterat|noteret|bekreftet|stadfest|bekräftat|bekræftet|mottatt|fått|stemmer det|stämmer det"
        r"|er det (riktig|rett|korrekt)|är det (rätt|korrekt))\b"
    ),
)
