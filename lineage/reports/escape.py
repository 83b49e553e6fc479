"""Make recorded text safe to print in Markdown and HTML reports.

Names, descriptions and crawled metadata come from users and from the web: they
may hold markup, Markdown control characters, line breaks, bidirectional
overrides that make a name read differently from what it is (CVE-2021-42574,
"Trojan Source"), or invisible characters. None of it may change how a report
reads: it is shown as text, with invisible and reordering characters made visible.
"""

from __future__ import annotations

import functools
import html
import re

from lineage.characters import INVISIBLE_CHARACTERS

# Escaping for terminals lives below the reports, where every command can use it cheaply.
from lineage.characters import json_text as json_text
from lineage.characters import terminal_text as terminal_text

# Line breaks become spaces: every value is printed on its own line or cell.
_BREAK_CHARACTERS = "\r\n\t\v\f\x85\u2028\u2029"
_BREAKS = re.compile(f"\r\n|[{_BREAK_CHARACTERS}]")
_INVISIBLE_CHARACTERS = INVISIBLE_CHARACTERS
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARACTERS}]")
# Markdown characters that can start emphasis, links, code, HTML, tables, entities,
# strikethrough or (on GitHub) maths. An underscore inside a word cannot start
# emphasis, so `legal_basis` stays as it is.
_MARKDOWN = re.compile(r"([\\`*\[\]<|~&$])|(?<![^\W_])_|_(?![^\W_])")
# At the start of a block, these would begin a heading, list, quote, rule or table.
_BLOCK_START = re.compile(r"^(\s*(?:\d+)?)([-+=>#|.)])")


# Any character one of the above may change: text without one is printed as it is.
_SPECIAL = re.compile(f"[{_BREAK_CHARACTERS}{_INVISIBLE_CHARACTERS}\\\\`*\\[\\]<|~&$_]")


# Any character `visible` changes: most text has none and is returned as it is (a large
# report prints more distinct values than the cache holds).
_CHANGED = re.compile(f"[{_BREAK_CHARACTERS}{_INVISIBLE_CHARACTERS}]")


@functools.lru_cache(maxsize=1 << 16)
def visible(text: object) -> str:
    """`text` on one line, with invisible and reordering characters shown as <U+XXXX>."""
    plain = str(text)
    if _CHANGED.search(plain) is None:
        return plain
    flat = _BREAKS.sub(" ", plain)
    return _INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", flat)


@functools.lru_cache(maxsize=1 << 16)
def md_text(text: object) -> str:
    """`text` as inline Markdown that shows exactly these characters."""
    plain = str(text)
    if _SPECIAL.search(plain) is None:
        return plain
    return _MARKDOWN.sub(lambda m: "\\" + m.group(), visible(plain))


def md_block(text: object) -> str:
    """`text` as a Markdown paragraph: inline escaping, and no accidental list or heading."""
    escaped = md_text(text)
    start = _BLOCK_START.match(escaped)
    if start is None or (start.group(1).strip() and start.group(2) not in ".)"):
        return escaped
    return escaped[: start.start(2)] + "\\" + escaped[start.start(2) :]


_HTML_SPECIAL = re.compile(f"[&<>\"'{_BREAK_CHARACTERS}{_INVISIBLE_CHARACTERS}]")


def html_text(text: object) -> str:
    """`text` as HTML character data (or an attribute value): visible, and escaped."""
    plain = str(text)
    if _HTML_SPECIAL.search(plain) is None:
        return plain
    return html.escape(visible(plain), quote=True)


@functools.lru_cache(maxsize=1 << 16)
def md_code(text: object, *, in_table: bool = False) -> str:
    """`text` as a Markdown code span (identifiers, digests).

    In a table cell a pipe ends the cell even inside a code span (GFM), so there
    it is escaped; elsewhere a backslash in a code span would print as itself.
    """
    shown = visible(text)
    if "`" not in shown and "|" not in shown and shown.strip() == shown and shown:
        return f"`{shown}`"
    longest = max((len(run) for run in re.findall(r"`+", shown)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if shown.startswith("`") or shown.endswith("`") or not shown.strip() else ""
    if in_table:
        shown = shown.replace("|", "\\|")
    return f"{fence}{pad}{shown}{pad}{fence}"
