"""The garbage collector around large reads and writes (`collector_paused`).

A process that goes on (the server, a notebook, a service on the Python API) must
have what a paused block left behind collected as usual; only a process that ends
after its command (`lineage.process.ONE_SHOT`, set by the console entry point) may
move the survivors past the collector unwalked.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from lineage import process
from lineage.store.write import GC_PAUSE_ROWS, collector_paused


class Cycle:
    """An object that refers to itself: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def collector() -> Iterator[None]:
    """The collector enabled, nothing frozen, and ONE_SHOT restored afterwards."""
    was_enabled, was_one_shot = gc.isenabled(), process.ONE_SHOT
    if gc.get_freeze_count():
        pytest.skip("objects are frozen in this process")
    gc.enable()
    gc.collect()
    yield
    process.one_shot(was_one_shot)
    if not was_enabled:
        gc.disable()


def _garbage_cycle_left_by_a_paused_block() -> tuple[weakref.ref[Cycle], list[object]]:
    """A paused block (as a large read is) that leaves a garbage cycle and, alive,
    more objects than the youngest generation's threshold."""
    with collector_paused(GC_PAUSE_ROWS):
        kept: list[object] = [[] for _ in range(5 * gc.get_threshold()[0])]
        cycle = Cycle()
        ref = weakref.ref(cycle)
        del cycle
    return ref, kept


def _allocate() -> None:
    for _ in range(100):
        _ = [[]]


def test_a_process_that_goes_on_collects_what_a_paused_block_left(collector: None) -> None:
    process.one_shot(False)
    ref, kept = _garbage_cycle_left_by_a_paused_block()
    _allocate()  # ordinary work afterwards; no explicit gc.collect()
    assert ref() is None, "the paused block's garbage cycle was never collected"
    assert gc.get_freeze_count() == 0
    assert len(kept) > gc.get_threshold()[0]


def test_a_one_shot_process_moves_the_survivors_past_the_collector(collector: None) -> None:
    process.one_shot(True)
    ref, kept = _garbage_cycle_left_by_a_paused_block()
    _allocate()
    # Not walked: the cycle waits for a full collection (or the process's end).
    assert ref() is not None
    assert gc.get_freeze_count() == 0  # moved, not left frozen
    gc.collect()
    assert ref() is None
    assert len(kept) > gc.get_threshold()[0]


def test_the_server_declares_a_process_that_goes_on(collector: None, tmp_path) -> None:
    from lineage.server.app import create_app

    process.one_shot(True)
    create_app(str(tmp_path / "s.db"))
    assert process.ONE_SHOT is False
