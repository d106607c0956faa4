"""Which world do the data show? A graded verdict on one metric: ``system``, ``mixed`` or ``people``.

Two figures answer different questions, and the verdict reads them together:

* the **people share** (ICC(1) of one period's value, :mod:`~incentsim.stats.variance_components`)
  says *how much* of one period's spread is steady differences between agents. It is the
  reliability of a league table of one period;
* the **coin-flip test** (:mod:`~incentsim.stats.rank_consistency`, source 000) says whether
  *more agents than chance* keep landing in the same half.

The scale, on the ICC point estimate:

=========  ==================  =========================================================
verdict    people share (ICC)  what it means for a league table of one period
=========  ==================  =========================================================
system     below 0.2           an agent in the better half stays there next period less
                               than 56% of the time (50% for a coin); a ranking reaches a
                               reliability of 0.8 only on the mean of 16 or more periods
mixed      0.2 to 0.5          56% to 67%; 4 to 16 periods for a reliability of 0.8
people     0.5 and above       one period's spread is at least as much people as system;
                               67% or more; 4 periods or fewer for 0.8
=========  ==================  =========================================================

The same-half chance is ``1/2 + arcsin(ICC)/pi`` for normal data and the periods come
from the Spearman-Brown formula (see ``docs/explanation/rank-consistency.md``). 0.5 is
also where Koo & Li's guideline for reliability coefficients (2016, *Journal of
Chiropractic Medicine* 15, 155-163) starts "moderate"; 0.2 is an assumption, chosen so
that "system" means a monthly league table needs more than a year of months to become
reliable. Source 000's centre (13% of agents non-random on QA, 22% on AHT, over about six
months) reads as a people share of about 0.25 to 0.4: ``mixed``.

Rules beyond the band, each stated in the output when it applies:

* ``people`` also needs the coin-flip test to agree when it can: if agents could be
  flagged but far fewer were than the people share implies (normal effects and noise,
  :func:`expected_flagged_share`; "far" is two binomial standard errors plus 5 points),
  the people share rests on a few agents far from the rest and the verdict is ``mixed``;
* ``system`` stays ``system`` when more agents than chance are flagged: over many
  periods the test detects steady differences too small to matter in one period's number;
* ``settled`` says whether the ICC's confidence interval lies within the verdict's band.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from scipy import integrate
from scipy import stats as sps

from incentsim.stats.rank_consistency import RankConsistency, chance_flag_probability
from incentsim.stats.variance_components import VarianceComponents

__all__ = [
    "PEOPLE_FROM",
    "SYSTEM_BELOW",
    "VERDICTS",
    "Verdict",
    "expected_flagged_share",
    "overall_verdict",
    "periods_for_reliability",
    "same_half_chance",
    "verdict",
]

#: People share (ICC) below which the verdict is ``system``.
SYSTEM_BELOW = 0.2
#: People share (ICC) from which the verdict is ``people``.
PEOPLE_FROM = 0.5
#: The verdicts, from the system's world to the people's.
VERDICTS = ("system", "mixed", "people")
#: Significance level of "more agents flagged than chance".
_CHANCE_LEVEL = 0.05

SOURCE_000 = ("For comparison: in source 000's centre 13% of 55 agents ranked non-randomly on "
              "QA and 22% on AHT over several months, which over six months means a people share "
              "of about 0.25 to 0.4 (mixed). Real centres range widely: in one public data set of a "
              "bank's call centre the people share of monthly AHT was about 0.25 to 0.8, depending "
              "on how the call mix was controlled.")


def band(icc: float) -> str:
    """The verdict band a people share falls in."""
    return "system" if icc < SYSTEM_BELOW else "mixed" if icc < PEOPLE_FROM else "people"


def same_half_chance(icc: float) -> float:
    """Chance that an agent in the better half one period is there the next (normal data)."""
    return 0.5 + math.asin(min(1.0, max(0.0, icc))) / math.pi


def periods_for_reliability(icc: float, target: float = 0.8) -> float:
    """Periods a ranking must average over to reach ``target`` reliability (Spearman-Brown)."""
    if icc <= 0:
        return math.inf
    if icc >= target:
        return 1.0
    return target * (1.0 - icc) / (icc * (1.0 - target))


@lru_cache(maxsize=1024)
def expected_flagged_share(icc: float, periods: int, alpha: float = 0.05) -> float:
    """Share of agents the coin-flip test flags when one period's people share is ``icc``.

    Agents' steady effects and each period's noise are normal; an agent whose effect is
    ``z`` standard deviations from the middle lands in the better half with chance
    ``Phi(z sqrt(icc / (1 - icc)))`` (docs/explanation/rank-consistency.md).
    """
    if periods <= 0:
        return 0.0
    icc = min(max(icc, 0.0), 0.999)
    counts = np.arange(periods + 1)
    flagged = np.array([sps.binomtest(int(k), periods).pvalue <= alpha for k in counts])
    if not flagged.any():
        return 0.0
    ratio = math.sqrt(icc / (1.0 - icc))

    def at(z: float) -> float:
        better = float(sps.norm.cdf(z * ratio))
        return float(sps.binom.pmf(counts[flagged], periods, better).sum() * sps.norm.pdf(z))

    return float(integrate.quad(at, -8.0, 8.0, limit=200)[0])


def _needed_periods(alpha: float) -> int:
    periods = 1
    while chance_flag_probability(periods, alpha) == 0.0 and periods < 10_000:
        periods += 1
    return periods


@dataclass(frozen=True)
class Verdict:
    """The verdict on one metric, with every figure behind it.

    Attributes:
        metric: The metric.
        verdict: ``system``, ``mixed`` or ``people``; None when neither figure could be
            computed.
        settled: Whether the ICC's confidence interval lies within the verdict's band.
        icc: People share of one period's spread (NaN when it could not be computed).
        icc_ci: Its confidence interval.
        confidence: Level of that interval.
        log_scale: Whether the ICC was computed on the logarithm of the metric.
        tested: Agents the coin-flip test tested.
        flagged: Tested agents ranking non-randomly.
        share_flagged: ``flagged / tested``.
        chance_share: Share chance alone would flag.
        chance_p_value: Probability that chance alone flags at least ``flagged``.
        untested: Agents with fewer than ``min_periods`` counted periods.
        cannot_flag: Tested agents with fewer than ``needed_periods`` counted periods.
        needed_periods: Fewest counted periods at which a perfect record is flagged.
        typical_periods: Median counted periods of the tested agents.
        expected_share_at_icc: Share the test would flag at this ICC with
            ``typical_periods`` periods (normal effects and noise).
        if_min_periods_needed: ``(flagged, tested)`` with ``min_periods = needed_periods``.
        min_periods: The ``min_periods`` used.
        alpha: The significance level of each agent's test.
        sentences: The verdict in plain words.
    """

    metric: str
    verdict: str | None
    settled: bool
    icc: float
    icc_ci: tuple[float, float]
    confidence: float
    log_scale: bool
    tested: int
    flagged: int
    share_flagged: float
    chance_share: float
    chance_p_value: float
    untested: int
    cannot_flag: int
    needed_periods: int
    typical_periods: int
    expected_share_at_icc: float
    if_min_periods_needed: tuple[int, int]
    min_periods: int
    alpha: float
    sentences: tuple[str, ...] = field(default_factory=tuple)

    @property
    def above_chance(self) -> bool:
        """More agents flagged than chance explains (at the 5% level)."""
        return self.tested > 0 and self.chance_p_value < _CHANCE_LEVEL

    def summary(self) -> str:
        """The verdict and its reasons as one paragraph."""
        return " ".join(self.sentences)

    def to_dict(self) -> dict[str, Any]:
        """Every figure, JSON-safe (NaN and infinity as None)."""
        return {
            "metric": self.metric, "verdict": self.verdict, "settled": self.settled,
            "icc": _num(self.icc), "icc_ci": [_num(v) for v in self.icc_ci],
            "confidence": self.confidence, "log_scale": self.log_scale,
            "tested": self.tested, "flagged": self.flagged,
            "share_flagged": _num(self.share_flagged), "chance_share": _num(self.chance_share),
            "chance_p_value": _num(self.chance_p_value), "above_chance": self.above_chance,
            "untested": self.untested, "cannot_flag": self.cannot_flag,
            "needed_periods": self.needed_periods, "typical_periods": self.typical_periods,
            "expected_share_at_icc": _num(self.expected_share_at_icc),
            "if_min_periods_needed": {"flagged": self.if_min_periods_needed[0],
                                      "tested": self.if_min_periods_needed[1]},
            "same_half_chance": _num(same_half_chance(self.icc)) if self.icc == self.icc else None,
            "periods_for_reliability_0.8": _num(periods_for_reliability(self.icc))
            if self.icc == self.icc else None,
            "min_periods": self.min_periods, "alpha": self.alpha,
            "text": self.summary(),
        }


def _have(count: int) -> str:
    return "has" if count == 1 else "have"


def _num(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def _people_sentence(metric: str, icc: float, low: float, high: float, confidence: float,
                     where: str) -> str:
    return (f"People explain {icc:.0%} of one period's spread in {metric} ({confidence:.0%} CI "
            f"{low:.0%} to {high:.0%}) and the system the other {1 - icc:.0%}{where}.")


def verdict(rank: RankConsistency, components: VarianceComponents | None, *,
            log_scale: bool = False, retest: RankConsistency | None = None) -> Verdict:
    """The graded verdict on one metric (see the module documentation for the scale).

    Args:
        rank: The coin-flip test of this metric alone.
        components: The people and system shares of this metric; None when they could
            not be computed (too few values).
        log_scale: Whether ``components`` was computed on the logarithm of the metric.
        retest: The same test with ``min_periods`` raised to the periods a perfect record
            needs to be flagged (for the note on agents who could never be flagged).

    Returns:
        The :class:`Verdict`.
    """
    metric = rank.metrics[0]
    alpha, min_periods = rank.alpha, rank.min_periods
    needed = _needed_periods(alpha)
    table = rank.agents
    tested_rows = table.loc[table["tested"]]
    untested = int((~table["tested"]).sum())
    cannot = int((tested_rows["periods"] < needed).sum())
    typical = int(np.median(tested_rows["periods"])) if len(tested_rows) else 0
    icc = components.icc if components is not None else math.nan
    low, high = components.icc_ci if components is not None else (math.nan, math.nan)
    confidence = components.confidence if components is not None else 0.95
    expected_at = (expected_flagged_share(icc, typical, alpha)
                   if icc == icc and typical else math.nan)
    can_flag = rank.n_tested > 0 and rank.chance_share > 0
    above = rank.n_tested > 0 and rank.chance_p_value < _CHANCE_LEVEL
    again = (retest.n_non_random, retest.n_tested) if retest is not None else (0, 0)

    sentences: list[str] = []
    if icc != icc:
        result: str | None = None
        settled = False
        sentences.append(f"Verdict on {metric}: cannot tell. Too few values to split the spread "
                         f"into people and system (at least two agents, one of them with two or more "
                         f"periods).")
    else:
        result = band(icc)
        if result == "people" and can_flag and rank.share_non_random < expected_at - _slack(expected_at, rank.n_tested):
            result = "mixed"  # the people share rests on a few agents far from the rest
        settled = band(low) == band(high) == result
        scale = " (on a log scale)" if log_scale else ""
        same = same_half_chance(icc)
        k = periods_for_reliability(icc)
        periods_text = "more periods than any centre keeps" if not math.isfinite(k) else f"{math.ceil(k)}"
        sentences.append(f"Verdict on {metric}: {result}.")
        sentences.append(_people_sentence(metric, icc, low, high, confidence, scale))
        if result == "system":
            sentences.append(f"A league table of one period mostly ranks luck: an agent in the better half "
                             f"stays there the next period {same:.0%} of the time, against 50% for a coin. "
                             f"This does not mean people do not matter, only that one period's {metric} "
                             f"cannot tell them apart.")
        else:
            if result == "people":
                sentences.append(f"A league table of one period mostly reflects steady differences between "
                                 f"agents: an agent in the better half stays there the next period {same:.0%} "
                                 f"of the time, against 50% for a coin.")
            else:
                sentences.append(f"Agents differ steadily, but a league table of one period still holds much "
                                 f"noise: an agent in the better half stays there the next period {same:.0%} "
                                 f"of the time, against 50% for a coin; a ranking on the mean of "
                                 f"{periods_text} periods would reach a reliability of 0.8.")
            sentences.append("Steady differences are not necessarily the person's doing: agents who get "
                             "different work (call types, shifts, queues) differ steadily too; check that "
                             "before acting on a person.")
        if not settled:
            sentences.append(f"The interval reaches from the {band(low)} band into the {band(high)} band, "
                             f"so more agents or periods are needed to settle the verdict.")

    if rank.n_tested == 0:
        sentences.append(f"Coin-flip test: no agent has {min_periods} or more counted periods, so nobody "
                         f"could be tested.")
    elif not can_flag:
        sentences.append(f"Coin-flip test: with fewer than {needed} counted periods per agent nobody can be "
                         f"flagged at alpha {alpha:g}, so the test cannot tell people from chance yet"
                         + ("; the verdict rests on the people share alone." if result else "."))
    else:
        sentences.append(
            f"Coin-flip test: {rank.n_non_random} of {rank.n_tested} tested agents "
            f"({rank.share_non_random:.0%}) rank better or worse than chance explains; chance alone "
            f"would flag {rank.expected_by_chance:.1f} ({rank.chance_share:.1%}), so this is "
            + (f"more than chance (p={rank.chance_p_value:.2g})." if above
               else f"within what chance flags (p={rank.chance_p_value:.2g})."))
        sentences += _reconcile(metric, result, icc, above, rank.share_non_random, expected_at, typical,
                                rank.n_tested)
    if untested:
        sentences.append(f"{untested} of {len(table)} agents {_have(untested)} fewer than {min_periods} "
                         f"counted periods and {'was' if untested == 1 else 'were'} not tested.")
    if cannot and rank.n_tested:
        them = "it" if cannot == 1 else "them"
        text = (f"{cannot} of the {rank.n_tested} tested agents {_have(cannot)} fewer than {needed} counted "
                f"periods, so the test can never flag {them} and {'it dilutes' if cannot == 1 else 'they dilute'} "
                f"the share; ")
        if again[1]:
            text += (f"with --min-periods {needed}, {again[0]} of {again[1]} "
                     f"({again[0] / again[1]:.0%}) are flagged.")
        else:
            text += f"no agent has {needed} or more counted periods."
        sentences.append(text)
    return Verdict(
        metric=metric, verdict=result, settled=settled, icc=icc, icc_ci=(low, high),
        confidence=confidence, log_scale=log_scale, tested=rank.n_tested, flagged=rank.n_non_random,
        share_flagged=rank.share_non_random, chance_share=rank.chance_share,
        chance_p_value=rank.chance_p_value, untested=untested, cannot_flag=cannot, needed_periods=needed,
        typical_periods=typical, expected_share_at_icc=expected_at, if_min_periods_needed=again,
        min_periods=min_periods, alpha=alpha, sentences=tuple(sentences))


def _slack(expected: float, tested: int) -> float:
    """How far a flagged share may stray from the expected one: two binomial SEs plus 5 points for the model."""
    return 2.0 * math.sqrt(max(expected * (1 - expected), 0.01) / max(tested, 1)) + 0.05


def _reconcile(metric: str, result: str | None, icc: float, above: bool, share: float,
               expected_at: float, periods: int, tested: int) -> list[str]:
    """Sentences that explain how the coin-flip count and the people share fit together."""
    if result is None or expected_at != expected_at:
        return []
    implied = (f"at a people share of {icc:.2f} over {periods} periods the test would flag about "
               f"{expected_at:.0%} of agents")
    slack = _slack(expected_at, tested)
    if share > expected_at + slack and above:
        return [f"More agents are flagged than the people share implies ({implied}): part of each "
                f"period's spread moves all agents together (a period's conditions), which the people "
                f"share counts as system but a ranking within the period ignores, so ranks repeat more "
                f"than one period's spread suggests."]
    if share < expected_at - slack:
        return [f"Fewer agents are flagged than the people share implies ({implied}): the people share "
                f"rests on a few agents far from the rest, while most agents' ranks repeat little more than "
                f"chance."]
    if above and result == "system":
        return [f"Both hold: over {periods} periods the test picks up small but steady differences "
                f"({implied}); they are too small to dominate one period's {metric}."]
    if above:
        return [f"This fits the people share: {implied}."]
    if result != "system":
        return [f"The test has little power here: {implied}, too few to stand out from chance among "
                f"{tested} agents."]
    return []


def overall_verdict(verdicts: Sequence[Verdict]) -> str | None:
    """One verdict over several metrics: the common one, ``mixed`` when they differ, None if none."""
    found = [v.verdict for v in verdicts if v.verdict is not None]
    if not found:
        return None
    return found[0] if len(set(found)) == 1 else "mixed"
