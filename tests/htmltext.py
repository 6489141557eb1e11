"""Small HTML readers for tests: text of an element, links and ids of a page (standard library only)."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class PageReader(HTMLParser):
    """Collects ids, hrefs/srcs, headings, and the text inside <main> (text nodes joined as they are)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.links: list[str] = []
        self.headings: list[tuple[int, str]] = []
        self.main_text: list[str] = []
        self.html_lang = None
        self._stack: list[str] = []
        self._in_main = 0
        self._heading: list | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.html_lang = attributes.get("lang")
        if "id" in attributes:
            self.ids.append(attributes["id"])
        for name in ("href", "src"):
            if attributes.get(name) is not None:
                self.links.append(attributes[name])
        if tag == "main":
            self._in_main += 1
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = [int(tag[1]), ""]
        if tag == "br" and self._in_main:
            self.main_text.append("\n")
        if tag not in VOID:
            self._stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "main":
            self._in_main -= 1
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6") and self._heading:
            self.headings.append((self._heading[0], self._heading[1].strip()))
            self._heading = None
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()

    def handle_data(self, data):
        if self._in_main:
            self.main_text.append(data)
        if self._heading is not None:
            self._heading[1] += data


def read_page(html: str) -> PageReader:
    reader = PageReader()
    reader.feed(html)
    reader.close()
    return reader


BLOCK = {"address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt",
         "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
         "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
         "sup"}  # on these pages only footnote marks, not part of the word they follow


class _BlockWords(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in BLOCK:
            self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


def words_as_read(html: str) -> str:
    """The page's text as a reader sees it: block elements (paragraphs, list items, terms and
    their definitions, cells) apart from each other, inline elements run on."""
    parser = _BlockWords()
    parser.feed(html)
    return "".join(parser.parts)
