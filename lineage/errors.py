"""The errors a user can cause. The CLI turns each into one line and exit code 1."""

from __future__ import annotations

import re
from typing import Any

LONG = 200  # characters of a quoted value (a name, a path) that an error shows whole
SHOWN = 80  # characters of a longer one that it keeps
_QUOTED = re.compile(r"""(?<![\w'"])('(?:[^'\\]++|\\.)*+'|"(?:[^"\\]++|\\.)*+")(?!\w)""")
# No path or id is this long, a pasted blob is; a trailing ':LINE:' stays readable.
_LONG_WORD = re.compile(r"\S{1001,}?(?=(?::\d+)*:?(?:\s|$))")


def _cut(text: str) -> str:
    return f"{text[:SHOWN].rstrip(chr(92))}… ({len(text):,} characters)"


def shorten(message: str) -> str:
    """`message` with every quoted value longer than LONG characters cut to its first
    SHOWN, followed by its length: an error never echoes a pasted megabyte whole.

    Values are quoted as `repr` quotes them; an unquoted run of more than 1,000
    characters without a space is cut the same way. A cut message is left as it is.

    Example:
        shorten(f"{'x' * 5000!r} is not recorded")  # "'xxx…' (5,000 characters) is not ..."
    """
    if len(message) <= LONG:
        return message

    def quoted(match: re.Match[str]) -> str:
        text = match.group(0)
        if len(text) <= LONG + 2:
            return text
        quote = text[0]
        body = text[1:-1]
        return f"{quote}{body[:SHOWN].rstrip(chr(92))}…{quote} ({len(body):,} characters)"

    message = _QUOTED.sub(quoted, message)
    return _LONG_WORD.sub(lambda match: _cut(match.group(0)), message)


class LineageError(Exception):
    """Base of every error caused by input or by the state of the store.

    The message says what went wrong and where (file, line, field), in one line;
    user input quoted in it is cut when it is long (see `shorten`).
    """

    def __init__(self, *args: Any) -> None:
        if len(args) == 1 and isinstance(args[0], str):
            args = (shorten(args[0]),)
        super().__init__(*args)


class InvalidRecord(LineageError):
    """A field value is malformed: a bad licence id, an impossible date, a wrong type.

    `loc` is the path of the offending field inside the input (for example
    `("collected",)`), so that a manifest reader can name the line it sits on.
    """

    def __init__(self, message: str, loc: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.loc = loc


class InvalidLicence(InvalidRecord):
    """A licence is not a valid SPDX expression or `LicenseRef-` term."""


class UnknownNode(LineageError):
    """A name refers to nothing that was recorded."""


class NotYetRecorded(UnknownNode, InvalidRecord):
    """A record asked about as of a time (or ledger entry) before it was recorded."""


class AmbiguousName(LineageError):
    """A bare name matches records of more than one kind; use KIND:NAME."""


class Conflict(LineageError):
    """A record with this name exists with other facts; amend it instead."""


class CycleError(LineageError):
    """A run would make the lineage graph cyclic."""


class ManifestError(LineageError):
    """A manifest file cannot be read or parsed."""


class PathError(LineageError):
    """A path does not exist or cannot be read."""


class StoreError(LineageError):
    """The database cannot be opened, or is of an unknown schema version."""


class SignatureError(LineageError):
    """A key, signature or signed file cannot be read, or is not what it claims to be."""


class ExportInvalid(LineageError):
    """An export that its standard's validator or lineage's post-checks reject."""


class MissingDependency(LineageError):
    """An optional feature whose packages are not installed."""
