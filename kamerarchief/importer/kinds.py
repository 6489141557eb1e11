"""The kind of a kamerstuk from the heading of its first page: in scope (verslagen, letters) or not."""

from __future__ import annotations

import re

# The OCR's readings of the words: 'VOORLOOPIG', 'VOÜRLOOPIG', 'V00RL00PIG'; 'VEESLAG', 'VEKSLAG', 'V BESLAG'.
VOORLOPIG = r"V[OÜ0]{1,2}[RE]L[OÜ0]{1,2}PIG"
VERSLAG = r"(?:VE[REK]SLAG|V BESLAG)"
# The numbers of a paper of the Bijlagen printed before its heading: '(605. 1.) BRIEF ...', '88. EINDVERSLAG'.
NUMBER_PREFIX = re.compile(r"^[\[(|]?[\d«][\d\s.,«]*[\])]?\.?(?=\s*[A-Z])")

# In scope, most specific first: (pattern on the heading, the type written in verslag.yaml).
# The patterns allow the OCR's common slips ('VEESLAG', 'VOOELOOPIG').
IN_SCOPE = (
    (r"^VERSLAG VAN EEN SCHRIFTELIJK OVERLEG", "verslag van een schriftelijk overleg"),
    (r"^VERSLAG VAN EEN MONDELING OVERLEG", "verslag van een mondeling overleg"),
    (r"^VERSLAG VAN EEN ALGEMEEN OVERLEG", "verslag van een algemeen overleg"),
    (r"^VERSLAG OVER HET ADRES|VERZOEKSCHRIFTEN", "verslag van de commissie voor de verzoekschriften"),
    (r"^MONDELING OVERLEG$", "verslag van een mondeling overleg"),      # 1970s: the heading alone
    (rf"^NADER {VOORLOPIG} {VERSLAG}", "nader voorlopig verslag"),
    (rf"^{VOORLOPIG} {VERSLAG}", "voorlopig verslag"),
    (r"^EINDVE[RE]SLAG", "eindverslag"),
    (r"^LIJST VAN VRAGEN EN ANTWOORDEN", "lijst van vragen en antwoorden"),
    (r"^LIJST VAN (AANVULLENDE )?VRAGEN\b", "lijst van vragen"),
    (rf"^{VERSLAG}\b|^VERVOLGVE[RE]SLAG\b", "verslag"),
    (r"^BRIEF VAN DE[N]? |^BRIEF HOUDENDE|^(AANBIEDINGS|GELEIDENDE )B[RK]IEF", "brief"),
)
DOC_TYPES = tuple(dict.fromkeys(kind for _, kind in IN_SCOPE))

# Out of scope, counted by kind in the import's summary.
OUT_OF_SCOPE = (
    (r"^(NADERE |TWEEDE |DERDE )?MEMORIE VAN TOELICHTING", "memorie van toelichting"),
    (r"^(NADERE |TWEEDE |DERDE )?MEMORIE VAN ANTWOORD", "memorie van antwoord"),
    (r"^(\w+ )?NOTA (VAN WIJZIGING|VAN VERBETERING|NAAR AANLEIDING)", "nota"),
    (r"^(\w+ )?NOTA\b", "nota"),
    (r"^(GEWIJZIGD\w* )?AMENDEMENT", "amendement"),
    (r"^(GEWIJZIGDE )?MOTIE", "motie"),
    (r"^KONINKLIJKE BOODSCHAP", "koninklijke boodschap"),
    (r"^(GEWIJZIGD |OORSPRONKELIJK\w* )?(ONTWERP|VOORSTEL) VAN (WET|RIJKSWET)|^(GEWIJZIGD |OORSPRONKELIJK\w* )?(TEKST|ONTWERP)", "wetsvoorstel"),
    (r"^ADVIES (RAAD VAN STATE|VAN DE RAAD)|^ADVIES", "advies raad van state"),
    (r"^AANHANGSEL|^VRAGEN|^ANTWOORD", "kamervragen"),
    (r"^VERGADERING VAN|^HANDELINGEN", "handelingen"),
    (r"^BIJLAGE", "bijlage"),
    (r"^(\w+ )?VERSLAG VAN HET|^RAPPORT", "rapport"),
)


def kind_of(heading: str) -> tuple[str, bool]:
    """(kind, in scope) of a heading in capitals; ('onbekend', False) when it names no kind."""
    text = " ".join(heading.upper().replace("’", "'").split())
    if NUMBER_PREFIX.match(text):
        return kind_of(NUMBER_PREFIX.sub("", text))
    for pattern, kind in IN_SCOPE:
        if re.search(pattern, text):
            return kind, True
    for pattern, kind in OUT_OF_SCOPE:
        if re.search(pattern, text):
            return kind, False
    return "onbekend", False


def looks_like_heading(text: str) -> bool:
    """A line that starts with words in capitals that could name a kind ('VERSLAG VAN EEN ...',
    'BRIEF VAN DE MINISTER', 'MEMORIE VAN ANTWOORD Ontvangen 2 december 1985')."""
    head = capitals_prefix(text)
    return len([c for c in head if c.isalpha()]) >= 6


def capitals_prefix(text: str) -> str:
    """The leading words of a line that are in capitals (digits and punctuation allowed)."""
    words = []
    for word in text.split():
        letters = [c for c in word if c.isalpha()]
        if letters and not all(c.isupper() for c in letters):
            break
        words.append(word)
    return " ".join(words)
