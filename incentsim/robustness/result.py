"""The result of a robustness analysis: verdicts, importance, boxes, and how they were made.

Layout of a saved analysis (``robustness(..., out=DIR)`` or ``incentsim robustness``)::

    robustness.json            settings, assumptions and their ranges, notes, stages, status, timings
    verdicts.parquet           one row per pair of policies and outcome
    importance.parquet         one row per assumption, contrast and outcome
    boxes.parquet              one row per conclusion that flips somewhere, with its box
    design-screening.parquet   the Morris points (point, cluster, assumption values)
    design-sobol.parquet       the Sobol points
    nominal/ screening/ sobol/ each stage's runs, as written by isim.compare (Parquet + manifest)
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pandas as pd

from incentsim.errors import InputError
from incentsim.experiment.storage import write_parquet, write_text

#: Identifies the layout of a saved analysis.
FORMAT = "incentsim-robustness/1"
MANIFEST = "robustness.json"
TABLES: tuple[str, ...] = ("verdicts", "importance", "boxes")
#: Sobol total index of "other assumptions" above which the screening is said to have missed something.
MISSED_ST = 0.3


class Robustness:
    """Which conclusions survive the uncertainty in the model's assumptions.

    Attributes:
        verdicts: Per pair of policies and outcome: the difference as written
            (with its 95% interval over replications), the share of sampled
            plausible assumptions where it keeps its sign (with a 95% interval),
            the share of points within replication noise, a status word and a
            plain-language ``reading``.
        importance: Per assumption, contrast (a policy's level, or ``"a - b"``)
            and outcome: Morris ``mu_star``, ``mu_star_conf``, ``mu``, ``sigma``
            from the screening; Sobol ``S1``, ``ST`` (and ``_conf``) for the
            assumptions chosen for the second stage and for ``other assumptions``.
        boxes: Per conclusion that flips somewhere: the PRIM box of assumption
            ranges where it flips, its coverage, density, mass and a ``reading``.
        nominal: The :class:`~incentsim.Experiment` of the scenario as written.
        designs: Stage name -> design points (point, cluster, assumption values).
        manifest: Settings, assumptions, notes, stages and timings.
        path: Directory the analysis is saved in, if any.
    """

    def __init__(self, verdicts: pd.DataFrame, importance: pd.DataFrame, boxes: pd.DataFrame, nominal: Any,
                 designs: dict[str, pd.DataFrame], manifest: dict[str, Any], path: Path | None = None) -> None:
        self.verdicts = verdicts
        self.importance = importance
        self.boxes = boxes
        self.nominal = nominal
        self.designs = designs
        self._manifest = manifest
        self.path = path

    @property
    def manifest(self) -> dict[str, Any]:
        """Settings, assumptions, notes, stages and timings (a copy)."""
        return copy.deepcopy(self._manifest)

    @property
    def notes(self) -> list[str]:
        """Adjustments made to the ranges (a range widened to hold the scenario's value)."""
        return list(self._manifest.get("notes", []))

    @property
    def assumptions(self) -> pd.DataFrame:
        """The assumptions varied: key, low, high, scale, reason, origin."""
        return pd.DataFrame(self._manifest.get("assumptions", []))

    @property
    def chosen(self) -> list[str]:
        """Assumptions the Sobol stage estimated indices for (empty in screening mode)."""
        return list(self._manifest.get("chosen", []))

    def describe(self, limit: int | None = None) -> str:
        """The verdict table in plain words, as ``incentsim robustness`` prints it.

        Args:
            limit: Show at most this many verdicts (the least robust first); ``None`` shows all.
        """
        m = self._manifest
        settings = m.get("settings", {})
        stages = m.get("stages", {})
        runs = sum(int(s.get("runs", 0)) for s in stages.values())
        lines = [
            f"Which conclusions survive: scenario {m.get('scenario', {}).get('name')!r}, "
            f"{len(m.get('policies', []))} policies, {len(m.get('assumptions', []))} assumptions varied "
            f"over their plausible ranges, {runs} runs, seed {settings.get('seed')}.",
            f"Sample: {m.get('verdict_sample', '')}.",
            "Share = share of sampled assumption points where the difference keeps the sign it has in "
            "the scenario as written.",
            "",
        ]
        table = self.verdicts.sort_values("share", kind="mergesort", na_position="last")
        if limit is not None:
            table = table.head(limit)
        width = max([len(f"{r.policy} - {r.against}") for r in table.itertuples()] + [8])
        lines.append(f"  {'policy - against'.ljust(width)}  {'outcome':24s}  {'share':>6s}  "
                     f"{'95% interval':>13s}  status")
        for r in table.itertuples(index=False):
            share = "-" if pd.isna(r.share) else f"{100 * r.share:.0f}%"
            interval = "-" if pd.isna(r.share_low) else f"{100 * r.share_low:.0f}-{100 * r.share_high:.0f}%"
            lines.append(f"  {f'{r.policy} - {r.against}'.ljust(width)}  {r.outcome:24s}  {share:>6s}  "
                         f"{interval:>13s}  {r.status}")
        fragile = self.verdicts[self.verdicts["status"].isin(["fragile", "reverses", "mostly survives"])]
        if not fragile.empty:
            lines += ["", "Conclusions that do not hold everywhere:"]
            lines += [f"  - {r}" for r in fragile["reading"]]
        if not self.boxes.empty:
            lines += ["", "Where they flip (PRIM boxes):"]
            lines += [f"  - {r}" for r in self.boxes["reading"]]
        survived = self.verdicts[self.verdicts["status"] == "survives"]
        lines += ["", f"{len(survived)} of {len(self.verdicts)} conclusions survive in at least 95% of the "
                  "plausible space."]
        missed = self.missed_by_screening()
        if missed:
            lines += ["", "The screening missed what drives these (Sobol ST of the other assumptions "
                      f"clearly above {MISSED_ST:g}); read their verdicts, not the Morris ranking:",
                      "  " + "; ".join(missed)]
        top = self.top_assumptions(5)
        if top:
            lines += [f"Assumptions that move the conclusions most (Morris mu*): {', '.join(top)}."]
        if self.notes:
            lines += ["", "Notes:"] + [f"  - {n}" for n in self.notes]
        if m.get("status") != "complete":
            lines += ["", "PARTIAL: the analysis did not finish; resume it to complete it."]
        return "\n".join(lines) + "\n"

    def missed_by_screening(self) -> list[str]:
        """Pair differences whose Sobol group ``other assumptions`` has ST clearly above :data:`MISSED_ST`.

        A large total index of the assumptions the screening did not choose means
        the screening (in its cheaper world) did not see what drives that outcome.
        "Clearly": the lower end of the index's confidence interval is above the
        threshold, so a rough estimate from a small design does not raise the alarm.
        """
        from incentsim.robustness.design import OTHERS

        table = self.importance
        if "ST" not in table.columns:
            return []
        low = table["ST"] - table["ST_conf"].fillna(0.0)
        rows = table[(table["assumption"] == OTHERS) & (table["against"] != "") & (low > MISSED_ST)]
        return [f"{r.contrast} on {r.outcome} (ST {r.ST:.2f})" for r in rows.itertuples(index=False)]

    def top_assumptions(self, n: int = 5) -> list[str]:
        """The ``n`` assumptions with the largest mean share of mu* over pair differences."""
        from incentsim.robustness.analysis import choose

        if "mu_star" not in self.importance.columns or self.importance["mu_star"].isna().all():
            return self.chosen[:n]
        return choose(self.importance, n)

    # ------------------------------------------------------------ storage
    def save(self, path: str | Path) -> Path:
        """Write the tables and the manifest to ``path`` (stage runs are written while running)."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for name in TABLES:
            write_parquet(_storable(getattr(self, name)), path / f"{name}.parquet")
        for stage, frame in self.designs.items():
            write_parquet(frame, path / f"design-{stage}.parquet")
        write_text(path / MANIFEST, json.dumps(self._manifest, indent=2, default=repr) + "\n")
        self.path = path
        return path

    @classmethod
    def load(cls, path: str | Path) -> Robustness:
        """Read an analysis saved by :meth:`save` (or ``robustness(..., out=DIR)``).

        Raises:
            InputError: If ``path`` holds no analysis.
        """
        from incentsim.experiment.storage import load

        path = Path(path)
        manifest = read_manifest(path)
        tables = {}
        for name in TABLES:
            file = path / f"{name}.parquet"
            tables[name] = _restored(pd.read_parquet(file)) if file.exists() else pd.DataFrame()
        designs = {p.stem.removeprefix("design-"): pd.read_parquet(p) for p in sorted(path.glob("design-*.parquet"))}
        nominal = load(path / "nominal") if (path / "nominal" / "manifest.json").exists() else None
        return cls(tables["verdicts"], tables["importance"], tables["boxes"], nominal, designs, manifest, path)

    def __repr__(self) -> str:
        survived = int((self.verdicts["status"] == "survives").sum()) if "status" in self.verdicts else 0
        return (f"<Robustness {self._manifest.get('scenario', {}).get('name')!r}: {survived} of "
                f"{len(self.verdicts)} conclusions survive, {len(self.boxes)} boxes>")


def read_manifest(path: Path) -> dict[str, Any]:
    """Read and check ``robustness.json``."""
    file = path / MANIFEST
    try:
        manifest = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError.single(str(path), MANIFEST, "not found; is this a directory written by "
                                "incentsim robustness or isim.robustness(..., out=DIR)?") from None
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError.single(str(path), MANIFEST, f"unreadable: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InputError.single(str(path), f"{MANIFEST}.format", f"expected {FORMAT!r}")
    return manifest


def _storable(frame: pd.DataFrame) -> pd.DataFrame:
    # Lists and dicts (box conditions and limits) go to Parquet as JSON text.
    out = frame.copy()
    for column in ("conditions", "limits"):
        if column in out.columns:
            out[column] = out[column].map(lambda v: json.dumps(v))
    return out


def _restored(frame: pd.DataFrame) -> pd.DataFrame:
    for column in ("conditions", "limits"):
        if column in frame.columns:
            frame[column] = frame[column].map(json.loads)
    return frame
