"""Work handed to a forked child (`lineage.process.Forked`): its answer, or this process's."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from lineage import process


@pytest.fixture
def one_shot() -> Iterator[None]:
    process.one_shot(True)
    try:
        yield
    finally:
        process.one_shot(False)


def test_the_work_runs_in_a_child_and_its_answer_comes_back(one_shot: None) -> None:
    here = os.getpid()
    big = {f"record-{i}": i for i in range(200_000)}  # more than a pipe holds at once

    with process.Forked(lambda: (os.getpid(), big)) as child:
        pid, answer = child.result()

    assert pid != here
    assert answer == big


def test_a_failing_child_leaves_the_work_to_this_process(one_shot: None) -> None:
    here = os.getpid()

    def work() -> int:
        if os.getpid() != here:
            raise RuntimeError("the child fails")
        return 42

    assert process.Forked(work).result() == 42


def test_a_child_that_dies_leaves_the_work_to_this_process(one_shot: None) -> None:
    here = os.getpid()

    def work() -> int:
        if os.getpid() != here:
            os._exit(3)
        return 7

    assert process.Forked(work).result() == 7


def test_a_child_given_up_on_is_stopped_and_reaped(one_shot: None) -> None:
    child = process.Forked(lambda: os.pause())
    pid = child._pid
    assert pid

    child.close()

    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def test_a_process_that_goes_on_does_the_work_itself() -> None:
    here = os.getpid()
    process.one_shot(False)  # the default: a server, a notebook, the API
    assert not process.can_fork()

    assert process.Forked(os.getpid).result() == here


def test_a_fork_refused_leaves_the_work_to_this_process(
    one_shot: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_fork() -> int:
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(os, "fork", no_fork)
    here = os.getpid()

    assert process.Forked(os.getpid).result() == here


def test_a_wait_interrupted_while_reading_still_stops_the_child(
    one_shot: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    child = process.Forked(lambda: os.pause())
    pid = child._pid

    def interrupted(fd: int, mode: str) -> object:
        os.close(fd)  # as the file object does when the read is interrupted
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fdopen", interrupted)
    with pytest.raises(KeyboardInterrupt), child:
        child.result()

    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
