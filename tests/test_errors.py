"""Error messages never echo a pasted megabyte whole (issue 18): `shorten` and LineageError."""

from __future__ import annotations

import lineage
from lineage import shorten


def test_a_quoted_value_up_to_200_characters_is_shown_whole() -> None:
    message = f"{'p' * 200!r} is not recorded"

    assert shorten(message) == message


def test_a_longer_quoted_value_keeps_its_first_80_characters_and_its_length() -> None:
    message = f"runs.yaml:3: source {'n' * 5000!r}: field 'license': {'x' * 300!r} is unknown"

    assert shorten(message) == (
        f"runs.yaml:3: source '{'n' * 80}…' (5,000 characters): field 'license': "
        f"'{'x' * 80}…' (300 characters) is unknown"
    )
    assert shorten(shorten(message)) == shorten(message)  # a cut message is left alone


def test_an_apostrophe_in_prose_is_not_taken_for_a_quote() -> None:
    message = "the store can't hold it: " + "word " * 100 + "and that's all"

    assert shorten(message) == message


def test_an_unquoted_pasted_path_is_cut_and_keeps_its_line() -> None:
    path = "/" + "d" * 4000 + ".yaml"

    assert shorten(f"{path}:12: not valid YAML") == (
        f"/{'d' * 79}… ({len(path):,} characters):12: not valid YAML"
    )


def test_every_lineage_error_is_shortened_where_it_is_made() -> None:
    error = lineage.UnknownNode(f"{'n' * 1_000_000!r} is not recorded")

    assert str(error) == f"'{'n' * 80}…' (1,000,000 characters) is not recorded"
