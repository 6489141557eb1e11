"""An incremental rebuild gives exactly the site a full build of the same content gives.

Each step edits a copy of the fixture archive the way an editor would, brings the output up to
date with IncrementalBuilder, and compares every page with a fresh full build.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from kamerarchief.config import load_config
from kamerarchief.errors import BuildError
from kamerarchief.pipeline import IncrementalBuilder, check

FIXTURE = ROOT / "tests" / "fixtures" / "archief"
SEED = "content/verslagen/kst-19637-H"
OLD = "content/verslagen/kst-14406-56"
# An imported letter that cites kamerstukken (Staten-Generaal Digitaal 0000004726).
WITHDRAWAL = "content/verslagen/kst-20859-21/brieven/1993-11-18-minister.md"


def pages(folder: Path) -> dict[str, bytes]:
    """Every file the build renders (pages, feeds, data files): all but the search bundle, the
    static files and the build's marker."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.relative_to(folder).parts[0] not in ("pagefind", "static", ".kamerarchief-build")}


LAST_PERSON = (FIXTURE / "content" / "personen.yaml").read_text(encoding="utf-8").splitlines(keepends=True)[-1]


def edit(project: Path, path: str, old: str, new: str) -> Path:
    file = project / path
    text = file.read_text(encoding="utf-8")
    assert old in text, (path, old)
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
    return file


@pytest.fixture
def project(tmp_path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project, ignore=shutil.ignore_patterns("site"))
    shutil.copytree(ROOT / "templates", project / "templates")
    # Published under a path: the base path, sitemap and link previews are kept up to date too.
    (project / "config.yaml").write_text(f"static: {ROOT / 'static'}\nbase_url: https://example.org/archief/\n",
                                         encoding="utf-8")
    return project


def assert_same_as_full_build(project: Path) -> None:
    config = load_config(project / "config.yaml")
    expected = check(config).decoded()
    built = pages(project / "site")
    assert sorted(built) == sorted(u.lstrip("/") + ("index.html" if u.endswith("/") else "") for u in expected)
    for url, html in expected.items():
        name = url.lstrip("/") + ("index.html" if url.endswith("/") else "")
        assert built[name].decode("utf-8") == html, f"{url} differs from a full build"


def editing_steps(project: Path) -> list:
    """Edits an editor makes, one after the other; each returns the paths it changed."""
    letter2 = f"{SEED}/brieven/2021-07-08-commissie.md"
    letter3 = f"{SEED}/brieven/2021-07-08-staatssecretaris.md"
    steps = [
        # words of a letter, inside a passage that mentions parties and cites a bron
        lambda: {edit(project, letter2, "vraagt uw aandacht", "vraagt nogmaals uw aandacht")},
        # a new mention of a party that the letter did not mention before
        lambda: {edit(project, letter3, "De werkgroep bestaat uit", "De [SP](partij:sp) vraagt: de werkgroep bestaat uit")},
        # a mention taken away again, and a letter's date changed
        lambda: {edit(project, letter2, "de [PVV](partij:pvv)", "de PVV"),
                 edit(project, letter2, "datum: 2021-07-08", "datum: 2021-07-07")},
        # the committee composition: a seat changes person and party
        lambda: {edit(project, f"{SEED}/verslag.yaml", "{persoon: kox, partij: sp}", "{persoon: dragstra, partij: cda}")},
        # a seat for a person and party that had none in that verslag; a signature by someone new
        lambda: {edit(project, f"{OLD}/verslag.yaml", "{persoon: knol, partij: pvda}", "{persoon: karimi, partij: gl}")},
        lambda: {edit(project, f"{OLD}/brieven/1981-12-16-commissie.md", "datum: 1981-12-16\n",
                      "datum: 1981-12-16\nondertekening: {functie: Voorzitter, naam: Stienen, persoon: stienen}\n")},
        # a letter removed from a verslag
        lambda: {edit(project, f"{OLD}/verslag.yaml", "  - 1981-12-16-commissie\n", "  - 1981-12-16-commissie\n  - 1982-01-05-minister\n"),
                 _copy_letter(project)},
        lambda: {edit(project, f"{OLD}/verslag.yaml", "  - 1982-01-05-minister\n", ""),
                 _remove(project, f"{OLD}/brieven/1982-01-05-minister.md")},
        # a registry: a person's name, a party's alias
        lambda: {edit(project, "content/personen.yaml", "karimi: {naam: Karimi}", "karimi: {naam: Karimi, voorletters: F.}")},
        # a dossier's title, which the title of each feed entry of its verslagen shows
        lambda: {edit(project, "content/dossiers.yaml", "titel: Vreemdelingenbeleid", "titel: Vreemdelingenzaken")},
        # a second person of the same name as one the seed's composition names, at the end of the
        # registry (so that no other person's line moves), and taken out again
        lambda: {edit(project, "content/personen.yaml", LAST_PERSON, LAST_PERSON + "kox-2: {naam: Kox}\n")},
        lambda: {edit(project, "content/personen.yaml", "kox-2: {naam: Kox}\n", "")},
        # what imported stukken carry: a second dossier and a herkomst; a plaatsvervangend lid and
        # a member without party; no committee; then the second dossier taken away again
        lambda: {edit(project, f"{OLD}/verslag.yaml", 'dossier: "14406"',
                      'dossier: ["14406", "19637"]\nherkomst: {bron: 0000151048, url: "https://zoek.officielebekendmakingen.nl/0000151048/ocr", ocr: true, onvolledig: true}')},
        lambda: {edit(project, f"{OLD}/verslag.yaml", "{persoon: cotterell, partij: d66}", "{persoon: cotterell, partij: d66, plaatsvervangend: true}"),
                 edit(project, f"{OLD}/verslag.yaml", "{persoon: groenman, partij: d66}", "{persoon: groenman}")},
        lambda: {edit(project, f"{OLD}/verslag.yaml", "commissie: gehandicaptenbeleid\n", "")},
        # no date printed: the verslag is listed by its vergaderjaar
        lambda: {edit(project, f"{OLD}/verslag.yaml", "vastgesteld: 1982-03-02\n", "")},
        lambda: {edit(project, f"{OLD}/verslag.yaml", 'dossier: ["14406", "19637"]', 'dossier: "14406"')},
        # a new citation of a stuk the archive holds, in a letter: it leads to the stuk's page
        lambda: {edit(project, letter3, "(bron:ongelofelijk).", "(bron:ongelofelijk). Vgl. Kamerstukken II 1981/82, 14 406, nr. 56.")},
        # a whole verslag folder removed, then put back; the letter cites it, so its citation
        # leads to the dossier meanwhile, and to officielebekendmakingen.nl while the dossier is gone too
        lambda: {_move(project, OLD, "old-verslag")},
        lambda: {edit(project, "content/dossiers.yaml", '"14406":\n  titel: Schets van de huidige situatie van het '
                      'revalidatiebeleid\n', "")},
        lambda: {edit(project, "content/dossiers.yaml", '"19637":\n', '"14406":\n  titel: Schets van de huidige '
                      'situatie van het revalidatiebeleid\n"19637":\n')},
        lambda: {_move(project, "old-verslag", OLD)},
        # a dossier added that a real citation names (kst-20859-21 cites 20 381, nr. 17): the
        # citation of a stuk not in the archive leads to it
        lambda: {edit(project, "content/dossiers.yaml", '"19637":\n', '"20381":\n  titel: Basisvorming\n"19637":\n')},
        # the words around a citation
        lambda: {edit(project, WITHDRAWAL, "opgenomen in laatstgenoemd", "opgenomen in het laatstgenoemde")},
    ]
    return steps


def test_incremental_rebuilds_match_full_builds(project):
    builder = IncrementalBuilder(load_config(project / "config.yaml"))
    builder.full_build()
    for number, step in enumerate(editing_steps(project), start=1):
        changed = step()
        builder.update(changed, set(), set())
        try:
            assert_same_as_full_build(project)
        except AssertionError as exc:
            raise AssertionError(f"step {number}: {exc}") from None
    # A template edit renders the pages that use it.
    edit(project, "templates/bron.html", "<dt>Soort</dt>", "<dt>Soort document</dt>")
    update = builder.update(set(), {"bron.html"}, set())
    assert update.rendered == 9  # the nine bron pages
    assert_same_as_full_build(project)


def test_a_build_not_kept_is_remembered_only_while_pagefind_runs(project):
    builder = IncrementalBuilder(load_config(project / "config.yaml"))
    seen = []
    builder.full_build(meanwhile=lambda b: seen.append((b.result.site is not None, len(b.result.pages))),
                       keep=False)
    assert seen and seen[0][0] and seen[0][1] > 0  # whole while meanwhile ran (to save it)
    assert builder.result is None and builder.digests and builder.site_id
    assert_same_as_full_build(project)


def test_an_edit_with_errors_changes_nothing_and_the_fix_applies(project):
    builder = IncrementalBuilder(load_config(project / "config.yaml"))
    builder.full_build()
    before = pages(project / "site")
    letter = edit(project, f"{SEED}/brieven/2021-04-29-commissie.md", "(persoon:karimi)", "(persoon:karimii)")
    with pytest.raises(BuildError) as failure:
        builder.update({letter}, set(), set())
    assert "unknown persoon 'karimii'" in str(failure.value.errors[0])
    assert pages(project / "site") == before
    # Removing a letter that another verslag's text links to is caught too.
    edit(project, f"{SEED}/brieven/2021-04-29-commissie.md", "(persoon:karimii)", "(persoon:karimi)")
    edit(project, f"{OLD}/inleiding.md", "[volgende brief](brief:1981-12-16-commissie)",
         "[volgende brief](brief:kst-19637-H/2021-07-08-commissie)")
    builder.update({project / f"{OLD}/inleiding.md", letter}, set(), set())
    assert_same_as_full_build(project)
    yaml = edit(project, f"{SEED}/verslag.yaml", "  - 2021-07-08-commissie\n", "")
    removed = _remove(project, f"{SEED}/brieven/2021-07-08-commissie.md")
    with pytest.raises(BuildError) as failure:
        builder.update({yaml, removed}, set(), set())
    messages = [str(e) for e in failure.value.errors]
    assert any(m.startswith(f"{OLD}/inleiding.md:1: unknown brief") for m in messages), messages


def _copy_letter(project: Path) -> Path:
    source = project / OLD / "brieven" / "1981-12-16-commissie.md"
    target = source.with_name("1982-01-05-minister.md")
    target.write_text(source.read_text(encoding="utf-8").replace("datum: 1981-12-16", "datum: 1982-01-05")
                      .replace("[14406](dossier:14406)", "[14406](dossier:14406) en [D'66](partij:d66)"),
                      encoding="utf-8")
    return target


def _remove(project: Path, path: str) -> Path:
    (project / path).unlink()
    return project / path


def _move(project: Path, source: str, target: str) -> Path:
    (project / source).rename(project / target)
    return project / source


def test_a_template_error_during_a_content_rebuild_leads_to_a_full_rebuild(project):
    builder = IncrementalBuilder(load_config(project / "config.yaml"))
    builder.full_build()
    edit(project, "templates/brief.html", "{{ letter.addressee }}", "{{ letter.addressee | nosuchfilter }}")
    letter = edit(project, f"{SEED}/brieven/2021-07-08-commissie.md", "vraagt uw aandacht", "vraagt nu uw aandacht")
    with pytest.raises(BuildError):
        builder.update({letter}, {"brief.html"}, set())
    assert builder.result is None  # the preview then builds everything again
    edit(project, "templates/brief.html", "{{ letter.addressee | nosuchfilter }}", "{{ letter.addressee }}")
    IncrementalBuilder(load_config(project / "config.yaml")).full_build()
    assert_same_as_full_build(project)
