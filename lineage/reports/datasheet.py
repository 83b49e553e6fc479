"""A datasheet in the seven sections of "Datasheets for Datasets" (Gebru et al., 2021).

Each question is answered from the store where the store can answer it; the
others are marked for a person to fill in ('manual'), so the datasheet says
plainly which half it is.
"""

from __future__ import annotations

from collections.abc import Sequence

from lineage.checks import CheckResult, Trail
from lineage.reports.approval import coverage_text
from lineage.reports.claims import Draft, period_text, plain, run_text, size_text
from lineage.reports.model import Claim, Field, Fields, Section, Table

CITATION = (
    "Gebru, Morgenstern, Vecchione, Wortman Vaughan, Wallach, Daume III and Crawford, "
    "'Datasheets for Datasets', Communications of the ACM 64(12), 2021"
)


def _q(key: str, question: str, claim: Claim) -> Field:
    return Field(key, question, claim)


def build(draft: Draft, trail: Trail, result: CheckResult) -> tuple[str, tuple[Section, ...]]:
    """The seven sections; questions outside the store's reach are marked for a person."""
    target = trail.target
    facts = trail.facts(target)
    sources = trail.of_kind("source")
    runs = trail.run_order()
    manual = draft.manual
    draft.section = "datasheet"
    about = Section(
        "datasheet",
        "About this datasheet",
        (
            Fields(
                (
                    _q("method", "Method", draft.derived(CITATION)),
                    _q(
                        "subject",
                        "Dataset",
                        draft.derived(
                            f"{target} (version {facts['version']})"
                            + (
                                ", described through the data it was trained on"
                                if trail.target_kind == "model"
                                else ""
                            ),
                            [target],
                        ),
                    ),
                    _q(
                        "legend",
                        "Reading it",
                        draft.derived(
                            "answers come from the lineage store; 'to be completed by a "
                            "person' marks questions a lineage store does not record"
                        ),
                    ),
                )
            ),
        ),
    )

    draft.section = "datasheet-motivation"
    run = trail.generated_by(target)
    creators = [a for r in ([run] if run else []) for a in trail.agents_of(r)]
    motivation = Section(
        "datasheet-motivation",
        "Motivation",
        (
            Fields(
                (
                    _q(
                        "purpose",
                        "For what purpose was the dataset created?",
                        draft.fact(target, "description", "what the dataset is for"),
                    ),
                    _q(
                        "creators",
                        "Who created the dataset, and on behalf of which entity?",
                        draft.recorded(
                            _creators(trail, target, creators),
                            [target, *creators],
                            gap=(target, "owner", "who created the dataset"),
                        ),
                    ),
                    _q("funding", "Who funded the creation of the dataset?", manual()),
                    _q("comments", "Any other comments?", manual()),
                )
            ),
        ),
    )

    draft.section = "datasheet-composition"
    personal = [s for s in sources if trail.facts(s).get("personal_data") == "yes"]
    unknown_pd = [s for s in sources if trail.facts(s).get("personal_data") in (None, "unknown")]
    categories = sorted(
        {c for s in personal for c in trail.facts(s).get("personal_data_categories") or ()}
    )
    composition = Section(
        "datasheet-composition",
        "Composition",
        (
            Fields(
                (
                    _q(
                        "instances",
                        "What do the instances represent?",
                        draft.recorded(
                            _types_text(trail, [target, *sources]),
                            [target, *sources],
                            gap=(target, "data_types", "what the instances are"),
                        ),
                    ),
                    _q(
                        "count",
                        "How many instances are there in total?",
                        draft.recorded(
                            size_text(facts),
                            [target],
                            gap=(target, "records", "how many instances there are"),
                        ),
                    ),
                    _q(
                        "sample",
                        "Does the dataset contain all possible instances or is it a sample?",
                        manual(),
                    ),
                    _q(
                        "labels",
                        "Is there a label or target associated with each instance?",
                        manual(),
                    ),
                    _q("splits", "Are there recommended data splits?", manual()),
                    _q(
                        "errors",
                        "Are there any errors, sources of noise, or redundancies?",
                        manual(),
                    ),
                    _q(
                        "external",
                        "Is the dataset self-contained, or does it rely on external resources?",
                        draft.derived(
                            "built from " + (", ".join(sources) or "no recorded source"), sources
                        ),
                    ),
                    _q(
                        "confidential",
                        "Does the dataset contain data that might be considered confidential?",
                        manual(),
                    ),
                    _q(
                        "offensive",
                        "Does the dataset contain data that might be offensive or distressing?",
                        manual(),
                    ),
                    _q(
                        "individuals",
                        "Is it possible to identify individuals from the dataset?",
                        _individuals(draft, trail, personal, unknown_pd),
                    ),
                    _q(
                        "subpopulations",
                        "Does the dataset identify any subpopulations (e.g., by age, gender)?",
                        _subpopulations(draft, trail, [target, *sources]),
                    ),
                    _q(
                        "sensitive",
                        "Does the dataset contain sensitive data?",
                        draft.derived(
                            ("personal data categories recorded: " + ", ".join(categories))
                            if categories
                            else "none recorded",
                            personal,
                        ),
                    ),
                )
            ),
            _source_table(draft, trail, sources),
        ),
    )

    draft.section = "datasheet-collection"
    agents = sorted({a for r in runs for a in trail.agents_of(r)})
    collection = Section(
        "datasheet-collection",
        "Collection process",
        (
            Fields(
                (
                    _q(
                        "acquired",
                        "How was the data associated with each instance acquired?",
                        draft.derived("see the table: how each source was obtained", sources),
                    ),
                    _q(
                        "mechanisms",
                        "What mechanisms or procedures were used to collect the data?",
                        draft.derived(_mechanisms(trail, sources, runs), [*sources, *runs]),
                    ),
                    _q(
                        "sampling",
                        "If the dataset is a sample, what was the sampling strategy?",
                        manual(),
                    ),
                    _q(
                        "who",
                        "Who was involved in the data collection process?",
                        draft.derived(", ".join(agents) or "no agent recorded", agents),
                    ),
                    _q(
                        "compensation",
                        "How were crowdworkers or contractors compensated?",
                        manual(),
                    ),
                    _q(
                        "timeframe",
                        "Over what timeframe was the data collected?",
                        draft.derived(
                            "; ".join(
                                f"{s}: {period_text(trail.facts(s)) or 'unknown'}" for s in sources
                            )
                            or "no source recorded",
                            sources,
                        ),
                    ),
                    _q("ethics", "Were any ethical review processes conducted?", manual()),
                    _q(
                        "consent",
                        "Were the individuals concerned notified, and did they consent? On "
                        "what legal basis is their data used?",
                        _consent(draft, trail, personal, sources),
                    ),
                )
            ),
        ),
    )

    draft.section = "datasheet-preprocessing"
    preprocessing = Section(
        "datasheet-preprocessing",
        "Preprocessing, cleaning and labeling",
        (
            Fields(
                (
                    _q(
                        "done",
                        "Was any preprocessing, cleaning or labeling of the data done?",
                        draft.derived(
                            f"{len(runs)} runs, in order: "
                            + ", ".join(run_text(trail.facts(r), r) for r in runs)
                            if runs
                            else "no run recorded",
                            runs,
                        ),
                    ),
                    _q(
                        "raw",
                        "Was the raw data saved in addition to the cleaned data?",
                        draft.derived(_raw_kept(trail, sources), sources),
                    ),
                    _q(
                        "software",
                        "Is the software used to preprocess the data available?",
                        draft.derived(_software(trail, runs), runs),
                    ),
                )
            ),
        ),
    )

    draft.section = "datasheet-uses"
    uses = trail.uses
    use_refs = [u.id for u in uses]
    restrictions = sorted({r for h in trail.licence_holders() for r in h.restrictions})
    usage = Section(
        "datasheet-uses",
        "Uses",
        (
            Fields(
                (
                    _q(
                        "used",
                        "Has the dataset been used for any tasks already?",
                        draft.derived(
                            "; ".join(
                                f"{u.operation or 'run'} ({u.id})"
                                + (f" -> {', '.join(u.outputs)}" if u.outputs else "")
                                for u in uses
                            )
                            or "no use recorded",
                            use_refs,
                        ),
                    ),
                    _q(
                        "intended",
                        "What (other) tasks could the dataset be used for?",
                        draft.fact(target, "intended_use", "", gap=False)
                        if facts.get("intended_use")
                        else manual(),
                    ),
                    _q(
                        "composition_impact",
                        "Is there anything about the composition or collection that "
                        "might affect future uses?",
                        _biases(draft, trail, [target, *sources]),
                    ),
                    _q(
                        "not_for",
                        "Are there tasks for which the dataset should not be used?",
                        draft.derived(
                            "the terms upstream restrict: " + ", ".join(restrictions)
                            if restrictions
                            else "no restriction recorded upstream",
                            [h.id for h in trail.licence_holders() if h.restrictions],
                        ),
                    ),
                )
            ),
        ),
    )

    draft.section = "datasheet-distribution"
    licences = sorted({h.expression or "no licence" for h in trail.licence_holders()})
    distribution = Section(
        "datasheet-distribution",
        "Distribution",
        (
            Fields(
                (
                    _q(
                        "third_parties",
                        "Will the dataset be distributed to third parties?",
                        manual(),
                    ),
                    _q(
                        "licence",
                        "Under what licence or terms of use will it be distributed?",
                        draft.fact(target, "license", "the dataset's own licence"),
                    ),
                    _q(
                        "third_party_ip",
                        "Have third parties imposed IP-based or other restrictions?",
                        draft.derived(
                            "upstream terms: " + ", ".join(licences)
                            if licences
                            else "none recorded",
                            [h.id for h in trail.licence_holders()],
                        ),
                    ),
                    _q(
                        "export",
                        "Do any export controls or other regulatory restrictions apply?",
                        manual(),
                    ),
                )
            ),
        ),
    )

    draft.section = "datasheet-maintenance"
    maintenance = Section(
        "datasheet-maintenance",
        "Maintenance",
        (
            Fields(
                (
                    _q(
                        "maintainer",
                        "Who will support, host or maintain the dataset?",
                        draft.fact(target, "owner", "who maintains the dataset"),
                    ),
                    _q("contact", "How can the owner or curator be contacted?", manual()),
                    _q(
                        "updates",
                        "Will the dataset be updated?",
                        draft.derived(
                            f"the record is at version {facts['version']}; corrections are "
                            "recorded as new versions and kept",
                            [target],
                        ),
                    ),
                    _q(
                        "retention",
                        "Are there limits on the retention of data about individuals?",
                        manual()
                        if personal
                        # A "no" rests on every source's answer: it cites them all.
                        else draft.derived("no personal data recorded upstream", sources),
                    ),
                    _q("older_versions", "Will older versions continue to be supported?", manual()),
                    _q(
                        "contributions", "Can others extend or contribute to the dataset?", manual()
                    ),
                )
            ),
        ),
    )
    return (
        f"Datasheet for {target}",
        (
            about,
            motivation,
            composition,
            collection,
            preprocessing,
            usage,
            distribution,
            maintenance,
        ),
    )


def _subpopulations(draft: Draft, trail: Trail, nodes: Sequence[str]) -> Claim:
    """The recorded demographic coverage of the dataset and its sources, else for a person."""
    parts = []
    refs = []
    for node in nodes:
        text = coverage_text(trail.facts(node))
        if text:
            parts.append(f"{node}: {text}")
            refs.append(node)
    return draft.recorded("; ".join(parts), refs) if parts else draft.manual()


def _biases(draft: Draft, trail: Trail, nodes: Sequence[str]) -> Claim:
    """Known biases and limitations recorded on the dataset and its sources."""
    parts = []
    refs = []
    for node in nodes:
        facts = trail.facts(node)
        said = [f"known bias: {b}" for b in facts.get("known_biases") or ()]
        said += [f"limitation: {b}" for b in facts.get("limitations") or ()]
        if said:
            parts.append(f"{node}: {'; '.join(said)}")
            refs.append(node)
    return draft.recorded(" | ".join(parts), refs) if parts else draft.manual()


def _creators(trail: Trail, target: str, agents: Sequence[str]) -> str | None:
    owner = trail.facts(target).get("owner")
    parts = [f"owner: {owner}"] if owner else []
    for agent in agents:
        chain = trail.on_behalf_of(agent)
        parts.append(f"{agent}" + (f" on behalf of {', '.join(chain)}" if chain else ""))
    return "; ".join(parts) or None


def _types_text(trail: Trail, nodes: Sequence[str]) -> str | None:
    kinds = sorted({t for n in nodes for t in trail.facts(n).get("data_types") or ()})
    return ", ".join(kinds) or None


def _individuals(draft: Draft, trail: Trail, personal: list[str], unknown: list[str]) -> Claim:
    if not personal and not unknown:
        return draft.derived("no source holding personal data is recorded", trail.of_kind("source"))
    parts = []
    if personal:
        parts.append("sources with personal data: " + ", ".join(personal))
    if unknown:
        parts.append("not known for: " + ", ".join(unknown))
    scrubs = [
        r for r in trail.run_order() if "pii" in str(trail.facts(r).get("operation") or "").lower()
    ]
    if scrubs:
        parts.append("PII removal runs: " + ", ".join(scrubs))
    return draft.derived("; ".join(parts), [*personal, *unknown, *scrubs])


def _consent(draft: Draft, trail: Trail, personal: list[str], sources: Sequence[str]) -> Claim:
    if not personal:
        return draft.derived("no personal data recorded upstream", sources)
    parts = []
    for node in personal:
        basis = trail.facts(node).get("legal_basis")
        if not basis:
            draft.gap(node, "legal_basis", "the legal basis for processing its personal data")
        parts.append(f"{node}: {basis or 'unknown'}")
    return draft.recorded("; ".join(parts), personal)


def _mechanisms(trail: Trail, sources: Sequence[str], runs: Sequence[str]) -> str:
    parts = []
    for source in sources:
        facts = trail.facts(source)
        attrs = facts.get("attrs") or {}
        tool = (attrs.get("crawler") or attrs.get("scraper")) if isinstance(attrs, dict) else None
        parts.append(
            f"{source}: {facts.get('obtained') or 'unknown'}" + (f" with {tool}" if tool else "")
        )
    return "; ".join(parts) or "no source recorded"


def _raw_kept(trail: Trail, sources: Sequence[str]) -> str:
    kept = [s for s in sources if trail.facts(s).get("digest")]
    verified = [s for s in kept if (c := trail.digests.get(s)) and c.status == "verified"]
    return (
        f"{len(kept)} of {len(sources)} sources have a recorded content digest; "
        f"{len(verified)} verify against the files here"
    )


def _software(trail: Trail, runs: Sequence[str]) -> str:
    tools = []
    for run in runs:
        facts = trail.facts(run)
        if facts.get("tool"):
            revision = f" at {facts['code_revision']}" if facts.get("code_revision") else ""
            tools.append(f"{facts['tool']} {facts.get('tool_version') or ''}".strip() + revision)
    return ", ".join(sorted(set(tools))) or "no tool recorded"


def _source_table(draft: Draft, trail: Trail, sources: Sequence[str]) -> Table:
    rows = []
    for node in sources:
        facts = trail.facts(node)
        rows.append(
            (
                draft.title(node),
                draft.recorded(plain(facts["obtained"]) if facts.get("obtained") else None, [node]),
                draft.recorded(size_text(facts), [node]),
                draft.recorded(
                    plain(facts["data_types"]) if facts.get("data_types") else None, [node]
                ),
                draft.recorded(
                    plain(facts["personal_data"]) if facts.get("personal_data") else None, [node]
                ),
            )
        )
    return Table(
        ("source", "obtained", "size", "data_types", "personal_data"),
        ("Source", "How obtained", "Size", "Data types", "Personal data"),
        tuple(rows),
    )
