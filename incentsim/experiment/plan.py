"""The experiment plan: which scenarios, policies, replications and seed.

A small frozen object instead of a long argument list (the EMA workbench's
``perform_experiments`` takes eighteen). :meth:`Plan.build` validates every
option in one pass and raises one :class:`~incentsim.errors.InputError` naming
each bad field, before anything runs or is written. The plan's unit of work is
a *cell* (sweep point, policy, replication); cells are grouped into batches of
replications so that small replications do not drown in scheduling overhead.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from incentsim.errors import InputError, Problem
from incentsim.experiment.provenance import json_safe
from incentsim.experiment.sweep import Point, normalise_sweep, sweep_points
from incentsim.experiment.task import Simulator, Task
from incentsim.policies.base import Policy
from incentsim.scenario import Scenario

#: Expected calls a batch should hold before it is worth a task of its own. At the
#: engine's speed this is a fraction of a second, well above the few milliseconds a
#: process pool spends shipping a task and its result.
CALLS_PER_BATCH: int = 40_000

#: Batches per worker to aim for, so that workers finishing early find more to do.
BATCHES_PER_WORKER: int = 4


class Cell(NamedTuple):
    """One simulation: a policy on a sweep point for one replication index."""

    point: int
    policy: str
    replication: int


@dataclass(frozen=True)
class Plan:
    """A validated experiment plan.

    Build one with :meth:`build`; the attributes are read-only.

    Attributes:
        scenarios: Base scenarios (one, or one per file for ``incentsim compare``).
        points: Every scenario simulated: base scenarios crossed with the sweep.
        policies: Policy name -> policy, in table order.
        replications: Replications per policy and point; replication ``r`` of
            every policy shares its random streams (common random numbers).
        seed: The experiment's seed.
        baseline: Name of the policy differences are taken against.
        sweep: Dotted scenario key -> values swept (empty: no sweep).
        keep_calls: Whether per-call records are kept.
        batch_size: Replications per task, or ``None`` to choose from the workload.
    """

    scenarios: tuple[Scenario, ...]
    points: tuple[Point, ...]
    policies: Mapping[str, Policy]
    replications: int
    seed: int
    baseline: str
    sweep: Mapping[str, tuple[Any, ...]]
    keep_calls: bool = False
    batch_size: int | None = None

    @classmethod
    def build(
        cls,
        scenario: Scenario | Sequence[Scenario],
        policies: Mapping[str, Policy] | None = None,
        replications: int = 30,
        seed: int = 0,
        sweep: Mapping[str, Sequence[Any]] | None = None,
        baseline: str | None = None,
        keep_calls: bool = False,
        batch_size: int | None = None,
    ) -> Plan:
        """Validate the options and build a plan.

        Args:
            scenario: A scenario, or several (their names must differ).
            policies: Name -> policy; ``None`` uses the policies the scenario(s) declare.
            replications: Replications per policy and sweep point (at least 1).
            seed: Non-negative integer seed.
            sweep: Dotted scenario key -> list of values (full factorial).
            baseline: Policy to compare against; default the scenario's declared
                ``baseline``, else the first policy.
            keep_calls: Keep per-call records (memory grows with every call).
            batch_size: Replications per task; ``None`` chooses from the workload.

        Raises:
            InputError: Listing every bad option, each by name.
        """
        problems: list[Problem] = []
        scenarios = _scenarios(scenario, problems)
        if not _is_count(replications, 1):
            problems.append(Problem("replications", f"must be an integer >= 1 (got {replications!r})"))
        if not _is_count(seed, 0):
            problems.append(Problem("seed", f"must be an integer >= 0 (got {seed!r})"))
        if batch_size is not None and not _is_count(batch_size, 1):
            problems.append(Problem("batch_size", f"must be an integer >= 1 or None (got {batch_size!r})"))
        if not isinstance(keep_calls, bool):
            problems.append(Problem("keep_calls", f"must be True or False (got {keep_calls!r})"))
        chosen = _policies(policies, scenarios, problems)
        base = _baseline(baseline, chosen, scenarios, problems)
        if problems:
            raise InputError("experiment", problems)
        swept = normalise_sweep(sweep)
        points = tuple(sweep_points(scenarios, swept))
        return cls(scenarios=tuple(scenarios), points=points, policies=chosen,
                   replications=int(replications), seed=int(seed), baseline=base, sweep=swept,
                   keep_calls=keep_calls, batch_size=None if batch_size is None else int(batch_size))

    # ------------------------------------------------------------ the work
    def cells(self) -> list[Cell]:
        """Every cell of the plan, in result order (point, policy, replication)."""
        return [Cell(p.index, name, r) for p in self.points for name in self.policies
                for r in range(self.replications)]

    def choose_batch_size(self, cells: int, workers: int) -> int:
        """Replications per task for a workload.

        Uses :attr:`batch_size` when set. Otherwise batches hold about
        :data:`CALLS_PER_BATCH` expected calls, but never so many that fewer than
        :data:`BATCHES_PER_WORKER` batches per worker are left to balance the load.

        Args:
            cells: Number of cells to run.
            workers: Workers the executor runs in parallel.
        """
        if self.batch_size is not None:
            return self.batch_size
        calls = max(expected_calls(p.scenario) for p in self.points)
        by_cost = max(1, CALLS_PER_BATCH // max(calls, 1))
        by_balance = max(1, math.ceil(cells / (BATCHES_PER_WORKER * max(workers, 1))))
        return max(1, min(by_cost, by_balance, self.replications))

    def tasks(self, cells: Sequence[Cell], workers: int = 1,
              simulator: Simulator | None = None) -> list[Task]:
        """Group cells into tasks of consecutive replications of one policy and point.

        Args:
            cells: Cells to run (e.g. those a resumed run still lacks).
            workers: Workers the executor runs in parallel (for batch sizing).
            simulator: Run-one function; ``None`` is the engine's ``simulate``.

        Returns:
            Tasks in result order; their names are unique and stable.
        """
        size = self.choose_batch_size(len(cells), workers)
        order = {name: i for i, name in enumerate(self.policies)}
        groups: dict[tuple[int, str], list[int]] = {}
        for cell in sorted(cells, key=lambda c: (c.point, order[c.policy], c.replication)):
            groups.setdefault((cell.point, cell.policy), []).append(cell.replication)
        tasks = []
        for (point, policy), reps in groups.items():
            for start in range(0, len(reps), size):
                chunk = tuple(reps[start:start + size])
                tasks.append(Task(
                    name=f"pt{point:04d}-pol{order[policy]:03d}-r{chunk[0]:05d}-{chunk[-1]:05d}",
                    scenario=self.points[point].scenario, policy_name=policy,
                    policy=self.policies[policy], seed=self.seed, replications=chunk,
                    keep_calls=self.keep_calls, labels=self.points[point].labels,
                    simulator=simulator,
                ))
        return tasks

    # ------------------------------------------------------------ description
    def policy_records(self) -> list[dict[str, Any]]:
        """Name, spec (type and parameters) and repr of each policy, JSON-safe."""
        return [{"name": name, "spec": json_safe(_spec(policy)), "repr": repr(policy)}
                for name, policy in self.policies.items()]

    def identity(self) -> dict[str, Any]:
        """What must match for a stored run to be resumed with this plan."""
        return {
            "scenario_hashes": [s.hash for s in self.scenarios],
            "point_hashes": [p.scenario.hash for p in self.points],
            "policies": [{"name": r["name"], "spec": r["spec"]} for r in self.policy_records()],
            "seed": self.seed,
            "sweep": json_safe(dict(self.sweep)),
            "keep_calls": self.keep_calls,
        }


def expected_calls(scenario: Scenario) -> int:
    """Expected new calls in one replication of a scenario (repeat calls excluded)."""
    c = scenario.center
    return int(scenario.demand.calls_per_hour * c.hours_per_day * c.days_per_month * c.months)


def _is_count(value: Any, minimum: int) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool) and int(value) >= minimum


def _spec(policy: Policy) -> dict[str, Any]:
    to_spec = getattr(policy, "to_spec", None)
    return to_spec() if callable(to_spec) else {"type": type(policy).__name__}


def _scenarios(scenario: Any, problems: list[Problem]) -> list[Scenario]:
    items = [scenario] if isinstance(scenario, Scenario) else scenario
    if isinstance(items, str | bytes) or not isinstance(items, Sequence) or not items:
        problems.append(Problem("scenario", "must be a Scenario or a non-empty list of Scenarios "
                                "(load a file with Scenario.load)"))
        return []
    bad = [i for i, s in enumerate(items) if not isinstance(s, Scenario)]
    if bad:
        problems.append(Problem("scenario", f"items {bad} are not Scenario objects"))
        return []
    names = [s.name for s in items]
    if len(set(names)) != len(names):
        problems.append(Problem("scenario.name", f"scenario names must differ to tell results "
                                f"apart (got {names})"))
    return list(items)


def _policies(policies: Any, scenarios: list[Scenario],
              problems: list[Problem]) -> dict[str, Policy]:
    if policies is None:
        return _declared(scenarios, problems)
    if not isinstance(policies, Mapping) or not policies:
        problems.append(Problem("policies", "must be a non-empty dict of name -> Policy, e.g. "
                                "{'flat': isim.policies.Flat()}"))
        return {}
    out: dict[str, Policy] = {}
    for name, policy in policies.items():
        if not isinstance(name, str) or not name:
            problems.append(Problem("policies", f"names must be non-empty strings (got {name!r})"))
        elif isinstance(policy, Mapping):  # a scenario-file spec, e.g. scenario.policies[name]
            out.update(_declared_specs({name: policy}, problems))
        elif not isinstance(policy, Policy):
            problems.append(Problem(f"policies.{name}", f"must be a Policy object (got "
                                    f"{type(policy).__name__}); build one from "
                                    "isim.policies or subclass isim.policies.Policy"))
        else:
            out[name] = policy
    return out


def _declared(scenarios: list[Scenario], problems: list[Problem]) -> dict[str, Policy]:
    specs: dict[str, dict[str, Any]] = {}
    for scenario in scenarios:
        for name, spec in scenario.policies.items():
            if name in specs and json_safe(specs[name]) != json_safe(spec):
                problems.append(Problem(f"policies.{name}", f"declared differently in scenario "
                                        f"{scenario.name!r}; give each variant its own name"))
            specs.setdefault(name, dict(spec))
    if scenarios and not specs:
        problems.append(Problem("policies", "the scenario declares no policies; declare each in "
                                "the file as a table, e.g. [policies.flat] with type = \"Flat\" "
                                "(and its parameters), or pass policies={...}"))
    return _declared_specs(specs, problems)


def _declared_specs(specs: Mapping[str, Mapping[str, Any]], problems: list[Problem]) -> dict[str, Policy]:
    from incentsim.policies.registry import build_policy

    out: dict[str, Policy] = {}
    for name, spec in specs.items():
        try:
            out[name] = build_policy(spec)
        except InputError as exc:
            problems += [Problem(f"policies.{name}.{p.field}", p.message) for p in exc.problems]
    return out


def _baseline(baseline: Any, policies: Mapping[str, Policy], scenarios: list[Scenario],
              problems: list[Problem]) -> str:
    if not policies:
        return ""
    allowed = ", ".join(policies)
    if baseline is None:
        declared = next((s.baseline for s in scenarios if s.baseline in policies), "")
        return declared or next(iter(policies))
    if baseline not in policies:
        problems.append(Problem("baseline", f"{baseline!r} is not one of the policies; "
                                f"allowed: {allowed}"))
        return ""
    return str(baseline)
