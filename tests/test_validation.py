"""Every input's facts land in real columns."""

from __future__ import annotations

from typing import Any

import pytest

from lineage.store.tables import FACT_COLUMNS
from lineage.validation import (
    AgentInput,
    AttestationInput,
    DatasetInput,
    ModelInput,
    RunInput,
    SourceInput,
)

ENTITY: dict[str, Any] = {
    "name": "x",
    "owner": "o",
    "uri": "https://example.org",
    "license": "MIT",
    "restrictions": ["non-commercial"],
    "path": "p",
    "digest": "sha256:" + "0" * 64,
    "size_bytes": 1,
    "records": 2,
    "tokens": 3,
    "modality": ["text"],
    "data_types": ["web pages"],
    "copyright": "c",
    "effective": "2025-01-01",
    "derived_from": ["y"],
    "attributed_to": ["a"],
    "description": "d",
    "attrs": {"k": 1},
}
PERSONAL = {
    "personal_data": "yes",
    "personal_data_categories": ["emails"],
    "legal_basis": "consent",
    "first_used": "2025-02-01",
}
EVERY_FIELD = [
    (
        SourceInput,
        {
            **ENTITY,
            **PERSONAL,
            "obtained": "crawled",
            "generated_by": "m",
            "opt_outs": "honoured",
            "collected": "2025-01-01..2025-01-31",
        },
    ),
    (DatasetInput, {**ENTITY, **PERSONAL}),
    (ModelInput, {**ENTITY, "intended_use": "commercial"}),
    (
        AgentInput,
        {
            "name": "a",
            "type": "software",
            "version": "1",
            "acted_on_behalf_of": "b",
            "description": "d",
            "attrs": {"k": 1},
        },
    ),
    (
        RunInput,
        {
            "operation": "op",
            "name": "r",
            "inputs": ["x"],
            "outputs": ["y"],
            "agent": ["a"],
            "tool": "t==1",
            "code_revision": "abc",
            "params": {"p": 1},
            "started": "2025-01-01T00:00:00Z",
            "ended": "2025-01-01T01:00:00Z",
            "records_in": 1,
            "records_out": 1,
            "status": "completed",
        },
    ),
    (
        AttestationInput,
        {
            "subject": "m",
            "by": "a",
            "name": "ok",
            "decision": "conditional",
            "tier": "general-commercial",
            "scope": "s",
            "conditions": ["c"],
            "expires": "2026-01-01",
            "effective": "2025-01-01",
        },
    ),
]


@pytest.mark.parametrize("model, data", EVERY_FIELD, ids=lambda v: getattr(v, "__name__", ""))
def test_every_field_of_every_input_is_a_column_or_a_relation(
    model: Any, data: dict[str, Any]
) -> None:
    facts = model.model_validate(data).facts()

    assert facts  # the input records something
    assert set(facts) <= set(FACT_COLUMNS), set(facts) - set(FACT_COLUMNS)
