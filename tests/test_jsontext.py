"""jsontext.dumps writes exactly what json.dumps(..., ensure_ascii=False, indent=1) writes."""

from __future__ import annotations

import json

import pytest

from kamerarchief import jsontext

VALUES = [
    {}, [], "", 0, -3, 2.5, 1e100, True, False, None,
    {"a": [], "b": {}, "c": [1, [2, [3, {}]]], "d": {"e": {"f": None}}},
    ["«Ongekend onrecht»", "tab\there", "quote \" and \\ back", "line\nbreak", "\u2028 \x00 é ü ↩︎ 😀"],
    {"verslag": {"id": "kst-19637-H", "brieven": [{"datum": "2021-07-08", "zetels": 27, "ok": True}]}},
    ({"tuple": (1, 2)},),
]


@pytest.mark.parametrize("value", VALUES)
def test_the_same_text_as_json_dumps(value):
    assert jsontext.dumps(value) == json.dumps(value, ensure_ascii=False, indent=1)


def test_what_it_does_not_write_itself_json_dumps_decides():
    assert jsontext.dumps({1: "a", "b": [2]}) == json.dumps({1: "a", "b": [2]}, ensure_ascii=False, indent=1)
    with pytest.raises(TypeError):
        jsontext.dumps({"a": object()})
