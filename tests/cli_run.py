"""Running the CLI in tests: one command line, its result, its single error line."""

from __future__ import annotations

import shlex

from click.testing import CliRunner, Result

from cli.main import cli


def invoke(db: str, command: str) -> Result:
    """Run `lineage --db DB COMMAND`, COMMAND split as a shell would."""
    return CliRunner().invoke(cli, ["--db", db, *shlex.split(command)])


def ok(result: Result, exit_code: int = 0) -> str:
    """The stdout of a command that must have exited with `exit_code` without a traceback."""
    unexpected = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert not unexpected, repr(result.exception)
    assert result.exit_code == exit_code, result.output
    return result.stdout


def one_error_line(result: Result, exit_code: int) -> str:
    """The single `Error:` line of a command that must have failed cleanly."""
    unexpected = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert not unexpected, repr(result.exception)
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    return lines[0]
