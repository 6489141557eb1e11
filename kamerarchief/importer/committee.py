"""The committee a kamerstuk names: in its heading, or in its first paragraphs' running text,
without the words of the sentence that follow the name."""

from __future__ import annotations

import re

COMMITTEE = re.compile(r"((?:vaste|bijzondere|algemene)\s+[Cc]ommissies?\s+(?:voor|van|uit)\s+[^,.;:()]+?)"
                       r"(?=\s*(?:\d{1,2}\b|['’^*]|\s(?:heeft|hebben|is|zijn|brengt|acht)\b|,|$))")
KIND_COMMITTEE = re.compile(r"VAN DE[R]? (?:VASTE |BIJZONDERE )?COMMISSIE (VOOR|VAN) (.+?)(?:\d|\s+VASTGESTELD|$)", re.I)
# Verbs that end a committee's name in running text ('... voor Justitie heeft ...').
VERBS = {"heeft", "hebben", "is", "zijn", "werd", "werden", "brengt", "acht", "achtte", "achtten", "had",
         "stelt", "stelde", "wenst", "wenste", "besloot", "kan", "zal"}
SMALL_WORDS = {"en", "van", "voor", "de", "het", "der", "den", "op", "in", "te", "met", "tot", "uit", "aan"}


def committee_of(heading: str, texts: list[str]) -> str | None:
    """The committee's name as printed after 'de' ('vaste commissie voor Financiën'): from the
    heading ('EINDVERSLAG VAN DE VASTE COMMISSIE VOOR FINANCIËN'), else from the first of `texts`
    (the stuk's first paragraphs) that names one."""
    if (m := KIND_COMMITTEE.search(heading)):
        words = m.group(2).strip().rstrip("0123456789").split()
        named = " ".join(w.lower() if w.lower() in SMALL_WORDS else w.capitalize() for w in words)
        kind = re.search(r"(VASTE|BIJZONDERE)", heading, re.I)
        return f"{kind.group(1).lower() + ' ' if kind else ''}commissie {m.group(1).lower()} {named}"
    for text in texts:
        if (m := COMMITTEE.search(text)) and (name := committee_name(m.group(1))):
            return name[0].lower() + name[1:]
    return None


def committee_name(found: str) -> str | None:
    """A committee's name as running text prints it, without the words of the sentence that
    follow it ('vaste Commissie voor So-ciale Zaken werd het' is 'vaste Commissie voor Sociale
    Zaken'). The name is its words in capitals and the small words between them; a name printed
    in lower case ('vaste commissie voor onderwijs en wetenschappen') runs to a verb or the end.
    An OCR line-end hyphen inside a word ('So-ciale') is undone in the name only: the text
    keeps it as printed."""
    head, _, rest = found.partition(" ")
    head2, _, rest = rest.partition(" ")
    words = re.sub(r"(?<=[a-zë])-(?=[a-zë])", "", rest).split()   # after '<vaste> <commissie>'
    if not words:
        return None
    name = [words[0]]
    start = 1
    if words[0].lower() in SMALL_WORDS and len(words) > 1:  # 'voor'
        name.append(words[1])
        start = 2
    capitals = any(w[:1].isupper() for w in words[start - 1:start + 2])
    for word in words[start:]:
        if capitals and not (word[:1].isupper() or word.lower() in SMALL_WORDS):
            break
        if not capitals and word.lower() in VERBS:
            break
        name.append(word)
    while len(name) > 2 and name[-1].lower() in SMALL_WORDS:
        name.pop()
    return " ".join([head, head2, *name])
