"""Hypothesis strategies for lineage graphs, and the bounded, derandomised profile CI runs.

`manifests()` draws a whole manifest (`Store.record` input): agents acting on
behalf of earlier agents, sources, datasets and models with random paper-trail
facts and attributes, runs from earlier entities to later ones (so the graph
is acyclic), derivations, attributions and sign-offs. Names are unicode with
spaces, colons, percent signs and the like, because identifiers must survive
every serialisation.
"""

from __future__ import annotations

import datetime
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from lineage.disclosure import ATTR_KEYS

settings.register_profile(
    "ci",
    max_examples=20,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("ci")

KINDS = ("source", "dataset", "model", "activity", "agent", "attestation")
# Visible names: no control, format (bidirectional, zero-width) or separator characters
# and no invisible Hangul fillers (the store refuses them all), no surrounding
# whitespace (validation strips it), no leading `kind:` (that names a kind).
names = (
    st.text(
        alphabet=st.characters(
            exclude_categories=("Cc", "Cf", "Cs", "Zl", "Zp"),
            exclude_characters="\u115f\u1160\u3164\uffa0",
        ),
        min_size=1,
        max_size=12,
    )
    .map(str.strip)
    .filter(lambda n: bool(n) and n.partition(":")[0] not in KINDS)
)
text_values = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=20)
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    text_values,
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(text_values, inner, max_size=3)
    ),
    max_leaves=6,
)
# Free attrs; the keys that hold disclosure facts are validated fields (lineage.disclosure).
attrs = st.dictionaries(names.filter(lambda n: n not in ATTR_KEYS), json_values, max_size=3)
dates = st.dates().map(lambda d: d.isoformat())
times = st.datetimes(timezones=st.just(datetime.UTC)).map(
    lambda t: t.isoformat().replace("+00:00", "Z")
)
counts = st.integers(min_value=0, max_value=2**40)
licences = st.sampled_from(
    ["MIT", "Apache-2.0", "CC-BY-4.0", "CC-BY-NC-4.0", "GPL-3.0-only OR MIT", "LicenseRef-terms"]
)
digests = st.binary(min_size=32, max_size=32).map(lambda b: "sha256:" + b.hex())


def _maybe(draw: st.DrawFn, strategy: st.SearchStrategy[Any]) -> Any:
    return draw(st.one_of(st.none(), strategy))


def _entity_facts(draw: st.DrawFn, kind: str) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "owner": _maybe(draw, text_values.filter(lambda t: t.strip() == t and t)),
        "uri": _maybe(draw, st.just("https://data.example/") | names),
        "license": _maybe(draw, licences),
        "description": _maybe(draw, text_values.map(str.strip).filter(bool)),
        "records": _maybe(draw, counts),
        "tokens": _maybe(draw, counts),
        "size_bytes": _maybe(draw, counts),
        "digest": _maybe(draw, digests),
        "modality": draw(st.lists(st.sampled_from(["text", "image", "audio", "code"]), max_size=2)),
        "data_types": draw(st.lists(names, max_size=2)),
        "copyright": _maybe(draw, names),
        "attrs": draw(attrs),
    }
    if kind in ("source", "dataset"):
        facts["personal_data"] = _maybe(draw, st.sampled_from(["yes", "no", "unknown"]))
        facts["personal_data_categories"] = draw(st.lists(names, max_size=2))
        facts["first_used"] = _maybe(draw, dates)
        facts["effective"] = _maybe(draw, dates)
    if kind == "source":
        facts["obtained"] = _maybe(draw, st.sampled_from(["public", "crawled", "synthetic"]))
        facts["opt_outs"] = _maybe(draw, st.sampled_from(["honoured", "unknown"]))
        facts["restrictions"] = draw(
            st.lists(st.sampled_from(["non-commercial", "research-only"]), unique=True)
        )
        start = _maybe(draw, st.dates())
        if start is not None:
            end = _maybe(draw, st.dates(min_value=start))
            facts["collected"] = f"{start.isoformat()}..{end.isoformat() if end else ''}"
    if kind == "model":
        facts["intended_use"] = _maybe(draw, st.sampled_from(["commercial", "research"]))
    return {k: v for k, v in facts.items() if v is not None and v != [] and v != {}}


@st.composite
def manifests(draw: st.DrawFn) -> dict[str, Any]:
    """A valid manifest of a random acyclic lineage graph."""
    pool = draw(st.lists(names, min_size=6, max_size=16, unique=True))
    n_agents = draw(st.integers(min_value=1, max_value=3))
    agent_names, entity_names = pool[:n_agents], pool[n_agents:-2]
    run_names = pool[-2:]
    agents = []
    for i, name in enumerate(agent_names):
        agent: dict[str, Any] = {
            "name": name,
            "type": draw(st.sampled_from(["person", "organization", "software"])),
        }
        if draw(st.booleans()):
            agent["version"] = draw(names)
        if i and draw(st.booleans()):
            agent["acted_on_behalf_of"] = agent_names[draw(st.integers(0, i - 1))]
        agents.append(agent)
    kinds = [draw(st.sampled_from(["source", "dataset", "model"])) for _ in entity_names]
    kinds[0] = "source"
    sections: dict[str, list[dict[str, Any]]] = {"sources": [], "datasets": [], "models": []}
    for i, (name, kind) in enumerate(zip(entity_names, kinds, strict=True)):
        item = {"name": name, **_entity_facts(draw, kind)}
        if i and draw(st.booleans()):
            item["derived_from"] = [entity_names[draw(st.integers(0, i - 1))]]
        if draw(st.booleans()):
            item["attributed_to"] = [draw(st.sampled_from(agent_names))]
        sections[kind + "s"].append(item)
    runs = []
    for run_name in run_names:
        if len(entity_names) < 2:
            break
        split = draw(st.integers(1, len(entity_names) - 1))
        inputs = draw(st.lists(st.sampled_from(entity_names[:split]), min_size=1, unique=True))
        outputs = draw(st.lists(st.sampled_from(entity_names[split:]), max_size=2, unique=True))
        run: dict[str, Any] = {
            "name": run_name,
            "operation": draw(names),
            "inputs": inputs,
            "outputs": outputs,
            "status": "completed" if outputs else "failed",
        }
        if draw(st.booleans()):
            run["agent"] = draw(st.lists(st.sampled_from(agent_names), unique=True, max_size=2))
        if draw(st.booleans()):
            run["tool"] = f"tool{draw(st.integers(0, 9))}=={draw(st.integers(0, 99))}.0"
        if draw(st.booleans()):
            run["params"] = draw(st.dictionaries(text_values, json_values, max_size=3))
        if draw(st.booleans()):
            start = draw(times)
            run["started"] = start
            run["ended"] = draw(st.one_of(st.none(), st.just(start)))
        run["records_in"] = _maybe(draw, counts)
        run["records_out"] = _maybe(draw, counts)
        run["attrs"] = draw(attrs)
        runs.append({k: v for k, v in run.items() if v is not None})
    attestations = []
    subjects = [n for n, k in zip(entity_names, kinds, strict=True) if k != "source"]
    if subjects and draw(st.booleans()):
        attestations.append(
            {
                "name": draw(names.filter(lambda n: n not in pool)),
                "subject": draw(st.sampled_from(subjects)),
                "by": draw(st.sampled_from(agent_names)),
                "decision": draw(st.sampled_from(["approved", "conditional", "revoked"])),
                "tier": draw(st.sampled_from(["general-commercial", "national-security"])),
                "conditions": draw(st.lists(names, max_size=2)),
                "expires": draw(st.dates(min_value=datetime.date(2100, 1, 1))).isoformat(),
            }
        )
    return {"agents": agents, **sections, "runs": runs, "attestations": attestations}
