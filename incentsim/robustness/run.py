"""``isim.robustness``: which conclusions survive the uncertainty in the model's assumptions.

Three stages, each an ordinary :func:`incentsim.compare` over a list of
scenarios (one per design point), so every executor ``compare`` takes runs it,
results are written batch by batch, and an interrupted analysis resumes:

1. **nominal**: the scenario as written, ``nominal_replications`` replications:
   the conclusions (sign of each paired difference) and their replication noise.
2. **screening**: Morris elementary effects over *every* assumption, in a
   cheaper world (the centre scaled by ``screening_scale``, the horizon cut to
   ``screening_months``): which assumptions move which conclusions.
3. **sobol**: a Saltelli design over every assumption, in the scenario as
   written, with Sobol indices for the ``top`` assumptions the screening found
   and for all the others together (a check on the screening); its points are
   the sample the verdicts and boxes are read from.

``screening=True`` stops after stage 2 and reads the verdicts from the Morris
points (the quick mode). Every run at a design point uses the replication's
common random numbers, shared by every policy *and* every point, so a paired
difference isolates the policy and an elementary effect the assumption.

Run count (see ``docs/benchmarks.md``)::

    runs = P * (nominal_replications
                + trajectories * (k + 1)                 # screening, cheaper world
                + samples * (top + 3) * replications)    # sobol: top + "others" groups, + 2
    (for k > top; with k <= top no screening and samples * (k + 2) * replications)
"""

from __future__ import annotations

import concurrent.futures as cf
import json
import numbers
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from incentsim.errors import InputError, Problem
from incentsim.experiment.provenance import git_state, json_safe, package_versions, utc_now
from incentsim.policies.base import Policy
from incentsim.robustness import analysis
from incentsim.robustness.assumptions import Assumption, AssumptionInput, apply, assumptions_for
from incentsim.robustness.design import Design, morris_design, screening_world, sobol_design
from incentsim.robustness.result import FORMAT, MANIFEST, Robustness, read_manifest
from incentsim.scenario import Scenario

#: Outcomes whose conclusions are judged by default.
HEADLINE_OUTCOMES: tuple[str, ...] = ("true_csat", "measured_csat", "fcr", "cost_per_resolved_call",
                                      "mean_stress", "quits")
#: Sobol base rows of the default design (a power of two).
DEFAULT_SAMPLES = 8
#: Morris trajectories (4 is the usual minimum: Campolongo et al. 2007).
DEFAULT_TRAJECTORIES = 4
#: Assumptions given Sobol indices of their own.
DEFAULT_TOP = 2
#: Replications of the scenario as written.
DEFAULT_NOMINAL_REPLICATIONS = 5
#: The screening world: share of the centre kept and review periods simulated.
SCREENING_SCALE = 0.2
SCREENING_MONTHS = 2


def robustness(
    scenario: Scenario,
    policies: Mapping[str, Policy] | None = None,
    samples: int = DEFAULT_SAMPLES,
    replications: int = 1,
    seed: int = 0,
    executor: cf.Executor | None = None,
    *,
    outcomes: Sequence[str] = HEADLINE_OUTCOMES,
    assumptions: AssumptionInput | None = None,
    screening: bool = False,
    trajectories: int = DEFAULT_TRAJECTORIES,
    top: int = DEFAULT_TOP,
    screening_scale: float = SCREENING_SCALE,
    screening_months: int | None = SCREENING_MONTHS,
    nominal_replications: int = DEFAULT_NOMINAL_REPLICATIONS,
    out: str | Path | None = None,
    resume: bool = False,
    progress: bool = False,
    simulator: Any = None,
) -> Robustness:
    """Find which conclusions of a comparison survive the plausible ranges of the assumptions.

    Args:
        scenario: The scenario; its ``[robustness]`` table adjusts the ranges.
        policies: Name -> policy; ``None`` uses the policies the scenario declares.
        samples: Sobol base rows ``N`` of the second stage (a power of two).
        replications: Replications per Sobol design point.
        seed: Seed of the designs and of every run.
        executor: Any :class:`concurrent.futures.Executor` (as for ``compare``);
            ``None`` uses the local process pool.
        outcomes: Summary outcomes whose conclusions are judged.
        assumptions: ``None`` for the registry (with the scenario's table), or
            exactly these: a list of :class:`Assumption` or a dict of dotted key
            -> ``(low, high)``.
        screening: Stop after the Morris screening (the quick mode).
        trajectories: Morris trajectories.
        top: Assumptions given Sobol indices of their own.
        screening_scale: Share of the centre kept in the screening world (1: whole).
        screening_months: Review periods of the screening world (``None``: all).
        nominal_replications: Replications of the scenario as written (at least 2).
        out: Directory to write everything to, stage by stage.
        resume: With ``out``, keep the finished runs of an earlier, identical analysis.
        progress: Show progress on standard error.
        simulator: The run-one function (tests substitute a fake).

    Returns:
        The :class:`Robustness` result.

    Raises:
        InputError: For bad options, unknown outcomes or bad assumption ranges,
            each named, before anything runs or is written.
    """
    plan = _validate(scenario, policies, samples, replications, seed, outcomes, screening, trajectories, top,
                     screening_scale, screening_months, nominal_replications, resume, out, simulator)
    varied, notes = assumptions_for(scenario, assumptions)
    from incentsim.experiment.plan import Plan

    policy_names = list(Plan.build(scenario, policies, 1, seed).policies)
    settings = {"samples": samples, "replications": replications, "seed": seed, "outcomes": list(outcomes),
                "screening": screening, "trajectories": trajectories, "top": top,
                "screening_scale": screening_scale, "screening_months": screening_months,
                "nominal_replications": nominal_replications}
    manifest: dict[str, Any] = {
        "format": FORMAT, "status": "partial",
        "scenario": {"name": scenario.name, "hash": scenario.hash},
        "policies": policy_names, "settings": settings,
        "assumptions": [{"key": a.key, "low": a.low, "high": a.high, "scale": a.scale, "integer": a.integer,
                         "reason": a.reason, "origin": a.origin} for a in varied],
        "notes": notes, "stages": {}, "chosen": [], "versions": package_versions(), "git": git_state(),
        "started": utc_now(),
    }
    root = Path(out) if out is not None else None
    if root is not None:
        _check_resume(root, manifest, resume)
        if not (resume and (root / MANIFEST).exists()):
            _clear(root)
    started = time.perf_counter()
    stage = _Stages(plan, policies, seed, executor, root, resume, progress, simulator, manifest)
    stage.record()  # a partial manifest from the start, so an interrupted first stage can be resumed

    nominal = stage.run("nominal", [scenario], nominal_replications)
    k = len(varied)
    morris: Design | None = None
    morris_runs: pd.DataFrame | None = None
    morris_table: pd.DataFrame | None = None
    if screening or k > top:
        morris = morris_design(varied, trajectories, seed)
        morris_runs = stage.run("screening", _points(scenario, varied, morris,
                                lambda s: screening_world(s, screening_scale, screening_months)), 1).summaries
        morris_table = analysis.stage_indices("screening", morris, morris_runs, policy_names, outcomes, seed)
    table = analysis.importance(morris_table, None)
    chosen = [a.key for a in varied] if k <= top else analysis.choose(table, top)
    manifest["chosen"] = [] if screening else chosen
    sobol: Design | None = None
    sobol_runs: pd.DataFrame | None = None
    if not screening:
        sobol = sobol_design(varied, chosen, samples, seed)
        sobol_runs = stage.run("sobol", _points(scenario, varied, sobol, None), replications).summaries
        sobol_table = analysis.stage_indices("sobol", sobol, sobol_runs, policy_names, outcomes, seed)
        table = analysis.importance(morris_table, sobol_table)

    sample, runs, reps = (sobol, sobol_runs, replications) if sobol is not None else (morris, morris_runs, 1)
    assert sample is not None and runs is not None
    where = "" if sobol is not None else " of the screening world"
    manifest["verdict_sample"] = _sample_words(sample, scenario, screening_scale, screening_months)
    verdicts = analysis.verdicts(nominal.summaries, sample, runs, policy_names, outcomes, reps, where)
    boxes = analysis.boxes(verdicts, nominal.summaries, sample, runs, policy_names, table)
    manifest["status"] = "complete"
    manifest["finished"] = utc_now()
    manifest["wall_seconds"] = round(time.perf_counter() - started, 3)
    designs = {d.stage: d.frame() for d in (morris, sobol) if d is not None}
    result = Robustness(verdicts, table, boxes, nominal, designs, manifest)
    if root is not None:
        result.save(root)
    return result


class _Stages:
    """Runs one stage's scenarios through ``compare`` and records what it took."""

    def __init__(self, plan: dict[str, Any], policies: Mapping[str, Policy] | None, seed: int,
                 executor: cf.Executor | None, root: Path | None, resume: bool, progress: bool,
                 simulator: Any, manifest: dict[str, Any]) -> None:
        self.policies = policies
        self.seed = seed
        self.executor = executor
        self.root = root
        self.resume = resume
        self.progress = progress
        self.simulator = simulator
        self.manifest = manifest
        self.plan = plan

    def run(self, name: str, scenarios: list[Scenario], replications: int) -> Any:
        from incentsim.experiment.compare import compare

        count = len(scenarios) * replications * self.plan["policies"]
        if self.progress:
            print(f"stage {name}: {len(scenarios)} points x {self.plan['policies']} policies x "
                  f"{replications} replications = {count} runs", file=sys.stderr, flush=True)
        started = time.perf_counter()
        out = self.root / name if self.root is not None else None
        experiment = compare(scenarios, self.policies, replications, self.seed, self.executor, progress=self.progress,
                             out=out, resume=self.resume and out is not None and (out / "manifest.json").exists(),
                             simulator=self.simulator)
        sessions = experiment.manifest.get("sessions", [])
        self.manifest["stages"][name] = {
            "points": len(scenarios), "replications": replications, "runs": count,
            "wall_seconds": round(time.perf_counter() - started, 3),
            "compute_seconds": round(sum(float(s.get("compute_seconds") or 0) for s in sessions), 3),
            "executor": sessions[-1].get("executor") if sessions else None,
        }
        self.record()
        return experiment

    def record(self) -> None:
        """Write the manifest as it stands (it says how far the analysis got)."""
        if self.root is None:
            return
        from incentsim.experiment.storage import write_text

        self.root.mkdir(parents=True, exist_ok=True)
        write_text(self.root / MANIFEST, json.dumps(self.manifest, indent=2, default=repr) + "\n")


def _points(scenario: Scenario, varied: Sequence[Assumption], design: Design, world: Any) -> list[Scenario]:
    values = design.values
    prefix = "s" if design.stage == "screening" else "v"
    out = []
    for i, row in enumerate(values):
        point = apply(scenario, varied, row, name=f"{scenario.name}@{prefix}{i:05d}")
        out.append(world(point) if world is not None else point)
    return out


def _sample_words(design: Design, scenario: Scenario, scale: float, months: int | None) -> str:
    if design.stage == "sobol":
        return (f"{len(design.unit)} points of a Saltelli design (N = {design.size}) over every assumption, "
                f"in the scenario as written")
    reduced = screening_world(scenario, scale, months)
    return (f"{len(design.unit)} points of {design.size} Morris trajectories in the screening world "
            f"({reduced.center.tier1_agents} agents, {reduced.center.months} months)")


def _is_int(value: Any, minimum: int) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool) and int(value) >= minimum


def _validate(scenario: Any, policies: Any, samples: Any, replications: Any, seed: Any, outcomes: Any,
              screening: Any, trajectories: Any, top: Any, screening_scale: Any, screening_months: Any,
              nominal_replications: Any, resume: bool, out: Any, simulator: Any) -> dict[str, Any]:
    from incentsim.experiment.plan import Plan

    problems: list[Problem] = []
    if not isinstance(scenario, Scenario):
        raise InputError.single("robustness", "scenario", "must be a Scenario (load a file with Scenario.load)")
    for name, value, minimum in (("samples", samples, 2), ("replications", replications, 1), ("seed", seed, 0),
                                 ("trajectories", trajectories, 2), ("top", top, 1),
                                 ("nominal_replications", nominal_replications, 2)):
        if not _is_int(value, minimum):
            problems.append(Problem(name, f"must be an integer >= {minimum} (got {value!r})"))
    if not isinstance(screening, bool):
        problems.append(Problem("screening", f"must be True or False (got {screening!r})"))
    if not isinstance(screening_scale, numbers.Real) or not 0 < float(screening_scale) <= 1:
        problems.append(Problem("screening_scale", f"must be a share in (0, 1] (got {screening_scale!r})"))
    if screening_months is not None and not _is_int(screening_months, 1):
        problems.append(Problem("screening_months", f"must be an integer >= 1 or None (got {screening_months!r})"))
    if resume and out is None:
        problems.append(Problem("resume", "needs out=DIRECTORY holding the earlier analysis"))
    if isinstance(outcomes, str) or not isinstance(outcomes, Sequence) or not outcomes:
        problems.append(Problem("outcomes", "must be a non-empty list of summary outcomes"))
    elif simulator is None:
        known = _summary_keys()
        unknown = [o for o in outcomes if known and o not in known]
        if unknown:
            problems.append(Problem("outcomes", f"unknown {unknown}; allowed: {', '.join(known)}"))
    if problems:
        raise InputError("robustness", problems)
    plan = Plan.build(scenario, policies, 1, seed)  # checks the policies
    if len(plan.policies) < 2:
        raise InputError.single("robustness", "policies", "needs at least two policies to compare")
    return {"policies": len(plan.policies)}


def _summary_keys() -> tuple[str, ...]:
    """The outcomes a run's summary has (empty if the engine does not list them)."""
    import importlib

    return tuple(getattr(importlib.import_module("incentsim.engine.summary"), "SUMMARY_KEYS", ()))


def _check_resume(root: Path, manifest: dict[str, Any], resume: bool) -> None:
    if root.exists() and not root.is_dir():
        raise InputError.single("out", "out", f"{root} is a file; give a directory")
    if not resume or not (root / MANIFEST).exists():
        return
    previous = read_manifest(root)
    problems = []
    for key in ("scenario", "policies", "settings", "assumptions"):
        if json_safe(previous.get(key)) != json_safe(manifest[key]):
            problems.append(Problem(key, f"differs from the analysis stored in {root}; resume only the same "
                                    "analysis, or choose another --out"))
    if problems:
        raise InputError(f"resume of {root}", problems)


def _clear(root: Path) -> None:
    """Remove what an earlier analysis left in ``root`` (its own files only), as ``compare`` does."""
    import shutil

    for name in (MANIFEST, "verdicts.parquet", "importance.parquet", "boxes.parquet"):
        (root / name).unlink(missing_ok=True)
    for design in root.glob("design-*.parquet"):
        design.unlink()
    for stage in ("nominal", "screening", "sobol"):
        if (root / stage / "manifest.json").exists():
            shutil.rmtree(root / stage)


def estimated_runs(policies: int, assumptions: int, samples: int = DEFAULT_SAMPLES, replications: int = 1,
                   trajectories: int = DEFAULT_TRAJECTORIES, top: int = DEFAULT_TOP,
                   nominal_replications: int = DEFAULT_NOMINAL_REPLICATIONS,
                   screening: bool = False) -> dict[str, int]:
    """Runs per stage of a design (the formula in ``docs/benchmarks.md``)."""
    k = assumptions
    screening_runs = policies * trajectories * (k + 1) if (screening or k > top) else 0
    groups = k if k <= top else top + 1
    sobol_runs = 0 if screening else policies * samples * (groups + 2) * replications
    return {"nominal": policies * nominal_replications, "screening": screening_runs, "sobol": sobol_runs}


__all__ = ["HEADLINE_OUTCOMES", "estimated_runs", "robustness"]

