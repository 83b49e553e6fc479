"""Recording lineage where the code runs: what a run around a pipeline step learns by itself.

`Store.run` (a context manager) and `lineage.track` (a decorator over it) record
the step's inputs, outputs, parameters, start and end, and failure with its
error; this module finds the facts the caller need not type: the code revision
(the git commit of the working folder, and whether it had uncommitted changes),
the versions of the packages that did the work, and the call's arguments.
"""

from __future__ import annotations

import contextvars
import functools
import inspect
import logging
import platform
import subprocess
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from importlib import metadata
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

if TYPE_CHECKING:
    from lineage.api import RunRecorder, Store

log = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")

_current: contextvars.ContextVar[RunRecorder | None] = contextvars.ContextVar(
    "lineage_current_run", default=None
)


def git_revision(folder: str | None = None) -> tuple[str, bool] | None:
    """(commit, has uncommitted changes) of the git work tree at `folder`, or None outside one."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True, timeout=10
        )
        if head.returncode != 0:
            return None
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return head.stdout.strip(), bool(status.stdout.strip())


def package_versions(names: Sequence[str]) -> dict[str, str]:
    """Installed versions of the packages in `names`, and Python's ('not installed' if absent)."""
    versions = {"python": platform.python_version()}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def _json_safe(value: Any) -> bool:
    if value is None or isinstance(value, str | int | float | bool):
        return True
    if isinstance(value, list | tuple):
        return all(_json_safe(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _json_safe(v) for k, v in value.items())
    return False


def call_params(function: Callable[..., Any], args: Any, kwargs: Any) -> dict[str, Any]:
    """The arguments of a call that are plain data (text, numbers, lists, mappings)."""
    try:
        bound = inspect.signature(function).bind(*args, **kwargs)
    except TypeError:
        return {}
    bound.apply_defaults()
    return {k: v for k, v in bound.arguments.items() if _json_safe(v)}


def current_run() -> RunRecorder | None:
    """The run being recorded around the running code (by `Store.run` or `track`), if any.

    Example:
        @lineage.track("lineage.db", inputs=["web-text"])
        def dedup() -> None:
            ...
            lineage.current_run().outputs.append("web-text-dedup")
    """
    return _current.get()


@contextmanager
def running(recorder: RunRecorder) -> Iterator[None]:
    token = _current.set(recorder)
    try:
        yield
    finally:
        _current.reset(token)


def track(
    store: Store | str | None = None,
    *,
    operation: str | None = None,
    inputs: Sequence[str] = (),
    outputs: Sequence[str] = (),
    record_args: bool = True,
    **fields: Any,
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Record every call of the decorated function as a run (see `Store.run`).

    `store` is an open Store or a store URL/path (opened for each call; default
    $LINEAGE_DB or ./lineage.db). The operation defaults to the function's name;
    with `record_args`, the call's plain-data arguments are added to `params`.
    Other fields go to `Store.run`: tool, agent, params, versions (package names),
    code_revision, emit (an OpenLineageClient), namespace, attrs.

    Example:
        @lineage.track("lineage.db", inputs=["web-text"], outputs=["web-text-dedup"],
                       tool="dedup==2.3.1", versions=["datasketch"])
        def dedup(threshold: float = 0.8) -> int:
            ...
    """

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            from lineage.api import Store, open_store

            params = dict(fields.get("params") or {})
            if record_args:
                params = {**call_params(function, args, kwargs), **params}
            given = {**fields, "params": params}
            opened = store if isinstance(store, Store) else open_store(store)
            try:
                with opened.run(operation or function.__name__, inputs=inputs, **given) as run:
                    run.outputs.extend(o for o in outputs if o not in run.outputs)
                    return function(*args, **kwargs)
            finally:
                if opened is not store:
                    opened.close()

        return wrapper

    return decorate
