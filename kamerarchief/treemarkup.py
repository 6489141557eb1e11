"""The texts of the record rendered from markdown-it-pyrs's syntax tree: markup.py's fast path.

markdown-it-pyrs, the Rust port of markdown-it, parses a text many times faster than markdown-it-py.
This module walks its tree and writes exactly what markup.py's markdown-it-py path writes: the same
HTML byte for byte, the same paragraph and heading ids, references with their excerpts, printed
footnote numbers, and errors with their line numbers. Where the two parsers disagree, or the Rust
parser lacks a behaviour of ours, markup.py renders the text with markdown-it-py: `needs_fallback`
spots those constructs in the source before it is parsed, and the walk raises TreeParseError for
the few that only the tree shows. tests/test_treemarkup.py compares the two paths.

The tree gives byte offsets into the UTF-8 source (`node.srcmap`); lines are counted from them.
"""

from __future__ import annotations

import re
from html import escape as html_escape

from markdown_it_pyrs import MarkdownIt as RustMarkdownIt

from . import citations

# CommonMark without raw HTML and images, with footnotes: the rules of markup.make_parser.
_RULES = ["blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph", "reference",
          "autolink", "backticks", "emphasis", "entity", "escape", "link", "newline", "footnote"]

# Constructs where the two parsers disagree or markdown-it-py does something of its own. They are
# rare in real texts, so a text with one is simply rendered by markdown-it-py. Each pattern is
# searched only when a plain substring test says it may match: searched in every text, they took
# a fifth of the time of the whole tree path.
_AUTOLINK = re.compile(r"<[A-Za-z][A-Za-z0-9.+-]{1,31}:|<[^<>\s@]+@")  # markdown-it-py decodes, punycodes
# A line up to ']:' that defines a link, also in a list item or quote.
_LINK_LABEL = re.compile(r"(?:[ >]|[-+*] |\d{1,9}[.)] )*\[(?!\^)(?:[^\]\\\n]|\\.)*\]")
# A list marker after a quote's line (or the lines that continue its paragraph).
_LIST_AFTER_QUOTE = re.compile(r"^ {0,3}>.*\n(?:[^\n]+\n)*?(?: {0,3}>)* {0,3}(?:[-+*]|\d{1,9}[.)])(?: |$)",
                               re.MULTILINE)
# '[^6]:' defines a note where it starts a line (after at most 3 spaces): found by its literal start,
# which is fast, and checked there (a pattern anchored at '^' is tried at every character).
FOOTNOTE_MARK = re.compile(r"\[\^([^\]\s]+)\]:")
UNDEFINED_FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\]")  # what is left of a reference to no note

_INLINE = frozenset(("text", "text_special", "softbreak", "hardbreak", "em", "strong", "code_inline", "link",
                     "autolink", "footnote_ref", "footnote_ref_anchor"))

# Items of the flat inline stream, like markdown-it's inline tokens.
TEXT, SOFTBREAK, HARDBREAK, CODE, OPEN, CLOSE, LINK, END_LINK, FOOTNOTE_REF = range(9)


def make_tree_parser() -> RustMarkdownIt:
    """markdown-it-pyrs with the rules of markup.make_parser (no raw HTML: its rules are left off)."""
    return RustMarkdownIt("zero").enable_many(_RULES)


def needs_fallback(text: str) -> bool:
    """Whether `text` has a construct that only markdown-it-py renders the way markup.py means it."""
    if "^[" in text or "\t" in text or "\r" in text or "\0" in text:
        return True  # inline footnotes (ours are refused; pyrs numbers them); tabs' columns; line ends
    if "`" in text and "[" in text:
        return True  # pyrs 0.4.0 panics on some backticks after a bracket ('[`a'), and prints a trace
    if not text.endswith("\n") and ("```" in text or "~~~" in text):
        return True  # an unclosed fence at the very end keeps no newline in markdown-it-py
    if "<" in text and _AUTOLINK.search(text):
        return True
    if ">" in text and _LIST_AFTER_QUOTE.search(text):
        return True
    if "]:" in text:
        position = text.find("]:")
        while position >= 0:
            if _LINK_LABEL.fullmatch(text, text.rfind("\n", 0, position) + 1, position + 1):
                return True  # a link reference definition
            position = text.find("]:", position + 2)
        # Footnote definitions: each once, at the start of a line after a blank one (pyrs lets a
        # definition interrupt a paragraph, markdown-it-py does not), so not in a list or quote.
        seen = set()
        for match in FOOTNOTE_MARK.finditer(text):
            start = match.start()
            if match[1] in seen:
                return True
            if start and (text[start - 1] != "\n" or not _blank_line_before(text, start - 1)):
                return True
            after = text[match.end():match.end() + 2]
            if len(after) < 2 or after[0] != " " or after[1] in " \n":
                return True  # an empty first line, or one indented as code: the parsers disagree
            seen.add(match[1])
    return False


def _blank_line_before(text: str, end: int) -> bool:
    """Whether the line that ends at `end` (a newline) is blank."""
    return text[text.rfind("\n", 0, end) + 1:end].strip() == ""


def _same(text: str) -> str:
    return text


def _escape(text: str) -> str:
    """markdown-it-py's escapeHtml; str.replace hands back the string itself where nothing is replaced."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


class TreeParseError(Exception):
    """markdown-it-pyrs failed on a text (it panics on some inputs): markdown-it-py renders it."""


def parse(parser: RustMarkdownIt, text: str):
    """The syntax tree of `text`, or TreeParseError."""
    try:
        return parser.tree(text)
    except BaseException as error:  # a Rust panic arrives as pyo3's PanicException, a BaseException
        if isinstance(error, (KeyboardInterrupt, SystemExit)):
            raise
        raise TreeParseError(str(error)) from None


class TreeRenderer:
    """Writes one text's HTML from its tree, telling `annotator` (markup._Annotator) what it finds.

    The HTML is what markdown-it-py's renderer writes for the same text with markup.py's rules.
    """

    def __init__(self, text: str, annotator):
        self.data = text.encode()
        self.annotator = annotator
        self.out: list[str] = []
        self.paragraph = 0
        self.anchor = "top"
        self.footnote: str | None = None
        self.ref_sub: dict[int, int] = {}  # footnote reference id -> its number among its note's references
        self.references_seen = 0
        self.nested = 0  # how many lists, quotes and notes the walk is in
        self._line_at = (0, 0)

    def line(self, offset: int) -> int:
        """The 0-based line of a byte offset; blocks come mostly in order, so count on from the last."""
        at, line = self._line_at
        if offset < at:
            at, line = 0, 0
        line += self.data.count(b"\n", at, offset)
        self._line_at = (offset, line)
        return line

    def render(self, root) -> tuple[str, str, tuple[str, ...], set[str]]:
        """(body HTML, footnotes HTML, printed footnote labels in order, labels referenced)."""
        nodes = root.children
        definitions = []
        if nodes and nodes[-1].name == "footnote_container":
            for definition in nodes[-1].children:
                children = definition.children
                last = children[-1] if children else None
                anchor = last if last is None or last.name == "footnote_ref_anchor" else last.children[-1]
                ref_ids = anchor.meta["ref_ids"] if anchor is not None and anchor.name == "footnote_ref_anchor" else []
                for sub, ref_id in enumerate(ref_ids):
                    self.ref_sub[ref_id] = sub
                definitions.append((ref_ids[0] if ref_ids else 0, definition, children, len(ref_ids)))
            nodes = nodes[:-1]
        self.blocks(nodes)
        body = "".join(self.out)
        if not definitions:
            self.check_references()
            return body, "", (), set()
        # markdown-it-py numbers notes as they are first referenced; pyrs as they are defined.
        definitions.sort(key=lambda d: d[0])
        self.out = ['<ol class="voetnoten">\n']
        self.nested += 1
        labels = []
        for _, definition, children, count in definitions:
            label = definition.meta["label"]
            labels.append(label)
            self.footnote, self.anchor = label, f"noot-{label}"
            self.out.append(footnote_item(label))
            if children and children[-1].name == "footnote_ref_anchor":
                children = children[:-1]
            backlinks = "".join(footnote_backlink(label, sub) for sub in range(1, count))
            if children and children[-1].name == "paragraph":
                self.blocks(children[:-1])
                self.paragraph_node(children[-1], backlinks)
            else:
                self.blocks(children)
                self.out.append(backlinks)
            self.out.append("</li>\n")
        self.out.append("</ol>\n")
        self.check_references()
        return body, "".join(self.out), tuple(labels), set(labels)

    def check_references(self) -> None:
        """pyrs counts a note reference in brackets ('[[^1]') twice, and numbers backlinks so."""
        if self.references_seen != len(self.ref_sub):
            raise TreeParseError("footnote references counted twice")

    def blocks(self, nodes) -> None:
        """Block nodes written in order, as markdown-it-py's renderer writes their tokens."""
        out = self.out
        for node in nodes:
            name = node.name
            if name == "paragraph":
                self.paragraph_node(node, "")
            elif name == "heading" or name == "lheading":
                self.heading(node)
            elif name == "bullet_list" or name == "ordered_list":
                if name == "bullet_list":
                    out.append("<ul>\n")
                else:
                    start = node.meta.get("start", 1)
                    out.append("<ol>\n" if start == 1 else f'<ol start="{start}">\n')
                self.nested += 1
                for item in node.children:
                    self.list_item(item.children)
                self.nested -= 1
                out.append("</ul>\n" if name == "bullet_list" else "</ol>\n")
            elif name == "blockquote":
                children = node.children
                out.append("<blockquote>\n" if children else "<blockquote>")  # as markdown-it-py: no line
                self.nested += 1                                                 # between empty tags
                self.blocks(children)
                self.nested -= 1
                out.append("</blockquote>\n")
            elif name == "code_block":
                out.append(f"<pre><code>{_escape(node.meta['content'])}</code></pre>\n")
            elif name == "fence":
                meta = node.meta
                info = meta.get("info", "")
                if "\\" in info or "&" in info:
                    raise TreeParseError("a fence's info string with escapes")  # markdown-it-py unescapes it
                language = info.strip().split(maxsplit=1)
                attrs = f' class="{meta.get("lang_prefix", "language-")}{_escape(language[0])}"' if language else ""
                out.append(f"<pre><code{attrs}>{_escape(meta['content'])}</code></pre>\n")
            elif name == "hr":
                out.append("<hr>\n")
            elif name == "definition":
                pass  # a link reference definition writes nothing (needs_fallback sends texts with one away)
            else:
                raise TreeParseError(f"unexpected node {name}")

    def list_item(self, children) -> None:
        """An item; in a tight list its paragraphs are runs of inline nodes and write no <p>."""
        out = self.out
        if not children:
            out.append("<li></li>\n")
            return
        if children[0].name not in _INLINE:
            out.append("<li>\n")
        elif self.footnote is None:
            # A tight list's paragraph writes no <p>: the item it starts takes its id (as in markup.py).
            self.paragraph += 1
            self.anchor = f"alinea-{self.paragraph}"
            out.append(f'<li id="{self.anchor}">')
        else:
            out.append("<li>")
        run: list = []
        after_run = False
        for child in children:
            name = child.name
            if name in _INLINE:
                run.append(child)
                continue
            if run:
                self.hidden_paragraph(run)
                run = []
                after_run = True
            if after_run and name != "fence" and name != "code_block":
                out.append("\n")  # markdown-it-py: a block tag after a hidden paragraph starts a line
            after_run = False
            self.blocks((child,))
        if run:
            self.hidden_paragraph(run)
        out.append("</li>\n")

    def hidden_paragraph(self, run) -> None:
        """A tight list's paragraph: its words alone (its id, if any, is on the item: list_item)."""
        srcmap = run[0].srcmap
        self.inline(run, self.line(srcmap[0]) if srcmap else 0)

    def paragraph_node(self, node, tail: str) -> None:
        """A paragraph, with `tail` (a note's backlinks) before its end; in the body it gets an id."""
        if self.footnote is None:
            self.paragraph += 1
            self.anchor = f"alinea-{self.paragraph}"
            self.out.append(f'<p id="{self.anchor}">')
        else:
            self.out.append("<p>")
        self.inline(node.children, self.line(node.srcmap[0]))
        self.out.append(tail)
        self.out.append("</p>\n")

    def heading(self, node) -> None:
        """A heading, with the id its source text gives; '#' is an error (the page title is h1)."""
        level = node.meta["level"]
        line = self.line(node.srcmap[0])
        if level == 1:
            self.annotator.error(line, "a '#' heading would repeat the page title; use '##' for the sections of a text")
        children = node.children
        # markdown-it-py names the heading by its source text, markup and all.
        text = self.data[children[0].srcmap[0]:children[-1].srcmap[1]].decode() if children else ""
        if "\n" in text and self.nested:
            # markdown-it-py takes the indent of a list item or note off each line, a quote's '>' too
            raise TreeParseError("a heading over lines in a list, quote or note")
        self.anchor = self.annotator.heading(text)
        self.out.append(f'<h{level} id="{_escape(self.anchor)}">')
        self.inline(children, line)
        self.out.append(f"</h{level}>\n")

    def inline(self, nodes, line: int) -> None:
        """The inline nodes of one paragraph or heading starting at `line`, annotated and written."""
        items: list = []
        _flatten(nodes, items, self.data)
        if self.footnote is not None and self.footnote not in self.annotator.footnote_lines:
            self.annotator.footnote_lines[self.footnote] = line + self.annotator.source.first_line
        if len(items) == 1 and items[0][0] == TEXT:
            text = items[0][1]
            if "](" not in text and "[^" not in text and not citations._may_cite(text):
                self.out.append(_escape(text))  # a paragraph of one line of words: most of them
                return
        else:
            text = "".join([item[1] for item in items if item[0] == TEXT])
        if "](" in text:
            # A link pyrs refused: markdown-it-py's validateLink is off so that _Annotator reports
            # every bad link (javascript:, also spelled with entities), pyrs's is not.
            raise TreeParseError("a link left as text")
        if citations._may_cite(text):
            items = _mark_citations(items)
        # Most paragraphs have no character to escape: then their text is written as it is.
        escape = _escape if ("&" in text or "<" in text or ">" in text or '"' in text) else _same
        self.write_inline(items, line, escape)

    def write_inline(self, items: list, line: int, escape) -> None:
        """The flat inline stream written, links resolved and recorded, as markup._Annotator._inline
        and markdown-it-py's renderer do; `line` counts on at each line break."""
        out = self.out
        annotator = self.annotator
        plain = None
        offset = 0
        open_links: list[bool] = []  # per open link: whether it was made (else its tags are left out)
        for index, item in enumerate(items):
            kind = item[0]
            if kind == TEXT:
                content = item[1]
                if "[^" in content:
                    for match in UNDEFINED_FOOTNOTE.finditer(content):
                        annotator.error(line, f"footnote [^{match.group(1)}] is referenced but not defined")
                out.append(escape(content))
                offset += len(content)
            elif kind == END_LINK:
                if open_links and open_links.pop():
                    out.append("</a>")
            elif kind == SOFTBREAK:
                line += 1
                out.append("\n")
                offset += 1
            elif kind == HARDBREAK:
                line += 1
                out.append("<br>\n")
                offset += 1
            elif kind == CODE:
                out.append(f"<code>{_escape(item[1])}</code>")
                offset += len(item[1])
            elif kind == OPEN:
                out.append(f"<{item[1]}>")
            elif kind == CLOSE:
                out.append(f"</{item[1]}>")
            elif kind == FOOTNOTE_REF:
                out.append(footnote_ref(item[1], self.ref_sub.get(item[2], 0)))
                self.references_seen += 1
                offset += len(item[1])
            elif kind == LINK:
                _, href, title, citation, placeholder = item
                if citation is not None:
                    # Where a citation leads depends on the archive: filled in as pages are rendered.
                    url, reference_kind, target = placeholder, "kamerstuk", citation.casefold()
                    href = placeholder
                else:
                    url, reference_kind, target = annotator.resolve(href, line)
                if url is None:
                    open_links.append(False)
                    continue
                open_links.append(True)
                attrs = f' title="{_escape(title)}"' if title is not None else ""
                if reference_kind is not None:
                    attrs += f' class="ref ref-{reference_kind}"'
                    if plain is None:
                        plain = _plain_text(items)
                    if items[index + 1][0] == TEXT and items[index + 2][0] == END_LINK:
                        link_text = items[index + 1][1]  # most links: their words and nothing else
                    else:
                        link_text = _plain_text(_until_close(items, index))
                    annotator.reference(reference_kind, target, self.anchor, plain, offset, link_text,
                                        self.footnote, line, href)
                out.append(f'<a href="{_escape(url)}"{attrs}>')


_SOFT = (SOFTBREAK, "")
_HARD = (HARDBREAK, "")
_END_LINK = (END_LINK, "")


def _flatten(nodes, items: list, data: bytes) -> None:
    """The inline tree as a flat stream, adjacent text joined (as markdown-it-py's text_join does)."""
    for node in nodes:
        name = node.name
        if name == "text" or name == "text_special":
            content = node.meta["content"]
            if items and items[-1][0] == TEXT:
                items[-1] = (TEXT, items[-1][1] + content)
            else:
                items.append((TEXT, content))
        elif name == "softbreak":
            items.append(_SOFT)
        elif name == "hardbreak":
            items.append(_HARD)
        elif name == "em" or name == "strong":
            tag = "em" if name == "em" else "strong"
            items.append((OPEN, tag))
            _flatten(node.children, items, data)
            items.append((CLOSE, tag))
        elif name == "code_inline":
            content = "".join(child.meta["content"] for child in node.children)
            if not content.strip(" "):
                # A code span of spaces alone keeps them all (CommonMark); pyrs takes one off each end.
                start, end = node.srcmap
                length = node.meta["marker_len"]
                content = data[start + length:end - length].decode()
                if "\n" in content:
                    raise TreeParseError("a code span of spaces over lines")  # in a quote, '>' is in the source
            items.append((CODE, content))
        elif name == "link" or name == "autolink":
            meta = node.meta
            items.append((LINK, meta["url"], meta.get("title"), None, None))
            _flatten(node.children, items, data)
            items.append(_END_LINK)
        elif name == "footnote_ref":
            meta = node.meta
            items.append((FOOTNOTE_REF, meta["label"], meta["ref_id"]))
        elif name != "footnote_ref_anchor":
            raise TreeParseError(f"unexpected inline node {name}")


def _plain_text(items) -> str:
    return "".join([item[1] if item[0] in _PLAIN else " " if item[0] in _BREAKS else "" for item in items])


_PLAIN = frozenset((TEXT, CODE, FOOTNOTE_REF))
_BREAKS = frozenset((SOFTBREAK, HARDBREAK))


def _until_close(items: list, start: int) -> list:
    depth, result = 0, []
    for item in items[start:]:
        if item[0] == LINK:
            depth += 1
        elif item[0] == END_LINK:
            depth -= 1
            if depth == 0:
                break
        else:
            result.append(item)
    return result


def _mark_citations(items: list) -> list:
    """citations.mark_citations on the flat stream: each citation in text outside links linked."""
    result: list = []
    run: list = []
    depth = 0
    for item in items:
        kind = item[0]
        if depth == 0 and (kind == TEXT or kind == SOFTBREAK):
            run.append(item)
            continue
        result.extend(_mark_run(run))
        run = []
        depth += 1 if kind == LINK else -1 if kind == END_LINK else 0
        result.append(item)
    result.extend(_mark_run(run))
    return result


def _mark_run(run: list) -> list:
    text = "".join(item[1] if item[0] == TEXT else "\n" for item in run)
    found = citations.find_citations(text) if any(item[0] == TEXT for item in run) else []
    if not found:
        return run
    result: list = []
    position = 0
    for item in run:
        length = len(item[1]) if item[0] == TEXT else 1
        cuts = sorted({c.start - position for c in found if position < c.start < position + length}
                      | {c.end - position for c in found if position < c.end < position + length})
        pieces = ([item] if item[0] != TEXT or not cuts else
                  [(TEXT, item[1][a:b]) for a, b in zip([0, *cuts], [*cuts, length])])
        for piece in pieces:
            for citation in found:
                if citation.start == position:
                    result.append((LINK, None, None, citation.publication_id, citation.placeholder))
            result.append(piece)
            position += len(piece[1]) if piece[0] == TEXT else 1
            if any(citation.end == position for citation in found):
                result.append(_END_LINK)
    return result


def footnote_ref(label: str, sub: int) -> str:
    """The printed number of a note where the text refers to it; `sub` counts earlier references."""
    label = html_escape(label)
    ref_id = f"ref-noot-{label}" + (f"-{sub + 1}" if sub else "")
    return (f'<sup class="noot"><a href="#noot-{label}" id="{ref_id}" role="doc-noteref" '
            f'aria-label="voetnoot {label}">{label}</a></sup>')


def footnote_item(label: str) -> str:
    """The start of a note in the list of notes, its number linking back to the first reference."""
    label = html_escape(label)
    # No role on the item: ARIA in HTML allows none of DPUB's note roles on li; the list's section
    # carries role="doc-endnotes" (templates/_macros.html).
    return (f'<li id="noot-{label}"><a class="noot-nummer" href="#ref-noot-{label}" '
            f'role="doc-backlink" aria-label="terug naar verwijzing {label}">{label}</a>')


def footnote_backlink(label: str, sub: int) -> str:
    """A link back to a later reference (`sub` > 0) to a note; the first is the note's number."""
    if not sub:
        return ""
    label = html_escape(label)
    return (f' <a href="#ref-noot-{label}-{sub + 1}" role="doc-backlink" '
            f'aria-label="terug naar verwijzing {label} ({sub + 1})">↩</a>')
