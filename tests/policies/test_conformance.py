"""check_policy: every built-in passes; deliberately broken policies are caught."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from strategies_policies import BUILT_INS

from incentsim.policies import (
    Policy,
    PolicyConformanceError,
    Review,
    check_policy,
    synthetic_measured,
)


@pytest.mark.parametrize("policy", BUILT_INS, ids=repr)
def test_built_ins_conform(policy: Policy) -> None:
    report = check_policy(policy, seed=3)
    assert report.frames == 3 and report.reviews > 0 and "deterministic" in report.checks


def _active(measured: pd.DataFrame, period: int) -> list[int]:
    rows = measured[(measured["period"] == period) & (measured["status"] == "active")]
    return [int(a) for a in rows["agent"]]


class Lottery(Policy):
    """Unseeded randomness: nondeterministic."""

    def __init__(self) -> None:
        pass

    def review(self, measured: pd.DataFrame, period: int) -> Review:
        winner = int(np.random.default_rng().choice(_active(measured, period)))
        return Review(payouts={winner: 100.0})


class PeeksAtTruth(Policy):
    """Reads a truth column, and hides the failed lookup."""

    def __init__(self) -> None:
        pass

    def review(self, measured: pd.DataFrame, period: int) -> Review:
        try:
            measured["true_csat"]
        except Exception:  # noqa: BLE001
            pass
        return Review()


class Fines(Policy):
    """Negative payouts without declaring fines."""

    def __init__(self, amount: float = -10.0) -> None:
        self.amount = amount

    def review(self, measured: pd.DataFrame, period: int) -> Review:
        return Review(payouts={a: self.amount for a in _active(measured, period)})


class DeclaredFines(Fines):
    """The same, declared: allowed."""

    fines = True


class Sacks(Policy):
    """A sanction string outside the contract."""

    def __init__(self) -> None:
        pass

    def review(self, measured: pd.DataFrame, period: int) -> Review:
        return Review(sanctions={a: "sack" for a in _active(measured, period)[:1]})  # type: ignore[misc]


class Mutates(Policy):
    """Modifies the measured frame it is given."""

    def __init__(self) -> None:
        pass

    def review(self, measured: pd.DataFrame, period: int) -> Review:
        measured.loc[:, "aht"] = 0.0
        return Review()


class Remembers(Policy):
    """Hidden state across calls: nondeterministic."""

    def __init__(self) -> None:
        self.calls = 0  # not a constructor parameter: hidden state

    def review(self, measured: pd.DataFrame, period: int) -> Review:
        self.calls += 1
        return Review(payouts={_active(measured, period)[0]: float(self.calls)})


class Renames(Policy):
    """Stores a parameter under another name."""

    def __init__(self, amount: float = 5.0) -> None:
        self.money = amount

    def review(self, measured: pd.DataFrame, period: int) -> Review:
        return Review()


class Misreports(Policy):
    """get_params reports a value that is not the one used."""

    def __init__(self, amount: float = 5.0) -> None:
        self.amount = 1.0
        self.used = amount

    def review(self, measured: pd.DataFrame, period: int) -> Review:
        return Review(payouts={_active(measured, period)[0]: self.used})


class BadRanks(Policy):
    """Ranks that skip a place and include a leaver."""

    def __init__(self) -> None:
        pass

    def review(self, measured: pd.DataFrame, period: int) -> Review:
        return Review(ranks={a: 2 * i + 1 for i, a in enumerate(measured["agent"].unique())})


@pytest.mark.parametrize("policy,message", [
    (Lottery(), "not deterministic"),
    (PeeksAtTruth(), "'true_csat'"),
    (Fines(), "negative payout"),
    (Sacks(), "'sack'.*allowed: 'warning', 'fire'"),
    (Mutates(), "modified the measured frame"),
    (Remembers(), "not deterministic"),
    (Renames(amount=5.0), "get_params"),
    (Misreports(amount=5.0), "rebuilt from get_params"),
    (BadRanks(), "ranks"),
])
def test_broken_policies_are_caught(policy: Policy, message: str) -> None:
    with pytest.raises(PolicyConformanceError, match=message):
        check_policy(policy)
    assert issubclass(PolicyConformanceError, AssertionError)


def test_declared_fines_pass() -> None:
    assert check_policy(DeclaredFines()).reviews > 0


def test_synthetic_frames_have_the_awkward_cases() -> None:
    frame = synthetic_measured(seed=0)
    assert {"quit", "fired"} <= set(frame["status"])
    assert frame["csat"].isna().any() or frame["qa"].isna().any()
    late = frame.groupby("agent")["period"].min()
    assert (late > 0).any()  # a replacement arrives late
    left = frame[frame["status"] != "active"]
    for agent, period in zip(left["agent"], left["period"], strict=True):
        assert frame[(frame.agent == agent) & (frame.period > period)].empty
    assert synthetic_measured(seed=0).equals(frame)
