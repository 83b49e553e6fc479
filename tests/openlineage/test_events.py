"""The two checks of the official schema (compiled, and the reference) agree."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from integration_shapes import dataset_event, job_event
from ol_events import run_event

from lineage.openlineage.events import _fast_check, _validator

MUTATIONS: list[tuple[str, Any]] = [
    ("valid", lambda e: None),
    ("no producer", lambda e: e.pop("producer")),
    ("no schemaURL", lambda e: e.pop("schemaURL")),
    ("runId a number", lambda e: e["run"].__setitem__("runId", 7)),
    ("unknown eventType", lambda e: e.__setitem__("eventType", "DONE")),
    ("inputs not a list", lambda e: e.__setitem__("inputs", {})),
    (
        "facet without _producer",
        lambda e: e["job"]["facets"]["sourceCodeLocation"].pop("_producer"),
    ),
    ("facet not an object", lambda e: e["run"].__setitem__("facets", {"x": 1})),
    (
        "custom facet",
        lambda e: e["run"]["facets"].__setitem__(
            "x", {"_producer": "p", "_schemaURL": "s", "y": 1}
        ),
    ),
    (
        "producer not a URI (formats are not checked)",
        lambda e: e.__setitem__("producer", "a script"),
    ),
]


@pytest.mark.parametrize(("case", "mutate"), MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_the_compiled_schema_and_the_reference_validator_agree(case: str, mutate: Any) -> None:
    event = run_event("COMPLETE", parent=True)
    mutate(event)
    before = copy.deepcopy(event)

    reference = not list(_validator("RunEvent").iter_errors(event))
    compiled = _fast_check("RunEvent")(event)

    assert compiled == reference
    assert reference == (
        case in ("valid", "custom facet", "producer not a URI (formats are not checked)")
    )
    assert event == before  # nothing filled in


STATIC: list[tuple[str, str, Any, bool]] = [
    ("JobEvent", "valid", lambda e: None, True),
    ("JobEvent", "no producer", lambda e: e.pop("producer"), False),
    ("JobEvent", "job without a name", lambda e: e["job"].pop("name"), False),
    ("JobEvent", "with a run", lambda e: e.__setitem__("run", {"runId": "x"}), False),
    ("DatasetEvent", "valid", lambda e: None, True),
    ("DatasetEvent", "no schemaURL", lambda e: e.pop("schemaURL"), False),
    ("DatasetEvent", "dataset without a namespace", lambda e: e["dataset"].pop("namespace"), False),
]


@pytest.mark.parametrize(
    ("definition", "case", "mutate", "valid"), STATIC, ids=[f"{s[0]}: {s[1]}" for s in STATIC]
)
def test_both_checks_agree_on_static_lineage_events(
    definition: str, case: str, mutate: Any, valid: bool
) -> None:
    event = job_event() if definition == "JobEvent" else dataset_event()
    mutate(event)

    reference = not list(_validator(definition).iter_errors(event))

    assert _fast_check(definition)(event) == reference == valid
