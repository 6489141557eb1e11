"""Put the path the site is published under (base_url's path, e.g. /archief) before every
root-absolute address in a generated page, as Hugo's canonifyURLs does with its output.

Why one rewrite of the rendered page rather than a prefix in every template: templates, the
Markdown renderer (url_for) and macros all write root-absolute URLs ('/verslagen/...'), and new
pages and links keep working under a base path without knowing about it. Root-absolute rather
than relative links, because 404.html is served at any depth. The rewrite is safe because only
our own templates and markup write tags: content never carries raw HTML, and a `="/` in text or
in an attribute's value is escaped (`=&#34;/` or `=&quot;/`), so it cannot be taken for an
attribute. Scripts take the root from their own address (see static/zoeken.js, markeer.js).
"""

from __future__ import annotations

import html
import re

# Attributes whose value is one address. `content` is left alone: in this site's <meta> tags
# it is text (search filters, titles) or, for link previews, an address that is absolute already.
_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "data")
_NAMES = tuple(f"{space}{name}" for name in _ATTRIBUTES for space in " \t\n\r\f")
# srcset holds a list: 'a.png 1x, /b.png 2x'.
_SRCSET = re.compile(r'(\ssrcset=")([^"]*)"')
_SRCSET_ITEM = re.compile(r"(^|,\s*)/(?!/)")


def with_base_path(page: str, base_path: str) -> str:
    """`page` with `base_path` ('/archief', no trailing slash) before each root-absolute address
    in href, src, srcset, action, formaction, poster and data attributes; unchanged when ''."""
    if not base_path:
        return page
    prefix = html.escape(base_path, quote=True)
    # Split at each '="/' and look at the attribute name before it: four times faster than one
    # regular expression, which has no fixed text to search for first.
    pieces = page.split('="/')
    out = [pieces[0]]
    for before, piece in zip(pieces, pieces[1:]):
        if before.endswith(_NAMES) and not piece.startswith("/"):
            out.append(f'="{prefix}/{piece}')
        else:
            out.append(f'="/{piece}')
    page = "".join(out)
    if 'srcset="' not in page:
        return page
    return _SRCSET.sub(lambda m: m.group(1) + _SRCSET_ITEM.sub(lambda i: f"{i.group(1)}{prefix}/", m.group(2)) + '"',
                       page)
