"""What a summary of a model's training data covers: its own data, its base models, its provider.

A provider that fine-tunes or modifies another model documents the data of its
modification and points to the base model's own summary (EU template, scope of
the summary; AB 2013 likewise counts the fine-tuning data of the developer). So
the walk upstream from the target stops at every other model: the sources behind
a base model, or behind a model that generated synthetic data, are not the
provider's own.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from lineage.checks import Trail


@dataclass(frozen=True)
class Scope:
    """The records a summary of `trail.target` covers."""

    sources: tuple[str, ...]
    """Sources whose data reaches the target without passing through another model."""
    datasets: tuple[str, ...]
    bases: tuple[str, ...]
    """Models a run used to make the target or its data (fine-tuned or modified from)."""
    generators: tuple[str, ...]
    """Models that generated synthetic sources in scope."""
    evaluation_inputs: tuple[str, ...]
    """Testing and validation data: what runs evaluating the target used, and the test data
    of its recorded evaluation results."""


def own_scope(trail: Trail) -> Scope:
    """The sources, datasets and models of `trail.target`'s own training, sorted."""

    def kind(node: str) -> str:
        return str(trail.facts(node)["kind"])

    # Breadth first along the data relations; a model is reached but not walked through.
    successors = trail.data_successors()
    parents: dict[str, str] = {}
    queue = deque([trail.target])
    while queue:
        node = queue.popleft()
        for child in successors.get(node, ()):
            if child in parents or child == trail.target:
                continue
            parents[child] = node
            if kind(child) != "model":
                queue.append(child)
    reached = sorted(parents)
    models = [n for n in reached if kind(n) == "model"]
    # Testing and validation data: the inputs of runs that evaluated the target, and the
    # test data of its recorded evaluation results.
    tested = [node for use in trail.evaluations for node in use.inputs]
    tested += [result.dataset for result in trail.evaluation_results]
    evaluation = sorted(
        {
            node
            for node in tested
            if node != trail.target and trail.has(node) and kind(node) in ("source", "dataset")
        }
    )
    sources = [n for n in reached if kind(n) == "source"]
    if kind(trail.target) == "source":
        sources.insert(0, trail.target)  # a report on a source describes that source
    return Scope(
        sources=tuple(sources),
        datasets=tuple(n for n in reached if kind(n) == "dataset"),
        bases=tuple(n for n in models if kind(parents[n]) == "activity"),
        generators=tuple(n for n in models if kind(parents[n]) != "activity"),
        evaluation_inputs=tuple(evaluation),
    )


def providers(trail: Trail) -> list[str]:
    """The organisations responsible for the target, nearest first.

    The organisations the target is attributed to, then the organisation each
    agent of the run that made it acted for (at the end of `acted_on_behalf_of`).
    """
    found: list[str] = []

    def organisation(agent: str) -> bool:
        return trail.facts(agent).get("agent_type") == "organization"

    for agent in trail.depends_on(trail.target, ("was_attributed_to",)):
        if organisation(agent) and agent not in found:
            found.append(agent)
    run = trail.generated_by(trail.target)
    for agent in trail.agents_of(run) if run else ():
        for candidate in (agent, *trail.on_behalf_of(agent)):
            if organisation(candidate) and candidate not in found:
                found.append(candidate)
    return found
