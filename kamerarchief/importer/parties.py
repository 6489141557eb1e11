"""The parties (fracties) of the stukken since the 1950s, with their printed spellings and OCR slips.

Ids are the archive's own and stable (those of content/partijen.yaml where it has the party). A
spelling is matched as printed inside the composition's brackets and as a whole word in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..dutch import fold


@dataclass(frozen=True)
class KnownParty:
    id: str
    abbreviation: str
    name: str
    spellings: tuple[str, ...]   # as printed, OCR slips included; the first is the abbreviation


def _p(ident, abbreviation, name, *spellings):
    return KnownParty(ident, abbreviation, name, (abbreviation, *spellings))


KNOWN_PARTIES = (
    _p("vvd", "VVD", "Volkspartij voor Vrijheid en Democratie", "V.V.D.", "WD", "VVD.", "W.D.", "IWD"),
    _p("cda", "CDA", "Christen-Democratisch Appèl", "C.D.A.", "CDAI", "CDA1"),
    _p("pvda", "PvdA", "Partij van de Arbeid", "P.v.d.A.", "PvdAI", "PvdA1", "P.v.d.A", "PVDA"),
    _p("d66", "D66", "Democraten 66", "D'66", "D’66", "D '66", "D.66"),
    _p("gl", "GL", "GroenLinks", "GroenLinks", "Groen Links", "GroenLmks", "Groenlinks", "GroenLinks-fractie"),
    _p("kvp", "KVP", "Katholieke Volkspartij", "K.V.P."),
    _p("arp", "ARP", "Anti-Revolutionaire Partij", "A.R.P.", "A.R."),
    _p("chu", "CHU", "Christelijk-Historische Unie", "C.H.U.", "C.H."),
    _p("ppr", "PPR", "Politieke Partij Radikalen", "P.P.R."),
    _p("psp", "PSP", "Pacifistisch Socialistische Partij", "P.S.P."),
    _p("cpn", "CPN", "Communistische Partij van Nederland", "C.P.N."),
    _p("ds70", "DS'70", "Democratisch Socialisten '70", "DS '70", "DS’70", "D.S.'70"),
    _p("gpv", "GPV", "Gereformeerd Politiek Verbond", "G.P.V.", "GPVI"),
    _p("sgp", "SGP", "Staatkundig Gereformeerde Partij", "S.G.P.", "SGPI"),
    _p("rpf", "RPF", "Reformatorische Politieke Federatie", "R.P.F."),
    _p("evp", "EVP", "Evangelische Volkspartij", "E.V.P."),
    _p("boerenpartij", "Boerenpartij", "Boerenpartij", "BP", "Boeren-partij"),
    _p("cp", "CP", "Centrumpartij", "Centrumpartij"),
    _p("cd", "CD", "Centrumdemocraten", "Centrumdemocraten"),
    _p("sp", "SP", "Socialistische Partij", "S.P."),
    _p("aov", "AOV", "Algemeen Ouderen Verbond"),
    _p("unie-55-plus", "Unie 55+", "Unie 55+", "Unie55+"),
    _p("pvv", "PVV", "Partij voor de Vrijheid"),
    _p("cu", "CU", "ChristenUnie", "ChristenUnie", "ChristenUnie-fractie"),
    _p("pvdd", "PvdD", "Partij voor de Dieren"),
    _p("50plus", "50PLUS", "50PLUS"),
    _p("osf", "OSF", "Onafhankelijke SenaatsFractie"),
    _p("fvd", "FVD", "Forum voor Democratie", "FvD"),
    _p("fractie-otten", "Fractie-Otten", "Fractie-Otten"),
    _p("fractie-nanninga", "Fractie-Nanninga", "Fractie-Nanninga", "Fractie-Van Pareren", "JA21"),
)


def _key(spelling: str) -> str:
    return re.sub(r"\s+", "", fold(spelling))


def party_by_spelling(spelling: str) -> KnownParty | None:
    """The known party a printed spelling names ('WD', 'PvdAI', 'GroenLmks'), or None."""
    wanted = _key(spelling.strip().rstrip(",").strip())
    for party in KNOWN_PARTIES:
        if any(_key(s) == wanted for s in party.spellings):
            return party
    return None


def mention_pattern(spellings) -> re.Pattern:
    """A pattern for whole-word mentions of any of `spellings`, longest first."""
    ordered = sorted(set(spellings), key=len, reverse=True)
    alternatives = "|".join(re.escape(s) for s in ordered)
    return re.compile(rf"(?<![\w'’.-])({alternatives})(?![\w'’-]|\.\w)")
