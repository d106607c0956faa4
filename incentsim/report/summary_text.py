"""Plain-language verdicts: which policy does best on true outcomes, and where surveys disagree.

A manager reading a comparison needs two answers. First, which policy is best on
what customers and the business actually get: true satisfaction, first-contact
resolution, repeat calls and cost per resolved call (DESIGN section 2: policies
see only the measured layer, reports show the truth too). Second, where the
measured numbers (surveys) point one way and the truth another, with the gaming
that opens the gap (survey begging, dumping upset callers, rushing: sources 001
and 003). Every statement rests on a paired difference over common-random-number
replications with its 95% interval; when the interval spans zero the text says
"no detectable difference" instead of naming a winner. A detectable difference
is also sized: "large" when it reaches the outcome's practical threshold, "small"
when not (:mod:`incentsim.report.practical`), so "ahead" never passes off a cent
as a verdict.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from incentsim.report import practical, units
from incentsim.report.inputs import baseline_of, policies_of, summaries_of
from incentsim.stats.comparison import ConfidenceInterval, paired_difference

#: The true outcomes a policy is judged on, in the order the summary names them.
TRUE_OUTCOMES: tuple[str, ...] = ("true_csat", "fcr", "repeat_rate", "cost_per_resolved_call")
#: Gaming behaviours: summary key -> plain name.
GAMING_NAMES: dict[str, str] = {"beg_rate": "survey begging", "dump_rate": "dumping",
                                "rush_rate": "rushing"}


@dataclass(frozen=True)
class OutcomeLeader:
    """The best policy on one outcome and the policies not clearly worse than it.

    Attributes:
        outcome: Summary key.
        best: Policy with the best mean (direction from :func:`units.higher_is_better`).
        means: Policy -> mean over replications (measured policies only).
        contenders: Policies whose paired difference from ``best`` has an interval
            spanning zero (or too few replications to tell), ``best`` included.
        runner_up: The next-best policy by mean, or None with one policy.
        gap: The best policy's paired advantage over the runner-up, in the direction
            of "better" (positive when the best is ahead), or None.
    """

    outcome: str
    best: str
    means: dict[str, float]
    contenders: tuple[str, ...]
    runner_up: str | None
    gap: ConfidenceInterval | None

    @property
    def clear(self) -> bool:
        """Whether ``best`` is clearly better than every other policy."""
        return self.contenders == (self.best,) and len(self.means) > 1


def paired(summaries: pd.DataFrame, outcome: str, policy: str, other: str,
           confidence: float = 0.95) -> ConfidenceInterval | None:
    """Paired difference ``policy - other`` of an outcome over shared replications (None if none)."""
    def side(name: str) -> pd.Series:
        rows = summaries[summaries["policy"].astype(str) == name]
        return pd.to_numeric(rows.set_index("replication")[outcome], errors="coerce")

    both = pd.concat([side(policy), side(other)], axis=1, join="inner").dropna()
    if both.empty:
        return None
    return paired_difference(both.iloc[:, 0].to_numpy(float), both.iloc[:, 1].to_numpy(float), confidence)


def _spans_zero(ci: ConfidenceInterval | None) -> bool:
    return ci is None or not ci.excludes_zero()


def leader(summaries: pd.DataFrame, policies: Sequence[str], outcome: str,
           confidence: float = 0.95) -> OutcomeLeader | None:
    """The best policy on ``outcome`` and those not clearly worse (None if no policy measured it).

    Outcomes without a direction (e.g. bonus paid) are judged as higher-is-better.
    """
    if outcome not in summaries.columns:
        return None
    values = pd.to_numeric(summaries[outcome], errors="coerce")
    means = {p: float(values[summaries["policy"].astype(str) == p].mean()) for p in policies}
    means = {p: m for p, m in means.items() if not math.isnan(m)}
    if not means:
        return None
    higher = units.higher_is_better(outcome) is not False
    order = sorted(means, key=lambda p: -means[p] if higher else means[p])
    best = order[0]
    contenders = tuple(p for p in order if p == best or _spans_zero(paired(summaries, outcome, p, best,
                                                                            confidence)))
    runner = order[1] if len(order) > 1 else None
    gap = None
    if runner is not None:
        ahead, behind = (best, runner) if higher else (runner, best)
        gap = paired(summaries, outcome, ahead, behind, confidence)
    return OutcomeLeader(outcome, best, means, contenders, runner, gap)


def _interval(outcome: str, ci: ConfidenceInterval, ctx: units.Context | None = None) -> str:
    return f"{ci.confidence:.0%} interval {units.show_interval(outcome, ci.low, ci.high, ctx)}"


def _size_note(outcome: str, ci: ConfidenceInterval, base: float | None, ctx: units.Context | None) -> str:
    """``"large"`` or ``"small, under the practical threshold of 2.0 points"``."""
    judged = practical.size(outcome, ci.mean, ci.low, ci.high, base)
    if judged.large:
        return "a large difference"
    return f"a small difference, under the practical threshold of {practical.threshold_text(outcome, base, ctx)}"


def _lead_size(lead: OutcomeLeader, ctx: units.Context | None) -> str:
    """``"by 1.8 points, small: under the practical threshold of 2.0 points"`` or ``"by 5.1 points, large"``."""
    gap = lead.gap
    if gap is None or lead.runner_up is None:
        return "alone"
    by = units.show_difference(lead.outcome, gap.mean, ctx)
    base = lead.means.get(lead.runner_up)
    if practical.size(lead.outcome, gap.mean, gap.low, gap.high, base).large:
        return f"by {by}, large"
    return f"by {by}, small"


def _leader_sentence(lead: OutcomeLeader, ctx: units.Context | None = None) -> str:
    name = units.label(lead.outcome)
    word = "lowest" if units.higher_is_better(lead.outcome) is False else "highest"
    text = (f"{name.capitalize()}: {word} under {lead.best} "
            f"({units.show(lead.outcome, lead.means[lead.best], ctx)})")
    if lead.runner_up is None or lead.gap is None:
        return text + "."
    diff = lead.gap
    size = units.show_difference(lead.outcome, diff.mean, ctx)
    base = lead.means.get(lead.runner_up)
    if math.isnan(diff.low):
        return text + f"; {lead.runner_up} differs by {size}, too few replications to tell."
    if lead.clear:
        return text + (f", detectably ahead of the runner-up {lead.runner_up} by {size}, "
                       f"{_size_note(lead.outcome, diff, base, ctx)} ({_interval(lead.outcome, diff, ctx)}).")
    if _spans_zero(diff):
        return text + (f", but no detectable difference from {lead.runner_up} (ahead by {size}, "
                       f"{_interval(lead.outcome, diff, ctx)}).")
    # Detectably ahead of the runner-up, but some lower-ranked policy cannot be told apart.
    others = [p for p in lead.contenders if p != lead.best]
    return text + f"; no detectable difference from {', '.join(others)}."


def best_on_true_outcomes(summaries: pd.DataFrame, policies: Sequence[str],
                          outcomes: Sequence[str] = TRUE_OUTCOMES, confidence: float = 0.95,
                          ctx: units.Context | None = None) -> tuple[str | None, list[str]]:
    """Which policy does best on the true outcomes, and a sentence per outcome.

    A policy does best when it is the only one not clearly worse than the best on
    every measured true outcome and clearly better than every other policy on at
    least one. Otherwise none is named: the data do not separate them. Each
    interval is at the stated confidence on its own (no correction for the several
    comparisons), which is why a single clear win is required, not just survival.

    Args:
        summaries: One row per policy x replication.
        policies: Policies to judge, in display order.
        outcomes: True outcomes to judge on.
        confidence: Confidence level of every interval.
        ctx: Currency and period of the numbers (default ``$``, period unknown).

    Returns:
        ``(winner or None, sentences)``: the headline first, then one line per outcome.
    """
    leads = [lead for o in outcomes if (lead := leader(summaries, policies, o, confidence)) is not None]
    if len(policies) < 2:
        return None, ["Only one policy was run: there is nothing to compare it with."]
    if not leads:
        return None, ["No true outcome was measured: nothing to judge the policies on."]
    names = ", ".join(units.label(lead.outcome) for lead in leads)
    always = [p for p in policies if all(p in lead.contenders for lead in leads)]
    lines = [_leader_sentence(lead, ctx) for lead in leads]
    if len(always) == 1:
        only = always[0]
        won = [f"{units.label(lead.outcome)} ({_lead_size(lead, ctx)})" for lead in leads
               if lead.clear and lead.best == only]
        if won:
            head = (f"{only} does best on true outcomes ({names}): it is the only policy not detectably "
                    f"worse than the best on every one of them, and detectably best on {', '.join(won)}.")
            if all(w.endswith(", small)") for w in won):
                head += (" Every lead is small (under the outcome's practical threshold): on these outcomes "
                         "the choice matters little.")
            return only, [head, *lines]
        head = (f"No policy is detectably best on true outcomes ({names}): {only} is the only one never "
                "detectably beaten, but it is not detectably ahead on any of them; treat that as a lead, "
                "not a verdict.")
        return None, [head, *lines]
    if always:
        head = (f"No policy is detectably best on true outcomes ({names}): {', '.join(always)} cannot be "
                "told apart on any of them (no difference detectable with 95% confidence).")
    else:
        head = (f"No policy does best on every true outcome ({names}): each is detectably beaten on at "
                "least one; see the outcome lines.")
    return None, [head, *lines]


def _difference_phrase(outcome: str, ci: ConfidenceInterval | None, baseline: str,
                       ctx: units.Context | None = None) -> str:
    name = units.label(outcome)
    if ci is None:
        return f"{name} cannot be compared (not measured under both)"
    size = units.show_difference(outcome, ci.mean, ctx)
    if math.isnan(ci.low):
        return f"{name} differs by {size} (too few replications to tell)"
    if _spans_zero(ci):
        return (f"{name} shows no detectable difference from {baseline} "
                f"({'+' if ci.mean >= 0 else '-'}{size}, {_interval(outcome, ci, ctx)})")
    word = "higher" if ci.mean > 0 else "lower"
    return f"{name} is {size} {word} than under {baseline} ({_interval(outcome, ci, ctx)})"


def _direction(ci: ConfidenceInterval | None) -> str:
    if ci is None or math.isnan(ci.low) or _spans_zero(ci):
        return "unclear"
    return "higher" if ci.mean > 0 else "lower"


def survey_disagreements(summaries: pd.DataFrame, policies: Sequence[str], baseline: str,
                         confidence: float = 0.95, ctx: units.Context | None = None) -> list[str]:
    """One short line per policy whose surveys move and whose truth does not follow.

    Said when measured satisfaction moves detectably and by a large amount
    (:mod:`incentsim.report.practical`) against the baseline while true
    satisfaction moves the other way, not detectably, or by a small amount only, e.g. ``"Surveys overstate
    bonus: measured satisfaction +4.5 points, true satisfaction +0.1 points (not
    detectable) against flat; gaming: survey begging on 24.0% of answered calls (flat 0.0%)."``
    """
    lines = []
    for policy, measured, true in _survey_pairs(summaries, policies, baseline, confidence):
        if measured is None or true is None or math.isnan(measured.low):
            continue
        moved = practical.size("measured_csat", measured.mean, measured.low, measured.high)
        followed = practical.size("true_csat", true.mean, true.low, true.high)
        if not moved.large or (_direction(true) == _direction(measured) and followed.large):
            continue
        wrong_way = _direction(true) not in ("unclear", _direction(measured))
        verb = "point the wrong way under" if wrong_way else "overstate"
        note = "" if wrong_way else (" (not detectable)" if not followed.detectable else " (small)")
        true_text = units.show_signed("true_csat", true.mean, ctx) + note
        text = (f"Surveys {verb} {policy}: measured satisfaction "
                f"{units.show_signed('measured_csat', measured.mean, ctx)}, true satisfaction {true_text} "
                f"against {baseline}")
        gaming = gaming_phrase(summaries, policy, baseline)
        lines.append(text + (f"; gaming: {gaming}." if gaming else "."))
    return lines


def _survey_pairs(summaries: pd.DataFrame, policies: Sequence[str], baseline: str,
                  confidence: float,
                  ) -> Iterator[tuple[str, ConfidenceInterval | None, ConfidenceInterval | None]]:
    """Each non-baseline policy with its paired differences in measured and in true satisfaction."""
    for policy in policies:
        if policy != baseline:
            yield (policy, paired(summaries, "measured_csat", policy, baseline, confidence),
                   paired(summaries, "true_csat", policy, baseline, confidence))


def gaming_phrase(summaries: pd.DataFrame, policy: str, baseline: str) -> str:
    """E.g. ``"survey begging on 24.0% of answered calls (flat 0.0%), dumping on 2.0% (flat 0.0%)"``."""
    parts: list[str] = []
    for key, name in GAMING_NAMES.items():
        if key not in summaries.columns:
            continue
        values = pd.to_numeric(summaries[key], errors="coerce")
        mine = float(values[summaries["policy"].astype(str) == policy].mean())
        base = float(values[summaries["policy"].astype(str) == baseline].mean())
        if math.isnan(mine) or (mine == 0 and (math.isnan(base) or base == 0)):
            continue  # a behaviour nobody shows is not worth a word
        suffix = " of answered calls" if not parts else ""
        against = "" if policy == baseline else f" ({baseline} {units.show(key, base)})"
        parts.append(f"{name} on {units.show(key, mine)}{suffix}{against}")
    return ", ".join(parts)


def measured_vs_true(summaries: pd.DataFrame, policies: Sequence[str], baseline: str,
                     confidence: float = 0.95, ctx: units.Context | None = None) -> list[str]:
    """For each policy against the baseline: do surveys and the truth move the same way?

    Returns:
        One paragraph per non-baseline policy: the paired difference in measured and
        in true satisfaction, whether they disagree, and the gaming under that policy.
    """
    lines = []
    for policy, measured, true in _survey_pairs(summaries, policies, baseline, confidence):
        moved_m, moved_t = _direction(measured), _direction(true)
        joiner = "and" if moved_m == moved_t else "but"
        text = (f"Under {policy}, {_difference_phrase('measured_csat', measured, baseline, ctx)}, {joiner} "
                f"{_difference_phrase('true_csat', true, baseline, ctx)}.")
        gaming = gaming_phrase(summaries, policy, baseline)
        if moved_m != moved_t and measured is not None and true is not None:
            text += " Measured and true disagree here: the surveys are not a safe guide to this policy."
            if gaming:
                text += f" The gap comes with gaming: {gaming}."
        elif gaming:
            text += f" Gaming: {gaming}."
        lines.append(text)
    return lines


def plain_summary(source: Any, baseline: str | None = None, point: int | None = None,
                  confidence: float = 0.95, ctx: units.Context | None = None) -> dict[str, Any]:
    """The report's plain-language summary of an experiment (or its summaries frame).

    Args:
        source: An Experiment, or its summaries frame.
        baseline: Policy to compare against (default the experiment's).
        point: Sweep point / scenario when the results hold several.
        confidence: Confidence level of every interval.
        ctx: Currency and period of the numbers (default: read off the experiment's scenario).

    Returns:
        ``{"winner": str | None, "headline": str, "outcomes": [str], "measured_vs_true": [str]}``.
    """
    summaries = summaries_of(source, point)
    policies = policies_of(source, summaries)
    base = baseline_of(source, policies, baseline)
    ctx = ctx or units.context_of(source)
    winner, lines = best_on_true_outcomes(summaries, policies, confidence=confidence, ctx=ctx)
    return {"winner": winner, "headline": lines[0], "outcomes": lines[1:],
            "measured_vs_true": measured_vs_true(summaries, policies, base, confidence, ctx)}
