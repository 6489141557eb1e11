"""Text for link previews (Open Graph, Twitter card, meta description): the first paragraph of a
document as plain text, trimmed to what a preview shows."""

from __future__ import annotations

from html.parser import HTMLParser

DESCRIPTION_LENGTH = 200  # characters; previews cut longer descriptions themselves, mid-word
SHARE_IMAGE = "/static/deelafbeelding.png"  # made by tools/deelafbeelding.py
SHARE_IMAGE_SIZE = (1200, 630)


class _FirstParagraph(HTMLParser):
    """The text of the first <p>, without footnote marks (<sup>), whitespace collapsed."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.depth = 0  # inside the first paragraph
        self.skipping = 0  # inside a footnote mark
        self.done = False

    def handle_starttag(self, tag, attrs):
        if self.done:
            return
        if tag == "p":
            self.depth += 1
        elif tag == "sup" and self.depth:
            self.skipping += 1
        elif tag == "br" and self.depth:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag == "sup" and self.skipping:
            self.skipping -= 1
        elif tag == "p" and self.depth:
            self.depth -= 1
            self.done = self.depth == 0

    def handle_data(self, data):
        if self.depth and not self.skipping and not self.done:
            self.parts.append(data)


def first_paragraph(html: str) -> str:
    """The plain text of the first paragraph of rendered prose ('' when there is none)."""
    end = html.find("</p>")
    parser = _FirstParagraph()
    parser.feed(html if end < 0 else html[: end + 4])
    parser.close()
    return " ".join("".join(parser.parts).split())


def trimmed(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """`text` with collapsed whitespace, cut at the last word that fits in `limit` characters
    with an ellipsis after it."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut and not text[limit - 1].isspace():
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:–-") + "…"
