"""Sending a run to another OpenLineage backend (Marquez, DataHub, ...) through the official
client, as `Store.run(..., emit=client)` does: START when the block begins, COMPLETE or
FAIL when it ends. Datasets are named as `lineage export --format openlineage` names
them, so the other backend and an export agree."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from lineage.openlineage.export import NAMESPACE, PRODUCER

log = logging.getLogger(__name__)


def build_run_event(
    state: str,
    *,
    run_id: str,
    job: dict[str, str],
    time: str,
    inputs: Sequence[str] = (),
    outputs: Sequence[str] = (),
    error: str | None = None,
) -> Any:
    """An openlineage-python RunEvent; `inputs` and `outputs` are record ids ('kind:name')."""
    from openlineage.client.event_v2 import (
        InputDataset,
        Job,
        OutputDataset,
        Run,
        RunEvent,
        RunState,
    )
    from openlineage.client.facet_v2 import error_message_run

    run_facets: dict[str, Any] = {}
    if error:
        run_facets["errorMessage"] = error_message_run.ErrorMessageRunFacet(
            message=error, programmingLanguage="python"
        )
    return RunEvent(
        eventType=RunState[state],
        eventTime=time,
        run=Run(runId=run_id, facets=run_facets),
        job=Job(namespace=job["namespace"], name=job["name"]),
        producer=PRODUCER,
        inputs=[InputDataset(namespace=NAMESPACE, name=i) for i in inputs],
        outputs=[OutputDataset(namespace=NAMESPACE, name=o) for o in outputs],
    )


def send(client: Any, event: Any) -> bool:
    """Emit `event` with `client`; a backend that cannot be reached is logged, not raised,
    so that a secondary lineage backend never fails the pipeline step itself."""
    import requests

    try:
        client.emit(event)
    except (OSError, requests.RequestException) as error:
        log.warning("could not send OpenLineage event to %s: %s", client, error)
        return False
    return True
