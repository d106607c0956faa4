"""The validation suite: simulated or computed figures against theory and published numbers.

Each check is a small function that returns :class:`CheckResult` records: the
figure reached, the value theory (or a source) expects, the tolerance, and whether
it passed. ``incentsim validate`` runs them all; ``--quick`` uses smaller sizes.

Where the figure is an average over random replications, the tolerance is the
half-width of a t confidence interval. The intervals are *simultaneous* 95%
intervals (Bonferroni over every interval check in the suite), so a correct model
fails the suite less than 5% of the time rather than once in every few runs.

What is checked and against what:

* Erlang C (M/M/c) at utilisation 0.80 and 0.95: mean wait in queue and
  probability of waiting (:mod:`incentsim.validation.queueing`).
* Erlang A (M/M/c+M) at offered load 0.80 and 1.00 per agent: abandonment share
  and probability of waiting.
* Red beads per paddle (:mod:`incentsim.demos.red_bead`): mean and variance against
  the hypergeometric law, the np chart's upper limit against ``np + 3 sqrt(np(1-p))``
  and the share of dips outside the limits against the hypergeometric tail.
* Funnel rule 2 (:mod:`incentsim.demos.funnel`): variance ratio to rule 1, theory 2.
* Source 000's table: the share of 55 agents ranking non-randomly on QA (13%), on
  AHT (22%) and on both (under 6%), from ``scenarios/rank_churn_55_agents.toml``;
  skipped (not failed) when that scenario file is not present.
* Behaviour against published evidence (:mod:`incentsim.validation.behaviour`):
  Deci, Koestner & Ryan's (1999) crowding-out effect sizes, expectancy, what drives
  caller satisfaction (Feinberg et al. 2000) and sorting (Lazear 2000).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from incentsim.validation.behaviour import crowding_checks, expectancy_check, satisfaction_checks, sorting_check
from incentsim.validation.queueing import erlang_a, erlang_c
from incentsim.validation.results import CheckResult, Sizes

#: Family-wise confidence of the interval checks together.
FAMILY_CONFIDENCE = 0.95


#: Sizes of ``incentsim validate`` (about a minute or two on one core).
FULL = Sizes(replications=20, hours=100.0, warmup_hours=5.0, dips=20_000, funnel_runs=40,
             funnel_drops=2000, churn_replications=10)
#: Sizes of ``incentsim validate --quick`` (seconds).
QUICK = Sizes(replications=6, hours=40.0, warmup_hours=4.0, dips=3000, funnel_runs=12,
              funnel_drops=500, churn_replications=2)

#: The scenario behind the source-000 check, relative to the repository root.
SOURCE_000_SCENARIO = Path("scenarios") / "rank_churn_55_agents.toml"
#: Source 000: shares of 55 agents ranking non-randomly (QA, AHT, both: "under 6%").
SOURCE_000_TABLE: dict[str, float] = {"qa": 0.13, "aht": 0.22, "both": 0.06}
SOURCE_000_AGENTS = 55


def interval_check(name: str, samples: np.ndarray | pd.Series, expected: float,
                   confidence: float, detail: str) -> CheckResult:
    """Check that ``expected`` lies in the t confidence interval of ``samples``' mean.

    Args:
        name: Check name.
        samples: Independent replicate estimates.
        expected: Theoretical value.
        confidence: Confidence level of this one interval.
        detail: What the samples are; the interval is appended.
    """
    values = np.asarray(samples, dtype=float)
    n = values.size
    mean = float(values.mean())
    if n < 2 or not np.isfinite(values).all():
        return CheckResult(name, mean, expected, math.nan, False,
                           f"{detail}; needs at least 2 finite replicate values")
    half = float(stats.t.ppf(0.5 + confidence / 2, n - 1) * values.std(ddof=1) / math.sqrt(n))
    return CheckResult(name, mean, expected, half, abs(mean - expected) <= half,
                       f"{detail}; {confidence:.2%} t interval over {n} replications")


# ------------------------------------------------------------------ queueing
def queue_replications(agents: int, calls_per_hour: float, mean_handle_time: float,
                       mean_patience: float | None, hours: float, warmup_hours: float,
                       replications: int, seed: int) -> pd.DataFrame:
    """Simulate :meth:`Scenario.erlang` and return one row of estimates per replication.

    The centre starts empty, so calls arriving in the first ``warmup_hours`` are
    discarded, as are calls arriving in the last two hours (they might still be
    queueing at the end and would bias waits down).

    Returns:
        Columns ``mean_wait`` (minutes, all callers), ``p_wait`` (share who waited at
        all), ``p_abandon`` (share who hung up).
    """
    from incentsim.engine.simulate import simulate
    from incentsim.scenario import Scenario

    scenario = Scenario.erlang(agents, calls_per_hour, mean_handle_time,
                               mean_patience=mean_patience, hours=hours)
    rows = []
    for replication in range(replications):
        calls = simulate(scenario, seed=seed, replication=replication).calls
        arrival = calls["arrival_time"]
        kept = calls[(arrival >= warmup_hours * 60) & (arrival < (hours - 2.0) * 60)]
        wait = kept["wait_time"].to_numpy()
        rows.append({"mean_wait": float(wait.mean()), "p_wait": float((wait > 0).mean()),
                     "p_abandon": float(kept["abandoned"].mean())})
    return pd.DataFrame(rows)


def _queue_detail(agents: int, cph: float, handle: float, patience: float | None,
                  sizes: Sizes, hours: float) -> str:
    wait = "" if patience is None else f", patience {patience:g} min"
    return (f"{agents} agents, {cph:g} calls/h, handle {handle:g} min{wait}; "
            f"{hours:g} h per replication, first {sizes.warmup_hours:g} h discarded")


def erlang_c_checks(sizes: Sizes, seed: int, confidence: float) -> list[CheckResult]:
    """Erlang C at utilisation 0.80 and 0.95: mean wait and probability of waiting."""
    out = []
    for label, (agents, cph, handle, hours) in {
        "0.80": (10, 96.0, 5.0, sizes.hours),
        "0.95": (50, 712.5, 4.0, sizes.hours * 0.4),
    }.items():
        theory = erlang_c(agents, cph, handle)
        reps = queue_replications(agents, cph, handle, None, hours, sizes.warmup_hours,
                                  sizes.replications, seed)
        detail = _queue_detail(agents, cph, handle, None, sizes, hours)
        out.append(interval_check(f"Erlang C, utilisation {label}: mean wait (min)",
                                  reps["mean_wait"], theory.mean_wait, confidence, detail))
        out.append(interval_check(f"Erlang C, utilisation {label}: P(wait)",
                                  reps["p_wait"], theory.p_wait, confidence, detail))
    return out


def erlang_a_checks(sizes: Sizes, seed: int, confidence: float) -> list[CheckResult]:
    """Erlang A at offered load 0.80 and 1.00 per agent: abandonment and probability of waiting."""
    out = []
    for label, (agents, cph, handle, patience, hours) in {
        "0.80": (10, 96.0, 5.0, 5.0, sizes.hours),
        "1.00": (40, 600.0, 4.0, 3.0, sizes.hours * 0.4),
    }.items():
        theory = erlang_a(agents, cph, handle, patience)
        reps = queue_replications(agents, cph, handle, patience, hours, sizes.warmup_hours,
                                  sizes.replications, seed + 1)
        detail = _queue_detail(agents, cph, handle, patience, sizes, hours)
        out.append(interval_check(f"Erlang A, offered load {label}: abandonment share",
                                  reps["p_abandon"], theory.p_abandon, confidence, detail))
        out.append(interval_check(f"Erlang A, offered load {label}: P(wait)",
                                  reps["p_wait"], theory.p_wait, confidence, detail))
    return out


# ------------------------------------------------------------------ red beads
def red_bead_checks(sizes: Sizes, seed: int, confidence: float,
                    beads: int = 4000, red: int = 800, paddle: int = 50) -> list[CheckResult]:
    """Red beads per paddle against the hypergeometric law, and the np chart against theory."""
    from incentsim.demos.red_bead import hypergeometric_moments, red_bead

    workers = 10
    days = max(2, sizes.dips // workers)
    df = red_bead(seed=seed, workers=workers, days=days, beads=beads, red=red, paddle=paddle,
                  fire=0, narrate=False)
    counts = df["red"].to_numpy(dtype=float)
    n = counts.size
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    mean, variance = hypergeometric_moments(beads, red, paddle)
    detail = f"{n} dips of a {paddle}-hole paddle, {red} red of {beads} beads"
    out = []
    sample_mean = float(counts.mean())
    mean_half = z * float(counts.std(ddof=1)) / math.sqrt(n)
    out.append(CheckResult("Red beads: mean red per paddle", sample_mean, mean, mean_half,
                           abs(sample_mean - mean) <= mean_half,
                           f"{detail}; {confidence:.2%} normal interval"))
    sample_var = float(counts.var(ddof=1))
    fourth = float(np.mean((counts - counts.mean()) ** 4))
    var_half = z * math.sqrt(max(fourth - sample_var**2, 0.0) / n)
    out.append(CheckResult("Red beads: variance of red per paddle", sample_var, variance,
                           var_half, abs(sample_var - variance) <= var_half,
                           f"{detail}; hypergeometric variance; {confidence:.2%} interval "
                           "from the sample fourth moment"))
    # np chart upper limit n p + 3 sqrt(n p (1 - p)) with p estimated: delta method
    p_true = red / beads
    ucl_theory = paddle * p_true + 3 * math.sqrt(paddle * p_true * (1 - p_true))
    ucl = float(df["ucl"].iloc[0])
    slope = paddle + 3 * paddle * (1 - 2 * p_true) / (2 * math.sqrt(paddle * p_true * (1 - p_true)))
    ucl_half = z * abs(slope) * float(counts.std(ddof=1)) / (paddle * math.sqrt(n))
    out.append(CheckResult("Red beads: np chart upper limit", ucl, ucl_theory, ucl_half,
                           abs(ucl - ucl_theory) <= ucl_half,
                           f"{detail}; limit from the data vs n p + 3 sqrt(n p (1-p)); "
                           f"{confidence:.2%} delta-method interval"))
    law = stats.hypergeom(beads, red, paddle)
    lcl = float(df["lcl"].iloc[0])
    tail = float(law.sf(math.floor(ucl)) + law.cdf(math.ceil(lcl) - 1))
    outside = float((~df["red"].between(lcl, ucl)).mean())
    # exact binomial acceptance region: the count outside is Binomial(n, tail)
    low = float(stats.binom.ppf((1 - confidence) / 2, n, tail)) / n
    high = float(stats.binom.isf((1 - confidence) / 2, n, tail)) / n
    out.append(CheckResult("Red beads: share of dips outside the np limits", outside, tail,
                           max(tail - low, high - tail), low <= outside <= high,
                           f"{detail}; hypergeometric tail beyond the limits "
                           f"{lcl:.2f}..{ucl:.2f}; {confidence:.2%} exact binomial region"))
    return out


# ------------------------------------------------------------------ funnel
def funnel_check(sizes: Sizes, seed: int, confidence: float) -> CheckResult:
    """Funnel rule 2's landing variance relative to rule 1's on the same drops (theory: 2)."""
    from incentsim.demos.funnel import funnel

    ratios = [funnel(seed=seed * 10_000 + run, rule=[1, 2], drops=sizes.funnel_drops,
                     narrate=False).attrs["variance_ratio"][2]
              for run in range(sizes.funnel_runs)]
    return interval_check("Funnel: rule 2 variance / rule 1 variance", np.array(ratios), 2.0,
                          confidence, f"{sizes.funnel_runs} runs of {sizes.funnel_drops} drops")


# ------------------------------------------------------------------ source 000
def _find_source_000() -> Path:
    """The source-000 scenario: under the working folder, else beside the installed package."""
    here = SOURCE_000_SCENARIO
    if here.is_file():
        return here
    beside = Path(__file__).resolve().parents[2] / SOURCE_000_SCENARIO
    return beside if beside.is_file() else here


def source_000_checks(sizes: Sizes, seed: int, confidence: float,
                      scenario_path: Path | None = None) -> list[CheckResult]:
    """Source 000's table: share of agents non-random on QA, AHT and both.

    The scenario is simulated with its baseline policy (salary only if it declares
    none); each replication's agent-months go through
    :func:`incentsim.stats.rank_consistency`. The tolerance combines the interval
    of the replication average with the sampling error of the published shares,
    which come from a single centre of 55 agents. "Under 6%" on both metrics is a
    one-sided check.
    """
    path = _find_source_000() if scenario_path is None else Path(scenario_path)
    names = {"qa": "QA", "aht": "AHT", "both": "QA and AHT"}
    if not path.is_file():
        return [CheckResult(f"Source 000: share non-random on {names[k]}", math.nan, v, math.nan,
                            False, f"skipped: scenario missing ({path})", skipped=True)
                for k, v in SOURCE_000_TABLE.items()]
    from incentsim.engine.simulate import simulate
    from incentsim.policies.registry import build_policy
    from incentsim.scenario import Scenario
    from incentsim.stats.rank_consistency import rank_consistency

    scenario = Scenario.load(path)
    policy = build_policy(scenario.policies[scenario.baseline]) if scenario.baseline else None
    shares: dict[str, list[float]] = {k: [] for k in SOURCE_000_TABLE}
    for replication in range(sizes.churn_replications):
        agents = simulate(scenario, policy=policy, seed=seed, replication=replication,
                          keep_calls=False).agents
        result = rank_consistency(agents, agent="agent", period="period", metric=["qa", "aht"],
                                  higher_is_better=[True, False])
        shares["qa"].append(result.by_metric["qa"].share_non_random)
        shares["aht"].append(result.by_metric["aht"].share_non_random)
        shares["both"].append(result.share_non_random)
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    out = []
    for key, published in SOURCE_000_TABLE.items():
        values = np.asarray(shares[key], dtype=float)
        n = values.size
        sim_var = float(values.var(ddof=1)) / n if n > 1 else 0.0
        pub_var = published * (1 - published) / SOURCE_000_AGENTS
        half = z * math.sqrt(sim_var + pub_var)
        figure = float(values.mean())
        one_sided = key == "both"
        passed = figure <= published + half if one_sided else abs(figure - published) <= half
        out.append(CheckResult(
            f"Source 000: share non-random on {names[key]}", figure, published, half, passed,
            f"{path.name}, {n} replication(s); tolerance: {confidence:.2%} interval of the "
            f"average and of a {SOURCE_000_AGENTS}-agent published share"
            + ("; one-sided (source: under 6%)" if one_sided else "")))
    return out


# ------------------------------------------------------------------ the suite
#: Number of interval checks in the suite (for the Bonferroni correction).
INTERVAL_CHECKS = 4 + 4 + 4 + 1 + 3 + 4


#: The suite: (group name, function(sizes, seed, confidence) -> results).
SUITE: tuple[tuple[str, Callable[[Sizes, int, float], list[CheckResult]]], ...] = (
    ("Erlang C", erlang_c_checks),
    ("Erlang A", erlang_a_checks),
    ("Red beads", red_bead_checks),
    ("Funnel", lambda sizes, seed, confidence: [funnel_check(sizes, seed, confidence)]),
    ("Source 000", source_000_checks),
    ("Crowding out", crowding_checks),
    ("Expectancy", expectancy_check),
    ("Caller satisfaction", satisfaction_checks),
    ("Sorting", sorting_check),
)


def run_checks(quick: bool = False, seed: int = 1) -> Iterator[CheckResult]:
    """Run the whole validation suite, yielding each result as soon as it is known.

    Args:
        quick: Use :data:`QUICK` sizes instead of :data:`FULL`.
        seed: Seed of every random part (non-negative integer).
    """
    sizes = QUICK if quick else FULL
    confidence = 1 - (1 - FAMILY_CONFIDENCE) / INTERVAL_CHECKS
    for _, check in SUITE:
        yield from check(sizes, seed, confidence)
