"""Lineages nobody on the team wrote must be recordable as they are (issue 3)."""

from __future__ import annotations

from pathlib import Path

import lineage

# Shapes seen in public lineages: a web corpus with a long filter chain, labels made
# by a language model, fine-tunes of fine-tunes, and a licence later withdrawn.
MANIFEST = (
    """
agents:
  - {name: corpus-team, type: organization}
  - {name: labeller-llm, type: software, version: "2024-05", acted_on_behalf_of: corpus-team}
sources:
  - name: cc-2023-50
    uri: s3://commoncrawl/crawl-data/CC-MAIN-2023-50
    owner: Common Crawl Foundation
    license: LicenseRef-commoncrawl-terms
    obtained: crawled
    opt_outs: honoured
    collected: 2023-11-28..2023-12-12
  - name: forum-dump
    license: CC-BY-SA-4.0
    obtained: public
models:
  - {name: teacher-70b, owner: Vendor, license: LicenseRef-vendor-terms,
     restrictions: [no-competing-models]}
  - {name: base-7b, license: Apache-2.0}
  - {name: chat-7b}
  - {name: chat-7b-medical}
datasets:
"""
    + "".join(f"  - {{name: cc-step-{i}}}\n" for i in range(12))
    + """
  - {name: labelled-forum}
  - {name: sft-mix}
runs:
"""
    + "".join(
        f"  - {{operation: filter-{i}, inputs: [{'cc-2023-50' if i == 0 else f'cc-step-{i - 1}'}],"
        f" outputs: [cc-step-{i}], tool: datatrove==0.2.0}}\n"
        for i in range(12)
    )
    + """
  - operation: annotate
    inputs: [forum-dump, teacher-70b]
    outputs: [labelled-forum]
    agent: labeller-llm
    params: {prompt: "rate helpfulness 1-5"}
  - {operation: mix, inputs: [cc-step-11, labelled-forum], outputs: [sft-mix]}
  - {operation: fine-tune, inputs: [base-7b, sft-mix], outputs: [chat-7b]}
  - {operation: fine-tune, inputs: [chat-7b, labelled-forum], outputs: [chat-7b-medical]}
"""
)


def test_long_chains_llm_labels_and_fine_tunes_of_fine_tunes_land_as_they_are(
    tmp_path: Path,
) -> None:
    manifest = tmp_path / "public.yaml"
    manifest.write_text(MANIFEST, encoding="utf-8")

    with lineage.open_store(str(tmp_path / "l.db")) as store:
        result = store.ingest([str(manifest)])
        graph = store.upstream("chat-7b-medical")

    assert len(result.created) == 2 + 2 + 4 + 14 + 16
    kinds = dict(graph.nodes(data="kind"))
    # The whole 12-step filter chain, the crawl, the teacher and both earlier models.
    assert all(f"dataset:cc-step-{i}" in kinds for i in range(12))
    assert {"source:cc-2023-50", "model:teacher-70b", "model:base-7b", "model:chat-7b"} <= set(
        kinds
    )
    # The labels were made by a model, run by a software agent acting for the team.
    annotate = next(n for n in kinds if n.startswith("activity:annotate-"))
    assert graph.edges[annotate, "model:teacher-70b"]["relation"] == "used"
    assert graph.edges[annotate, "agent:labeller-llm"]["relation"] == "was_associated_with"
    assert graph.nodes["model:teacher-70b"]["restrictions"] == ["no-competing-models"]


def test_a_licence_changed_then_withdrawn_keeps_every_version(tmp_path: Path) -> None:
    with lineage.open_store(str(tmp_path / "l.db")) as store:
        store.add_source("forum-dump", license="CC-BY-SA-4.0", obtained="public")
        store.amend("forum-dump", reason="relicensed", license="CC-BY-4.0", effective="2024-03-01")
        store.amend(
            "forum-dump", reason="licence withdrawn", clear=["license"], effective="2024-09-01"
        )
        record = store.show("forum-dump")

    assert [v.facts.get("license") for v in record.history] == ["CC-BY-SA-4.0", "CC-BY-4.0", None]
    assert [v.effective for v in record.history] == [None, "2024-03-01", "2024-09-01"]
    assert record.history[2].reason == "licence withdrawn"
