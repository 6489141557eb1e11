"""End to end: build.py run as a user runs it, in a copy of the project."""

from __future__ import annotations

import shutil

import pytest

from conftest import run_build


def test_build_writes_the_site_and_reports_what_it_did(project):
    result = run_build(cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Built 68 pages" in result.stdout
    assert (project / "site" / "verslagen" / "kst-19637-H" / "index.html").is_file()
    assert (project / "site" / "pagefind" / "pagefind-entry.json").is_file()
    # No staging folder left behind; only the spare, which the next rebuild turns into its staging
    # folder by relinking what changed (generations.py).
    assert [p.name for p in project.glob(".site.*")] == [".site.spare"]


def test_check_validates_and_writes_nothing(project):
    result = run_build("check", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Content is valid: 1 verslagen, 68 pages." in result.stdout
    assert not (project / "site").exists()


def test_content_and_output_options_override_the_config(project, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    shutil.move(project / "content", elsewhere / "archief")
    result = run_build("--content", str(elsewhere / "archief"), "--output", str(elsewhere / "uit"), "--quiet",
                       cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert (elsewhere / "uit" / "index.html").is_file()


def test_config_option_reads_another_config(project):
    (project / "config.yaml").rename(project / "andere.yaml")
    assert run_build("check", cwd=project).returncode != 0
    assert run_build("check", "--config", "andere.yaml", cwd=project).returncode == 0


def test_a_templates_folder_that_is_not_there_is_one_config_error(project):
    config = project / "config.yaml"
    lines = config.read_text(encoding="utf-8").split("\n")
    line = next(number for number, text in enumerate(lines, 1) if text.startswith("templates:"))
    lines[line - 1] = "templates: sjablonen"
    config.write_text("\n".join(lines), encoding="utf-8")
    result = run_build(cwd=project)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"config.yaml:{line}: templates folder 'sjablonen' not found (relative to the folder of config.yaml)")
    assert len(result.stderr.splitlines()) <= 2 and "Traceback" not in result.stderr


@pytest.mark.parametrize("value", ["0", "veel", "'20000'", "2.5"])
def test_a_bundle_size_that_is_not_a_whole_number_above_0_is_a_config_error(project, value):
    config = project / "config.yaml"
    text = config.read_text(encoding="utf-8").rstrip("\n")
    config.write_text(f"{text}\nsearch_bundle_pages: {value}\n", encoding="utf-8")
    line = len(text.split("\n")) + 1
    result = run_build(cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0].startswith(f"config.yaml:{line}: search_bundle_pages must be a whole number above 0")


def test_content_error_prints_path_line_message_and_exits_1(project):
    letter = project / "content/verslagen/kst-19637-H/brieven/2021-07-08-commissie.md"
    letter.write_text(letter.read_text(encoding="utf-8").replace("partij:pvv", "partij:pvvv"), encoding="utf-8")
    result = run_build(cwd=project)
    assert result.returncode == 1
    assert ("content/verslagen/kst-19637-H/brieven/2021-07-08-commissie.md:15: "
            "unknown partij 'pvvv' in link 'partij:pvvv' (did you mean 'pvv'?)") in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "site").exists()


def test_failed_build_leaves_the_previous_site_unchanged(project):
    assert run_build(cwd=project).returncode == 0
    before = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    (project / "content/partijen.yaml").write_text("gl: [unclosed\n", encoding="utf-8")
    result = run_build(cwd=project)
    assert result.returncode == 1
    assert "content/partijen.yaml:2:1: YAML syntax error" in result.stderr
    after = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    assert after == before


def test_wrong_usage_exits_2(project):
    assert run_build("publish", cwd=project).returncode == 2
    assert run_build("--port", "x", cwd=project).returncode == 2


@pytest.mark.parametrize("output", [".", "content", ".."])
def test_refuses_an_output_folder_that_holds_the_project_or_content(project, output):
    result = run_build("--output", output, cwd=project)
    assert result.returncode == 2
    assert "refusing to build into" in result.stderr
    assert (project / "content" / "partijen.yaml").is_file()


def test_refuses_a_non_empty_folder_it_did_not_build(project):
    (project / "mine").mkdir()
    (project / "mine" / "notes.txt").write_text("keep me", encoding="utf-8")
    result = run_build("--output", "mine", cwd=project)
    assert result.returncode == 2
    assert (project / "mine" / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_rebuild_replaces_a_previous_build(project):
    assert run_build(cwd=project).returncode == 0
    (project / "site" / "stale.html").write_text("old", encoding="utf-8")
    assert run_build(cwd=project).returncode == 0
    assert not (project / "site" / "stale.html").exists()
