"""lineage serve refuses an address it cannot listen on, in one line, before starting."""

from __future__ import annotations

import socket
from pathlib import Path

from click.testing import CliRunner

import lineage
from cli.main import cli


def test_serve_on_a_port_in_use_says_so_in_one_line(tmp_path: Path) -> None:
    db = str(tmp_path / "lineage.db")
    with lineage.open_store(db) as store:
        store.create_token("airflow")
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]

        result = CliRunner().invoke(cli, ["--db", db, "serve", "--port", str(port)])

    assert result.exit_code == 1, result.output
    assert result.stderr == f"Error: cannot serve on 127.0.0.1:{port}: Address already in use\n"
    assert result.stdout == ""
