"""The collector's thresholds are raised while replications run and restored after."""

from __future__ import annotations

import gc

import incentsim as isim
from incentsim.engine.collection import THRESHOLD, fewer_collections


def test_threshold_raised_inside_and_restored_after_nesting() -> None:
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        with fewer_collections():
            assert gc.get_threshold() == (THRESHOLD, 10, 10)
            with fewer_collections():
                assert gc.get_threshold() == (THRESHOLD, 10, 10)
            assert gc.get_threshold() == (THRESHOLD, 10, 10)
        assert gc.get_threshold() == (700, 10, 10)
    finally:
        gc.set_threshold(*before)


def test_collection_switched_off_stays_off_and_simulate_restores() -> None:
    before = gc.get_threshold()
    try:
        gc.set_threshold(0, 10, 10)
        with fewer_collections():
            assert gc.get_threshold()[0] == 0
        gc.set_threshold(123, 4, 5)
        isim.simulate(isim.Scenario.erlang(2, 20, 5, hours=2), seed=1)
        assert gc.get_threshold() == (123, 4, 5)
    finally:
        gc.set_threshold(*before)
