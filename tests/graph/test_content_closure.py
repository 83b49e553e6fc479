"""Content-only closures: references and excluded parts left out, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from real_lineages import PILE_REMOVED, PILE_UNDATED, fineweb, the_pile

import lineage


def _names(rows: list[lineage.NodeRef]) -> set[str]:
    return {f"{row.kind}:{row.name}" for row in rows}


def test_upstream_content_leaves_out_references_but_the_full_closure_keeps_them(
    store: lineage.Store,
) -> None:
    store.record(fineweb())
    full = _names(store.closure("web-lm"))
    content = _names(store.closure("web-lm", content_only=True))
    tools = {"model:fasttext-lid-176", "source:ut1-blocklist"}
    assert tools <= full
    assert not tools & content
    assert content == full - tools
    assert "source:common-crawl-2024-10" in content


def test_upstream_content_stops_at_parts_removed_behind_what_held_them(
    store: lineage.Store,
) -> None:
    store.record(the_pile())
    full = _names(store.closure("pile-lm"))
    content = _names(store.closure("pile-lm", content_only=True))
    removed = {f"source:{name}" for name in PILE_REMOVED}
    kept = {f"source:{name}" for name in (*PILE_UNDATED, "enron-emails")}
    # Books3 is reached through the-pile as well as through the exclusion itself.
    assert removed <= full
    assert not removed & content
    assert kept <= content
    assert {"dataset:the-pile", "activity:remove-books3"} <= content


def test_a_part_kept_by_another_path_stays_content(store: lineage.Store) -> None:
    manifest = the_pile()
    manifest["runs"][-1]["inputs"].append("books3")  # trained on Books3 directly too
    store.record(manifest)
    assert "source:books3" in _names(store.closure("pile-lm", content_only=True))


def test_without_the_removal_every_component_is_content(store: lineage.Store) -> None:
    store.record(the_pile(exclude=False))
    content = _names(store.closure("pile-lm", content_only=True))
    assert {f"source:{name}" for name in PILE_REMOVED} <= content


def test_downstream_content_of_a_removed_part_stops_at_the_run_that_removed_it(
    store: lineage.Store,
) -> None:
    store.record(the_pile())
    full = _names(store.closure("books3", "downstream"))
    content = _names(store.closure("books3", "downstream", content_only=True))
    assert "model:pile-lm" in full
    assert content == {"activity:assemble-pile", "dataset:the-pile"}
    # A kept component reaches the model.
    assert "model:pile-lm" in _names(store.closure("arxiv", "downstream", content_only=True))


def test_downstream_content_of_a_reference_is_empty(store: lineage.Store) -> None:
    store.record(fineweb())
    assert "model:web-lm" in _names(store.closure("fasttext-lid-176", "downstream"))
    assert _names(store.closure("fasttext-lid-176", "downstream", content_only=True)) == set()


def test_content_closure_with_a_depth_and_as_recorded_earlier(store: lineage.Store) -> None:
    store.record(the_pile())
    near = store.closure("pile-lm", depth=4, content_only=True)
    assert {(r.kind, r.name, r.depth) for r in near} == {
        ("activity", "train-pile", 1),
        ("dataset", "pile-trimmed", 2),
        ("activity", "remove-books3", 3),
        ("dataset", "the-pile", 4),
    }
    before = datetime.now(UTC)
    store.add_dataset("books3-tokens")
    store.record_run("tokenize", name="late", inputs=["books3"], outputs=["books3-tokens"])
    assert "dataset:books3-tokens" not in _names(
        store.closure("books3", "downstream", content_only=True, as_of=before)
    )
    assert "dataset:books3-tokens" in _names(
        store.closure("books3", "downstream", content_only=True)
    )


def test_the_impact_of_a_removed_part_stops_at_the_run_that_removed_it(
    store: lineage.Store,
) -> None:
    store.record(the_pile())
    store.revoke("books3", reason="takedown request", effective="2025-01-01")
    assert [d.id for d in store.impact("books3").datasets] == ["dataset:the-pile"]
    assert store.impact("books3").models == ()
    # A component the run kept still reaches the model.
    assert [m.id for m in store.impact("arxiv").models] == ["model:pile-lm"]


def test_the_impact_of_a_tool_is_not_the_data_it_filtered(store: lineage.Store) -> None:
    store.record(fineweb())
    found = store.impact("fasttext-lid-176")
    assert found.datasets == () and found.models == ()
    assert [m.id for m in store.impact("common-crawl-2024-10").models] == ["model:web-lm"]
