"""The training-data documentation California's AB 2013 requires (Civil Code 3111(a)).

One section per item of subdivision (a)(2), in the statute's order, each answered
per dataset: the sources (and the datasets made from them) the target was
trained on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lineage.checks import CheckResult, Trail
from lineage.reports.claims import Draft, period_text, plain
from lineage.reports.model import Claim, Field, Fields, Paragraph, Section, Table

STATUTE = "California Civil Code section 3111(a), added by AB 2013 (2024), in force 1 January 2026"
PUBLIC_DOMAIN = frozenset({"CC0-1.0", "PDDL-1.0", "Unlicense"})


def build(draft: Draft, trail: Trail, result: CheckResult) -> tuple[str, tuple[Section, ...]]:
    """Twelve sections, items (A) to (L) of the statute, each answered source by source."""
    sources = trail.of_kind("source")
    draft.section = "ab2013"
    about = Section(
        "ab2013",
        "About this documentation",
        (
            Fields(
                (
                    Field("statute", "Requirement", draft.derived(STATUTE)),
                    Field(
                        "system",
                        "Generative AI system or service",
                        draft.derived(
                            f"{trail.target} (version {trail.facts(trail.target)['version']})",
                            [trail.target],
                        ),
                    ),
                    Field(
                        "datasets",
                        "Datasets covered",
                        draft.derived(
                            f"{len(sources)} sources upstream of {trail.target}, and "
                            f"{len(trail.of_kind('dataset'))} datasets made from them",
                            sources,
                        ),
                    ),
                )
            ),
        ),
    )
    items: list[tuple[str, str, Callable[[Draft, Trail, str], Claim], str]] = [
        ("a", "The sources or owners of the datasets", _owner, "Source or owner"),
        (
            "b",
            "How the datasets further the intended purpose of the system",
            _purpose,
            "How it furthers the purpose",
        ),
        ("c", "The number of data points in the datasets", _count, "Data points"),
        ("d", "The types of data points in the datasets", _types, "Types of data points"),
        (
            "e",
            "Whether the datasets include data protected by copyright, trademark or patent, "
            "or are entirely in the public domain",
            _copyright,
            "Protected by IP, or public domain",
        ),
        (
            "f",
            "Whether the datasets were purchased or licensed by the developer",
            _purchased,
            "Purchased or licensed",
        ),
        (
            "g",
            "Whether the datasets include personal information",
            _personal,
            "Personal information",
        ),
        (
            "h",
            "Whether the datasets include aggregate consumer information",
            _aggregate,
            "Aggregate consumer information",
        ),
        (
            "i",
            "Cleaning, processing or other modification by the developer, and its purpose",
            _processing,
            "Processing (in order)",
        ),
        (
            "j",
            "The time period during which the data was collected, and whether collection is "
            "ongoing",
            _period,
            "Collection period",
        ),
        ("k", "The dates the datasets were first used in development", _first_used, "First used"),
        (
            "l",
            "Whether the system used or continuously uses synthetic data generation",
            _synthetic,
            "Synthetic data",
        ),
    ]
    sections = [about]
    for number, (letter, title, answer, column) in enumerate(items, start=1):
        draft.section = f"ab2013-{letter}"
        rows = tuple((draft.title(s), answer(draft, trail, s)) for s in sources)
        blocks: list[Any] = []
        if letter == "b":
            blocks.append(
                Fields(
                    (
                        Field(
                            "purpose",
                            "Intended purpose of the system",
                            _system_purpose(draft, trail),
                        ),
                    )
                )
            )
        if letter == "l":
            synthetic = [s for s in sources if trail.facts(s).get("obtained") == "synthetic"]
            blocks.append(
                Fields(
                    (
                        Field(
                            "synthetic",
                            "Synthetic data generation used",
                            draft.derived("yes" if synthetic else "no recorded", synthetic),
                        ),
                    )
                )
            )
        blocks.append(
            Table(("dataset", f"item_{letter}"), ("Dataset", column), rows)
            if rows
            else Paragraph("No source is recorded upstream.")
        )
        sections.append(Section(f"ab2013-{letter}", f"{number}. {title}", tuple(blocks)))
    return f"Training data documentation (California AB 2013): {trail.target}", tuple(sections)


def _system_purpose(draft: Draft, trail: Trail) -> Claim:
    facts = trail.facts(trail.target)
    parts = [str(facts["description"])] if facts.get("description") else []
    if facts.get("intended_use"):
        parts.append(f"intended use: {facts['intended_use']}")
    return draft.recorded(
        "; ".join(parts) or None,
        [trail.target],
        gap=(trail.target, "description", "the intended purpose of the system"),
    )


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
    facts = trail.facts(node)
    attrs = facts.get("attrs") or {}
    purpose = attrs.get("purpose") if isinstance(attrs, dict) else None
    text = purpose or facts.get("description")
    return draft.recorded(
        plain(text) if text else None,
        [node],
        gap=(node, "description", "how it furthers the system's purpose"),
    )


def _count(draft: Draft, trail: Trail, node: str) -> Claim:
    facts = trail.facts(node)
    if facts.get("records") is None:
        return draft.unknown(node, "records", "the number of data points", [node])
    ongoing = facts.get("collected_start") and not facts.get("collected_end")
    suffix = " (collection ongoing: the count when recorded)" if ongoing else ""
    return draft.recorded(f"{facts['records']:,}{suffix}", [node])


def _types(draft: Draft, trail: Trail, node: str) -> Claim:
    facts = trail.facts(node)
    parts = [plain(facts["data_types"])] if facts.get("data_types") else []
    if facts.get("modality"):
        parts.append(f"modality: {plain(facts['modality'])}")
    return draft.recorded(
        "; ".join(parts) or None, [node], gap=(node, "data_types", "the types of data points")
    )


def _copyright(draft: Draft, trail: Trail, node: str) -> Claim:
    facts = trail.facts(node)
    licence = facts.get("license")
    if licence in PUBLIC_DOMAIN:
        return draft.recorded(f"public domain ({licence})", [node])
    if facts.get("copyright"):
        return draft.recorded(f"protected: {plain(facts['copyright'])}", [node])
    return draft.unknown(node, "copyright", "its copyright, trademark or patent status", [node])


def _purchased(draft: Draft, trail: Trail, node: str) -> Claim:
    obtained = trail.facts(node).get("obtained")
    if not obtained:
        return draft.unknown(node, "obtained", "how it was obtained", [node])
    answer = {"purchased": "purchased", "licensed": "licensed"}.get(str(obtained))
    return draft.recorded(answer or f"neither (obtained: {obtained})", [node])


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
    attrs = trail.facts(node).get("attrs") or {}
    value = attrs.get("aggregate_consumer_information") if isinstance(attrs, dict) else None
    if value is None:
        return draft.unknown(
            node,
            "attrs.aggregate_consumer_information",
            "whether it holds aggregate consumer information",
            [node],
        )
    return draft.recorded(plain(value), [node])


def _processing(draft: Draft, trail: Trail, node: str) -> Claim:
    """The runs between this source and the target, in order, with their descriptions."""
    runs = [n for n in trail.path(node) if n.startswith("activity:")]
    if not runs:
        return draft.derived("none recorded", [node])
    steps = []
    for run in runs:
        facts = trail.facts(run)
        what = str(facts.get("operation") or run)
        steps.append(f"{what} ({run})")
    return draft.derived(" -> ".join(steps), runs)


def _period(draft: Draft, trail: Trail, node: str) -> Claim:
    return draft.recorded(
        period_text(trail.facts(node)), [node], gap=(node, "collected", "when it was collected")
    )


def _first_used(draft: Draft, trail: Trail, node: str) -> Claim:
    return draft.fact(node, "first_used", "when it was first used in development")


def _synthetic(draft: Draft, trail: Trail, node: str) -> Claim:
    facts = trail.facts(node)
    if facts.get("obtained") == "synthetic":
        generator = facts.get("generated_by")
        return draft.recorded(f"yes, generated by {generator}" if generator else "yes", [node])
    if not facts.get("obtained"):
        return draft.unknown(node, "obtained", "whether it is synthetic", [node])
    return draft.recorded("no", [node])
