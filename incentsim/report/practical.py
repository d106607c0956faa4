"""Difference words: *detectable* (the data tell the policies apart) is not *large* (it matters).

A paired difference is **detectable** when its 95% interval excludes zero. That
says nothing about size: with many replications a difference of a cent per call
is detectable. It is **large** when it is detectable and its estimate reaches the
outcome's *practical threshold* below, the smallest change a manager would act
on; a detectable difference under the threshold is **small**. When the interval
spans zero the words are "no detectable difference", and, if the whole interval
lies within the threshold, "at most small": the policies are equivalent for
practical purposes.

The thresholds are assumptions (house rules, no source), each with a plausible
range a reader may prefer: 2 percentage points of satisfaction or resolution
(1-5), 5 points of service level or of callers who wait (2-10), 1 point of
abandonment, repeat calls and each kind of gaming (0.5-2), half a point of
customer churn (0.2-1), a quarter of a minute of mean wait (0.1-1), 0.05 on a 0-1
motivation or stress index (0.02-0.1), one person who quits or is fired over the
run (1-3), and relative ones for money and volume: 2% of the baseline's cost per
resolved call (1-5%), 5% of the larger bonus bill (2-10%), 1% of calls offered.
Outcomes not listed use 5% of the baseline's mean.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from incentsim.report import units

#: Outcome -> (threshold, True if relative to the baseline's mean else in the outcome's stored unit).
THRESHOLDS: dict[str, tuple[float, bool]] = {
    "true_csat": (0.02, False), "measured_csat": (0.02, False), "csat_gap": (0.02, False),
    "fcr": (0.02, False), "service_level": (0.05, False), "p_wait": (0.05, False),
    "abandon_rate": (0.01, False), "repeat_rate": (0.01, False), "churn_rate": (0.005, False),
    "beg_rate": (0.01, False), "dump_rate": (0.01, False), "rush_rate": (0.01, False),
    "gaming_rate": (0.01, False), "mean_wait": (0.25, False),
    "mean_intrinsic_motivation": (0.05, False), "mean_stress": (0.05, False),
    "quits": (1.0, False), "fired": (1.0, False),
    "cost_per_resolved_call": (0.02, True), "bonus_paid": (0.05, True), "management_cost": (0.05, True),
    "calls": (0.01, True),
}
#: Relative threshold of an outcome not in :data:`THRESHOLDS`.
DEFAULT_RELATIVE = 0.05

#: The rule in one sentence, for reports and the terminal.
RULE = ("A difference is detectable when its 95% interval excludes zero, and large when it is detectable "
        "and at least the outcome's practical threshold (2 points of satisfaction, 5 of service level, "
        "1 of gaming, 0.25 minutes of wait, 2% of cost per resolved call, ...); detectable but under "
        "the threshold is small.")


def threshold(outcome: str, baseline_mean: float | None = None, other_mean: float | None = None) -> float:
    """The practical threshold of an outcome in its stored unit (NaN if a relative one has no base)."""
    value, relative = THRESHOLDS.get(outcome, (DEFAULT_RELATIVE, True))
    if not relative:
        return value
    known = [abs(m) for m in (baseline_mean, other_mean) if m is not None and not math.isnan(m)]
    if outcome in ("bonus_paid", "management_cost"):  # a flat baseline pays none: use the larger bill
        base = max(known, default=math.nan)
    else:
        base = abs(baseline_mean) if baseline_mean is not None and not math.isnan(baseline_mean) else math.nan
    return value * base if base > 0 else math.nan


def threshold_text(outcome: str, baseline_mean: float | None = None, ctx: units.Context | None = None) -> str:
    """The threshold as a reader sees it: ``"2.0 points"``, ``"0.25 minutes"``, ``"$0.14"``."""
    limit = threshold(outcome, baseline_mean)
    return "-" if math.isnan(limit) else units.show_difference(outcome, limit, ctx)


@dataclass(frozen=True)
class Size:
    """How a paired difference reads.

    Attributes:
        detectable: The interval excludes zero.
        large: Detectable and at least the threshold.
        word: ``"large"``, ``"small"``, ``"none detected"``, ``"at most small"`` or ``"too few replications"``.
    """

    detectable: bool
    large: bool
    word: str


def size(outcome: str, diff: float, low: float, high: float, baseline_mean: float | None = None,
         other_mean: float | None = None) -> Size:
    """Classify a paired difference (policy minus baseline) with its interval."""
    if any(math.isnan(v) for v in (diff, low, high)):
        return Size(False, False, "too few replications")
    limit = threshold(outcome, baseline_mean, other_mean)
    known = not math.isnan(limit)
    if low > 0 or high < 0:
        large = (not known) or abs(diff) >= limit
        return Size(True, large, "large" if large else "small")
    if known and -limit < low and high < limit:
        return Size(False, False, "at most small")
    return Size(False, False, "none detected")


def phrase(outcome: str, diff: float, low: float, high: float, baseline_mean: float | None = None,
           other_mean: float | None = None) -> str:
    """Words for a difference: ``"higher (worse), large"``, ``"lower, small"``, ``"no detectable difference"``."""
    judged = size(outcome, diff, low, high, baseline_mean, other_mean)
    if not judged.detectable:
        if judged.word == "too few replications":
            return "too few replications to tell"
        return "no detectable difference" + (" (at most small)" if judged.word == "at most small" else "")
    direction = "higher" if diff > 0 else "lower"
    better = units.higher_is_better(outcome)
    judgement = "" if better is None else (" (better)" if (diff > 0) == better else " (worse)")
    return f"{direction}{judgement}, {judged.word}"


def judgement(outcome: str, diff: float, low: float, high: float) -> str:
    """``"better"``, ``"worse"`` or ``""``: only for a detectable difference on an outcome with a direction."""
    if any(math.isnan(v) for v in (diff, low, high)) or not (low > 0 or high < 0):
        return ""
    better = units.higher_is_better(outcome)
    if better is None:
        return ""
    return "better" if (diff > 0) == better else "worse"
