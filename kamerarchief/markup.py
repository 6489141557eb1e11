"""Markdown to HTML for the text of the record, with cross-references and the document's footnotes.

Authors mark mentions as links with a scheme naming what they point at: `[Karimi](persoon:karimi)`,
`[GroenLinks](partij:gl)`, `[«Ongekend Onrecht»](bron:ongekend-onrecht)`, `[brief](brief:slug)`.
Kamerstuk citations in the text become links of their own (citations.py). The link text stays
exactly as written: linking never changes the words. Footnotes keep the numbers the document
prints (`[^6]`), which run on through the whole verslag.
Raw HTML is off and only http(s), mailto and the schemes above may become links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from . import citations, dutch, treemarkup
from .errors import ErrorList
from .fields import safe_slug_problem
from .model import MarkdownText, url_for

REFERENCE_KINDS = ("persoon", "partij", "bron", "brief", "commissie", "dossier", "verslag")
EXTERNAL_SCHEMES = ("https://", "http://", "mailto:")
FOOTNOTE_LABEL = re.compile(r"^[1-9][0-9]*$")
EXCERPT_RADIUS = 110
_RESERVED_IDS = ("alinea-", "noot-", "ref-noot-")  # the ids of paragraphs and footnotes


@dataclass(frozen=True)
class Reference:
    """One marked mention in the text: what it points at and the passage it stands in."""

    kind: str
    target: str
    anchor: str
    excerpt: str
    link_text: str
    footnote: str | None
    line: int
    href: str


@dataclass(frozen=True)
class RenderedText:
    body_html: str
    footnotes_html: str
    footnote_labels: tuple[str, ...]
    headings: tuple[tuple[str, str], ...]
    references: tuple[Reference, ...]
    first_footnote_lines: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Parsers:
    """markdown-it-py, and markdown-it-pyrs (None: not used) for the texts it renders the same way."""

    py: MarkdownIt
    tree: object | None


def make_parser(tree: bool = True) -> Parsers:
    """CommonMark with footnotes; no raw HTML, no typographic replacements, no images.

    With `tree`, most texts are parsed by markdown-it-pyrs (treemarkup.py), the rest by markdown-it-py.
    """
    md = MarkdownIt("commonmark", {"html": False, "xhtmlOut": False, "typographer": False, "linkify": False})
    # Inline footnotes (^[...]) would number themselves; the record's footnotes carry printed numbers.
    md.use(footnote_plugin, inline=False)
    md.disable("image")
    # Every link is checked in _Annotator (with a line number); markdown-it's own check would turn a
    # bad link into silent text instead of an error.
    md.validateLink = lambda url: True
    for name, rule in _RENDER_RULES.items():
        md.add_render_rule(name, rule)
    return Parsers(md, treemarkup.make_tree_parser() if tree else None)


def render_markdown(parsers: Parsers, source: MarkdownText, verslag_id: str, errors: ErrorList) -> RenderedText:
    """Render `source`, the introduction or a letter of verslag `verslag_id`, to HTML.

    Reference links become links to the URL their kind and id give; whether that id exists is
    checked in resolve, so that a rendered text can be cached and reused as long as it is unchanged.
    A letter of the same verslag is referred to by its slug alone and recorded as 'verslag/slug'.
    markdown-it-pyrs parses the text where treemarkup.py renders it as markdown-it-py does, which
    is most texts; either way the output is the same.
    """
    if parsers.tree is not None and not treemarkup.needs_fallback(source.text):
        annotator = _Annotator(source, verslag_id)
        try:
            renderer = treemarkup.TreeRenderer(source.text, annotator)
            body, footnotes, labels, referenced = renderer.render(treemarkup.parse(parsers.tree, source.text))
        except treemarkup.TreeParseError:
            pass  # markdown-it-py below
        else:
            _check_footnotes(source, referenced, annotator)
            annotator.flush(errors)
            return RenderedText(body, footnotes, labels, tuple(annotator.headings), tuple(annotator.references),
                                annotator.footnote_lines)
    md = parsers.py
    env: dict = {}
    tokens = md.parse(source.text, env)
    annotator = _Annotator(source, verslag_id)
    annotator.walk(tokens)
    refs = env.get("footnotes", {}).get("refs", {})
    _check_footnotes(source, {label[1:] for label, ident in refs.items() if ident >= 0}, annotator)
    annotator.flush(errors)
    split = next((i for i, t in enumerate(tokens) if t.type == "footnote_block_open"), len(tokens))
    body = md.renderer.render(tokens[:split], md.options, env)
    footnotes = md.renderer.render(tokens[split:], md.options, env) if split < len(tokens) else ""
    labels = tuple(t.meta["label"] for t in tokens[split:] if t.type == "footnote_open")
    return RenderedText(body, footnotes, labels, tuple(annotator.headings), tuple(annotator.references),
                        annotator.footnote_lines)


class _Annotator:
    """Gives paragraphs and headings ids, resolves reference links and records where they stand.

    Walks markdown-it-py's tokens; treemarkup.TreeRenderer calls its other methods as it walks
    markdown-it-pyrs's tree. Errors are kept until `flush`, so that a text the tree renderer hands
    back to markdown-it-py half-way reports nothing twice.
    """

    def __init__(self, source: MarkdownText, verslag_id: str):
        self.source = source
        self.verslag_id = verslag_id
        self.errors: list[tuple[int, str]] = []
        self.headings: list[tuple[str, str]] = []
        self.references: list[Reference] = []
        self.footnote_lines: dict[str, int] = {}
        self.ids: set[str] = set()
        self.resolved: dict[str, tuple[str, str, str]] = {}  # href -> resolve's answer, for valid ones

    def error(self, line: int, message: str) -> None:
        """An error at 0-based `line` of the text."""
        self.errors.append((self.source.first_line + line, message))

    def flush(self, errors: ErrorList) -> None:
        """Add the errors found to `errors`."""
        for line, message in self.errors:
            errors.add(self.source.path, line, message)

    def heading(self, text: str) -> str:
        """The id of a heading whose source text is `text`, recorded for the table of contents."""
        anchor = self._unique_id(dutch.slugify(text))
        self.headings.append((anchor, text))
        return anchor

    def reference(self, kind: str, target: str, anchor: str, plain: str, offset: int, link_text: str,
                  footnote: str | None, line: int, href: str) -> None:
        """A marked mention at `offset` in the paragraph's plain text `plain`, at 0-based `line`."""
        self.references.append(Reference(kind, target, anchor, _excerpt(plain, offset, len(link_text)),
                                         link_text, footnote, self.source.first_line + line, href))

    def walk(self, tokens: list[Token]) -> None:
        paragraph = 0
        anchor = "top"
        footnote = None
        for index, token in enumerate(tokens):
            if token.type == "footnote_open":
                footnote = token.meta["label"]
                anchor = f"noot-{footnote}"
            elif token.type == "footnote_close":
                footnote = None
            elif token.type == "paragraph_open" and footnote is None:
                if token.hidden:
                    # A tight list's paragraph writes no <p>: the list item it starts takes its id;
                    # one after a nested block has no place for an id and counts as no paragraph.
                    if tokens[index - 1].type != "list_item_open":
                        continue
                    paragraph += 1
                    anchor = f"alinea-{paragraph}"
                    tokens[index - 1].attrSet("id", anchor)
                else:
                    paragraph += 1
                    anchor = f"alinea-{paragraph}"
                    token.attrSet("id", anchor)
            elif token.type == "heading_open":
                if token.tag == "h1":
                    self.error(token.map[0], "a '#' heading would repeat the page title; "
                                             "use '##' for the sections of a text")
                anchor = self.heading(tokens[index + 1].content)
                token.attrSet("id", anchor)
            elif token.type == "inline" and token.children is not None:
                line = token.map[0] if token.map else 0
                if footnote is not None and footnote not in self.footnote_lines:
                    self.footnote_lines[footnote] = line + self.source.first_line
                self._inline(token, line, anchor, footnote)

    def _unique_id(self, base: str) -> str:
        if base.startswith(_RESERVED_IDS):
            base = f"sectie-{base}"  # '## Alinea 1' must not take a paragraph's or a note's id
        candidate, n = base, 1
        while candidate in self.ids:
            n += 1
            candidate = f"{base}-{n}"
        self.ids.add(candidate)
        return candidate

    def _inline(self, inline: Token, line: int, anchor: str, footnote: str | None) -> None:
        inline.children = children = citations.mark_citations(inline.children)
        plain = _plain_text(children)
        offset = 0
        open_links: list[Token] = []
        for index, child in enumerate(children):
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            if child.type == "link_open":
                if "citation" in child.meta:
                    # Where a citation leads depends on the archive: filled in as pages are rendered.
                    href = child.meta["placeholder"]
                    url, reference_kind, target = href, "kamerstuk", child.meta["citation"].casefold()
                else:
                    href = child.attrGet("href") or ""
                    url, reference_kind, target = self.resolve(href, line)
                if url is None:
                    # Never let an unchecked href through, even when errors are being collected.
                    child.type, child.tag, child.attrs = "text", "", {}
                    child.content = ""
                    child.meta["unlinked"] = True
                else:
                    child.attrSet("href", url)
                    if reference_kind is not None:
                        child.attrSet("class", f"ref ref-{reference_kind}")
                        self.reference(reference_kind, target, anchor, plain, offset,
                                       _plain_text(_until_close(children, index)), footnote, line, href)
                open_links.append(child)
            elif child.type == "link_close" and open_links:
                opened = open_links.pop()
                if opened.meta.get("unlinked"):
                    child.type, child.tag, child.content = "text", "", ""
            elif child.type == "text":
                for match in treemarkup.UNDEFINED_FOOTNOTE.finditer(child.content):
                    self.error(line, f"footnote [^{match.group(1)}] is referenced but not defined")
            offset += len(_plain_text([child]))

    def resolve(self, href: str, line: int) -> tuple[str | None, str | None, str | None]:
        """(url, kind, id) for a link; url is None when the link must not be made."""
        known = self.resolved.get(href)
        if known is not None:
            return known  # a list of members names the same parties over and over
        scheme, colon, target = href.partition(":")
        if colon and scheme in REFERENCE_KINDS:
            if scheme == "brief" and "/" not in target:
                target = f"{self.verslag_id}/{target}"  # a letter of the same verslag
            parts = target.split("/")
            if len(parts) != (2 if scheme == "brief" else 1) or any(safe_slug_problem(p) for p in parts):
                self.error(line, f"link '{href}' does not name a valid {scheme} id")
                return None, None, None
            result = self.resolved[href] = (url_for(scheme, target), scheme, target)
            return result
        if href.startswith(EXTERNAL_SCHEMES):
            return href, None, None
        self.error(line, f"link '{href}' is not allowed: use https://, mailto: or one of "
                         + ", ".join(f"{k}:" for k in REFERENCE_KINDS))
        return None, None, None


def _until_close(children: list[Token], start: int) -> list[Token]:
    depth, result = 0, []
    for child in children[start:]:
        if child.type == "link_open":
            depth += 1
        elif child.type == "link_close":
            depth -= 1
            if depth == 0:
                break
        else:
            result.append(child)
    return result


def _plain_text(tokens: list[Token]) -> str:
    parts = []
    for token in tokens:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.type == "footnote_ref":
            parts.append(str(token.meta.get("label") or token.meta["id"] + 1))
        elif token.children:
            parts.append(_plain_text(token.children))
    return "".join(parts)


def _excerpt(text: str, start: int, length: int) -> str:
    """The words around a mention, cut at word boundaries, with an ellipsis where cut."""
    left = max(0, start - EXCERPT_RADIUS)
    right = min(len(text), start + length + EXCERPT_RADIUS)
    if left > 0:
        left = text.find(" ", left, start) + 1 or left
    if right < len(text):
        cut = text.rfind(" ", start + length, right)
        right = cut if cut > 0 else right
    return ("…" if left > 0 else "") + text[left:right].strip() + ("…" if right < len(text) else "")


def _check_footnotes(source: MarkdownText, referenced: set[str], annotator: _Annotator) -> None:
    """Footnote labels are the printed numbers; every footnote defined is referenced."""
    text = source.text
    definition_lines: dict[str, int] = {}
    line = position = 0
    for match in treemarkup.FOOTNOTE_MARK.finditer(text):
        start = match.start()
        line_start = text.rfind("\n", 0, start) + 1
        if start - line_start > 3 or text[line_start:start].strip(" "):
            continue  # a definition starts a line, after at most 3 spaces
        line += text.count("\n", position, start)  # counted on from the last: texts are long
        position = start
        definition_lines[match.group(1)] = line
    for label, line in definition_lines.items():
        if not FOOTNOTE_LABEL.match(label):
            annotator.error(line, f"footnote [^{label}] must be labelled with its printed number")
        elif label not in referenced:
            annotator.error(line, f"footnote [^{label}] is defined but never referenced")


def _label(tokens: list[Token], idx: int) -> str:
    return str(tokens[idx].meta.get("label") or tokens[idx].meta["id"] + 1)


def _footnote_ref(self, tokens, idx, options, env) -> str:
    return treemarkup.footnote_ref(_label(tokens, idx), tokens[idx].meta.get("subId", 0))


def _footnote_block_open(self, tokens, idx, options, env) -> str:
    return '<ol class="voetnoten">\n'


def _footnote_block_close(self, tokens, idx, options, env) -> str:
    return "</ol>\n"


def _footnote_open(self, tokens, idx, options, env) -> str:
    return treemarkup.footnote_item(_label(tokens, idx))


def _footnote_close(self, tokens, idx, options, env) -> str:
    return "</li>\n"


def _footnote_anchor(self, tokens, idx, options, env) -> str:
    # The number at the start of the note already links back to the first reference; later
    # references to the same note get a link of their own.
    return treemarkup.footnote_backlink(_label(tokens, idx), tokens[idx].meta.get("subId", 0))


_RENDER_RULES = {
    "footnote_ref": _footnote_ref,
    "footnote_block_open": _footnote_block_open,
    "footnote_block_close": _footnote_block_close,
    "footnote_open": _footnote_open,
    "footnote_close": _footnote_close,
    "footnote_anchor": _footnote_anchor,
}
