"""Hypothesis strategies: manifests of random, valid lineage graphs (for round trips)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from lineage.disclosure import ATTR_KEYS

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
            free = _names.filter(lambda n: n not in ATTR_KEYS)  # disclosure keys are validated
            item["attrs"] = draw(st.dictionaries(free, _json_values, max_size=3))
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


_RUN_IDS = [f"01937f2a-5b1c-7d3e-8f40-{i:012d}" for i in range(1, 7)]
_TIMES = ["2025-06-02T08:00:00Z", "2025-06-02T08:30:00Z", "2025-06-02T09:00:00Z"]


@st.composite
def openlineage_runs(draw: st.DrawFn) -> list[dict[str, Any]]:
    """The events of a few runs (some children of others), over shared datasets, with
    facets that change between events; every run's job and datasets stay consistent."""
    producer = "https://github.com/OpenLineage/OpenLineage/tree/1.54.0/client/python"
    facet = {"_producer": producer, "_schemaURL": "https://openlineage.io/spec/facets/x.json"}
    count = draw(st.integers(1, 4))
    events: list[dict[str, Any]] = []
    for index in range(count):
        run_id = _RUN_IDS[index]
        inputs = draw(st.lists(st.sampled_from(["a", "b", "c"]), max_size=2, unique=True))
        outputs = [f"out-{index}"]
        parent = (
            _RUN_IDS[draw(st.integers(0, index - 1))] if index and draw(st.booleans()) else None
        )
        states = draw(
            st.lists(
                st.sampled_from(["START", "RUNNING", "COMPLETE", "FAIL", "OTHER"]),
                min_size=1,
                max_size=4,
            )
        )
        for position, state in enumerate(states):
            run: dict[str, Any] = {"runId": run_id, "facets": {}}
            if parent:
                run["facets"]["parent"] = {
                    **facet,
                    "run": {"runId": parent},
                    "job": {"namespace": "ns", "name": f"job-{_RUN_IDS.index(parent)}"},
                }
            dataset_facets = {}
            if draw(st.booleans()):
                dataset_facets["documentation"] = {**facet, "description": draw(_text)}
            events.append(
                {
                    "eventType": state,
                    "eventTime": _TIMES[min(position, 2)],
                    "producer": producer,
                    "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
                    "run": run,
                    "job": {"namespace": "ns", "name": f"job-{index}"},
                    "inputs": [{"namespace": "s3://x", "name": n} for n in inputs],
                    "outputs": [
                        {
                            "namespace": "s3://x",
                            "name": n,
                            "facets": dataset_facets,
                            "outputFacets": {
                                "outputStatistics": {**facet, "rowCount": draw(st.integers(0, 99))}
                            },
                        }
                        for n in outputs
                    ],
                }
            )
    return events
