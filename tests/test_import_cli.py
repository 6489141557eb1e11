"""`build.py import` as an editor runs it: bad records reported and the rest imported, existing
documents kept unless --force, --dry-run writes nothing, stdin, registries merged without touching
what is there, nothing half-written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from conftest import ROOT, SEED_TEXT, empty_project, run_build, run_on_terminal
from kamerarchief.importer.registries import Registries
from kamerarchief.config import load_config
from kamerarchief.errors import BuildError
from kamerarchief.importer.run import _write_folder, import_sources
from kamerarchief.pipeline import check

SAMPLE = ROOT / "tests" / "data" / "sgd-ocr-sample.jsonl"


@pytest.fixture(name="empty_project")
def empty_project_fixture(tmp_path) -> Path:
    return empty_project(tmp_path)


def test_a_bad_record_is_reported_at_its_number_and_the_rest_imported(empty_project):
    good = SAMPLE.read_text(encoding="utf-8").splitlines()
    source = empty_project / "records.jsonl"
    source.write_text("\n".join([good[0], "{not json", '{"URL": "https://example.org/1/ocr"}', good[1]]) + "\n",
                      encoding="utf-8")
    result = run_build("import", "records.jsonl", "--content", "content", cwd=empty_project)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "records.jsonl:record 2: not a JSON object: Expecting property name enclosed in double quotes (column 2)",
        "records.jsonl:record 3: a record needs a text field 'Content'",
    ]
    assert result.stdout.startswith("imported 2 documents, skipped 0, 2 unreadable.")
    assert run_build("check", cwd=empty_project).returncode == 0


def test_an_unreadable_source_file_is_reported_with_its_line(empty_project):
    (empty_project / "latin1.txt").write_bytes("Eerste Kamer\nCaf\xe9\n".encode("latin-1"))
    result = run_build("import", "latin1.txt", "missing.txt", "--content", "content", cwd=empty_project)
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["latin1.txt:2: not UTF-8 text", "missing.txt:1: cannot read: No such file or directory"]


def test_an_existing_document_is_kept_unless_forced(empty_project):
    assert run_build("import", str(SEED_TEXT), "--content", "content", cwd=empty_project).returncode == 0
    letter = empty_project / "content/verslagen/kst-19637-H/brieven/2021-04-29-commissie.md"
    letter.write_text(letter.read_text(encoding="utf-8") + "\nEen correctie van de redactie.\n", encoding="utf-8")
    again = run_build("import", str(SEED_TEXT), "--content", "content", cwd=empty_project)
    assert again.returncode == 0
    assert "imported 0 documents, 1 already in the archive (use --force to replace)" in again.stdout
    assert "Een correctie van de redactie." in letter.read_text(encoding="utf-8")
    # Options may stand before the sources, as the README writes them.
    forced = run_build("import", "--force", str(SEED_TEXT), "--content", "content", cwd=empty_project)
    assert forced.returncode == 0 and "imported 1 document" in forced.stdout
    assert "Een correctie van de redactie." not in letter.read_text(encoding="utf-8")
    assert not [p for p in (empty_project / "content/verslagen").iterdir() if p.name.startswith(".")]


def test_dry_run_writes_nothing(empty_project):
    result = run_build("import", "--dry-run", str(SAMPLE), "--content", "content", cwd=empty_project)
    assert result.returncode == 0
    assert result.stdout.startswith("would import 46 documents")
    assert not (empty_project / "content").exists()


def test_stdin_is_read_with_a_dash(empty_project):
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "import", "-", "--content", "content"],
                            cwd=empty_project, input=SEED_TEXT.read_text(encoding="utf-8"), capture_output=True,
                            text=True, timeout=60, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    text = (empty_project / "content/verslagen/kst-19637-H/verslag.yaml").read_text(encoding="utf-8")
    assert "bron: stdin" in text


def test_registries_are_merged_never_overwritten(project):
    """Into the real archive: its registry files stay as they were, with new entries after them."""
    before = {name: (project / "content" / name).read_text(encoding="utf-8")
              for name in ("partijen.yaml", "personen.yaml", "commissies.yaml", "dossiers.yaml")}
    result = run_build("import", str(SAMPLE), "--content", "content", cwd=project, timeout=120)
    assert result.returncode == 0, result.stderr
    for name, text in before.items():
        assert (project / "content" / name).read_text(encoding="utf-8").startswith(text), name
    check = run_build("check", cwd=project, timeout=120)
    assert check.returncode == 0, check.stderr


def test_namesakes_in_other_decades_or_parties_are_two_persons(tmp_path):
    (tmp_path / "personen.yaml").write_text("van-dijk: {naam: Van Dijk}\n", encoding="utf-8")
    registries = Registries(tmp_path)
    registries.note_use("van-dijk", "sgp", 2021)
    assert registries.person("Van Dijk", "sgp", 2019) == "van-dijk"
    assert registries.person("Van Dijk", "cda", 2020) == "van-dijk-2"
    assert registries.person("Van Dijk", None, 1975) == "van-dijk-3"
    assert registries.person("Van Dijk", "cda", 1977) == "van-dijk-3"   # the same as in 1975
    assert registries.person("C. van Dijk", "sgp", 2021) == "van-dijk"
    assert "van-dijk:" not in registries.appended_text("personen")


def test_a_failed_write_leaves_no_folder_behind(tmp_path):
    target = tmp_path / "verslagen" / "kst-1-1"
    target.parent.mkdir()
    with pytest.raises(OSError):
        _write_folder(target, {"verslag.yaml": "kamer: tweede\n", "verslag.yaml/inleiding.md": "tekst\n"})
    assert list(target.parent.iterdir()) == []


# Whatever the record holds, what the import writes checks clean ---------------------------------

FRAGMENTS = [
    "Tweede Kamer der Staten-Generaal", "Eerste Kamer der Staten-Generaal", "2", "1", "Vergaderjaar 1993-1994",
    "Zitting 1981-1982 Nr. 22a", "Zitting 1971-1972 -8811", "23 400 XVI", "17 542", "22 855 (R 1451)",
    "16 942, 16 958 en 17 152", "Hoofdstuk XIII Ministerie van Economische Zaken", "Nr. 85", "Nr. 11 c",
    "Wijziging van de Wet op de lijkbezorging",
    "VERSLAG VAN EEN SCHRIFTELIJK OVERLEG Vastgesteld 9 maart 1994", "EINDVERSLAG VAN DE VASTE COMMISSIE VOOR FINANCIËN1",
    "VOORLOPIG VERSLAG", "BRIEF VAN DE MINISTER VAN FINANCIËN", "Verslag", "MEMORIE VAN ANTWOORD",
    "Vastgesteld 31 februari 1994", "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal",
    "'s-Gravenhage, 16 december 1981", "Den Haag, 8 juli 2021", "Kenmerk: 168946U",
    "1 Samenstelling: Leden: Dees (WD), Lansink (CDA), voorzitter, Van Dijk (SGP), ondervoorzitter, vacature PvdA, "
    "Lansink (CDA). Plv. leden: Maris (-), Vos (GroenLmks) en Mateman (CDA), voorzitter",
    "2 Samenstelling: Van Dijk (CDA), Kox (XYZ)", "De vaste Commissie voor Financiën1 heeft vragen gesteld.",
    "De voorzitter van de commissie, Netelenbos", "De griffier van de commissie, De Gier",
    "Een alinea met een voetnoot2 en *sterren*, [haken](persoon:x), <b>html</b> & &amp; `code` |pijp| ~tilde~.",
    "1. Een genummerde alinea", "- een streepje", "# geen kop", "> geen citaat", "[1]: geen link", "zie [1] en (2)",
    "Menselijke maat en dienstverlening", "De leden Karimi (GroenLinks) en Vos (PvdA) vroegen iets.",
    "Tweede Kamer, vergaderjaar 1993-1994, 23 400 XVI, nr. 85", "Eerste Kamer, zitting 1981-1982, 16696 enz., nr. 107",
    "412484F ISSN 0921 7371 Sdu Uitgeverij Plantijnstraat 's-Gravenhage 1994", "",
]
records = st.lists(st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("\n".join), min_size=1, max_size=4)


def _import_and_check(project: Path, source: Path):
    """Import `source` into the project's empty content folder; what it writes must check clean."""
    report = import_sources([str(source)], project / "content")
    try:
        check(load_config(project / "config.yaml"))
    except BuildError as exc:
        raise AssertionError("\n".join(map(str, exc.errors))) from None
    return report


def _import_records_and_check(folder: Path, contents: list[str]):
    """Import records holding `contents` into an empty project in `folder`, and check it."""
    project = empty_project(folder)
    source = project / "records.jsonl"
    source.write_text("".join(json.dumps({"URL": f"https://example.org/{n}/ocr", "Content": c}) + "\n"
                              for n, c in enumerate(contents)), encoding="utf-8")
    return _import_and_check(project, source)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(contents=records)
# Found by this test: a stuk that is one letter, whose record ends after its place and date.
@example(contents=["BRIEF VAN DE MINISTER VAN FINANCIËN\n's-Gravenhage, 16 december 1981\n"
                   "Tweede Kamer, vergaderjaar 1993-1994, 23 400 XVI, nr. 85"])
def test_whatever_a_record_holds_the_import_checks_clean(tmp_path_factory, contents):
    assert not _import_records_and_check(tmp_path_factory.mktemp("p"), contents).problems


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=st.lists(st.tuples(st.sampled_from(FRAGMENTS), st.sampled_from(["\n", "\n\n", "\f", "-\n", " \n"])), max_size=40))
def test_whatever_a_pdftotext_file_holds_the_import_checks_clean(tmp_path_factory, pieces):
    project = empty_project(tmp_path_factory.mktemp("p"))
    source = project / "stuk.txt"
    source.write_text("".join(text + end for text, end in pieces) or "x", encoding="utf-8")
    _import_and_check(project, source)


REAL_RECORDS = [json.loads(line)["Content"] for line in SAMPLE.read_text(encoding="utf-8").splitlines()]


@st.composite
def mutated_record(draw) -> str:
    """A real record as another scan or OCR run might give it: lines lost, repeated, swapped or
    cut short, characters misread, the record ending anywhere."""
    lines = draw(st.sampled_from(REAL_RECORDS)).split("\n")
    for _ in range(draw(st.integers(0, 6))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "repeat", "swap", "cut", "misread", "split"]))
        if action == "drop":
            del lines[at]
        elif action == "repeat":
            lines.insert(at, lines[at])
        elif action == "swap" and at + 1 < len(lines):
            lines[at], lines[at + 1] = lines[at + 1], lines[at]
        elif action == "cut":
            lines[at] = lines[at][:draw(st.integers(0, len(lines[at])))]
        elif action == "misread" and lines[at]:
            position = draw(st.integers(0, len(lines[at]) - 1))
            lines[at] = lines[at][:position] + draw(st.sampled_from(["'", "1", "l", "I", "—", "-", " ", "", "\u00ad", "("])) \
                + lines[at][position + 1:]
        elif action == "split" and lines[at]:
            position = draw(st.integers(0, len(lines[at])))
            lines[at:at + 1] = [lines[at][:position], lines[at][position:]]
    return "\n".join(lines[:draw(st.integers(0, len(lines)))] if draw(st.booleans()) else lines)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(contents=st.lists(mutated_record(), min_size=1, max_size=3))
def test_mutated_real_records_import_without_an_error_and_check_clean(tmp_path_factory, contents):
    """Real records are not all in the repository's sample: whatever a record of the same kind
    holds, the import reads it or skips it, and what it writes checks clean."""
    assert not _import_records_and_check(tmp_path_factory.mktemp("p"), contents).problems


def test_progress_is_shown_on_a_terminal_only(empty_project):
    status, output = run_on_terminal("import", str(SAMPLE), "--content", "content", cwd=empty_project)
    assert status == 0
    assert b"\r" in output and b"25 documents read" in output and b"imported 46 documents" in output
    piped = run_build("import", str(SAMPLE), "--content", "other", cwd=empty_project)
    assert "\r" not in piped.stdout and "documents read" not in piped.stdout
