"""Make recorded text safe inside DOT, Graphviz HTML-like labels, SVG and Mermaid.

Names and facts come from users and from crawled data, so a name may hold quotes,
braces, angle brackets, backslashes, newlines, control characters or any unicode.
None of it may end a string early, start an HTML tag, or be read as a Graphviz
escape (`\\N` is the node's own id, `\\G` the graph's name).
"""

from __future__ import annotations

import html
import re
from typing import Final

import graphviz

from lineage.characters import INVISIBLE_CHARACTERS

# Characters XML 1.0 forbids (Graphviz's HTML-like labels are parsed as XML), and the
# bidirectional overrides and invisible characters that could make a name read
# differently from what it is.
_FORBIDDEN: Final = re.compile(f"[{INVISIBLE_CHARACTERS}\x0b\x0c]")
_LINE_BREAKS: Final = re.compile(r"\r\n|[\r\n\t\u2028\u2029\x85]")


def clean(text: object, limit: int = 80) -> str:
    """`text` on one line, without control characters, shortened to `limit` characters."""
    flat = _LINE_BREAKS.sub(" ", str(text))
    flat = _FORBIDDEN.sub("\ufffd", flat)
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return flat


def html_text(text: object, limit: int = 80) -> str:
    """`text` as character data of a Graphviz HTML-like label (also valid XML).

    Graphviz expands `\\N`, `\\G` and the like even inside HTML-like labels (after
    resolving character references), and reads a doubled backslash as one, so
    backslashes are doubled.
    """
    return html.escape(clean(text, limit), quote=True).replace("\\", "\\\\")


def dot_string(text: object, limit: int = 2000) -> str:
    """`text` as a plain DOT attribute value (an escString), taken literally.

    Backslashes are doubled so that Graphviz reads no escape in them, and the value
    is marked as not HTML so that `<...>` stays text; the graphviz package then quotes
    it and escapes its double quotes.
    """
    lines = [clean(line, limit) for line in _LINE_BREAKS.split(str(text))]
    escaped: str = graphviz.nohtml("\\n".join(line.replace("\\", "\\\\") for line in lines))
    return escaped


# Mermaid reads `#name;` and `#123;` as entity codes inside labels, and markdown or
# HTML elsewhere; everything but letters, digits and a few harmless marks is written
# as a numeric code, so no label can close its quotes, brackets or tags.
_MERMAID_SAFE: Final = frozenset(" -_.,:/+=@()'\u00b7\u2026\u00d7\u2192\u2716\u25b2")


def mermaid_text(text: object, limit: int = 80) -> str:
    """`text` for a double-quoted Mermaid label."""
    out = []
    for char in clean(text, limit):
        if (char.isalnum() and char.isprintable()) or char in _MERMAID_SAFE:
            out.append(char)
        else:
            out.append(f"#{ord(char)};")
    return "".join(out)
