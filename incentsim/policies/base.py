"""The policy interface: what a reward or management scheme is and may see.

A policy is a small object (parameters stored as given in ``__init__``, as in
scikit-learn) with two methods:

* :meth:`Policy.signals` - the standing signals agents feel between reviews
  (a handle-time target is felt on every call; a bonus scheme says which metric pays).
* :meth:`Policy.review` - called at the end of every review period with the
  *measured* KPIs only (never the truth layer); returns payouts, ranks,
  sanctions, coaching and what agents now believe is rewarded.

The engine never lets a policy reach truth: ``review`` gets a DataFrame with the
columns in :data:`MEASURED_COLUMNS` and nothing else.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import pandas as pd

#: Columns of the measured KPI frame a policy receives (one row per agent per period so far).
MEASURED_COLUMNS: tuple[str, ...] = (
    "agent",            # int id
    "period",           # review period index, 0-based
    "status",           # "active" | "quit" | "fired" (HR knows this)
    "tenure_days",      # working days employed at period end
    "calls",            # calls answered in the period
    "aht",              # mean handle time (minutes), measured exactly
    "qa",               # mean QA score of sampled calls (0..100), NaN if none sampled
    "qa_samples",       # calls QA scored
    "csat",             # share of survey responses rated 4 or 5, NaN if none
    "survey_responses", # surveys attributed to the agent
    "survey_positive",  # of which rated 4 or 5
    "transfer_rate",    # share of answered calls transferred
)

#: Metrics a policy may name (measured KPIs) and whether higher is better.
METRICS: dict[str, bool] = {"aht": False, "qa": True, "csat": True, "transfer_rate": False,
                            "calls": True}

Contingency = Literal["none", "engagement", "completion", "performance"]
Sanction = Literal["warning", "fire"]


@dataclass(frozen=True)
class Signals:
    """What agents perceive the policy rewards and threatens.

    Behaviour models read only this (and their own review outcome), so any
    policy, built in or user-written, drives motivation through the same few
    documented levers.

    Attributes:
        individual_metrics: Metrics on which an individual's pay, rank or sanctions depend.
        team_metrics: Metrics on which a team reward depends.
        contingency: Reward type in Deci, Koestner & Ryan's (1999) taxonomy
            (``performance`` pays for reaching a standard).
        individual_stakes: Money at stake per agent per period on individual metrics.
        team_stakes: Money at stake per agent per period on team metrics.
        ranking: Whether agents are compared and ranked against each other.
        threat: Severity of sanctions for low numbers, 0 (none) to 1 (firing).
        handle_time_target: Minutes per call an agent is held to, or ``None``.
        feedback: Informational (non-controlling) feedback, 0 to 1; team reviews
            of survey comments, coaching.
        process_improvement: Share of management time spent improving the process, 0 to 1.
    """

    individual_metrics: tuple[str, ...] = ()
    team_metrics: tuple[str, ...] = ()
    contingency: Contingency = "none"
    individual_stakes: float = 0.0
    team_stakes: float = 0.0
    ranking: bool = False
    threat: float = 0.0
    handle_time_target: float | None = None
    feedback: float = 0.0
    process_improvement: float = 0.0


@dataclass(frozen=True)
class Review:
    """The outcome of one review period.

    Attributes:
        payouts: Money per agent id this period (>= 0 unless the policy declares fines).
        ranks: Rank per agent id (1 = best), where the policy ranks.
        sanctions: ``warning`` or ``fire`` per agent id.
        coaching: Agent ids coached this period.
        signals: What agents now believe is rewarded (``None``: the standing signals).
    """

    payouts: Mapping[int, float] = field(default_factory=dict)
    ranks: Mapping[int, int] = field(default_factory=dict)
    sanctions: Mapping[int, Sanction] = field(default_factory=dict)
    coaching: frozenset[int] = frozenset()
    signals: Signals | None = None


class Policy:
    """Base class of reward and management schemes.

    Subclasses store their constructor arguments unchanged as attributes of the
    same name (so :meth:`get_params` and ``repr`` work) and implement
    :meth:`signals` and :meth:`review`. Subclasses are registered by class name
    for scenario files.

    Attributes:
        fines: Whether negative payouts (fines) are part of the scheme.
    """

    fines: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        from incentsim.policies.registry import register

        register(cls)

    def _validate(self) -> None:
        """Check the stored parameters; raise :class:`~incentsim.errors.InputError` if bad.

        Constructors only store (scikit-learn style), so a bad value is reported
        when the policy is first used or built from a scenario file, naming the
        parameter and what is allowed. The default accepts everything.
        """

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Policy:
        """Rebuild a policy from :meth:`get_params` (``cls(**params)`` by default)."""
        return cls(**params)

    def signals(self) -> Signals:
        """Standing signals in force from the first day."""
        return Signals()

    def review(self, measured: pd.DataFrame, period: int) -> Review:
        """Decide the outcome of review ``period`` from measured KPIs.

        Args:
            measured: Measured KPIs, columns :data:`MEASURED_COLUMNS`, all periods
                up to and including ``period``.
            period: The period being reviewed (0-based).
        """
        raise NotImplementedError

    def get_params(self) -> dict[str, Any]:
        """Constructor parameters as stored."""
        names = [
            p for p in inspect.signature(type(self).__init__).parameters
            if p not in ("self", "args", "kwargs")
        ]
        return {n: getattr(self, n) for n in names}

    def to_spec(self) -> dict[str, Any]:
        """A scenario-file spec (``type`` plus parameters) that rebuilds this policy.

        Tuples become lists and parameters left at ``None`` are dropped, so the
        spec is TOML-safe; :func:`~incentsim.policies.build_policy` of it gives an
        equal policy up to list/tuple.
        """
        return {"type": type(self).__name__,
                **{k: _plain(v) for k, v in self.get_params().items() if v is not None}}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.get_params() == other.get_params()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__name__, repr(self)))


def _plain(value: Any) -> Any:
    """A parameter value as plain TOML-safe data (nested policies become specs)."""
    if isinstance(value, Policy):
        return value.to_spec()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value
