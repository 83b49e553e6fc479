"""A synthetic lineage graph with the shape of a real pipeline, for the benchmarks.

raw files (sources) -> shard runs -> shards -> filter -> dedup -> tokenize chains ->
mixture runs -> mixtures -> train runs -> models -> fine-tune runs -> fine-tunes.
Every run is associated with an agent, every derived dataset derives from its input,
so there are about two edges per node, as in a real store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

RAW_PER_SHARD_RUN = 8
SHARDS_PER_RUN = 4
STEPS = ("filter", "dedup", "tokenize")


@dataclass
class Synthetic:
    """The manifest, and the names of the models whose closures are measured."""

    manifest: dict[str, Any]
    nodes: int
    edges: int
    small_model: str
    large_model: str
    small_ancestors: int
    large_ancestors: int
    leaf_source: str


def build(target_nodes: int) -> Synthetic:
    """A graph of about `target_nodes` records; closures of ~10% and ~40% of it."""
    agents = [{"name": f"agent-{i}", "type": "software", "version": "1.0"} for i in range(10)]
    sources: list[dict[str, Any]] = []
    datasets: list[dict[str, Any]] = []
    models: list[dict[str, Any]] = []
    runs: list[dict[str, Any]] = []
    # One "unit": 8 raw files -> 1 shard run -> 4 shards, each through 3 steps.
    per_unit_nodes = RAW_PER_SHARD_RUN + 1 + SHARDS_PER_RUN * (1 + 2 * len(STEPS))
    units = max(4, target_nodes // per_unit_nodes)
    tokenized: list[str] = []
    for u in range(units):
        raw = [f"raw-{u}-{i}" for i in range(RAW_PER_SHARD_RUN)]
        for name in raw:
            sources.append(
                {
                    "name": name,
                    "license": "CC-BY-4.0",
                    "obtained": "crawled",
                    "records": 1000,
                    "attrs": {"unit": u},
                    "attributed_to": [agents[u % 10]["name"]],
                }
            )
        shards = [f"shard-{u}-{j}" for j in range(SHARDS_PER_RUN)]
        datasets.extend({"name": s, "records": 2000} for s in shards)
        runs.append(
            {
                "operation": "shard",
                "name": f"shard-run-{u}",
                "inputs": raw,
                "outputs": shards,
                "agent": agents[u % 10]["name"],
            }
        )
        for s in shards:
            current = s
            for step in STEPS:
                out = f"{current}-{step[0]}"
                datasets.append({"name": out, "records": 1900, "derived_from": [current]})
                runs.append(
                    {
                        "operation": step,
                        "name": f"{step}-{out}",
                        "inputs": [current],
                        "outputs": [out],
                        "agent": agents[u % 10]["name"],
                        "params": {"threshold": 0.8},
                    }
                )
                current = out
            tokenized.append(current)
    # Mixtures of 1/10 and 4/10 of the tokenized shards; a model on each, and fine-tunes.
    tenth = len(tokenized) // 10
    mixes = {"mix-small": tokenized[:tenth], "mix-large": tokenized[tenth : 5 * tenth]}
    for mix, parts in mixes.items():
        datasets.append({"name": mix})
        runs.append({"operation": "mix", "name": f"{mix}-run", "inputs": parts, "outputs": [mix]})
    models.append({"name": "model-small", "intended_use": "commercial"})
    models.append({"name": "model-large", "intended_use": "commercial"})
    models.append({"name": "model-large-ft", "intended_use": "commercial"})
    runs.append(
        {
            "operation": "train",
            "name": "train-small",
            "inputs": ["mix-small"],
            "outputs": ["model-small"],
        }
    )
    runs.append(
        {
            "operation": "train",
            "name": "train-large",
            "inputs": ["mix-large"],
            "outputs": ["model-large"],
        }
    )
    runs.append(
        {
            "operation": "fine-tune",
            "name": "ft-large",
            "inputs": ["model-large", "mix-small"],
            "outputs": ["model-large-ft"],
        }
    )
    nodes = len(agents) + len(sources) + len(datasets) + len(models) + len(runs)
    per_token_chain = 1 + 2 * len(STEPS)  # shard + (run, output) per step
    unit_upstream = RAW_PER_SHARD_RUN + 1 + per_token_chain * SHARDS_PER_RUN + 1  # + agent
    manifest = {
        "agents": agents,
        "sources": sources,
        "datasets": datasets,
        "models": models,
        "runs": runs,
    }
    return Synthetic(
        manifest=manifest,
        nodes=nodes,
        edges=sum(len(r["inputs"]) + len(r["outputs"]) + (1 if r.get("agent") else 0) for r in runs)
        + sum(len(d.get("derived_from", ())) for d in datasets)
        + sum(len(s.get("attributed_to", ())) for s in sources),
        small_model="model-small",
        large_model="model-large",
        small_ancestors=tenth // SHARDS_PER_RUN * unit_upstream,
        large_ancestors=4 * tenth // SHARDS_PER_RUN * unit_upstream,
        leaf_source="raw-0-0",
    )
