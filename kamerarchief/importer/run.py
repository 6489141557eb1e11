"""The import, start to finish: read sources, recognise, emit, write each document atomically,
merge the registries, and summarise (imported, skipped by kind, places to check)."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ErrorList
from ..load import REGISTRY_FILES, load_archive
from .emit import emit
from .pdftext import read_pdftext
from .recognise import Skipped, Stuk, recognise
from .registries import Registries
from .sgd import read_sgd
from .source import SourceProblem


@dataclass
class Report:
    """What an import did."""

    imported: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    to_check: list[str] = field(default_factory=list)

    def summary(self, dry_run: bool) -> str:
        """The lines printed at the end: imported, skipped by kind, unreadable, and what to check."""
        verb = "would import" if dry_run else "imported"
        lines = [f"{verb} {len(self.imported)} document{'s' if len(self.imported) != 1 else ''}"
                 + (f", {len(self.existing)} already in the archive (use --force to replace)" if self.existing else "")
                 + f", skipped {sum(self.skipped.values())}"
                 + (f" ({', '.join(f'{kind} {n}' for kind, n in sorted(self.skipped.items(), key=lambda i: (-i[1], i[0])))})"
                    if self.skipped else "")
                 + f", {len(self.problems)} unreadable."]
        if self.to_check:
            lines.append(f"To check ({len(self.to_check)}):")
            lines += [f"  {place}" for place in self.to_check]
        return "\n".join(lines)


def documents(source: str, stdin=None):
    """The documents (or problems) in one SOURCE: a pdftotext file, a .jsonl file, or '-' (stdin)."""
    label = "<stdin>" if source == "-" else source
    if source == "-":
        text = (stdin or sys.stdin).read()
    else:
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            yield SourceProblem(f"{label}:1", f"cannot read: {exc.strerror}")
            return
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[:exc.start].count(b"\n") + 1
            yield SourceProblem(f"{label}:{line}", "not UTF-8 text")
            return
    if text.lstrip().startswith("{"):
        yield from read_sgd(iter(text.splitlines()), label)
    elif not text.strip():
        yield SourceProblem(f"{label}:1", "empty source")
    else:
        origin = "stdin" if source == "-" else Path(source).name
        yield read_pdftext(text, label, origin)


def import_sources(sources: list[str], content: Path, force: bool = False, dry_run: bool = False,
                   progress=None, stdin=None) -> Report:
    """Import every document of `sources` into `content`; nothing is half-written."""
    report = Report()
    (content / "verslagen").mkdir(parents=True, exist_ok=True) if not dry_run else None
    registries = Registries(content)
    _note_existing(registries, content)
    for source in sources:
        for count, item in enumerate(documents(source, stdin), start=1):
            if progress:
                progress(source, count)
            if isinstance(item, SourceProblem):
                report.problems.append(str(item))
                continue
            result = recognise(item)
            if isinstance(result, Skipped):
                report.skipped[result.kind] += 1
                continue
            _import_one(result, registries, content, force, dry_run, report)
    if not dry_run:
        for kind in registries.added:
            _append_registry(content, kind, registries.appended_text(kind))
        for name in REGISTRY_FILES:  # the build needs every registry, if only an empty one
            if not (content / name).exists():
                _append_registry(content, name.removesuffix(".yaml"), "{}\n")
    return report


def _import_one(stuk: Stuk, registries: Registries, content: Path, force: bool, dry_run: bool, report: Report) -> None:
    target = content / "verslagen" / stuk.publication_id
    if target.exists() and not force:
        report.existing.append(stuk.publication_id)
        return
    emitted = emit(stuk, registries)
    report.imported.append(stuk.publication_id)
    shown = os.path.relpath(target / "verslag.yaml").replace(os.sep, "/")
    report.to_check += [f"{shown}: {note}" for note in emitted.unsure]
    if dry_run:
        return
    _write_folder(target, emitted.files)


def _write_folder(target: Path, files: dict[str, str]) -> None:
    """Write a document's folder beside its place and rename it in: never half-written."""
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        for relative, text in files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        if target.exists():
            old = target.with_name(f".{target.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(target, old)
            os.replace(staging, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _append_registry(content: Path, kind: str, text: str | None) -> None:
    """Append new entries to a registry file (through a temporary file and a rename)."""
    if text is None:
        return
    path = content / f"{kind}.yaml"
    before = path.read_text(encoding="utf-8") if path.exists() else ""
    if before and not before.endswith("\n"):
        before += "\n"
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(before + text, encoding="utf-8")
    os.replace(temporary, path)


def _note_existing(registries: Registries, content: Path) -> None:
    """Which parties and years the archive already knows for each person (namesakes stay apart)."""
    if not (content / "verslagen").is_dir():
        return
    archive = load_archive(content, content.parent, ErrorList())
    for verslag in archive.verslagen.values():
        year = verslag.sort_date.year
        for seat in verslag.seats:
            if seat.person:
                registries.note_use(seat.person, seat.party, year)
        for signature in verslag.signatures:
            if signature.person:
                registries.note_use(signature.person, None, year)
