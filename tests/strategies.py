"""Hypothesis strategies: manifests of random, valid lineage graphs (for round trips)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

_names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)
_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30)
_licences = st.sampled_from(["MIT", "Apache-2.0", "CC-BY-4.0", "CC-BY-NC-4.0", "LicenseRef-terms"])
_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-1000, 1000) | _text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_names, inner, max_size=3),
    max_leaves=6,
)


@st.composite
def manifests(draw: st.DrawFn) -> dict[str, Any]:
    """A manifest of agents, sources, datasets, models and runs that form a DAG."""
    names = draw(st.lists(_names, min_size=3, max_size=14, unique=True))
    agents = [
        {
            "name": f"agent-{n}",
            "type": draw(st.sampled_from(["person", "organization", "software"])),
        }
        for n in names[: draw(st.integers(0, 2))]
    ]
    if len(agents) == 2 and draw(st.booleans()):
        agents[1]["acted_on_behalf_of"] = agents[0]["name"]
    entity_names = names[len(agents) :] or ["fallback"]
    sources, datasets, models = [], [], []
    made: list[str] = []
    for i, name in enumerate(entity_names):
        item: dict[str, Any] = {"name": name}
        if draw(st.booleans()):
            item["license"] = draw(_licences)
        if draw(st.booleans()):
            item["description"] = draw(_text)
        if draw(st.booleans()):
            item["attrs"] = draw(st.dictionaries(_names, _json_values, max_size=3))
        if draw(st.booleans()):
            item["records"] = draw(st.integers(0, 10**9))
        if agents and draw(st.booleans()):
            item["attributed_to"] = [agents[0]["name"]]
        if draw(st.integers(0, 3)) == 0:
            item["effective"] = draw(st.dates()).isoformat()
        if i == 0 or draw(st.integers(0, 3)) == 0:
            sources.append(item)
        elif draw(st.integers(0, 4)) == 0:
            models.append(item)
        else:
            datasets.append(item)
        made.append(name)
    runs = []
    available = [s["name"] for s in sources]
    for j, item in enumerate(datasets + models):
        if available and draw(st.integers(0, 3)) > 0:
            inputs = draw(st.lists(st.sampled_from(available), min_size=1, max_size=3, unique=True))
            run: dict[str, Any] = {
                "operation": draw(st.sampled_from(["filter", "dedup", "train", "scrub-pii"])),
                "name": f"run-{j}",
                "inputs": inputs,
                "outputs": [item["name"]],
                "status": draw(st.sampled_from(["completed", "failed", "running"])),
            }
            if draw(st.booleans()):
                run["params"] = draw(st.dictionaries(_names, _json_values, max_size=3))
            if draw(st.booleans()):
                run["started"] = "2025-06-01T08:00:00Z"
                run["ended"] = "2025-06-01T09:30:00Z"
            if agents and draw(st.booleans()):
                run["agent"] = [agents[-1]["name"]]
            runs.append(run)
        elif available and draw(st.booleans()):
            item["derived_from"] = [draw(st.sampled_from(available))]
        available.append(item["name"])
    attestations = []
    if agents and models and draw(st.booleans()):
        attestations.append(
            {
                "subject": models[0]["name"],
                "by": agents[0]["name"],
                "decision": draw(st.sampled_from(["approved", "conditional", "rejected"])),
                "conditions": draw(st.lists(_text, max_size=2)),
            }
        )
    return {
        "agents": agents,
        "sources": sources,
        "datasets": datasets,
        "models": models,
        "runs": runs,
        "attestations": attestations,
    }
