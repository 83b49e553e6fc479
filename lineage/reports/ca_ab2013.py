"""The training-data documentation California's AB 2013 requires (Civil Code 3111(a)).

One section per item of subdivision (a), in the statute's order, each answered
per dataset. Civil Code 3110(f) counts testing, validating and fine-tuning as
training: the datasets in scope are the sources the target was trained on (its
own: a fine-tuned model's base model has its own documentation, see
`lineage.reports.scope`) and the data of the runs that evaluated it, marked as
testing and validation data. Every answer comes from a recorded fact (the
disclosure facts of `lineage.disclosure` among them); a dataset's description is
never taken for its purpose.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import networkx as nx

from lineage.checks import CheckResult, Trail
from lineage.reports.claims import Draft, period_text, plain, run_text
from lineage.reports.model import Claim, Field, Fields, Paragraph, Section, Table
from lineage.reports.scope import Scope, own_scope
from lineage.vocabulary import NON_CONTENT_ROLES

STATUTE = "California Civil Code section 3111(a), added by AB 2013 (2024), in force 1 January 2026"
PUBLIC_DOMAIN = frozenset({"CC0-1.0", "PDDL-1.0", "Unlicense"})
TRAINING = "training"
TESTING = "testing and validation"

Answer = Callable[[Draft, Trail, str], Claim]


def _attrs(trail: Trail, node: str) -> Mapping[str, Any]:
    attrs = trail.facts(node).get("attrs")
    return attrs if isinstance(attrs, dict) else {}


def _runs_making(graph: nx.DiGraph[str], node: str) -> list[str]:
    """The runs that made `node` in its upstream `graph`, inputs first: along its content
    (not into references or removed parts), and not into the making of a model."""
    seen = {node}
    runs: list[str] = []
    frontier = [node]
    while frontier:
        current = frontier.pop()
        for _, dependency, edge in graph.out_edges(current, data=True):
            if dependency in seen or edge.get("role") in NON_CONTENT_ROLES:
                continue
            if edge["relation"] not in ("used", "was_generated_by", "was_derived_from"):
                continue
            seen.add(dependency)
            kind = graph.nodes[dependency]["kind"]
            if kind == "activity":
                runs.append(dependency)
            if kind != "model":
                frontier.append(dependency)
    # Dependencies point from what depends to what it depends on: reversed, inputs first.
    order = list(nx.lexicographical_topological_sort(graph.subgraph(seen)))
    position = {n: i for i, n in enumerate(reversed(order))}
    return sorted(runs, key=position.__getitem__)


class _Documentation:
    def __init__(self, draft: Draft, trail: Trail) -> None:
        self.draft = draft
        self.trail = trail
        self.scope: Scope = own_scope(trail)
        training = list(self.scope.sources)
        if trail.target_kind == "dataset":
            training.insert(0, trail.target)
        testing = [n for n in self.scope.evaluation_inputs if n not in training]
        self._testing = frozenset(testing)
        self.datasets: list[tuple[str, str]] = [
            *((n, TRAINING) for n in training),
            *((n, TESTING) for n in testing),
        ]
        self._positions = {run: i for i, run in enumerate(trail.run_order())}

    def about(self) -> Section:
        draft, trail = self.draft, self.trail
        draft.section = "ab2013"
        target = trail.target
        testing = [n for n, use in self.datasets if use == TESTING]
        training = [n for n, use in self.datasets if use == TRAINING]
        by = sorted({u.id for u in trail.evaluations})
        fields = [
            Field("statute", "Requirement", draft.derived(STATUTE)),
            Field(
                "system",
                "Generative AI system or service",
                draft.derived(f"{target} (version {trail.facts(target)['version']})", [target]),
            ),
            Field(
                "datasets",
                "Datasets covered",
                draft.derived(
                    f"{len(training)} used to train {target}"
                    + (
                        f" and {len(testing)} used to test and validate it (by {', '.join(by)})"
                        if testing
                        else ""
                    )
                    + "; 'train' includes testing, validating and fine-tuning (3110(f))",
                    [*training, *testing],
                ),
            ),
        ]
        blocks: list[Any] = [Fields(tuple(fields))]
        if self.scope.bases:
            blocks.append(
                Paragraph(
                    f"{target} was fine-tuned or modified from {', '.join(self.scope.bases)}: "
                    "the datasets below are those of the modification; the base model's "
                    "training data is documented by its developer."
                )
            )
        return Section("ab2013", "About this documentation", tuple(blocks))

    def item(self, number: int, letter: str, title: str, column: str, answer: Answer) -> Section:
        draft = self.draft
        draft.section = f"ab2013-{letter}"
        rows = tuple(
            (draft.title(node), draft.derived(use), answer(draft, self.trail, node))
            for node, use in self.datasets
        )
        draft.leave_row()  # the fields built below are about the system, not the last row
        blocks: list[Any] = []
        if letter == "b":
            blocks.append(
                Fields(
                    (Field("purpose", "Intended purpose of the system", self._system_purpose()),)
                )
            )
        if letter == "l":
            blocks.append(Fields(self._synthetic_fields()))
        blocks.append(
            Table(("dataset", "use", f"item_{letter}"), ("Dataset", "Used for", column), rows)
            if rows
            else Paragraph("No dataset is recorded upstream.")
        )
        return Section(f"ab2013-{letter}", f"(a)({number}) {title}", tuple(blocks))

    def _system_purpose(self) -> Claim:
        target = self.trail.target
        purpose = _attrs(self.trail, target).get("purpose")
        return self.draft.recorded(
            plain(purpose) if purpose else None,
            [target],
            gap=(target, "attrs.purpose", "the intended purpose of the system"),
        )

    def _synthetic_fields(self) -> tuple[Field, ...]:
        draft, trail = self.draft, self.trail
        target = trail.target
        sources = [n for n, use in self.datasets if trail.facts(n)["kind"] == "source"]
        synthetic = [s for s in sources if trail.facts(s).get("obtained") == "synthetic"]
        unknown = [s for s in sources if not trail.facts(s).get("obtained")]
        if synthetic:
            used = draft.derived("Yes", synthetic)
        elif unknown:
            used = draft.recorded(None, unknown)  # each already a gap of (a)(6)
            for source in unknown:
                draft.gap(source, "obtained", "how it was obtained (whether it is synthetic)")
        else:
            used = draft.derived("No", sources)
        continuous = _attrs(trail, target).get("synthetic_data_continuous")
        if continuous is None:
            ongoing = draft.unknown(
                target,
                "attrs.synthetic_data_continuous",
                "whether the system continuously uses synthetic data generation",
                [target],
            )
        else:
            ongoing = draft.recorded("Yes" if continuous else "No", [target])
        return (
            Field("synthetic", "Synthetic data generation used in development", used),
            Field("continuous", "Synthetic data generation used continuously", ongoing),
        )

    def processing(self, draft: Draft, trail: Trail, node: str) -> Claim:
        """The runs that modified `node`, each with its purpose: for training data every run
        between it and the target (a model's training run aside); for a test set of the
        target's evaluations (training data too, 3110(f)) and for a dataset reported on by
        itself, the runs that made it."""
        if node in self._testing and node in trail.test_data:
            runs = _runs_making(trail.test_data[node], node)
        elif node == trail.target:
            runs = _runs_making(trail.graph, node)
        else:
            runs = self._runs_after(node)
        if not runs:
            return draft.derived("none recorded", [node])
        steps = []
        for run in runs:
            facts = trail.facts(run)
            purpose = _attrs(trail, run).get("purpose")
            if not purpose:
                draft.gap(run, "attrs.purpose", "the intended purpose of this processing step")
            steps.append(
                f"{run_text(facts, run, unknown=run)}: "
                + (str(purpose) if purpose else "purpose not recorded")
            )
        complete = all(_attrs(trail, run).get("purpose") for run in runs)
        return (draft.recorded if complete else draft.partial)("; then ".join(steps), runs)

    def _runs_after(self, node: str) -> list[str]:
        trail = self.trail
        # A model's training run is not a modification of its data; the run that made a
        # dataset reported on by itself is.
        target_run = trail.generated_by(trail.target) if trail.target_kind == "model" else None
        seen: set[str] = set()
        runs: list[str] = []
        frontier = [node]
        while frontier:
            current = frontier.pop()
            for dependent in trail.depended_on_by(current):
                if dependent in seen or dependent not in trail.graph:
                    continue
                seen.add(dependent)
                if trail.facts(dependent)["kind"] == "model" and dependent != trail.target:
                    continue
                if trail.facts(dependent)["kind"] == "activity" and dependent != target_run:
                    runs.append(dependent)
                frontier.append(dependent)
        return sorted(runs, key=lambda r: self._positions.get(r, len(self._positions)))


def build(draft: Draft, trail: Trail, result: CheckResult) -> tuple[str, tuple[Section, ...]]:
    """The preamble and items (a)(1) to (a)(12) of the statute, each answered dataset by dataset."""
    doc = _Documentation(draft, trail)
    items: list[tuple[str, str, str, Answer]] = [
        ("a", "The sources or owners of the datasets", "Source or owner", _owner),
        (
            "b",
            "How the datasets further the intended purpose of the artificial intelligence "
            "system or service",
            "How it furthers the purpose",
            _purpose,
        ),
        ("c", "The number of data points included in the datasets", "Data points", _count),
        ("d", "A description of the types of data points within the datasets", "Types", _types),
        (
            "e",
            "Whether the datasets include any data protected by copyright, trademark, or "
            "patent, or whether the datasets are entirely in the public domain",
            "Protected by IP, or public domain",
            _copyright,
        ),
        (
            "f",
            "Whether the datasets were purchased or licensed by the developer",
            "Purchased or licensed",
            _purchased,
        ),
        (
            "g",
            "Whether the datasets include personal information",
            "Personal information",
            _personal,
        ),
        (
            "h",
            "Whether the datasets include aggregate consumer information",
            "Aggregate consumer information",
            _aggregate,
        ),
        (
            "i",
            "Whether there was any cleaning, processing, or other modification to the datasets "
            "by the developer, including the intended purpose of those efforts",
            "Processing, in order, with its purpose",
            doc.processing,
        ),
        (
            "j",
            "The time period during which the data in the datasets were collected, including "
            "a notice if the data collection is ongoing",
            "Collection period",
            _period,
        ),
        (
            "k",
            "The dates the datasets were first used during the development of the system",
            "First used",
            _first_used,
        ),
        (
            "l",
            "Whether the generative artificial intelligence system or service used or "
            "continuously uses synthetic data generation in its development",
            "Synthetic data",
            _synthetic,
        ),
    ]
    sections = [doc.about()]
    for number, (letter, title, column, answer) in enumerate(items, start=1):
        sections.append(doc.item(number, letter, title, column, answer))
    return f"Training data documentation (California AB 2013): {trail.target}", tuple(sections)


def _developers_own(trail: Trail, node: str) -> bool:
    """A dataset (not a source) owned by the system's developer: the developer made it."""
    owner = trail.facts(node).get("owner")
    return bool(owner) and owner == trail.facts(trail.target).get("owner")


def _owner(draft: Draft, trail: Trail, node: str) -> Claim:
    facts = trail.facts(node)
    owner, uri = facts.get("owner"), facts.get("uri")
    if not owner and not uri:
        return draft.unknown(node, "owner", "who owns it, or where it comes from", [node])
    text = "; ".join(
        filter(None, [plain(owner) if owner else "owner not recorded", plain(uri) if uri else None])
    )
    return draft.recorded(text, [node])


def _purpose(draft: Draft, trail: Trail, node: str) -> Claim:
    purpose = _attrs(trail, node).get("purpose")
    return draft.recorded(
        plain(purpose) if purpose else None,
        [node],
        gap=(node, "attrs.purpose", "how it furthers the intended purpose of the system"),
    )


def _count(draft: Draft, trail: Trail, node: str) -> Claim:
    facts = trail.facts(node)
    if facts.get("records") is None:
        return draft.unknown(node, "records", "the number of data points", [node])
    ongoing = facts.get("collected_start") and not facts.get("collected_end")
    suffix = " (an estimate: collection is ongoing; the count when recorded)" if ongoing else ""
    return draft.recorded(f"{facts['records']:,}{suffix}", [node])


def _types(draft: Draft, trail: Trail, node: str) -> Claim:
    facts, attrs = trail.facts(node), _attrs(trail, node)
    labelled = attrs.get("labelled")
    characteristics = [plain(facts["data_types"])] if facts.get("data_types") else []
    if facts.get("modality"):
        characteristics.append(f"modality: {plain(facts['modality'])}")
    if labelled is True:
        labels = attrs.get("label_types")
        return draft.recorded(
            f"labelled; label types: {plain(labels)}" if labels else None,
            [node],
            gap=(node, "attrs.label_types", "the types of its labels"),
        )
    if labelled is False:
        return draft.recorded(
            "unlabelled; " + ("; ".join(characteristics) if characteristics else "")
            if characteristics
            else None,
            [node],
            gap=(node, "data_types", "the general characteristics of its data points"),
        )
    return draft.unknown(
        node,
        "attrs.labelled",
        "whether its data points are labelled (and with which labels)",
        [node],
    )


def _copyright(draft: Draft, trail: Trail, node: str) -> Claim:
    facts, attrs = trail.facts(node), _attrs(trail, node)
    rights = attrs.get("ip_protection")
    if rights:
        if "public-domain" in rights:
            return draft.recorded("entirely in the public domain", [node])
        text = "protected by " + " and ".join(str(r) for r in rights)
        return draft.recorded(text, [node])
    if facts.get("license") in PUBLIC_DOMAIN:
        return draft.recorded(f"entirely in the public domain ({facts['license']})", [node])
    return draft.unknown(
        node,
        "attrs.ip_protection",
        "whether it holds data protected by copyright, trademark or patent, or is entirely "
        "public domain",
        [node],
    )


def _purchased(draft: Draft, trail: Trail, node: str) -> Claim:
    facts = trail.facts(node)
    obtained, licence = facts.get("obtained"), facts.get("license")
    terms = f" ({licence})" if licence else ""
    if facts["kind"] != "source":
        if _developers_own(trail, node):
            return draft.recorded(f"neither: the developer's own dataset{terms}", [node])
        return draft.unknown(node, "obtained", "whether it was purchased or licensed", [node])
    if not obtained:
        return draft.unknown(node, "obtained", "how it was obtained", [node])
    if obtained == "purchased":
        return draft.recorded(f"purchased{terms}", [node])
    if obtained == "licensed":
        return draft.recorded(f"licensed{terms}", [node])
    if obtained == "public":
        if not licence:
            return draft.unknown(node, "license", "the licence it is used under", [node])
        return draft.recorded(f"licensed under {licence}, not purchased", [node])
    return draft.recorded(
        f"neither: {obtained} data{', terms ' + licence if licence else ''}", [node]
    )


def _personal(draft: Draft, trail: Trail, node: str) -> Claim:
    facts = trail.facts(node)
    status = facts.get("personal_data")
    if status == "yes":
        categories = facts.get("personal_data_categories")
        return draft.recorded("yes" + (f": {plain(categories)}" if categories else ""), [node])
    if status == "no":
        return draft.recorded("no", [node])
    return draft.unknown(node, "personal_data", "whether it holds personal information", [node])


def _aggregate(draft: Draft, trail: Trail, node: str) -> Claim:
    value = _attrs(trail, node).get("aggregate_consumer_information")
    if value in (None, "unknown"):
        return draft.unknown(
            node,
            "attrs.aggregate_consumer_information",
            "whether it holds aggregate consumer information",
            [node],
        )
    return draft.recorded(plain(value), [node])


def _period(draft: Draft, trail: Trail, node: str) -> Claim:
    facts = trail.facts(node)
    text = period_text(facts)
    if text and not facts.get("collected_end"):
        text += " (notice: data collection is ongoing)"
    return draft.recorded(text, [node], gap=(node, "collected", "when it was collected"))


def _first_used(draft: Draft, trail: Trail, node: str) -> Claim:
    return draft.fact(node, "first_used", "when it was first used in development")


def _synthetic(draft: Draft, trail: Trail, node: str) -> Claim:
    facts = trail.facts(node)
    if facts["kind"] != "source":
        if _developers_own(trail, node):
            return draft.recorded("no: a dataset of the developer's own", [node])
        return draft.unknown(node, "obtained", "whether it is synthetic", [node])
    if facts.get("obtained") == "synthetic":
        generator = facts.get("generated_by")
        return draft.recorded(f"yes, generated by {generator}" if generator else "yes", [node])
    if not facts.get("obtained"):
        return draft.unknown(node, "obtained", "whether it is synthetic", [node])
    return draft.recorded("no", [node])
