"""Unit tests of the pure functions of each step: Dutch conventions, located YAML, Markdown."""

from __future__ import annotations

import datetime
import io
import json
import multiprocessing
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kamerarchief import dutch, parallel, search
from kamerarchief.errors import ErrorList
from kamerarchief.load import split_front_matter
from kamerarchief.markup import make_parser, render_markdown
from kamerarchief.model import Archive, Loc, MarkdownText, Party
from kamerarchief.progress import Progress, TerminalProgress
from kamerarchief.resolve import ReferenceChecker
from kamerarchief.sourceyaml import InvalidDate, decode_source, parse_yaml
from kamerarchief.write import OutputError, url_to_path, write_staging

# dutch ---------------------------------------------------------------------------------------

def test_long_date_has_lower_case_month():
    assert dutch.long_date(datetime.date(2021, 7, 9)) == "9 juli 2021"


@pytest.mark.parametrize("chamber, session, dossier, number, expected", [
    ("eerste", "2020-2021", "19637", "H", "Kamerstukken I 2020/21, 19637, H"),
    ("tweede", "1993-1994", "23400-XVI", "85", "Kamerstukken II 1993/94, 23400-XVI, nr. 85"),
    ("tweede", "1999-2000", "26800", "12", "Kamerstukken II 1999/00, 26800, nr. 12"),
])
def test_citation(chamber, session, dossier, number, expected):
    assert dutch.citation(chamber, session, dossier, number) == expected


def test_vergaderjaar_runs_from_prinsjesdag_to_the_day_before_the_next():
    assert dutch.session_bounds("2020-2021") == (datetime.date(2020, 9, 15), datetime.date(2021, 9, 20))
    assert dutch.session_of(datetime.date(2021, 7, 9)) == "2020-2021"
    assert dutch.session_of(datetime.date(2021, 9, 21)) == "2021-2022"


def test_a_zitting_of_one_year_runs_from_may_to_the_day_before_prinsjesdag():
    assert dutch.session_bounds("1981") == (datetime.date(1981, 5, 1), datetime.date(1981, 9, 14))
    assert dutch.citation("tweede", "1981", "16996", "7") == "Kamerstukken II 1981, 16996, nr. 7"
    assert dutch.printed_citation("tweede", "1981", ["16996"], "7") == "Tweede Kamer, zitting 1981, 16 996, nr. 7"


def test_the_session_is_called_as_its_papers_print_it():
    assert [dutch.session_label(s) for s in ("1929-1930", "1981", "1982-1983", "1983-1984", "2020-2021")] == \
        ["Zitting", "Zitting", "Zitting", "Vergaderjaar", "Vergaderjaar"]
    assert dutch.printed_citation("tweede", "1981-1982", ["14406"], "56") == "Tweede Kamer, zitting 1981-1982, 14 406, nr. 56"


@pytest.mark.parametrize("number, printed", [("19637", "19 637"), ("36600-VII", "36 600 VII"), ("21501-32", "21 501-32"),
                                            ("812", "812")])
def test_printed_dossier_number(number, printed):
    assert dutch.printed_dossier_number(number) == printed


def test_dutch_name_order_ignores_tussenvoegsels_and_accents():
    names = ["Van Dijk", "De Boer", "Dittrich", "De Blécourt-Wouterse", "Van der Vlies", "Vos", "Broekers-Knol"]
    assert sorted(names, key=dutch.name_sort_key) == [
        "De Blécourt-Wouterse", "De Boer", "Broekers-Knol", "Van Dijk", "Dittrich", "Van der Vlies", "Vos"]
    assert dutch.sort_letter("Van Dijk") == "D"


def test_slugify_folds_accents_and_punctuation():
    assert dutch.slugify("Bundel en artikel «Ongezien/ongehoord- onrecht»") == "bundel-en-artikel-ongezien-ongehoord-onrecht"


# sourceyaml ----------------------------------------------------------------------------------

def test_yaml_keeps_lines_of_keys_and_items():
    errors = ErrorList()
    data = parse_yaml("a: 1\nb:\n  - x\n  - y\n", "f.yaml", errors)
    assert data.line_of("b") == 2 and data["b"].item_lines == [3, 4]
    assert not errors


def test_yaml_duplicate_key_is_an_error_with_both_lines():
    errors = ErrorList()
    parse_yaml("naam: A\nafkorting: B\nnaam: C\n", "f.yaml", errors)
    assert [str(e) for e in errors.sorted()] == ["f.yaml:3: duplicate key 'naam' (first at line 1)"]


def test_yaml_impossible_date_is_kept_as_invalid():
    data = parse_yaml("datum: 2021-02-30\n", "f.yaml", ErrorList())
    assert data["datum"] == InvalidDate("2021-02-30")


def test_yaml_syntax_error_has_line_and_column():
    errors = ErrorList()
    assert parse_yaml("a: [1, 2\nb: 3\n", "f.yaml", errors, line_offset=10) is None
    (error,) = errors.sorted()
    assert error.path == "f.yaml" and error.line > 10 and error.message.startswith("YAML syntax error")


def test_bom_and_crlf_decode_to_the_same_text():
    errors = ErrorList()
    assert decode_source("\ufeffa: 1\r\nb: 2\r\n".encode(), "f", errors) == "a: 1\nb: 2\n"
    assert not errors


def test_non_utf8_reports_the_line_of_the_bad_byte():
    errors = ErrorList()
    assert decode_source(b"a: 1\nb: caf\xe9\n", "f.yaml", errors) is None
    assert str(errors.sorted()[0]).startswith("f.yaml:2: not UTF-8")


def test_front_matter_split_gives_the_body_line():
    front, body, line = split_front_matter("---\na: 1\n---\nTekst\n")
    assert (front, body, line) == ("a: 1", "Tekst\n", 4)


# markup --------------------------------------------------------------------------------------

def render(text: str, first_line: int = 1):
    errors = ErrorList()
    result = render_markdown(make_parser(), MarkdownText(text, "t.md", first_line), "kst-19637-H", errors)
    return result, [str(e) for e in errors.sorted()]


def test_footnotes_keep_the_printed_number_and_link_both_ways():
    result, errors = render("Van uw Kamer[^6] het verzoek.\n\n[^6]: Verzoek van de leden.\n")
    assert not errors
    assert '<a href="#noot-6" id="ref-noot-6"' in result.body_html
    assert '<li id="noot-6"' in result.footnotes_html and 'href="#ref-noot-6"' in result.footnotes_html
    assert result.footnote_labels == ("6",)


def test_reference_links_resolve_and_keep_their_words():
    result, errors = render("De leden [Karimi](persoon:karimi) ([GroenLinks](partij:gl)).\n")
    assert not errors
    assert ('<a href="/personen/karimi/" class="ref ref-persoon">Karimi</a> '
            '(<a href="/partijen/gl/" class="ref ref-partij">GroenLinks</a>)') in result.body_html
    kinds = [(r.kind, r.target, r.anchor, r.link_text) for r in result.references]
    assert kinds == [("persoon", "karimi", "alinea-1", "Karimi"), ("partij", "gl", "alinea-1", "GroenLinks")]


def test_reference_in_a_footnote_points_at_the_footnote():
    result, _ = render("Tekst[^7].\n\n[^7]: Zie [POK](bron:pok).\n")
    assert [(r.anchor, r.footnote) for r in result.references] == [("noot-7", "7")]


def test_a_letter_of_the_same_verslag_is_named_by_its_slug():
    result, errors = render("Bij [brief van 29 april](brief:2021-04-29-commissie).\n")
    assert not errors
    assert 'href="/verslagen/kst-19637-H/2021-04-29-commissie/"' in result.body_html
    assert result.references[0].target == "kst-19637-H/2021-04-29-commissie"


def test_unknown_reference_is_an_error_at_its_line_with_a_hint():
    result, _ = render("Eerste regel\ntweede [x](partij:gll) en [GL-fractie](partij:gl).\n", first_line=14)
    party = Party("gl", "GL", "GroenLinks", ("GroenLinks-fractie",), None, Loc("p.yaml", 1))
    errors = ErrorList()
    checker = ReferenceChecker(Archive(parties={"gl": party}), errors)
    for reference in result.references:
        checker.reference("t.md", reference)
    assert [str(e) for e in errors.sorted()] == [
        "t.md:15: 'GL-fractie' is not a name of party 'gl' (GL, GroenLinks, GroenLinks-fractie); add it to its aliassen",
        "t.md:15: unknown partij 'gll' in link 'partij:gll' (did you mean 'gl'?)"]


@pytest.mark.parametrize("href", ["javascript:alert(1)", "data:text/html,x", "vbscript:x", "/relatief", "file:///etc"])
def test_unsafe_or_unknown_link_schemes_never_become_links(href):
    result, errors = render(f"Klik [hier]({href}).\n")
    assert "<a " not in result.body_html and "hier" in result.body_html
    assert errors and "is not allowed" in errors[0]


def test_raw_html_is_shown_as_text():
    result, _ = render("<script>alert(1)</script> en <b onclick=x>vet</b>\n")
    assert "<script" not in result.body_html and "&lt;script&gt;" in result.body_html
    assert "<b" not in result.body_html


def test_footnote_errors():
    _, errors = render("Tekst[^2] en [^3].\n\n[^2]: Twee.\n\n[^4]: Vier.\n\n[^a]: Letter.\n")
    assert "t.md:1: footnote [^3] is referenced but not defined" in errors
    assert "t.md:5: footnote [^4] is defined but never referenced" in errors
    assert "t.md:7: footnote [^a] must be labelled with its printed number" in errors


def test_headings_get_ids_and_h1_is_refused():
    result, errors = render("# Titel\n\n## Menselijke maat\n\nTekst.\n")
    assert 'id="menselijke-maat"' in result.body_html
    assert errors == ["t.md:1: a '#' heading would repeat the page title; use '##' for the sections of a text"]


def test_printed_characters_are_not_changed():
    text = "«Ongehoord – onrecht» thema’s, 2021 -- \"x\" (c) 168412.02U DT&V"
    result, _ = render(text + "\n")
    assert "«Ongehoord – onrecht» thema’s, 2021 -- &quot;x&quot; (c) 168412.02U DT&amp;V" in result.body_html


# write ---------------------------------------------------------------------------------------

def test_url_to_path(tmp_path):
    assert url_to_path(tmp_path, "/") == tmp_path.resolve() / "index.html"
    assert url_to_path(tmp_path, "/verslagen/x/") == tmp_path.resolve() / "verslagen/x/index.html"
    assert url_to_path(tmp_path, "/404.html") == tmp_path.resolve() / "404.html"
    with pytest.raises(OutputError):
        url_to_path(tmp_path, "/../../etc/passwd")


def test_write_staging_links_unchanged_pages_and_writes_changed_ones(tmp_path):
    output = tmp_path / "site"
    staging, written = write_staging(output, {"/": b"home", "/a/": b"a"}, tmp_path / "no-static")
    assert written == ["/", "/a/"]
    staging.rename(output)
    before = (output / "a" / "index.html").stat().st_ino
    staging, written = write_staging(output, {"/": b"new home", "/a/": b"a", "/b/": b"b"}, tmp_path / "no-static")
    assert written == ["/", "/b/"]
    assert (staging / "a" / "index.html").stat().st_ino == before  # the same file, linked
    assert (staging / "index.html").read_text() == "new home"
    with pytest.raises(OutputError):
        write_staging(output, {"/../x/": b"x"}, tmp_path / "no-static")


# parallel ------------------------------------------------------------------------------------

def _pids_and_items(offset, chunk):
    return [(os.getpid(), item + offset) for item in chunk]


MAP_IN_A_FRESH_PROCESS = """
import json, os, sys
from kamerarchief import parallel
sys.path.insert(0, {tests!r})
from test_units import _pids_and_items
items = list(range(2 * parallel.MIN_ITEMS_PER_WORKER + 5))
done = []
chunks = parallel.map_chunks(_pids_and_items, 1000, items, workers=2, done=done.append)
print(json.dumps({{"me": os.getpid(), "results": [r for c in chunks for r in c], "done": done}}))
"""


def test_map_chunks_keeps_order_and_reports_progress():
    # In a process of its own: threads that other tests leave running make map_chunks stay serial.
    script = MAP_IN_A_FRESH_PROCESS.format(tests=str(Path(__file__).parent))
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).parent.parent).stdout
    outcome = json.loads(output)
    items = list(range(2 * parallel.MIN_ITEMS_PER_WORKER + 5))
    assert [value for _, value in outcome["results"]] == [item + 1000 for item in items]
    assert sum(outcome["done"]) == len(items)
    if "fork" in multiprocessing.get_all_start_methods():
        assert {pid for pid, _ in outcome["results"]} - {outcome["me"]}, "no chunk ran in a worker process"


def test_map_chunks_stays_in_this_process_while_other_threads_run():
    items = list(range(2 * parallel.MIN_ITEMS_PER_WORKER + 5))
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        chunks = parallel.map_chunks(_pids_and_items, 0, items, workers=2)
    finally:
        stop.set()
        thread.join()
    assert {pid for chunk in chunks for pid, _ in chunk} == {os.getpid()}
    assert parallel.map_chunks(_pids_and_items, 0, [], workers=2) == []


# search: stable filter files ---------------------------------------------------------------

def test_filter_values_are_sorted_byte_for_byte():
    content = ["partij", [["VVD", 3, 1, 2], ["CDA", 7], ["GL", 4, 500]], 0]
    data = search.SIGNATURE + search._encode(content)
    expected = search.SIGNATURE + search._encode(["partij", [["CDA", 7], ["GL", 4, 500], ["VVD", 3, 1, 2]], 0])
    assert search._sorted_filter(data) == expected
    assert search._sorted_filter(expected) == expected
    assert search._sorted_filter(data[:-1]) is None  # cut short
    assert search._sorted_filter(data + b"\x00") is None  # something left over
    assert search._sorted_filter(search.SIGNATURE + search._encode(["x", "not a list"])) is None
    assert search._sorted_filter(b"something else") is None
    assert search._sorted_filter(search.SIGNATURE + search._encode(["x", [[2, 1], ["a", 3]]])) is None


# progress ------------------------------------------------------------------------------------

def test_progress_rewrites_one_line_per_phase_on_a_terminal():
    stream = io.StringIO()
    assert type(Progress.for_stream(stream, quiet=False)) is Progress  # not a terminal: silent
    progress = TerminalProgress(stream)
    progress.start("render", 7865, "pages")
    progress.advance(100)
    progress.finish()
    progress.start("write", 7865, "pages")
    progress.finish("7,865 pages (12 changed)")
    lines = stream.getvalue().split("\n")
    assert lines[0].startswith("\r  render    0/7,865 pages") and lines[0].split("\r")[-1].startswith("  render    7,865 pages")
    assert lines[1].split("\r")[-1].startswith("  write     7,865 pages (12 changed)")
    assert lines[2] == ""


def test_stats_of_recently_written_files_are_not_trusted():
    from kamerarchief.cache import RACY_NANOSECONDS, recently_written

    taken = 1_700_000_000 * 10**9
    old = ("/c/a.md", 10, taken - RACY_NANOSECONDS - 1, 7)
    assert not recently_written((old, ("/c/b", "unreadable")), taken)
    assert recently_written((old, ("/c/b.md", 10, taken - RACY_NANOSECONDS + 1, 8)), taken)
    assert recently_written((("/c/b.md", 10, taken + 5, 8),), taken)  # dated after the stats were taken


def test_a_parsed_unit_is_kept_under_the_hashes_of_what_the_parse_read(tmp_path):
    """Files saved, created or removed between hashing a verslag folder and parsing it: the parse
    is kept under the signature of the files as it read them, never under the older one (which
    an undo would bring back)."""
    from kamerarchief.cache import content_hash, folder_signature
    from kamerarchief.errors import ErrorList
    from kamerarchief.load import ContentReader, signature_as_parsed

    folder = tmp_path / "verslagen" / "kst-1-A"
    (folder / "brieven").mkdir(parents=True)
    for name, text in (("verslag.yaml", "kamer: eerste\n"), ("brieven/a.md", "A\n"), ("brieven/b.md", "B\n")):
        (folder / name).write_text(text, encoding="utf-8")
    before = folder_signature(folder)
    # Meanwhile: one letter saved again, one removed, one created.
    (folder / "brieven" / "a.md").write_text("A, again\n", encoding="utf-8")
    (folder / "brieven" / "b.md").unlink()
    (folder / "brieven" / "c.md").write_text("C\n", encoding="utf-8")
    reader = ContentReader(tmp_path, tmp_path, ErrorList())
    for name in ("verslag.yaml", "brieven/a.md", "brieven/b.md", "brieven/c.md"):
        reader.read(folder / name)
    assert signature_as_parsed(before, str(folder), reader.read_hashes) == folder_signature(folder) != before

    registry = tmp_path / "partijen.yaml"
    registry.write_text("sp: {afkorting: SP}\n", encoding="utf-8")
    hashed = content_hash(registry)
    registry.write_text("sp: {afkorting: XX}\n", encoding="utf-8")
    reader.read(registry)
    assert signature_as_parsed(hashed, str(registry), reader.read_hashes) == content_hash(registry) != hashed


def test_the_person_filter_keeps_persons_of_the_same_name_apart():
    from kamerarchief.model import Loc, Person, person_filter_values

    loc = Loc("content/personen.yaml", 1)
    persons = {"de-vries": Person("de-vries", "De Vries", None, loc),
               "de-vries-2": Person("de-vries-2", "De Vries", None, loc),
               "faber": Person("faber", "Faber-van de Klashorst", "M.H.M.", loc),
               "faber-2": Person("faber-2", "Faber-van de Klashorst", "H.", loc)}
    assert person_filter_values(persons) == {
        "de-vries": "De Vries (de-vries)", "de-vries-2": "De Vries (de-vries-2)",
        "faber": "M.H.M. Faber-van de Klashorst", "faber-2": "H. Faber-van de Klashorst"}


def test_a_template_edited_during_a_build_counts_as_changed_for_the_next():
    from kamerarchief.rebuild import UNTRUSTED, _changed_names, settled_hashes

    before = {"brief.html": b"1", "base.html": b"2", "oud.html": b"3"}
    during = {"brief.html": b"1", "base.html": b"2 edited"}  # oud.html removed meanwhile
    saved = settled_hashes(before, during)
    assert saved == {"brief.html": b"1", "base.html": UNTRUSTED, "oud.html": UNTRUSTED}
    # Even when the edit is undone before the next build, that build renders base.html's pages.
    assert _changed_names(saved, before) == {"base.html", "oud.html"}


def test_the_official_copy_is_linked_only_where_officielebekendmakingen_has_it():
    """officielebekendmakingen.nl publishes kamerstukken from vergaderjaar 1995-1996 on; an older
    paper's kst- address there leads nowhere."""
    from kamerarchief.load import load_archive

    fixture = Path(__file__).parent / "fixtures" / "archief"
    errors = ErrorList()
    archive = load_archive(fixture / "content", fixture, errors)
    assert not errors
    assert archive.verslagen["kst-19637-H"].official_url == "https://zoek.officielebekendmakingen.nl/kst-19637-H.html"
    assert archive.verslagen["kst-14406-56"].official_url is None  # zitting 1981-1982


def test_tree_digest_reads_only_files_whose_stats_changed(tmp_path):
    import time as clock

    from kamerarchief.cache import folder_stats, tree_digest

    for name in ("a.md", "sub/b.md"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(name, encoding="utf-8")
        os.utime(tmp_path / name, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    taken = clock.time_ns()
    digest, hashes = tree_digest((tmp_path,), (folder_stats(tmp_path),), {}, taken)
    assert sorted(hashes) == [str(tmp_path / "a.md"), str(tmp_path / "sub/b.md")]
    assert tree_digest((tmp_path,), (folder_stats(tmp_path),), hashes, taken) == (digest, hashes)
    # A recorded hash is believed while the stats are the same (the file is not read) ...
    forged = {**hashes, str(tmp_path / "a.md"): [*hashes[str(tmp_path / "a.md")][:3], "00" * 16]}
    assert tree_digest((tmp_path,), (folder_stats(tmp_path),), forged, taken)[0] != digest
    # ... and not once they changed; a file written too recently to tell is not recorded.
    (tmp_path / "a.md").write_text("a.md", encoding="utf-8")
    again, recorded = tree_digest((tmp_path,), (folder_stats(tmp_path),), forged, clock.time_ns())
    assert again == digest and str(tmp_path / "a.md") not in recorded
