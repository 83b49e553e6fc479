"""Characters that printed text must not show as they are: invisible, or reordering.

Below the validation (pydantic) so that the report escaping, the API-token names and
every line the CLI prints (`terminal_text`) use it without loading the input models.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "INVISIBLE_CHARACTERS",
    "NAME_FORBIDDEN",
    "hidden_character",
    "json_text",
    "terminal_text",
]

NAME_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f]")

# A regular-expression class of what no printed text may show as it is: control
# characters, bidirectional embeddings/overrides/isolates, zero-width and other
# invisible format characters (every code point of Unicode's Cc, Cf and Cs
# categories: tests/test_hidden_characters.py checks this against `unicodedata`), the
# invisible Hangul fillers, and non-characters.
INVISIBLE_CHARACTERS = (
    "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f"
    "\u0890\u0891\u08e2\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb\ud800-\udfff\ufffe\uffff"
    "\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)

# Unicode categories a name may not hold: controls (Cc), format characters (Cf: the
# bidirectional embeddings, overrides and isolates of "Trojan Source", CVE-2021-42574,
# zero-width spaces and joiners, the BOM, soft hyphens), surrogates (Cs), and line and
# paragraph separators (Zl, Zp). Each either cannot be seen or reorders the text
# around it, so two names that print alike could name different records.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
# Invisible letters that are not format characters (Unicode's Default_Ignorable_Code_Point
# list, minus what the categories above already cover).
_HIDDEN_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")


# Controls have no Unicode name; these are the ones a name is most likely to hold.
_CONTROL_NAMES = {0x00: "NULL", 0x09: "TAB", 0x0A: "LINE FEED", 0x0D: "CARRIAGE RETURN"}


def hidden_character(text: str) -> str | None:
    """The first character of `text` that is invisible or reorders text, as
    'U+202E RIGHT-TO-LEFT OVERRIDE'; None when there is none.

    Example:
        hidden_character("abc\\u202etxt.exe")  # 'U+202E RIGHT-TO-LEFT OVERRIDE'
    """
    if text.isascii():  # the common case, in C: only ASCII controls to look for
        found = NAME_FORBIDDEN.search(text)
        if found is None:
            return None
        character = found.group()
    else:
        character = next(
            (
                c
                for c in text
                if unicodedata.category(c) in _HIDDEN_CATEGORIES or c in _HIDDEN_LETTERS
            ),
            "",
        )
        if not character:
            return None
    code = ord(character)
    return f"U+{code:04X} {unicodedata.name(character, _CONTROL_NAMES.get(code, 'CONTROL'))}"


# What a terminal would hide or reorder: the invisible characters above, and the line
# breaks other than a newline (a carriage return lets later text overwrite a line).
_TERMINAL_HIDDEN = re.compile(f"[{INVISIBLE_CHARACTERS}\r\v\f\x85\u2028\u2029]")


def terminal_text(text: object) -> str:
    """`text` for a terminal: lines and tabs kept, invisible, reordering and
    overwriting characters shown as <U+XXXX>.

    Example:
        terminal_text("invoice\\u202etxt.exe")  # 'invoice<U+202E>txt.exe'
    """
    return _TERMINAL_HIDDEN.sub(lambda m: f"<U+{ord(m.group()):04X}>", str(text))


def _json_escape(character: str) -> str:
    code = ord(character)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def json_text(document: str) -> str:
    """JSON text with its invisible, reordering and break characters written as
    `\\uXXXX` escapes: the same JSON data, but nothing hidden on a terminal."""
    return _TERMINAL_HIDDEN.sub(lambda m: _json_escape(m.group()), document)
