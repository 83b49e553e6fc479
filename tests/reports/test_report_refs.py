"""Every "yes" cites every record behind it, in every template, compared with the graph.

A table row's claims are about the row's record (see `Claim`); a field's claims name
their records. A field built after its section's table once took the table's last
record for its row and dropped it ("Yes" to crawled data citing one crawl of two);
the licence table cited the first record under each licence only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from report_samples import PRODUCED_AT, TARGET

import lineage
from lineage.checks import Trail, load_trail
from lineage.reports import TEMPLATES, Report, build_report
from lineage.reports.model import Claim, Fields, Section, Table

AFFIRMATIVE = re.compile(r"(?i)yes\b")


def _claims(report: Report) -> Iterator[tuple[Section, str, Claim, frozenset[str]]]:
    """Each claim with its section, its key and the records it is about (cited or implied)."""
    for top in report.sections:
        for section in top.walk():
            for block in section.blocks:
                if isinstance(block, Fields):
                    for field in block.fields:
                        yield section, field.key, field.claim, frozenset(field.claim.refs)
                elif isinstance(block, Table):
                    for row in block.rows:
                        row_refs = row[block.title_column].refs
                        for key, claim in zip(block.keys, row, strict=True):
                            yield section, key, claim, frozenset(claim.refs) | set(row_refs)


def _sources(trail: Trail, **facts: str) -> set[str]:
    """The sources upstream whose facts are `facts`, read from the trail's graph."""
    return {
        node
        for node, data in trail.graph.nodes(data=True)
        if data.get("kind") == "source" and all(data.get(k) == v for k, v in facts.items())
    }


# Fields whose answer is a fact of the target's own record (issue 12's summary facts).
_TARGET_FACTS = {"eu-3.1": {"3.1.a"}}


def assert_every_yes_cites_its_records(report: Report, trail: Trail) -> int:
    """Every affirmative claim cites a record besides the target; returns how many."""
    count = 0
    for section, key, claim, about in _claims(report):
        if claim.text is None or not AFFIRMATIVE.match(claim.text):
            continue
        count += 1
        if claim.status == "recorded" and not claim.refs and section.id in _TARGET_FACTS:
            # A field answered from a fact recorded on the target itself (EU 3.1.a: the
            # model's attrs.code_of_practice_signatory): the target goes without saying.
            assert key in _TARGET_FACTS[section.id], (section.id, key)
            continue
        assert about - {report.target}, f"{section.id} {key}: {claim.text!r} cites nothing"
        assert all(trail.has(ref) for ref in about), (section.id, key, about)
    return count


def assert_complete(report: Report, trail: Trail) -> None:
    """The claims whose records the graph decides cite exactly those records."""
    template = report.template
    personal = _sources(trail, personal_data="yes")
    claims = list(_claims(report))
    # A source's "yes" to personal data is on its own row; every such source has one.
    personal_rows = {
        next(iter(about - {report.target}))
        for section, key, claim, about in claims
        if key in ("personal_data", "item_g")
        and claim.text
        and AFFIRMATIVE.match(claim.text)
        and section.id in ("sources", "ab2013-g", "datasheet-composition")
    }
    if template in ("paper-trail", "ca-ab2013", "datasheet"):
        assert personal and personal_rows == personal
    if template == "eu-ai-act":
        # The template's yes/no questions of section 2, by field id (issue 12).
        for field_id, obtained in (
            ("2.1.a", "public"),
            ("2.3.a", "crawled"),
            ("2.4.b", "user"),  # the sample's user data all comes from other services
            ("2.5.a", "synthetic"),
        ):
            used = next(c for s, k, c, _ in claims if k == field_id)
            expected = _sources(trail, obtained=obtained)
            assert expected and used.text == "Yes", (field_id, used.text)
            assert set(used.refs) == expected, (field_id, used.refs, expected)
        signatory = next(c for s, k, c, _ in claims if k == "3.1.a")
        attrs = trail.facts(report.target).get("attrs") or {}
        assert signatory.text == "yes" and attrs.get("code_of_practice_signatory") is True
        latest = next(c for s, k, c, _ in claims if k == "1.3.d")
        ends = [d.get("collected_end") for _, d in trail.graph.nodes(data=True)]
        last = max(e for e in ends if e)
        assert _sources(trail, collected_end=last) <= set(latest.refs)
    if template == "ca-ab2013":
        used = next(c for s, k, c, _ in claims if s.id == "ab2013-l" and k == "synthetic")
        assert set(used.refs) == _sources(trail, obtained="synthetic") != set()
    if template == "paper-trail":
        licences = report.section("licences").blocks[0]
        assert isinstance(licences, Table)
        for row in licences.rows:
            expression = row[0].text
            if expression == "(none)":
                continue
            holders = {
                n
                for n, d in trail.graph.nodes(data=True)
                if d.get("license") == expression and d.get("kind") != "activity"
            }
            assert holders
            # Outside a record's row the target goes without saying (see `Claim`).
            for cell in row:
                cited = set(cell.refs) | {report.target}
                assert cited == holders | {report.target}, (expression, cell.refs, holders)


@pytest.mark.parametrize("template", list(TEMPLATES))
def test_every_yes_cites_every_record_behind_it_on_the_sample(
    sample_store: lineage.Store, template: str
) -> None:
    report = build_report(sample_store, TARGET, template=template, produced_at=PRODUCED_AT)
    trail = load_trail(sample_store, TARGET)
    assert assert_every_yes_cites_its_records(report, trail) > 0
    assert_complete(report, trail)


def test_a_field_after_a_table_cites_the_tables_last_record(
    sample_store: lineage.Store,
) -> None:
    """EU 2.1 lists the public datasets in a table and answers "Yes": it cites them all."""
    report = build_report(sample_store, TARGET, template="eu-ai-act", produced_at=PRODUCED_AT)
    section = report.section("eu-2.1")
    table = next(b for b in section.blocks if isinstance(b, Table))
    last = table.rows[-1][table.title_column].refs[0]
    fields = next(b for b in section.blocks if isinstance(b, Fields))
    for key in ("2.1.a", "2.1.c"):
        used = next(f.claim for f in fields.fields if f.key == key)
        assert used.text and last in used.refs and len(used.refs) == len(table.rows), key


def test_a_large_licence_family_is_cited_whole(store: lineage.Store) -> None:
    from test_report_folding import FILES, family_manifest

    store.record(family_manifest())
    report = build_report(store, "m", produced_at=PRODUCED_AT)
    trail = load_trail(store, "m")
    licences = report.section("licences").blocks[0]
    assert isinstance(licences, Table)
    cc = next(row for row in licences.rows if row[0].text == "CC-BY-4.0")
    assert len(cc[3].refs) == len(_sources(trail, license="CC-BY-4.0")) > FILES // 2
    assert cc[3].text is not None and "more" in cc[3].text  # the text names 20, cites all
