"""A recognised Stuk as content: verslag.yaml, inleiding.md and one Markdown file per letter.

Pure apart from the registries it asks for ids. The text is written as printed: Markdown's own
characters are escaped, mentions of the composition's persons ('Karimi (GroenLinks)') and of
parties become links whose text stays the printed words, and footnote numbers become [^n]. Where
the importer is unsure it says so in a YAML comment '# controleren: ...'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from .. import dutch
from .parties import KNOWN_PARTIES, mention_pattern
from .committee import SMALL_WORDS
from .recognise import LetterPart, Signature, Stuk
from .registries import Registries, year_of
from .composition import parse_composition
from .text import footnote_reference, join_lines, join_with_breaks

ESCAPE = re.compile(r"([\\`*_\[\]<>|~])")
# The OCR reads a superscript 1 as a quote glued to the word before it: 'gehandicaptenbeleid' heeft'.
OCR_SUPERSCRIPT = re.compile(r"(?<=[a-zë])'(?=[\s,.;:])")
LINE_START = re.compile(r"^(\s*)(\d+)([.)])(\s|$)|^(\s*)([-+#>=])")


@dataclass(frozen=True)
class Emitted:
    """The files of one document, relative to its folder, and the places to check."""

    folder: str
    files: dict[str, str]
    unsure: tuple[str, ...]


def escape(text: str) -> str:
    """Text that Markdown prints exactly as given."""
    return link_spans(text, [])


class Linker:
    """Turns printed text into Markdown with mentions of persons and parties as links."""

    def __init__(self, persons: dict[str, str], parties: dict[str, str]):
        self.persons = persons        # printed name -> person id
        self.parties = parties        # printed spelling -> party id
        names = [re.escape(n) for n in sorted(persons, key=len, reverse=True)]
        # A member named in the text is followed by a party in brackets: 'de leden Karimi (GroenLinks)'.
        self.person_pattern = re.compile(rf"(?<![\w-])({'|'.join(names)})(?= \()") if names else None
        self.party_pattern = mention_pattern(parties) if parties else None

    def markdown(self, text: str) -> str:
        """`text` escaped, with every mention of a member or party as a link."""
        spans = []
        if self.person_pattern:
            spans += [(m.start(1), m.end(1), f"persoon:{self.persons[m.group(1)]}") for m in self.person_pattern.finditer(text)]
        if self.party_pattern:
            spans += [(m.start(1), m.end(1), f"partij:{self.parties[m.group(1)]}") for m in self.party_pattern.finditer(text)]
        return link_spans(text, spans)


def link_spans(text: str, spans) -> str:
    """Escaped text with [printed words](target) at the given (start, end, target) spans."""
    out, position = [], 0
    for start, end, target in sorted(spans):
        if start < position:
            continue
        out.append(escape_inline(text[position:start]))
        out.append(f"[{escape_inline(text[start:end])}]({target})")
        position = end
    out.append(escape_inline(text[position:]))
    return escape_line_start("".join(out))


def escape_inline(text: str) -> str:
    """Markdown's inline characters (emphasis, links, code, raw HTML, entities) escaped."""
    return re.sub(r"&(?=#?\w+;)", r"\\&", ESCAPE.sub(r"\\\1", text))


def escape_line_start(text: str) -> str:
    """A line that would open a list, heading or quote ('1. ', '- ', '# ') escaped at its start."""
    match = LINE_START.match(text)
    if match and match.group(2):
        return f"{match.group(1)}{match.group(2)}\\{match.group(3)}{text[match.end(3):]}"
    if match:
        return f"{match.group(5)}\\{text[len(match.group(5)):]}"
    return text


def emit(stuk: Stuk, registries: Registries) -> Emitted:
    """The files of `stuk`, asking `registries` for (and adding) the ids they name."""
    year = year_of(stuk.date, stuk.session)
    unsure = [f"{field}: {why}" for field, why in stuk.unsure]
    dossiers = [registries.dossier(number, title) for number, title in stuk.dossiers]
    committee = None
    if stuk.committee:
        committee, new = registries.committee(stuk.committee, stuk.chamber)
        if new:
            unsure.append(f"commissie: nieuwe commissie '{stuk.committee}' aangemaakt")
    seats, persons, parties = [], {}, {}
    roles = set()
    for seat in stuk.seats:
        if seat.name in persons or (seat.role and seat.role in roles):
            unsure.append(f"samenstelling: '{seat.name or 'vacature'}' staat er twee keer in; alleen de eerste is overgenomen")
            continue
        roles.add(seat.role)
        party = registries.party(seat.party) if seat.party else None
        if seat.party and party is None:
            unsure.append(f"samenstelling: partij '{seat.party}' onbekend")
        if party:
            parties[seat.party] = party
        entry = {}
        if seat.name:
            person = registries.person(seat.name, party, year)
            persons[seat.name] = person
            entry["persoon"] = person
        else:
            entry["vacature"] = True
        if party:
            entry["partij"] = party
        if seat.role:
            entry["rol"] = seat.role
        if seat.substitute:
            entry["plaatsvervangend"] = True
        seats.append(entry)
    for known in KNOWN_PARTIES:
        for spelling in known.spellings:
            if len(spelling) >= 3 and spelling not in parties and any(p == known.id for p in parties.values()):
                parties[spelling] = known.id
    # A link shows the printed words, which must be a name of the party: spellings an existing
    # entry lacks stay unlinked (that entry is never changed).
    parties = {spelling: ident for spelling, ident in parties.items() if registries.linkable(ident, spelling)}
    linker = Linker(persons, parties)
    signatures = [_signature(s, registries, year) for s in stuk.signatures]
    letters = [_letter_meta(letter, registries, year, committee, stuk) for letter in stuk.letters]
    texts = _texts(stuk, linker, persons, parties, unsure)
    files = {}
    slugs = []
    for letter, meta, body in zip(stuk.letters, letters, texts[1:]):
        slug = _slug(letter, meta, slugs)
        slugs.append(slug)
        files[f"brieven/{slug}.md"] = "---\n" + _yaml(meta) + "---\n" + body
    if texts[0].strip() or not stuk.letters:
        files["inleiding.md"] = texts[0]
    files["verslag.yaml"] = _verslag_yaml(stuk, dossiers, committee, signatures, seats, slugs, unsure)
    return Emitted(stuk.publication_id, files, tuple(unsure))


def _signature(signature: Signature, registries: Registries, year: int) -> dict:
    person = registries.person(signature.name, None, year)
    return {"functie": signature.function, "naam": signature.name, "persoon": person}


def _letter_meta(letter: LetterPart, registries: Registries, year: int, committee: str | None, stuk: Stuk) -> dict:
    meta: dict = {}
    if letter.heading:
        meta["kop"] = letter.heading
    sender: dict = {}
    signed = _signature(letter.signature, registries, year) if letter.signature else None
    heading = (letter.heading or "").upper()
    if signed:
        sender["persoon"] = signed["persoon"]
    function = re.sub(r"^BRIEF VAN (DE|DEN|HET) ", "", heading).strip()
    if signed:
        sender["functie"] = re.sub(r"^(De|Het)\s+", "", signed["functie"].rstrip(", "))
    elif function:
        sender["functie"] = " ".join(w.lower() if w.lower() in SMALL_WORDS else w.capitalize() for w in function.split())
    if committee and ("COMMISSIE" in heading or not heading and not signed):
        sender["commissie"] = committee
    if not sender:
        sender["functie"] = "onbekend"
    meta["afzender"] = sender
    meta["aan"] = letter.addressee or "Aan (niet gedrukt)"
    meta["plaats"] = letter.place
    meta["datum"] = letter.date
    if letter.kenmerk:
        meta["kenmerk"] = letter.kenmerk
    if signed:
        meta["ondertekening"] = signed
    return meta


def _slug(letter: LetterPart, meta: dict, taken: list[str]) -> str:
    word = "commissie" if "commissie" in meta["afzender"] else (meta["afzender"].get("functie") or "brief").split()[0]
    base = f"{letter.date.isoformat()}-{dutch.slugify(word)}"
    slug, counter = base, 2
    while slug in taken:
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _texts(stuk: Stuk, linker: Linker, persons: dict[str, str], parties: dict[str, str],
           unsure: list[str]) -> list[str]:
    """The Markdown of the introduction and of each letter, with their footnotes."""
    parts = [list(stuk.intro), *(list(letter.blocks) for letter in stuk.letters)]
    placed = _place_references(parts, sorted(stuk.footnotes), dict(stuk.heading_references), unsure)
    composition = next((n for n, lines in stuk.footnotes.items()
                        if join_lines(list(lines)).startswith("Samenstelling")), None)
    texts = []
    for p, blocks in enumerate(parts):
        out = []
        for b, block in enumerate(blocks):
            rendered = [_line_markdown(line, {n: at[3:] for n, at in placed.items() if at[:3] == (p, b, l)}, linker)
                        for l, line in enumerate(block.lines)]
            out.append("## " + rendered[0] if block.kind == "h" else "\\\n".join(rendered))
        for number, at in sorted(placed.items()):
            if at[0] == p:
                out.append(f"[^{number}]: {_footnote(stuk.footnotes[number], linker, number == composition, persons, parties)}")
        texts.append("\n\n".join(out) + "\n")
    return texts


def _place_references(parts, numbers: list[int], in_heading: dict[int, int],
                      unsure: list[str]) -> dict[int, tuple[int, int, int, int, int]]:
    """{footnote number: (part, block, line, start, end)} of its reference: the first 'word<n>'
    after the previous reference; failing that, the OCR's reading of a superscript as a quote
    ("gehandicaptenbeleid' heeft"). A reference printed in a heading (`in_heading`: number ->
    part), which holds no link, goes at the start of that part's text. A reference not found at
    all (it may have fallen off the record) is put right after the previous one (start == end:
    nothing printed is replaced). The editor is told of each."""
    placed = {}
    cursor = (0, 0, 0, 0)
    for number in numbers:
        if number in in_heading:
            part = next((p for p in range(in_heading[number], len(parts)) if parts[p]), None)
            if part is not None:
                placed[number] = (part, 0, 0, 0, 0)
                cursor = max(cursor, (part, 0, 0, 0))
                unsure.append(f"voetnoot {number}: verwijzing gedrukt in de kop; geplaatst aan het begin van de tekst")
                continue
        found = _find_after(parts, cursor, lambda text: footnote_reference(text, number))
        if found is None and (found := _find_after(parts, cursor, OCR_SUPERSCRIPT.search)):
            unsure.append(f"voetnoot {number}: verwijzing gelezen in het teken '{_char_at(parts, found)}'")
        if found is None:
            p, b, l, offset = cursor
            if p >= len(parts) or not parts[p]:
                unsure.append(f"voetnoot {number}: geen tekst om naar te verwijzen; weggelaten")
                continue
            found = (p, b, l, offset, offset)
            unsure.append(f"voetnoot {number}: verwijzing niet gevonden; geplaatst in alinea {b + 1}")
        placed[number] = found
        cursor = found[:3] + (found[4],)
    return placed


def _find_after(parts, cursor, search) -> tuple[int, int, int, int, int] | None:
    """Where `search` first matches a line of the text at or after `cursor`."""
    for p, b, l, line in ((p, b, l, line) for p, blocks in enumerate(parts) for b, block in enumerate(blocks)
                          for l, line in enumerate(block.lines) if (p, b, l) >= cursor[:3]):
        offset = cursor[3] if (p, b, l) == cursor[:3] else 0
        if (m := search(line[offset:])):
            return p, b, l, offset + m.start(), offset + m.end()
    return None


def _char_at(parts, at) -> str:
    return parts[at[0]][at[1]].lines[at[2]][at[3]:at[4]]


def _line_markdown(line: str, references: dict[int, tuple[int, int]], linker: Linker) -> str:
    """A printed line as Markdown: mentions linked, each footnote number (at start:end) as [^n]."""
    pieces, position = [], 0
    for number, (start, end) in sorted(references.items(), key=lambda item: item[1]):
        pieces += [linker.markdown(line[position:start]), f"[^{number}]"]
        position = end
    pieces.append(linker.markdown(line[position:]))
    return "".join(pieces)


def _footnote(lines, linker: Linker, is_composition: bool, persons, parties) -> str:
    """A footnote's Markdown: its printed lines, hard-broken where printed so; the composition
    with every seat's person and party linked."""
    groups = join_with_breaks(list(lines))
    if not is_composition:
        return "\\\n    ".join(linker.markdown(g) for g in groups)
    linked = []
    for text in groups:  # 'Samenstelling:' may stand on a line of its own
        spans = []
        for seat in parse_composition(text):
            for span, names, kind in ((seat.name_span, persons, "persoon"), (seat.party_span, parties, "partij")):
                if span and text[span[0]:span[1]] in names:
                    spans.append((*span, f"{kind}:{names[text[span[0]:span[1]]]}"))
        linked.append(link_spans(text, spans))
    return "\\\n    ".join(linked)


def _yaml(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False)


def _verslag_yaml(stuk: Stuk, dossiers, committee, signatures, seats, slugs, unsure) -> str:
    lines = [f"# {dutch.printed_citation(stuk.chamber, dutch.printed_session(stuk.session), dossiers, stuk.number)}",
             f"# Ingelezen met build.py import uit {stuk.source.origin}."]
    data: dict = {"kamer": stuk.chamber, "vergaderjaar": stuk.session,
                  "dossier": dossiers[0] if len(dossiers) == 1 else dossiers,
                  "ondernummer": stuk.number, "type": stuk.kind}
    if stuk.kind_heading.rstrip(" .") != stuk.kind.upper():
        data["kop"] = stuk.kind_heading
    if stuk.date:
        data["vastgesteld"] = stuk.date
    if committee:
        data["commissie"] = committee
    clerk = next((s["persoon"] for s in signatures if "griffier" in s["functie"].lower()), None)
    if clerk:
        data["griffier"] = clerk
    if signatures:
        data["ondertekening"] = signatures[0] if len(signatures) == 1 else signatures
    if seats:
        data["samenstelling"] = seats
    if slugs:
        data["brieven"] = slugs
    herkomst = {"bron": stuk.source.origin}
    if stuk.source.url:
        herkomst["url"] = stuk.source.url
    if stuk.source.ocr:
        herkomst["ocr"] = True
    if stuk.partial:
        herkomst["onvolledig"] = True
    data["herkomst"] = herkomst
    # What the importer was unsure of and did not write at all is said at the top.
    lines += [f"# controleren: {note}" for note in unsure if note.split(":", 1)[0] not in data]
    text = ""
    for key, value in data.items():
        chunk = _yaml({key: value})
        if key == "samenstelling":
            chunk = "samenstelling:\n" + "".join(
                f"  - {{{', '.join(f'{k}: {_flow(v)}' for k, v in seat.items())}}}\n" for seat in value)
        note = "; ".join(u.split(": ", 1)[1] for u in unsure if u.startswith(key + ":"))
        if note:
            first, _, rest = chunk.partition("\n")
            chunk = f"{first}  # controleren: {note}\n{rest}"
        text += chunk
    return "\n".join(lines) + "\n" + text


def _flow(value) -> str:
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000).strip().removesuffix("...").strip()
