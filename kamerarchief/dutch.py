"""Dutch conventions of the stukken: dates, vergaderjaren, citations, name order."""

from __future__ import annotations

import datetime
import re
import unicodedata

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli",
          "augustus", "september", "oktober", "november", "december")

CHAMBERS = {"eerste": ("Eerste Kamer", "I"), "tweede": ("Tweede Kamer", "II")}

# Words that start a Dutch surname but are ignored when sorting ("Van Dijk" sorts under D).
TUSSENVOEGSELS = {"van", "de", "der", "den", "het", "ter", "ten", "te", "in", "op", "'t", "’t",
                  "la", "le", "du", "des", "d'", "di", "da", "von", "vander", "vanden", "uit"}

VERGADERJAAR = re.compile(r"^(\d{4})-(\d{4})$")
# A zitting of one year: after an election the new Kamer sat from its first meeting to Prinsjesdag
# ('Zitting 1981', 'Tweede Kamer, zitting 1963'), a zitting of its own.
ONE_YEAR_SESSION = re.compile(r"^(\d{4})$")
# The earliest day a zitting of one year may cover: the new Kamer met in the spring or summer.
ONE_YEAR_SESSION_START = (5, 1)


def is_one_year(session: str) -> bool:
    """Whether a session is a zitting of one year ('1981') rather than a vergaderjaar ('1981-1982')."""
    return ONE_YEAR_SESSION.match(session) is not None


# The papers say 'Zitting 1982-1983' and 'Vergaderjaar 1983-1984': the word changed with that year.
FIRST_VERGADERJAAR = 1983


def session_label(session: str) -> str:
    """'Zitting' or 'Vergaderjaar', as the papers of that session print it: 'Zitting' up to
    1982-1983 and for a zitting of one year ('Zitting 1981'), 'Vergaderjaar' from 1983-1984 on."""
    return "Zitting" if is_one_year(session) or int(session[:4]) < FIRST_VERGADERJAAR else "Vergaderjaar"


def long_date(date: datetime.date) -> str:
    """'9 juli 2021', as the stukken print dates."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def printed_session(session: str) -> str:
    """'2020–2021' (en dash) from '2020-2021'."""
    return session.replace("-", "\u2013")


def short_session(session: str) -> str:
    """'2020/21' from '2020-2021', as citations write it; a zitting of one year stays '1981'."""
    if is_one_year(session):
        return session
    start, end = session.split("-")
    return f"{start}/{end[2:]}"


def session_bounds(session: str) -> tuple[datetime.date, datetime.date]:
    """First and last day a vergaderjaar may cover: from Prinsjesdag to the next.

    Prinsjesdag is the third Tuesday of September; the vergaderjaar starts on it and the next one
    starts on the following Prinsjesdag, so the last day is the Monday before that. A zitting of
    one year ('1981') runs from 1 May to the day before that year's Prinsjesdag.
    """
    if is_one_year(session):
        year = int(session)
        return datetime.date(year, *ONE_YEAR_SESSION_START), prinsjesdag(year) - datetime.timedelta(days=1)
    start_year, end_year = (int(part) for part in session.split("-"))
    return prinsjesdag(start_year), prinsjesdag(end_year) - datetime.timedelta(days=1)


def prinsjesdag(year: int) -> datetime.date:
    """The third Tuesday of September of `year`."""
    first = datetime.date(year, 9, 1)
    first_tuesday = first + datetime.timedelta(days=(1 - first.weekday()) % 7)
    return first_tuesday + datetime.timedelta(weeks=2)


def session_of(date: datetime.date) -> str:
    """The vergaderjaar a date falls in: '2020-2021' for 9 juli 2021."""
    start = date.year if date >= prinsjesdag(date.year) else date.year - 1
    return f"{start}-{start + 1}"


# Before 1945 the Handelingen's Bijlagen numbered the bills anew each zitting: '286' of 1929-1930
# is not '286' of 1935-1936. Such a dossier's id carries its zitting: '1929-1930-286', '1912-1913-2-X'.
SESSION_DOSSIER = re.compile(r"^(\d{4}-\d{4})-(\d{1,4})(?:-([A-Za-z0-9]+))?$")


def session_dossier(dossier: str) -> tuple[str, str] | None:
    """(zitting, number as printed) of a dossier numbered within its zitting ('1929-1930-286'
    gives ('1929-1930', '286'); '1912-1913-2-X' gives ('1912-1913', '2 X')); None for the
    dossiers numbered on since 1945 ('19637', '36600-VII')."""
    match = SESSION_DOSSIER.match(dossier)
    if not match:
        return None
    return match.group(1), f"{match.group(2)} {match.group(3)}" if match.group(3) else match.group(2)


def printed_dossier_number(number: str) -> str:
    """'19 637' from '19637'; a toevoeging follows with a space ('36 600 VII'), a numbered one
    with a hyphen ('21 501-32'); a dossier of a zitting before 1945 names it: '286 (zitting 1929-1930)'."""
    if (numbered := session_dossier(number)):
        return f"{numbered[1]} (zitting {numbered[0]})"
    main, _, addition = number.partition("-")
    if main.isdigit() and len(main) > 3:
        main = f"{main[:-3]} {main[-3:]}"
    return f"{main}{'-' if addition.isdigit() else ' '}{addition}" if addition else main


def shown_number(number: str) -> str:
    """'nr. 85', 'nr. 22a'; an Eerste Kamer letter 'H' stands alone."""
    return number if number.isalpha() and number.isupper() else f"nr. {number}"


def citation(chamber: str, session: str, dossier: str, number: str) -> str:
    """'Kamerstukken I 2020/21, 19637, H'; 'nr. 85' and 'nr. 22a' for ondernummers with a digit;
    a paper of the Bijlagen before 1945: 'Bijlagen Handelingen II 1929-1930, 286, nr. 4'."""
    roman = CHAMBERS[chamber][1]
    if (numbered := session_dossier(dossier)):
        return f"Bijlagen Handelingen {roman} {numbered[0]}, {numbered[1]}, {shown_number(number)}"
    return f"Kamerstukken {roman} {short_session(session)}, {dossier}, {shown_number(number)}"


def printed_citation(chamber: str, session: str, dossiers, number: str) -> str:
    """The citation as the stuk's footer prints it: 'Tweede Kamer, vergaderjaar 1993-1994, 23 400 XVI, nr. 85'
    ('zitting 1981-1982' before 1983-1984, see session_label);
    a paper of the Bijlagen before 1945 as its head and foot print it: 'Handelingen der
    Staten-Generaal, Bijlagen 1929-1930, Tweede Kamer, 286, nr. 4'."""
    numbered = [session_dossier(d) for d in dossiers]
    if all(numbered):
        return (f"Handelingen der Staten-Generaal, Bijlagen {session}, {CHAMBERS[chamber][0]}, "
                f"{', '.join(printed for _, printed in numbered)}, {shown_number(number)}")
    numbers = ", ".join(printed_dossier_number(d) for d in dossiers)
    word = session_label(session.replace("\u2013", "-")).lower()
    return f"{CHAMBERS[chamber][0]}, {word} {session}, {numbers}, {shown_number(number)}"


def publication_id(dossier: str, number: str, chamber: str | None = None) -> str:
    """'kst-19637-H': the id officielebekendmakingen.nl gives the paper. A paper of the Bijlagen
    before 1945 has no such id; its own, 'bijlagen-ii-1929-1930-286-4', names the chamber (each
    printed its own Bijlagen) and can never be a kst- id (nor can the key without a chamber,
    'bijlagen-1929-1930-286-4', that a citation naming no chamber is compared by)."""
    if session_dossier(dossier):
        roman = f"{CHAMBERS[chamber][1].lower()}-" if chamber in CHAMBERS else ""
        return f"bijlagen-{roman}{dossier}-{number}"
    return f"kst-{dossier}-{number}"


def fold(text: str) -> str:
    """Lower case without accents, for comparing and sorting ('Blécourt' with 'blecourt')."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def name_sort_key(name: str) -> tuple[str, str]:
    """Sort key in Dutch order: 'Van Dijk' under D, 'De Blécourt-Wouterse' under B."""
    words = name.split()
    index = 0
    while index < len(words) - 1 and fold(words[index]) in TUSSENVOEGSELS:
        index += 1
    return fold(" ".join(words[index:])), fold(name)


def sort_letter(name: str) -> str:
    """The letter of the alphabet a name is listed under."""
    first = name_sort_key(name)[0][:1].upper()
    return first if first.isalpha() else "#"


def slugify(text: str) -> str:
    """A URL fragment from a heading: lower case, accents folded, words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "sectie"
