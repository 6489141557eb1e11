"""The site configuration: config.yaml read into a frozen object; unknown keys are errors."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import ContentError, ErrorList
from .fields import Record
from .sourceyaml import decode_source, parse_yaml

# Each option with its default; the comments are the documentation of config.yaml.
OPTIONS = {
    "title": "Kamerarchief",  # the site's name, shown in the header and in page titles
    "description": "",  # one or two sentences on the home page saying what the archive is
    "content": "content",  # folder with the YAML and Markdown, relative to config.yaml
    "output": "site",  # folder the built site replaces, relative to config.yaml
    "templates": "templates",  # Jinja2 templates
    "static": "static",  # files copied as they are (CSS)
    "base_url": "",  # absolute address of the published site, for canonical links; empty: none
    "search_bundle_pages": "20000",  # pages per part of the search index (Pagefind's memory grows with it)
}


@dataclass(frozen=True)
class Config:
    """Validated settings, with folders made absolute against the config file's folder."""

    root: Path
    title: str
    description: str
    content: Path
    output: Path
    templates: Path
    static: Path
    base_url: str
    search_bundle_pages: int = 20000


class ConfigError(Exception):
    """config.yaml is missing or wrong; carries the errors to print."""

    def __init__(self, errors: list[ContentError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def load_config(path: Path, content: Path | None = None, output: Path | None = None) -> Config:
    """Read config.yaml; `content` and `output` given on the command line take precedence."""
    errors = ErrorList()
    shown = path.as_posix()
    try:
        text = decode_source(path.read_bytes(), shown, errors)
    except OSError as exc:
        raise ConfigError([ContentError(shown, 1, f"cannot read config: {exc.strerror}")]) from None
    data = parse_yaml(text, shown, errors) if text is not None else None
    values = dict(OPTIONS)
    templates_line = 1
    if data is not None:
        record = Record(data, shown, errors, "config", {key: False for key in OPTIONS})
        if "templates" in record.mapping:
            templates_line = record.line_of("templates")
        for key in OPTIONS:
            if key == "search_bundle_pages" and key in record.mapping:
                given = record.mapping.get(key)
                if isinstance(given, int) and not isinstance(given, bool) and given > 0:
                    values[key] = str(given)
                else:
                    record.error(key, f"search_bundle_pages must be a whole number above 0, not {given!r}")
            elif key in record.mapping:
                given = record.text(key)
                if given is not None:
                    values[key] = given
    root = path.resolve().parent
    if not errors and not (root / values["templates"]).is_dir():
        # Else every template would be reported as not found, once per page kind.
        errors.add(shown, templates_line, f"templates folder '{values['templates']}' not found "
                                          f"(relative to the folder of {path.name})")
    if errors:
        raise ConfigError(errors.sorted())
    return Config(
        root=root,
        title=values["title"],
        description=values["description"],
        content=(content.resolve() if content else root / values["content"]),
        output=(output.resolve() if output else root / values["output"]),
        templates=root / values["templates"],
        static=root / values["static"],
        base_url=values["base_url"].rstrip("/"),
        search_bundle_pages=int(values["search_bundle_pages"]),
    )
