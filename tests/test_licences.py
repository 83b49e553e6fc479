"""Licence expressions: validation, normal form, categories and restrictions."""

from __future__ import annotations

import doctest
import json
import re
from pathlib import Path

import license_expression
import pytest

from lineage import licences
from lineage.errors import InvalidLicence, InvalidRecord
from lineage.licences import (
    RESTRICTIONS,
    parse_licence,
    restrictions_of,
    validate_restrictions,
)


def _index_entries() -> list[dict[str, object]]:
    path = Path(license_expression.__file__).parent / "data" / "scancode-licensedb-index.json"
    entries: list[dict[str, object]] = json.loads(path.read_text(encoding="utf-8"))
    return [entry for entry in entries if entry.get("spdx_license_key")]


def _index_categories() -> dict[str, object]:
    return {str(entry["spdx_license_key"]): entry["category"] for entry in _index_entries()}


def test_every_lone_spdx_licence_id_parses_as_license_expression_parses_it() -> None:
    # A lone id as the index spells it skips the parser (issue 17: building it cost
    # `lineage source add` 25 ms), so each must come out exactly as the parser gives it.
    ids = {
        str(entry["spdx_license_key"])
        for entry in _index_entries()
        if not entry["is_exception"]
        and not str(entry["spdx_license_key"]).startswith(("LicenseRef-", "DocumentRef-"))
    }
    assert len(ids) > 600
    assert licences._licence_ids().plain == ids

    for key in sorted(ids):
        fast = parse_licence(key)
        parsed = licences._parse_expression_text(key)
        assert (fast, dict(fast.categories)) == (parsed, dict(parsed.categories)), key


def test_a_lone_spdx_id_is_parsed_without_building_the_parser() -> None:
    licences._parse_cached.cache_clear()
    licences._database.cache_clear()

    licence = parse_licence("CC-BY-NC-4.0")

    assert licence.restrictions == frozenset({"non-commercial"})
    assert licences._database.cache_info().currsize == 0
    assert parse_licence("cc-by-nc-4.0").expression == "CC-BY-NC-4.0"  # through the parser
    assert licences._database.cache_info().currsize == 1


def test_parse_gives_ids_their_canonical_case() -> None:
    assert parse_licence("mit").expression == "MIT"


def test_parse_normalises_operators_and_every_id_in_an_expression() -> None:
    assert parse_licence("apache-2.0 or mit").expression == "Apache-2.0 OR MIT"


def test_parse_replaces_a_deprecated_id_with_its_successor() -> None:
    assert parse_licence("GPL-3.0").expression == "GPL-3.0-only"


def test_keys_list_each_id_once_in_order_of_appearance() -> None:
    licence = parse_licence("MIT AND Apache-2.0 AND MIT")

    assert licence.keys == ("MIT", "Apache-2.0")


def test_keys_include_the_exception_of_a_with_expression() -> None:
    licence = parse_licence("GPL-2.0-or-later WITH Classpath-exception-2.0")

    assert licence.keys == ("GPL-2.0-or-later", "Classpath-exception-2.0")


def test_licence_ref_is_accepted_as_custom_terms_without_restrictions() -> None:
    licence = parse_licence("LicenseRef-common-crawl-terms")

    assert licence.expression == "LicenseRef-common-crawl-terms"
    assert licence.custom == ("LicenseRef-common-crawl-terms",)
    assert licence.restrictions == frozenset()


def test_document_ref_licence_ref_is_accepted_as_custom_terms() -> None:
    licence = parse_licence("DocumentRef-spdx-doc:LicenseRef-provider-terms")

    assert licence.custom == ("DocumentRef-spdx-doc:LicenseRef-provider-terms",)


def test_custom_terms_are_separated_from_spdx_ids() -> None:
    licence = parse_licence("CC-BY-4.0 AND LicenseRef-crawl-terms")

    assert licence.keys == ("CC-BY-4.0", "LicenseRef-crawl-terms")
    assert licence.custom == ("LicenseRef-crawl-terms",)


def test_licence_ref_the_index_aliases_to_an_spdx_id_is_kept_verbatim() -> None:
    # The index lists LicenseRef-AGPL as an alias of AGPL-3.0-or-later.
    licence = parse_licence("LicenseRef-AGPL")

    assert licence.expression == "LicenseRef-AGPL"
    assert licence.restrictions == frozenset()


def test_licence_ref_with_a_character_spdx_forbids_is_rejected() -> None:
    with pytest.raises(InvalidLicence, match=re.escape("only letters, digits, '.' and '-'")):
        parse_licence("LicenseRef-crawl_terms")


def test_licence_ref_in_the_wrong_case_is_rejected_with_the_right_spelling() -> None:
    with pytest.raises(InvalidLicence, match=r"did you mean 'LicenseRef-crawl-terms'\?"):
        parse_licence("licenseref-crawl-terms")


def test_unknown_id_is_rejected_with_a_suggestion_in_one_line() -> None:
    with pytest.raises(InvalidLicence) as caught:
        parse_licence("MIT-ish")

    assert str(caught.value) == "'MIT-ish' is not a known SPDX licence id (did you mean 'MIT'?)"


def test_unknown_id_in_a_longer_expression_names_the_expression() -> None:
    with pytest.raises(InvalidLicence) as caught:
        parse_licence("Apache 2.0 OR MIT")

    assert str(caught.value) == (
        "'Apache 2.0' in 'Apache 2.0 OR MIT' is not a known SPDX licence id"
        " (did you mean 'Apache-2.0'?)"
    )


@pytest.mark.parametrize("text", ["MIT AND", "MIT MIT", "(MIT", "( )", "( AND MIT", "MIT/X11", " "])
def test_malformed_expression_is_rejected_in_one_line(text: str) -> None:
    with pytest.raises(InvalidLicence) as caught:
        parse_licence(text)

    message = str(caught.value)
    assert message.startswith(f"{text!r} is not a valid SPDX licence expression: ")
    assert "\n" not in message


def test_licence_after_with_is_rejected() -> None:
    with pytest.raises(
        InvalidLicence, match=re.escape("'Apache-2.0' is a licence, not a licence exception")
    ):
        parse_licence("MIT WITH Apache-2.0")


def test_exception_without_a_licence_is_rejected() -> None:
    with pytest.raises(InvalidLicence, match="can only follow WITH"):
        parse_licence("Classpath-exception-2.0")


def test_unknown_exception_is_rejected_as_an_unknown_exception_id() -> None:
    with pytest.raises(InvalidLicence, match="is not a known SPDX licence exception id"):
        parse_licence("GPL-2.0-only WITH Classpath-exception")


def test_cc_by_nc_sa_is_non_commercial_and_share_alike() -> None:
    assert parse_licence("CC-BY-NC-SA-4.0").restrictions == {"non-commercial", "share-alike"}


def test_cc_by_nd_is_no_derivatives() -> None:
    assert parse_licence("CC-BY-ND-4.0").restrictions == {"no-derivatives"}


def test_gpl_3_only_is_share_alike() -> None:
    assert parse_licence("GPL-3.0-only").restrictions == {"share-alike"}


def test_weak_copyleft_is_share_alike() -> None:
    assert parse_licence("MPL-2.0").restrictions == {"share-alike"}


def test_mit_has_no_restrictions() -> None:
    assert parse_licence("MIT").restrictions == frozenset()


def test_or_carries_only_the_restrictions_every_choice_has() -> None:
    assert parse_licence("CC-BY-NC-4.0 OR MIT").restrictions == frozenset()


def test_and_carries_the_restrictions_of_every_part() -> None:
    assert parse_licence("CC-BY-NC-4.0 AND MIT").restrictions == {"non-commercial"}


def test_with_exception_keeps_the_licence_restrictions() -> None:
    licence = parse_licence("GPL-2.0-or-later WITH Classpath-exception-2.0")

    assert licence.restrictions == {"share-alike"}


def test_nested_expression_combines_or_inside_and() -> None:
    licence = parse_licence("(CC-BY-NC-SA-4.0 OR CC-BY-NC-4.0) AND CC-BY-ND-4.0")

    assert licence.restrictions == {"non-commercial", "no-derivatives"}


def test_categories_come_from_the_licence_index() -> None:
    licence = parse_licence("MIT AND GPL-3.0-only AND CC-BY-NC-4.0 AND LicenseRef-crawl-terms")
    index = _index_categories()

    assert dict(licence.categories) == {
        "MIT": index["MIT"],
        "GPL-3.0-only": index["GPL-3.0-only"],
        "CC-BY-NC-4.0": index["CC-BY-NC-4.0"],
    }
    assert licence.categories["GPL-3.0-only"] == "Copyleft"


def test_categories_cannot_be_changed() -> None:
    licence = parse_licence("MIT")

    with pytest.raises(TypeError):
        licence.categories["MIT"] = "Copyleft"  # type: ignore[index]


def test_every_spdx_licence_in_the_index_yields_only_known_restriction_names() -> None:
    spdx_licences = [
        str(entry["spdx_license_key"])
        for entry in _index_entries()
        if not entry["is_exception"]
        and not str(entry["spdx_license_key"]).startswith("LicenseRef-")
    ]
    found = {name for key in spdx_licences for name in parse_licence(key).restrictions}

    assert len(spdx_licences) > 500
    assert found
    assert found <= set(RESTRICTIONS)


def test_same_licence_parsed_twice_is_equal_and_hashes_equal() -> None:
    first, second = parse_licence("mit OR apache-2.0"), parse_licence("MIT OR Apache-2.0")

    assert first == second
    assert hash(first) == hash(second)


def test_restrictions_of_returns_the_licence_restrictions() -> None:
    assert restrictions_of(parse_licence("CC-BY-NC-ND-4.0")) == {
        "non-commercial",
        "no-derivatives",
    }


def test_validate_restrictions_sorts_and_drops_repeats() -> None:
    assert validate_restrictions(["share-alike", "non-commercial", "share-alike"]) == (
        "non-commercial",
        "share-alike",
    )


def test_validate_restrictions_takes_a_single_string_as_one_name() -> None:
    assert validate_restrictions("research-only") == ("research-only",)


def test_validate_restrictions_rejects_unknown_name_listing_allowed_names() -> None:
    with pytest.raises(InvalidRecord) as caught:
        validate_restrictions(["non-commercial", "commercial-ish"])

    message = str(caught.value)
    assert message.startswith("'commercial-ish' is not a known restriction")
    assert message.endswith("use one of: " + ", ".join(RESTRICTIONS))
    assert "\n" not in message


def test_docstring_examples_hold() -> None:
    result = doctest.testmod(licences)

    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.parametrize(
    ("written", "spdx"),
    [
        ("CC BY-SA 3.0", "CC-BY-SA-3.0"),
        ("cc by-nc-sa 4.0", "CC-BY-NC-SA-4.0"),
        ("Apache 2.0", "Apache-2.0"),
    ],
)
def test_a_licence_written_as_its_name_is_recognised_as_its_spdx_id(
    written: str, spdx: str
) -> None:
    assert parse_licence(written).expression == spdx


def test_a_name_without_its_version_is_not_guessed_but_suggested() -> None:
    with pytest.raises(InvalidLicence, match=r"did you mean 'ODC-By-1.0'\?"):
        parse_licence("ODC-By")
