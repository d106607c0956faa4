"""Replications until decided: how many common-random-number replications a comparison needs.

A manager wants the answer, not a fixed number of replications. In precision
mode :func:`~incentsim.experiment.compare.compare` runs replications in rounds
and, after each round, judges every paired difference against the baseline on
the headline outcomes (:data:`~incentsim.report.key_outcomes.KEY_OUTCOMES`),
per scenario or sweep point and per policy, with the Student-t interval of the
paired differences (:func:`incentsim.stats.comparison.paired_difference`):

* **detectable**: the interval excludes zero;
* **within threshold**: the whole interval lies within the outcome's practical
  threshold either side of zero (:mod:`incentsim.report.practical`; the report
  then reads "no detectable difference (at most small)");
* **open**: neither yet.

The run stops at the first checkpoint where no difference is open (*decided*), or
at the cap (*cap reached*, naming what is still open). It never stops before the
minimum. Checkpoints follow a fixed schedule (:meth:`Precision.checkpoints`) that
depends only on the settings, never on the executor or how many workers it has,
and replication ``r`` of every policy always uses the same random streams; so
the stopping point and every result are the same on any executor. This is the
sequential procedure of Law, *Simulation Modeling and Analysis* (5th ed.,
section 9.4.1), applied to paired differences; as with any sequential rule, an
interval read at the stopping point covers slightly less often than its nominal
95% (a larger ``minimum`` reduces the effect).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from incentsim.errors import Problem

#: Judgement of one paired difference.
DETECTABLE = "detectable"
WITHIN = "within threshold"
OPEN = "open"
#: Why a precision run stopped.
DECIDED = "decided"
CAP = "cap reached"


@dataclass(frozen=True)
class Precision:
    """Settings of the precision mode (``compare(..., precision=Precision(...))``).

    Attributes:
        minimum: Replications always run before the rule is read (at least 2; a t
            interval needs two). Default 5 (assumption: fewer gives intervals whose
            width is itself too uncertain to stop on; plausible 3-10).
        maximum: The cap: never more replications than this. Default 30, the
            fixed default, so running until decided never takes more runs than it.
        step: Replications added per round; ``None`` adds a fifth of those done
            (at least one), so checkpoints run 5, 6, 7, 8, 9, 10, 12, 14, 16, 19, ...
            A cluster with many workers runs faster with a larger step.
        outcomes: Outcomes the rule reads; ``None`` is the headline outcomes
            (:data:`~incentsim.report.key_outcomes.KEY_OUTCOMES`) the results hold.
        confidence: Confidence level of the intervals.
        thresholds: Outcome -> practical threshold in the outcome's stored unit,
            replacing :func:`incentsim.report.practical.threshold` for the rule
            (e.g. ``{"true_csat": 0.01}`` for one point of satisfaction).
    """

    minimum: int = 5
    maximum: int = 30
    step: int | None = None
    outcomes: tuple[str, ...] | None = None
    confidence: float = 0.95
    thresholds: Mapping[str, float] | None = None

    def problems(self) -> list[Problem]:
        """Every bad setting, each named (empty when the settings are valid)."""
        out = []
        if not _is_count(self.minimum, 2):
            out.append(Problem("precision.minimum", f"must be an integer >= 2 (got {self.minimum!r})"))
        if not _is_count(self.maximum, 2):
            out.append(Problem("precision.maximum", f"must be an integer >= 2 (got {self.maximum!r})"))
        elif _is_count(self.minimum, 2) and self.maximum < self.minimum:
            out.append(Problem("precision.maximum", f"must be at least the minimum, {self.minimum} "
                               f"(got {self.maximum})"))
        if self.step is not None and not _is_count(self.step, 1):
            out.append(Problem("precision.step", f"must be an integer >= 1 or None (got {self.step!r})"))
        if self.outcomes is not None and (isinstance(self.outcomes, str) or not self.outcomes):
            out.append(Problem("precision.outcomes", "must be a non-empty list of outcome names or None"))
        if not isinstance(self.confidence, float | int) or not 0.0 < float(self.confidence) < 1.0:
            out.append(Problem("precision.confidence", f"must be strictly between 0 and 1 "
                               f"(got {self.confidence!r})"))
        for outcome, limit in (self.thresholds or {}).items():
            if not isinstance(limit, float | int) or isinstance(limit, bool) or not limit > 0 \
                    or not math.isfinite(limit):
                out.append(Problem(f"precision.thresholds.{outcome}", f"must be a finite number > 0 "
                                   f"(got {limit!r})"))
        return out

    def limit(self, outcome: str, baseline_mean: float, other_mean: float) -> float:
        """The practical threshold the rule uses for an outcome (NaN when unknown)."""
        from incentsim.report import practical

        if self.thresholds is not None and outcome in self.thresholds:
            return float(self.thresholds[outcome])
        return practical.threshold(outcome, baseline_mean, other_mean)

    def checkpoints(self) -> list[int]:
        """Replication counts at which the rule is read: from the minimum to the cap."""
        points = [self.minimum]
        while points[-1] < self.maximum:
            n = points[-1]
            grow = self.step if self.step is not None else max(1, n // 5)
            points.append(min(self.maximum, n + grow))
        return points

    def record(self) -> dict[str, Any]:
        """The settings as JSON-safe data, for the manifest."""
        return {"minimum": self.minimum, "maximum": self.maximum, "step": self.step,
                "outcomes": None if self.outcomes is None else list(self.outcomes),
                "confidence": float(self.confidence),
                "thresholds": None if self.thresholds is None else {str(k): float(v) for k, v in
                                                                     self.thresholds.items()}}


def as_precision(value: Any) -> Precision | None:
    """``None``/``False`` -> off, ``True`` -> default :class:`Precision`, a Precision -> itself."""
    if value is None or value is False:
        return None
    if value is True:
        return Precision()
    if isinstance(value, Precision):
        return value
    if isinstance(value, Mapping):
        settings: dict[str, Any] = dict(value)
        if settings.get("outcomes") is not None:
            settings["outcomes"] = tuple(settings["outcomes"])
        return Precision(**settings)
    raise TypeError(f"precision must be True, False, None or a Precision (got {type(value).__name__})")


# ---------------------------------------------------------------- the rule on one difference
def judge(differences: Sequence[float] | np.ndarray, limit: float, confidence: float = 0.95) -> str:
    """Judge one paired difference from its per-replication values.

    Args:
        differences: Policy minus baseline, one value per replication (no NaN).
        limit: The outcome's practical threshold (NaN when unknown: then only a
            detectable or an exactly zero difference is decided).
        confidence: Confidence level of the t interval.

    Returns:
        :data:`DETECTABLE`, :data:`WITHIN` or :data:`OPEN` (always open with fewer
        than two values).
    """
    from incentsim.stats.comparison import mean_ci

    values = np.asarray(differences, dtype=float)
    if values.size < 2:
        return OPEN
    ci = mean_ci(values, confidence)
    return _state(float(ci.low), float(ci.high), limit)


def _state(low: float, high: float, limit: float) -> str:
    """The rule on an interval of two or more differences (see :func:`judge`)."""
    if low > 0 or high < 0:
        return DETECTABLE
    if (-limit < low and high < limit) or (low == 0.0 and high == 0.0):
        return WITHIN
    return OPEN


@dataclass(frozen=True)
class Judged:
    """One paired difference as the rule reads it.

    Attributes:
        point: Scenario or sweep point index.
        policy: The policy compared with the baseline.
        outcome: The outcome.
        n: Replications it is read over.
        diff: Mean difference (policy minus baseline).
        low: Lower bound of its interval.
        high: Upper bound of its interval.
        threshold: The outcome's practical threshold (NaN when unknown).
        state: :data:`DETECTABLE`, :data:`WITHIN` or :data:`OPEN`.
    """

    point: int
    policy: str
    outcome: str
    n: int
    diff: float
    low: float
    high: float
    threshold: float
    state: str


def assess(summaries: pd.DataFrame, policies: Sequence[str], baseline: str, n: int,
           precision: Precision | None = None) -> list[Judged]:
    """Judge every paired difference against the baseline over replications ``0 .. n-1``.

    Args:
        summaries: Result rows with ``point``, ``policy``, ``replication`` and outcome columns.
        policies: Policies in table order.
        baseline: The policy differences are taken against.
        n: Read only replications below ``n`` (the checkpoint).
        precision: Outcomes, thresholds and confidence (default :class:`Precision()`).

    Returns:
        One :class:`Judged` per point, non-baseline policy and outcome that was
        measured (an outcome missing on either side in every replication is left out).
    """
    from incentsim.report.key_outcomes import KEY_OUTCOMES, with_derived
    from incentsim.stats.comparison import mean_ci

    rule = Precision() if precision is None else precision
    confidence = float(rule.confidence)
    part = with_derived(summaries[summaries["replication"] < n])
    chosen = [o for o in (KEY_OUTCOMES if rule.outcomes is None else rule.outcomes) if o in part.columns]
    out = []
    for point, rows in part.groupby("point", sort=True):
        by_policy = {str(name): frame.set_index("replication")
                     for name, frame in rows.groupby(rows["policy"].astype(str), sort=False)}
        base = by_policy.get(baseline)
        if base is None:
            continue
        for policy in policies:
            if policy == baseline or policy not in by_policy:
                continue
            for outcome in chosen:
                pairs = pd.concat([pd.to_numeric(by_policy[policy][outcome], errors="coerce"),
                                   pd.to_numeric(base[outcome], errors="coerce")],
                                  axis=1, join="inner").dropna()
                if pairs.empty:
                    continue
                values = (pairs.iloc[:, 0] - pairs.iloc[:, 1]).to_numpy()
                limit = rule.limit(outcome, float(pairs.iloc[:, 1].mean()), float(pairs.iloc[:, 0].mean()))
                ci = mean_ci(values, confidence)  # read once: the state and the bounds come from it
                low, high = float(ci.low), float(ci.high)
                state = _state(low, high, limit) if values.size >= 2 else OPEN
                out.append(Judged(int(point), policy, outcome, int(values.size), float(values.mean()),
                                  low, high, float(limit), state))
    return out


# ---------------------------------------------------------------- the record of a stop
@dataclass
class Stop:
    """Where and why a precision run stopped.

    Attributes:
        replications: Replications per policy the results hold.
        reason: :data:`DECIDED` or :data:`CAP`.
        judged: The rule's reading of every difference at the stop.
        checkpoints: Replication counts at which the rule was read.
    """

    replications: int
    reason: str
    judged: list[Judged] = field(default_factory=list)
    checkpoints: list[int] = field(default_factory=list)

    def record(self) -> dict[str, Any]:
        """JSON-safe summary for the manifest: counts per outcome, and what is still open."""
        outcomes: dict[str, dict[str, int]] = {}
        for j in self.judged:
            counts = outcomes.setdefault(j.outcome, {DETECTABLE: 0, WITHIN: 0, OPEN: 0})
            counts[j.state] += 1
        return {"replications": self.replications, "reason": self.reason,
                "checkpoints": list(self.checkpoints), "outcomes": outcomes,
                "open": [{"point": j.point, "policy": j.policy, "outcome": j.outcome,
                          "diff": _safe(j.diff), "low": _safe(j.low), "high": _safe(j.high),
                          "threshold": _safe(j.threshold)} for j in self.judged if j.state == OPEN]}


def decided(judged: Sequence[Judged]) -> bool:
    """Whether no difference is open."""
    return all(j.state != OPEN for j in judged)


def stopping_point(summaries: pd.DataFrame, policies: Sequence[str], baseline: str,
                   precision: Precision) -> Stop:
    """Where the rule stops on results already in hand (replications ``0 ..`` present).

    Reads the rule at each checkpoint the results cover completely and returns the
    first that is decided, else the cap (when covered) or ``reason=""`` at the last
    covered checkpoint (more replications are needed).
    """
    have = complete_replications(summaries, policies)
    points = precision.checkpoints()
    last: Stop | None = None
    for i, n in enumerate(points):
        if n > have:
            break
        judged = assess(summaries, policies, baseline, n, precision)
        seen = points[:i + 1]
        if decided(judged):
            return Stop(n, DECIDED, judged, seen)
        last = Stop(n, CAP if n >= precision.maximum else "", judged, seen)
    return last if last is not None else Stop(0, "", [], [])


def next_target(stop: Stop, precision: Precision) -> int:
    """Replications to have after the next round (the next checkpoint after ``stop``)."""
    for n in precision.checkpoints():
        if n > stop.replications:
            return n
    return precision.maximum


def complete_replications(summaries: pd.DataFrame, policies: Sequence[str]) -> int:
    """Largest ``n`` such that replications ``0 .. n-1`` are present for every policy and point."""
    if summaries.empty:
        return 0
    seen = set(zip(summaries["point"].astype(int), summaries["policy"].astype(str),
                   summaries["replication"].astype(int), strict=True))
    points = sorted(set(summaries["point"].astype(int)))
    n = 0
    while all((p, name, n) in seen for p in points for name in policies):
        n += 1
    return n


# ---------------------------------------------------------------- words
def stop_text(manifest: Mapping[str, Any]) -> str:
    """One or two sentences on how many replications a precision run took and why it stopped ('' if fixed)."""
    from incentsim.report.units import label

    info = manifest.get("precision")
    if not isinstance(info, Mapping):
        return ""
    stop = info.get("stop")
    settings = info.get("settings", {})
    if not isinstance(stop, Mapping) or not stop.get("reason"):
        return (f"Precision mode (at least {settings.get('minimum')}, at most {settings.get('maximum')} "
                "replications) had not decided when the run was interrupted; resume it to continue.")
    n = stop.get("replications")
    counts: Mapping[str, Mapping[str, int]] = stop.get("outcomes", {})
    detectable = sum(c.get(DETECTABLE, 0) for c in counts.values())
    within = sum(c.get(WITHIN, 0) for c in counts.values())
    opened = sum(c.get(OPEN, 0) for c in counts.values())
    parts = f"{detectable} detectable, {within} within the practical threshold"
    if stop["reason"] == DECIDED:
        return (f"Precision mode: stopped after {n} replications because every paired difference on the "
                f"headline outcomes was decided ({parts}).")
    names = sorted({label(str(o["outcome"])) for o in stop.get("open", [])})
    return (f"Precision mode: stopped at the cap of {n} replications with {opened} difference(s) still "
            f"undecided ({', '.join(names)}); {parts}. Raise the cap (--max-replications) to settle them.")


def _is_count(value: Any, minimum: int) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool) and int(value) >= minimum


def _safe(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


__all__ = ["CAP", "DECIDED", "DETECTABLE", "OPEN", "WITHIN", "Judged", "Precision", "Stop", "as_precision",
           "assess", "complete_replications", "decided", "judge", "next_target", "stop_text",
           "stopping_point"]
