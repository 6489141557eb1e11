"""JSON text as json.dumps(value, ensure_ascii=False, indent=1) writes it, in a third of the time.

With an indent, json.dumps leaves its C encoder for a generator per nesting level written in
Python; the open data (opendata.py: about 1,000 files, 78 MB at 1,000 verslagen) took 5-7 s of
the render phase that way. Here containers are joined by one recursive function and every string
goes through the same C function json.dumps uses, so that the bytes are the same.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # json.dumps' own, for ensure_ascii=False


def dumps(value) -> str:
    """json.dumps(value, ensure_ascii=False, indent=1), the same text."""
    parts: list[str] = []
    try:
        _encode(value, "\n", parts.append)
    except TypeError:  # keys that are not strings, values JSON has no type for: json.dumps decides
        return json.dumps(value, ensure_ascii=False, indent=1)
    return "".join(parts)


def _encode(value, newline: str, out) -> None:
    if isinstance(value, str):
        out(encode_basestring(value))
    elif isinstance(value, dict):
        if not value:
            out("{}")
            return
        inner = newline + " "
        opening = "{"
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(key)
            out(opening + inner + encode_basestring(key) + ": ")
            opening = ","
            _encode(item, inner, out)
        out(newline + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            out("[]")
            return
        inner = newline + " "
        opening = "["
        for item in value:
            out(opening + inner)
            opening = ","
            _encode(item, inner, out)
        out(newline + "]")
    elif value is None or isinstance(value, (bool, int, float)):
        out(json.dumps(value))
    else:
        raise TypeError(value)
