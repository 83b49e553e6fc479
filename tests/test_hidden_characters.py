"""Names that hold invisible or reordering characters are refused on every path in;
user text that holds them (descriptions, attributes) is printed with them made visible.

Two records whose names print alike ("invoice\u202egpj.exe" reads "invoiceexe.jpg")
would make a paper trail lie to whoever reads it (CVE-2021-42574, "Trojan Source").
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from cli_run import invoke, ok, one_error_line
from samples import table_counts

import lineage
from lineage.characters import INVISIBLE_CHARACTERS, hidden_character
from lineage.reports.escape import json_text, terminal_text

RLO = "\u202e"
HIDDEN = [
    ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE"),
    ("\u200b", "U+200B ZERO WIDTH SPACE"),
    ("\u200d", "U+200D ZERO WIDTH JOINER"),
    ("\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    ("\u00ad", "U+00AD SOFT HYPHEN"),
    ("\U000e0041", "U+E0041 TAG LATIN CAPITAL LETTER A"),
    ("\u3164", "U+3164 HANGUL FILLER"),
    ("\u2028", "U+2028 LINE SEPARATOR"),
]


@pytest.fixture
def filled(store: lineage.Store) -> lineage.Store:
    store.add_source("raw", license="MIT")
    return store


@pytest.mark.parametrize(("character", "name"), HIDDEN, ids=[h[1] for h in HIDDEN])
def test_cli_refuses_a_name_with_a_hidden_character_naming_field_and_code_point(
    filled: lineage.Store, character: str, name: str
) -> None:
    before = table_counts(filled.url)

    line = one_error_line(invoke(filled.url, f"source add 'invoice{character}gpj.exe'"), 1)

    assert f"field 'name': {name} is not allowed in a name" in line
    assert character not in line
    assert table_counts(filled.url) == before


def test_a_run_refuses_an_input_name_with_a_zero_width_space(filled: lineage.Store) -> None:
    before = table_counts(filled.url)

    line = one_error_line(
        invoke(filled.url, "run record clean --input 'ra\u200bw' --output out"), 1
    )

    assert "field 'inputs.0': U+200B ZERO WIDTH SPACE is not allowed in a name" in line
    assert table_counts(filled.url) == before


def test_api_refuses_a_bidi_name_and_writes_nothing(filled: lineage.Store) -> None:
    before = table_counts(filled.url)

    with pytest.raises(lineage.InvalidRecord, match=r"U\+2067 RIGHT-TO-LEFT ISOLATE"):
        filled.add_dataset("clean\u2067v2")
    with pytest.raises(lineage.InvalidRecord, match="field 'by': U\\+202E"):
        filled.approve("raw", by=f"maria{RLO}", role="dpo")

    assert table_counts(filled.url) == before


def test_manifest_refuses_a_hidden_character_naming_file_line_and_field(
    filled: lineage.Store, tmp_path: Path
) -> None:
    manifest = tmp_path / "lineage.yaml"
    manifest.write_text(
        f"sources:\n  - name: ok\n    license: MIT\n  - name: 'report{RLO}fdp.exe'\n",
        encoding="utf-8",
    )
    before = table_counts(filled.url)

    line = one_error_line(invoke(filled.url, f"ingest {manifest}"), 1)

    assert line.startswith(f"Error: {manifest}:4: ")
    assert "field 'name': U+202E RIGHT-TO-LEFT OVERRIDE is not allowed in a name" in line
    assert RLO not in line
    assert table_counts(filled.url) == before


def test_token_create_refuses_a_bidi_name(filled: lineage.Store) -> None:
    before = table_counts(filled.url)

    line = one_error_line(invoke(filled.url, f"token create 'ci{RLO}'"), 1)

    assert (
        line == "Error: field 'name': U+202E RIGHT-TO-LEFT OVERRIDE is not allowed in a token name"
    )
    assert table_counts(filled.url) == before


def test_show_prints_hidden_characters_of_a_description_and_attrs_visibly(
    filled: lineage.Store,
) -> None:
    filled.add_dataset(
        "clean",
        description=f"made by {RLO}nimda\rhidden",
        owner="AC\u200bME",
        attrs={"note": f"a{RLO}b"},
    )

    out = ok(invoke(filled.url, "show clean"))

    assert "made by <U+202E>nimda<U+000D>hidden" in out
    assert "AC<U+200B>ME" in out
    assert RLO not in out and "\u200b" not in out and "\r" not in out


def test_json_output_escapes_hidden_characters_and_keeps_the_exact_text(
    filled: lineage.Store,
) -> None:
    description = f"made by {RLO}nimda\u2028and\u200b"
    filled.add_dataset("clean", description=description)

    out = ok(invoke(filled.url, "show clean --json"))

    assert RLO not in out and "\u2028" not in out and "\u200b" not in out
    assert "\\u202e" in out
    assert json.loads(out)["current"]["facts"]["description"] == description


def test_an_error_echoing_user_text_shows_hidden_characters() -> None:
    error = lineage.InvalidRecord(f"cannot read {RLO}file")

    assert terminal_text(error) == "cannot read <U+202E>file"


def test_every_invisible_unicode_character_is_escaped_and_refused_in_names() -> None:
    # The escaping class is written out for speed; it must hold every code point of
    # the categories the name check refuses, whatever Unicode version Python has.
    import re

    invisible = re.compile(f"[{INVISIBLE_CHARACTERS}]")
    missing = []
    for code in range(0x110000):
        character = chr(code)
        category = unicodedata.category(character)
        if category in ("Cc", "Cf", "Cs") and character not in "\t\n\v\f\r\x85":
            if not invisible.match(character):
                missing.append(f"U+{code:04X}")
            if category != "Cs":
                assert hidden_character(f"a{character}b") is not None, f"U+{code:04X}"
    assert missing == []


def test_ordinary_names_in_any_script_are_accepted() -> None:
    for name in ("données", "数据集", "مجموعة", "данные v2", "🚀 rocket", "naïve café"):
        assert hidden_character(name) is None


def test_json_text_escapes_astral_characters_as_surrogate_pairs() -> None:
    text = json.dumps({"k": "a\U000e0041b\u202e"}, ensure_ascii=False)

    escaped = json_text(text)

    assert escaped == '{"k": "a\\udb40\\udc41b\\u202e"}'
    assert json.loads(escaped) == {"k": "a\U000e0041b\u202e"}


def test_an_error_line_quoting_a_path_shows_its_hidden_characters(
    filled: lineage.Store, tmp_path: Path
) -> None:
    report = tmp_path / f"trail{RLO}dm.exe"

    line = one_error_line(invoke(filled.url, f"report-verify '{report}' --key '{report}'"), 2)

    assert f"{tmp_path}/trail<U+202E>dm.exe" in line
    assert RLO not in line
