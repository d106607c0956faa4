"""``check_policy``: the conformance suite any policy, built in or user-written, can run.

Modelled on scikit-learn's ``check_estimator``: a third-party policy proves it
follows the contract of :class:`~incentsim.policies.Policy` by passing it. The
suite reviews synthetic measured frames (:func:`synthetic_measured`) period by
period and checks that the policy

* is deterministic: the same input gives the same review, on the same instance,
  on a rebuilt instance and with the frame's rows shuffled;
* reads only measured data: the frame it gets raises if any column outside
  :data:`~incentsim.policies.MEASURED_COLUMNS` is asked for, and must come back unchanged;
* returns well-formed outcomes: payouts finite and keyed by agents active in
  the period, non-negative unless the policy declares ``fines``; ranks ``1..n``
  and unique; sanctions ``warning`` or ``fire``; coaching of active agents;
  ``process_improvement`` a share within 0..1;
* round-trips its parameters (``from_params(get_params())`` is equal) and has a ``repr``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any

import numpy as np
import pandas as pd

from incentsim.policies.base import MEASURED_COLUMNS, Policy, Review
from incentsim.policies.synthetic import synthetic_measured


class PolicyConformanceError(AssertionError):
    """A policy broke the policy contract; the message lists every violation found."""


@dataclass(frozen=True)
class ConformanceReport:
    """What :func:`check_policy` checked on a policy that passed.

    Attributes:
        policy: The policy's ``repr``.
        frames: Synthetic measured frames reviewed.
        reviews: Calls to ``review`` made.
        checks: Names of the checks passed.
    """

    policy: str
    frames: int
    reviews: int
    checks: tuple[str, ...]

    def __str__(self) -> str:
        return (f"{self.policy} passed {len(self.checks)} checks over {self.frames} frames "
                f"and {self.reviews} reviews: {', '.join(self.checks)}")


CHECKS: tuple[str, ...] = ("parameters round trip", "repr",
                           "reads only measured columns", "does not modify its input",
                           "deterministic", "independent of row order", "well-formed payouts",
                           "well-formed ranks", "well-formed sanctions", "well-formed coaching",
                           "well-formed process time")


def _guarded_class(violations: list[str]) -> type[pd.DataFrame]:
    """A DataFrame subclass that records and refuses any lookup of a non-measured column."""
    allowed = frozenset(MEASURED_COLUMNS)

    def refuse(key: Any) -> None:
        keys = key if isinstance(key, list | tuple | pd.Index) else [key]
        for k in keys:
            if isinstance(k, str) and k not in allowed:
                message = f"asked the measured frame for column {k!r}, which is not measured data"
                violations.append(message)
                raise PolicyConformanceError(message)

    class MeasuredOnlyFrame(pd.DataFrame):
        @property
        def _constructor(self) -> type[pd.DataFrame]:
            return MeasuredOnlyFrame

        def __getitem__(self, key: Any) -> Any:
            refuse(key)
            return super().__getitem__(key)

        def get(self, key: Any, default: Any = None) -> Any:
            refuse(key)
            return super().get(key, default)

        def __contains__(self, key: Any) -> bool:
            refuse(key)
            return super().__contains__(key)

        def __getattr__(self, name: str) -> Any:
            if not name.startswith("_") and name not in allowed:
                refuse(name)
            return super().__getattr__(name)

    return MeasuredOnlyFrame


def _frames(seed: int) -> list[pd.DataFrame]:
    rng = np.random.default_rng(seed)
    return [
        synthetic_measured(rng, agents=12, periods=5),
        synthetic_measured(rng, agents=1, periods=2),
        synthetic_measured(rng, agents=5, periods=3, response_rate=0.01, qa_samples=0,
                           calls_per_period=15.0),
    ]


def _review_problems(review: Any, active: set[int], fines: bool, where: str) -> list[str]:
    if not isinstance(review, Review):
        return [f"{where}: review() must return a Review, got {type(review).__name__}"]
    out = []
    for name in ("payouts", "ranks", "sanctions"):
        if not isinstance(getattr(review, name), Mapping):
            out.append(f"{where}: {name} must be a mapping of agent id to value")
    if out:
        return out
    for agent, money in review.payouts.items():
        if agent not in active:
            out.append(f"{where}: payout to agent {agent!r}, who is not an active agent this period")
        if isinstance(money, bool) or not isinstance(money, Real) or not math.isfinite(money):
            out.append(f"{where}: payout to agent {agent!r} must be a finite number, got {money!r}")
        elif money < 0 and not fines:
            out.append(f"{where}: negative payout {money!r} to agent {agent!r}, but the policy "
                       f"does not declare fines (set the class attribute fines = True)")
    ranks = review.ranks
    if any(agent not in active for agent in ranks):
        out.append(f"{where}: ranks given to agents who are not active this period: "
                   f"{sorted(set(ranks) - active)}")
    values = list(ranks.values())
    if any(isinstance(r, bool) or not isinstance(r, Integral) for r in values) or \
            sorted(values) != list(range(1, len(values) + 1)):
        out.append(f"{where}: ranks must be the integers 1..n, each once, got {sorted(values)!r}")
    for agent, sanction in review.sanctions.items():
        if agent not in active:
            out.append(f"{where}: sanction for agent {agent!r}, who is not active this period")
        if sanction not in ("warning", "fire"):
            out.append(f"{where}: sanction {sanction!r} for agent {agent!r}; "
                       f"allowed: 'warning', 'fire'")
    coaching = review.coaching
    if not isinstance(coaching, set | frozenset):
        out.append(f"{where}: coaching must be a set of agent ids, got {type(coaching).__name__}")
    elif coaching - active:
        out.append(f"{where}: coaching of agents not active this period: {sorted(coaching - active)}")
    process = review.process_improvement
    if isinstance(process, bool) or not isinstance(process, Real) or not 0 <= process <= 1:
        out.append(f"{where}: process_improvement must be a share within 0..1, got {process!r}")
    return out


def _same(a: Review, b: Review) -> bool:
    return (dict(a.payouts) == dict(b.payouts) and dict(a.ranks) == dict(b.ranks)
            and dict(a.sanctions) == dict(b.sanctions) and set(a.coaching) == set(b.coaching)
            and a.process_improvement == b.process_improvement)


_WHERE = re.compile(r"^(frame \d+, period \d+): (.*)$", re.DOTALL)
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[+-]?\d+)?")


def distinct_problems(problems: list[str]) -> list[str]:
    """Each distinct problem once, with how often and where it first happened.

    Problems found at several reviews (``"frame 0, period 3: ..."``) that differ
    only in their numbers (agent ids, amounts, periods) are one problem: it is
    shown once, as first found, with its count.
    """
    groups: dict[str, list[tuple[str, str]]] = {}
    for text in problems:
        match = _WHERE.match(text)
        where, message = (match.group(1), match.group(2)) if match else ("", text)
        groups.setdefault(_NUMBER.sub("#", message), []).append((where, message))
    out = []
    for found in groups.values():
        where, message = found[0]
        if len(found) == 1:
            out.append(f"{where}: {message}" if where else message)
        else:
            out.append(f"{message} ({len(found)} times; first at {where or 'the first check'})")
    return out


def _fail(policy: Policy, problems: list[str]) -> PolicyConformanceError:
    shown = distinct_problems(problems)
    try:
        name = repr(policy)
    except Exception:  # noqa: BLE001  (a broken get_params breaks repr too)
        name = f"{type(policy).__name__} (repr failed)"
    more = f"\n  ... and {len(shown) - 10} more" if len(shown) > 10 else ""
    return PolicyConformanceError(
        f"{name} does not conform to the policy contract "
        f"({len(shown)} distinct problem(s)):\n  - " + "\n  - ".join(shown[:10]) + more)


def check_policy(policy: Policy, *, seed: int = 0) -> ConformanceReport:
    """Check that a policy follows the policy contract.

    Args:
        policy: The policy to check (it is used, not modified).
        seed: Seed of the synthetic measured frames.

    Returns:
        A report of what was checked.

    Raises:
        PolicyConformanceError: An ``AssertionError`` listing every violation found.

    Example:
        >>> from incentsim.policies import IndividualBonus, check_policy
        >>> report = check_policy(IndividualBonus(metric="csat", threshold=0.95, amount=100))
        >>> report.frames
        3
    """
    problems: list[str] = []
    try:
        params = policy.get_params()
        rebuilt = type(policy).from_params(params)
        if rebuilt != policy:
            problems.append(f"parameters do not round trip: {type(policy).__name__}"
                            f".from_params({params!r}) != the policy (store every constructor "
                            "argument unchanged under its own name)")
    except Exception as exc:  # noqa: BLE001  (any failure here is a contract violation)
        raise _fail(policy, [f"get_params()/from_params() failed: {exc!r}"]) from exc
    text = repr(policy)
    if not isinstance(text, str) or not text.startswith(type(policy).__name__):
        problems.append(f"repr should start with the class name, got {text!r}")
    if problems:
        raise _fail(policy, problems)

    violations: list[str] = []
    guarded = _guarded_class(violations)
    fines = bool(getattr(policy, "fines", False))
    frames = _frames(seed)
    reviews = 0
    for f, frame in enumerate(frames):
        shuffled = frame.sample(frac=1.0, random_state=seed + f)
        for period in sorted(frame["period"].unique()):
            where = f"frame {f}, period {period}"
            so_far = frame[frame["period"] <= period].reset_index(drop=True)
            active = {int(a) for a in so_far.loc[(so_far["period"] == period)
                                                 & (so_far["status"] == "active"), "agent"]}
            given = guarded(so_far.copy())
            try:
                first = policy.review(given, int(period))
                again = policy.review(guarded(so_far.copy()), int(period))
                other = rebuilt.review(guarded(so_far.copy()), int(period))
                mixed = rebuilt.review(guarded(shuffled[shuffled["period"] <= period].copy()),
                                       int(period))
            except PolicyConformanceError:
                problems.append(f"{where}: {violations[-1]}")
                continue
            except Exception as exc:  # noqa: BLE001
                problems.append(f"{where}: review() raised {exc!r}")
                continue
            reviews += 4
            if violations:
                problems.append(f"{where}: {violations[-1]} (the error was caught inside review)")
                violations.clear()
            if not pd.DataFrame(given).equals(so_far):
                problems.append(f"{where}: review() modified the measured frame it was given")
            problems += _review_problems(first, active, fines, where)
            if not _same(first, again):
                problems.append(f"{where}: not deterministic (the same input gave different "
                                "reviews; use no hidden state or unseeded randomness)")
            elif not _same(first, other):
                problems.append(f"{where}: a policy rebuilt from get_params() reviews "
                                "differently (store every constructor argument unchanged under "
                                "its own name, keep no other state)")
            elif not _same(first, mixed):
                problems.append(f"{where}: the review depends on the order of the frame's rows")
    if problems:
        raise _fail(policy, problems)
    return ConformanceReport(policy=text, frames=len(frames), reviews=reviews, checks=CHECKS)


__all__ = ["CHECKS", "ConformanceReport", "PolicyConformanceError", "check_policy"]
