"""Unit tests of the text of link previews: a document's first paragraph, trimmed."""

from __future__ import annotations

from kamerarchief.preview import first_paragraph, trimmed


def test_first_paragraph_is_plain_text_without_footnote_marks():
    html = ('<h2 id="x">Kop</h2>\n<p id="alinea-1">De commissie &amp; de <a href="/partijen/gl/">GroenLinks</a>-fractie'
            '<sup class="noot"><a href="#noot-2" id="ref-noot-2">2</a></sup> vragen<br>\nuw aandacht.</p>\n'
            '<p id="alinea-2">Tweede alinea.</p>')
    assert first_paragraph(html) == "De commissie & de GroenLinks-fractie vragen uw aandacht."


def test_no_paragraph_gives_nothing():
    assert first_paragraph("") == ""
    assert first_paragraph("<ul><li>lijst</li></ul>") == ""


def test_a_short_text_is_kept_whole():
    assert trimmed("Op 29 april  jl.\nheb ik", 200) == "Op 29 april jl. heb ik"


def test_a_long_text_is_cut_after_a_whole_word_with_an_ellipsis():
    text = "De vaste commissie voor Immigratie en Asiel vraagt uw aandacht voor het volgende."
    cut = trimmed(text, 40)
    assert cut == "De vaste commissie voor Immigratie en…"
    assert len(cut) <= 40 and text.startswith(cut[:-1])


def test_a_cut_at_a_word_end_keeps_that_word_and_drops_punctuation_before_the_ellipsis():
    assert trimmed("Eerste, tweede, derde", 8) == "Eerste…"
    assert trimmed("abcdefghij klm", 5) == "abcd…"  # one word longer than the limit: cut inside it
