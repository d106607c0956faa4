"""An experiment's results: tidy frames, the comparison table, provenance.

An :class:`Experiment` is what :func:`~incentsim.experiment.compare.compare`
returns and :func:`~incentsim.experiment.storage.load` restores. It holds one
row per policy x replication x sweep point (:attr:`Experiment.summaries`), one
row per agent per period of every run (:attr:`Experiment.agents`) and, when kept,
one row per call (:attr:`Experiment.calls`), each labelled with the scenario, its
hash, the sweep values, the policy and the replication. Its manifest records how
it was made (desmod-style provenance).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from incentsim.errors import InputError
from incentsim.experiment.folder import TABLES, Kind, Staging, claim
from incentsim.experiment.manifest import MANIFEST
from incentsim.experiment.storage import load_calls, write_parquet, write_text
from incentsim.experiment.table import comparison_table
from incentsim.scenario import Scenario

#: Columns that label a result row rather than measure an outcome.
LABEL_COLUMNS: tuple[str, ...] = ("scenario", "scenario_hash", "point", "policy", "replication")


class Experiment:
    """Results of comparing policies over replications (and sweep points).

    Args:
        summaries: One row per policy x replication x sweep point.
        agents: One row per agent per period per run.
        calls: One row per call per run; ``None`` if not kept or not yet read.
        manifest: Plan and provenance (see :mod:`incentsim.experiment.storage`).
        path: Result directory the experiment lives in, if any (calls are read
            from it on first use).
    """

    def __init__(self, summaries: pd.DataFrame, agents: pd.DataFrame, calls: pd.DataFrame | None,
                 manifest: dict[str, Any], path: str | Path | None = None) -> None:
        self._summaries = summaries
        self._agents = agents
        self._calls = calls
        self._manifest = manifest
        self.path = Path(path) if path is not None else None

    # ------------------------------------------------------------ data
    @property
    def summaries(self) -> pd.DataFrame:
        """One row per policy x replication x sweep point: labels then every summary outcome."""
        return self._summaries

    @property
    def agents(self) -> pd.DataFrame:
        """One row per agent per period of every run, labelled like :attr:`summaries`."""
        return self._agents

    @property
    def calls(self) -> pd.DataFrame:
        """One row per call of every run (only when the experiment kept calls).

        Raises:
            InputError: If calls were not kept (``keep_calls=False``, ``--calls`` not given).
        """
        if self._calls is None:
            if not self.keep_calls:
                raise InputError.single("experiment", "keep_calls", "calls were not kept; run "
                                        "compare(..., keep_calls=True) or incentsim run --calls")
            if self.path is None:
                self._calls = pd.DataFrame()
            else:
                self._calls = load_calls(self.path, self._manifest)
        return self._calls

    @property
    def manifest(self) -> dict[str, Any]:
        """Plan and provenance: scenario TOML and hash, policies, seed, versions, git, timings."""
        return copy.deepcopy(self._manifest)

    # ------------------------------------------------------------ plan facts
    @property
    def policies(self) -> list[str]:
        """Policy names in table order."""
        return [p["name"] for p in self._manifest["policies"]]

    @property
    def baseline(self) -> str:
        """The policy differences are taken against by default."""
        return str(self._manifest["baseline"])

    @property
    def seed(self) -> int:
        """The experiment's seed."""
        return int(self._manifest["seed"])

    @property
    def replications(self) -> int:
        """Replications planned per policy and sweep point."""
        return int(self._manifest["replications"])

    @property
    def keep_calls(self) -> bool:
        """Whether per-call records were kept."""
        return bool(self._manifest["keep_calls"])

    @property
    def sweep(self) -> dict[str, list[Any]]:
        """Dotted scenario key -> values swept (empty without a sweep)."""
        return dict(self._manifest["sweep"])

    @property
    def complete(self) -> bool:
        """Whether every planned cell finished (False for an interrupted run)."""
        return self._manifest["status"] == "complete"

    @property
    def scenarios(self) -> list[Scenario]:
        """The base scenarios, rebuilt from the TOML the manifest holds."""
        return [Scenario.from_toml(s["toml"], source=f"manifest scenario {s['name']!r}")
                for s in self._manifest["scenarios"]]

    @property
    def scenario(self) -> Scenario:
        """The (first) base scenario."""
        return self.scenarios[0]

    @property
    def outcomes(self) -> list[str]:
        """Outcome columns of :attr:`summaries`."""
        labels = {*LABEL_COLUMNS, *self.sweep}
        return [c for c in self._summaries.columns if c not in labels]

    # ------------------------------------------------------------ analysis
    def table(self, baseline: str | None = None, outcomes: Sequence[str] | None = None,
              confidence: float = 0.95) -> pd.DataFrame:
        """Per policy and outcome: mean, CI, paired difference against a baseline, verdict.

        Args:
            baseline: Policy to compare against (default :attr:`baseline`).
            outcomes: Outcomes to include (default all of :attr:`outcomes`).
            confidence: Confidence level of every interval.

        Returns:
            Tidy frame with columns (``scenario`` when there are several, sweep keys
            when swept) ``policy``, ``outcome``, ``n``, ``mean``, ``ci_low``,
            ``ci_high``, ``diff``, ``diff_low``, ``diff_high`` (policy minus
            baseline, paired by replication) and ``verdict`` (``higher``,
            ``lower``, ``no clear difference``; ``baseline`` on its own rows).

        Raises:
            InputError: For an unknown baseline or outcome, naming the allowed ones.
        """
        base = self.baseline if baseline is None else baseline
        if base not in self.policies:
            raise InputError.single("table", "baseline", f"{base!r} is not a policy; allowed: "
                                    f"{', '.join(self.policies)}")
        chosen = self.outcomes if outcomes is None else list(outcomes)
        unknown = [o for o in chosen if o not in self.outcomes]
        if unknown:
            raise InputError.single("table", "outcomes", f"unknown {unknown}; allowed: "
                                    f"{', '.join(self.outcomes)}")
        return comparison_table(self._summaries, self.policies, base, chosen,
                                groups=self.group_columns, confidence=confidence)

    @property
    def group_columns(self) -> list[str]:
        """Columns that split the table: ``scenario`` if there are several, then sweep keys."""
        several = len(self._manifest["scenarios"]) > 1
        return (["scenario"] if several else []) + list(self.sweep)

    def describe(self, baseline: str | None = None, outcomes: Sequence[str] | None = None,
                 wide: bool = False) -> str:
        """The comparison in plain language, as ``incentsim run`` prints it (100 columns).

        Key outcomes per policy with their intervals, each policy's detectable
        differences from the baseline (signed, sized), and the verdict: which
        policy does best on true outcomes, or that the data do not separate them.
        See :func:`incentsim.report.terminal.describe`.

        Args:
            baseline: Policy to compare against (default :attr:`baseline`).
            outcomes: Outcomes in the differences and the wide table (default all).
            wide: Also show every outcome for every policy.
        """
        from incentsim.report.terminal import describe

        return describe(self, baseline, outcomes, wide=wide)

    # ------------------------------------------------------------ storage
    def save(self, path: str | Path, overwrite: bool = False) -> Path:
        """Write the experiment as Parquet tables plus ``manifest.json``; :func:`load` restores it.

        The folder must not exist, be empty, or (with ``overwrite=True``) hold an
        experiment, whose files are then replaced; a folder holding anything else
        is refused. The tables are written beside it and moved into place when
        complete, so a failed save leaves the folder as it was.

        Args:
            path: Result directory (created if needed).
            overwrite: Replace an experiment already saved there.

        Returns:
            The directory.

        Raises:
            InputError: If the folder cannot take the experiment (see above).
        """
        path = Path(path)
        target = claim(path, overwrite=overwrite)
        calls = self.calls if self.keep_calls else None
        frames = {"summaries": self._summaries, "agents": self._agents, "calls": calls}
        staging = Staging(path)
        folder = staging.create()
        try:
            for table in TABLES:
                if frames[table] is not None:
                    write_parquet(frames[table], folder / table / "saved.parquet")
            write_text(folder / MANIFEST, json.dumps(self._manifest, indent=2, default=repr) + "\n")
            staging.commit(replace=target.kind in (Kind.EXPERIMENT, Kind.DAMAGED))
        except BaseException:
            staging.discard()
            raise
        return path

    def __repr__(self) -> str:
        status = "complete" if self.complete else "partial"
        return (f"<Experiment {', '.join(s['name'] for s in self._manifest['scenarios'])}: "
                f"{len(self.policies)} policies x {self.replications} replications, "
                f"{len(self._summaries)} runs, {status}>")
