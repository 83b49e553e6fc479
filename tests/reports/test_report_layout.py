"""Which refs a report prints after a claim: exactly those its text does not name."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lineage.reports.layout import MAX_REFS, shown_refs
from lineage.reports.model import Claim

_KINDS = st.sampled_from(["source", "dataset", "activity", "model", "agent"])
_NAMES = st.text(alphabet="ab-1:", min_size=1, max_size=6)
_IDS = st.builds(lambda kind, name: f"{kind}:{name}", _KINDS, _NAMES)


def _naive(claim: Claim, implied: tuple[str, ...]) -> tuple[list[str], int]:
    text = claim.text or ""
    refs = [r for r in claim.refs if r not in implied and r not in text]
    return refs[:MAX_REFS], max(0, len(refs) - MAX_REFS)


@settings(max_examples=300, deadline=None)
@given(
    refs=st.lists(_IDS, min_size=MAX_REFS + 1, max_size=MAX_REFS + 40, unique=True),
    named=st.data(),
    separator=st.sampled_from([", ", "; ", " (", ":", ""]),
    implied=st.lists(_IDS, max_size=2),
)
def test_refs_named_in_a_long_claim_are_found_exactly_as_a_substring_search_would(
    refs: list[str], named: st.DataObject, separator: str, implied: list[str]
) -> None:
    # The text names some refs, in any layout, and other ids that are not refs.
    in_text = named.draw(st.lists(st.sampled_from(refs), max_size=len(refs)))
    others = named.draw(st.lists(_IDS, max_size=5))
    text = "runs: " + separator.join(in_text + others)
    claim = Claim(text, tuple(refs), "derived")

    assert shown_refs(claim, tuple(implied)) == _naive(claim, tuple(implied))


def test_a_claim_listing_many_thousand_refs_prints_none_of_them_again() -> None:
    refs = tuple(f"source:raw-{i}" for i in range(20_000))
    claim = Claim("built from " + ", ".join(refs), refs, "derived")
    assert shown_refs(claim) == ([], 0)

    partly = Claim("built from " + ", ".join(refs[:10]), refs, "derived")
    assert shown_refs(partly) == (list(refs[10 : 10 + MAX_REFS]), len(refs) - 10 - MAX_REFS)
