"""The errors a user can cause. The CLI turns each into one line and exit code 1."""

from __future__ import annotations


class LineageError(Exception):
    """Base of every error caused by input or by the state of the store.

    The message says what went wrong and where (file, line, field), in one line.
    """


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
