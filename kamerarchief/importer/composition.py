"""The committee's composition footnote, seat by seat: 'Kox (SP), ..., vac. (Fractie-Nanninga)'.

Members and plaatsvervangende leden, roles after the member they belong to ('(voorzitter)',
', voorzitter'), vacancies with or without a party, members without one ('(-)'). The footnote's
text itself is kept as printed; this only reads the seats out of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ROLE = r"(?:onder)?voor-?zitter"
# A party in brackets; the OCR reads a closing bracket before a comma as 'I' ('(PvdAI, Lansink').
SEAT = re.compile(
    r"(?P<name>(?:[A-ZÀ-Ý]\.\s?)*[A-ZÀ-Ýa-z'’][^(),:;]*?|vac\.|[Vv]acature)\s*"
    r"[({]\s*(?P<party>[^(){},]{1,30}?)\s*(?:[)}]|I(?=,)|(?=,))"
    rf"(?:\s*\((?P<role>{ROLE})\)|,\s*(?P<role2>{ROLE})(?=[\s,.;]|$)|\s+(?P<role3>{ROLE})\b)?")
BARE_VACANCY = re.compile(r"\b[Vv]acature\s+(?P<party>[A-Z][\w'’.]*)(?=[,.\s]|$)")
SUBSTITUTES = re.compile(r"Plv\.?\s*leden\s*:", re.I)
LEAD_WORDS = re.compile(r"^(?:(?:Samenstelling|Leden|Plv\.?\s*leden)\s*:\s*|en\s+|Mevr\.\s*|Mej\.\s*|Dhr\.\s*|Mw\.\s*)+")


@dataclass(frozen=True)
class PrintedSeat:
    """One seat as printed: the name (None for a vacancy), the party as printed (None for '(-)' or
    none printed), its role, whether it is a plaatsvervangend lid, and where it stands in the text."""

    name: str | None
    party: str | None
    role: str | None
    substitute: bool
    name_span: tuple[int, int] | None
    party_span: tuple[int, int] | None


def parse_composition(text: str) -> list[PrintedSeat]:
    """The seats of a composition footnote, in printed order."""
    substitutes_from = (m.start() if (m := SUBSTITUTES.search(text)) else len(text) + 1)
    found: list[tuple[int, PrintedSeat]] = []
    for m in SEAT.finditer(text):
        name = m.group("name")
        lead = LEAD_WORDS.match(name)
        offset = lead.end() if lead else 0
        name = name[offset:].strip()
        if not name or len(name.split()) > 6:
            continue
        vacancy = name.lower() in ("vac.", "vacature")
        party = m.group("party").strip()
        role = m.group("role") or m.group("role2") or m.group("role3")
        party_value = None if party in ("-", "–", "") else party
        start = m.start("name") + offset + (len(m.group("name")[offset:]) - len(m.group("name")[offset:].lstrip()))
        # 'Ockels en Eisses-Timmerman (CDA)': the last member of a list joined by 'en' before a
        # bracket; those before it are printed without a party.
        while not vacancy and " en " in name:
            before, name = name.split(" en ", 1)
            found.append((m.start() + start - m.start(), PrintedSeat(before.strip(), None, None, m.start() > substitutes_from,
                                                                    (start, start + len(before.strip())), None)))
            start += len(before) + 4
        found.append((m.start(), PrintedSeat(
            None if vacancy else name, party_value, role.replace("-", "") if role else None,
            m.start() > substitutes_from, None if vacancy else (start, start + len(name)),
            (m.start("party"), m.start("party") + len(party)) if party_value else None)))
    taken = [(m.start(), m.end()) for m in SEAT.finditer(text)]
    for m in BARE_VACANCY.finditer(text):
        if not any(a <= m.start() < b for a, b in taken):
            found.append((m.start(), PrintedSeat(None, m.group("party"), None, m.start() > substitutes_from,
                                                 None, (m.start("party"), m.end("party")))))
    return [seat for _, seat in sorted(found, key=lambda item: item[0])]
