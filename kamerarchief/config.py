"""The site configuration: config.yaml read into a frozen object; unknown keys are errors."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

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
    # The address the site is published at, e.g. https://example.org/archief/. Its path (here
    # /archief) is put before every link, asset and the search bundle, so that the site works under
    # it; the whole address makes canonical links, the sitemap, link previews and the links in
    # feeds and data files absolute. Empty: published at the root of its host, without canonical
    # links, sitemap, or the addresses link previews need to be absolute (og:url, og:image); the
    # links in feeds and data files are then relative to the site's root.
    "base_url": "",
    "search_bundle_pages": "10000",  # pages per part of the search index (Pagefind's memory and search time grow with it)
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
    base_url: str  # without a trailing slash: 'https://example.org/archief'; '' when not set
    search_bundle_pages: int = 10000

    @property
    def base_path(self) -> str:
        """The path the site is published under, without a trailing slash: '/archief', or ''."""
        return urlsplit(self.base_url).path

    def absolute(self, url: str) -> str:
        """The published address of a site URL: '/verslagen/' -> 'https://example.org/archief/verslagen/';
        the URL itself when there is no base_url. Feeds and data files take every link they hold from here."""
        return absolute_url(self.base_url, url)


def absolute_url(base_url: str, url: str) -> str:
    """`base_url` (no trailing slash) + a site URL, percent-encoded where an address must be
    (a base_url may hold an accented path): 'https://example.org/archief' + '/verslagen/'."""
    return quote(base_url + url, safe=":/?#[]@!$&'()*+,;=%~")


def base_url_problem(value: str) -> str | None:
    """What is wrong with a base_url (None when it is fine): it must be an absolute http(s)
    address without query or fragment, since every link of the site is made from it."""
    if value == "":
        return None
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        return f"base_url '{value}' is not an absolute http(s) address such as https://example.org/archief/"
    if parts.query or parts.fragment or "?" in value or "#" in value:
        return f"base_url '{value}' may not have a query (?) or fragment (#)"
    if any(c.isspace() or c in '"<>\\' for c in value):
        return f"base_url '{value}' contains a character that is not allowed in an address"
    if any(segment in ("", ".", "..") for segment in parts.path.rstrip("/").split("/")[1:]):
        # '//archief' would make every link protocol-relative (another host); '..' another folder.
        return f"base_url '{value}' has an empty, '.' or '..' segment in its path"
    return None


class ConfigError(Exception):
    """config.yaml is missing or wrong; carries the errors to print."""

    def __init__(self, errors: list[ContentError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def load_config(path: Path, content: Path | None = None, output: Path | None = None,
                base_url: str | None = None) -> Config:
    """Read config.yaml; `content`, `output` and `base_url` given on the command line take precedence."""
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
        if base_url is None and "base_url" in record.mapping:
            problem = base_url_problem(values["base_url"])
            if problem:
                errors.add(shown, record.line_of("base_url"), problem)
    if base_url is not None:
        values["base_url"] = base_url  # checked by the command line
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
