"""A tracked step sends its run to another OpenLineage backend: here, a real `lineage serve`."""

from __future__ import annotations

from pathlib import Path

from openlineage.client import OpenLineageClient
from openlineage.client.transport.http import ApiKeyTokenProvider, HttpConfig, HttpTransport
from serving import Server

import lineage


def test_a_tracked_step_is_sent_through_the_official_client_and_agrees_with_an_export(
    server: Server, tmp_path: Path
) -> None:
    client = OpenLineageClient(
        transport=HttpTransport(
            HttpConfig(url=server.url, auth=ApiKeyTokenProvider({"apiKey": server.token}))
        )
    )
    with lineage.open_store(str(tmp_path / "local.db")) as local:
        local.add_source("emit-raw", license="MIT")
        local.add_dataset("emit-clean")

        @lineage.track(
            local, inputs=["emit-raw"], outputs=["emit-clean"], emit=client, namespace="pipelines"
        )
        def clean_for_emit() -> None:
            pass

        clean_for_emit()
        [run] = local.list(kind="activity")
        run_id = local.show(run.id).facts["attrs"]["openlineage"]["runId"]
        exported = lineage.export(local, "openlineage")

    with lineage.open_store(server.db) as remote:
        sent = remote.show(f"activity:{run_id}").facts
        assert sent["operation"] == "clean_for_emit"
        assert sent["status"] == "completed"
        assert len(sent["attrs"]["openlineage"]["events"]) == 2  # START and COMPLETE
        upstream = remote.upstream("dataset:lineage/dataset:emit-clean")
        assert (f"activity:{run_id}", "dataset:lineage/source:emit-raw") in upstream.edges
    # An export of the local store names the run and its datasets as the backend knows them.
    assert f'"runId":"{run_id}"' in exported
    assert '"name":"dataset:emit-clean","namespace":"lineage"' in exported
