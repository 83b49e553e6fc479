"""Whether this process is one command that ends when it is done (the CLI's commands).

Set by the console entry point, cleared by `lineage serve`; a process that goes on
(the server, a notebook, a service using the Python API) keeps the default, False.
Code that trades memory for speed only in a short-lived process reads it
(`lineage.store.write.collector_paused`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any, Generic, NoReturn, TypeVar

T = TypeVar("T")

ONE_SHOT = False


def one_shot(enabled: bool = True) -> None:
    """Declare that this process ends after its command (True) or goes on (False)."""
    global ONE_SHOT
    ONE_SHOT = enabled


def can_fork() -> bool:
    """True where work may go to a forked child: a one-shot command on Linux.

    Not in a process that goes on (a server's threads and a notebook's state do not
    survive a fork), nor where `fork` is missing or unsafe (Windows, macOS).
    """
    return ONE_SHOT and sys.platform.startswith("linux") and hasattr(os, "fork")


class Forked(Generic[T]):
    """`work()` run in a forked child while this process goes on; `result()` waits for it.

    The child inherits this process's memory (copy on write), so `work` may read the
    large objects already built without their being sent; only its result comes back,
    pickled through a pipe. The child never touches a database connection or a file it
    inherited: `work` must compute only, and the child ends with `os._exit`, running no
    clean-up of this process's. If the child fails or dies, `result()` runs `work` here,
    so an answer never depends on the child. Where `can_fork()` is false, `work` runs
    here when `result()` is first called.
    """

    def __init__(self, work: Callable[[], T]) -> None:
        self._work = work
        self._pid = 0
        self._pipe = -1
        self._done: tuple[T] | None = None
        if not can_fork():
            return
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError:  # no memory or no process to spare: the work is done here
            os.close(read)
            os.close(write)
            return
        if pid == 0:  # the child
            os.close(read)
            _child(work, write)
        os.close(write)
        self._pid, self._pipe = pid, read

    def result(self) -> T:
        """The value of `work()`: the child's, or computed here if the child gave none."""
        if self._done is None:
            value = self._collect()
            self._done = value if value is not None else (self._work(),)
        return self._done[0]

    def _collect(self) -> tuple[T] | None:
        import pickle  # here: every command imports this module at start-up

        if not self._pid:
            return None
        chunks = []
        pipe_fd, self._pipe = self._pipe, -1  # closed by the file object, even if interrupted
        with os.fdopen(pipe_fd, "rb") as pipe:
            while chunk := pipe.read(1 << 20):
                chunks.append(chunk)
        self._reap()
        try:
            found = pickle.loads(b"".join(chunks)) if chunks else None
        except Exception:  # a child killed halfway: its answer is not one
            return None
        return found if isinstance(found, tuple) else None

    def close(self) -> None:
        """Stop the child if it still runs (this process gave up on its result)."""
        if self._pid and self._done is None:
            import signal

            os.kill(self._pid, signal.SIGKILL)
            if self._pipe >= 0:
                os.close(self._pipe)
                self._pipe = -1
            self._reap()

    def _reap(self) -> None:
        os.waitpid(self._pid, 0)
        self._pid = 0

    def __enter__(self) -> Forked[T]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _child(work: Callable[[], Any], write: int) -> NoReturn:
    import pickle

    status = 1
    try:
        data = pickle.dumps((work(),), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write, "wb") as pipe:
            pipe.write(data)
        status = 0
    except BaseException:  # any failure: the parent works it out itself
        pass
    finally:
        os._exit(status)
