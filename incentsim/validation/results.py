"""What a validation check reports, and how much work the suite does."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CheckResult:
    """Outcome of one validation check.

    Attributes:
        name: Short name, e.g. ``"erlang_c util 0.95: mean wait (min)"``.
        figure: The value the model reached.
        expected: The value theory or the source gives.
        tolerance: Largest acceptable ``|figure - expected|`` (for one-sided checks,
            how far above ``expected`` the figure may lie).
        passed: Whether the figure is within tolerance.
        detail: How the figure was reached (sizes, interval) or why it was skipped.
        skipped: The check could not run (e.g. its scenario file is missing); a
            skipped check is reported but does not fail the suite.
    """

    name: str
    figure: float
    expected: float
    tolerance: float
    passed: bool
    detail: str
    skipped: bool = False

    @property
    def status(self) -> str:
        """``"pass"``, ``"FAIL"`` or ``"skipped"``."""
        return "skipped" if self.skipped else "pass" if self.passed else "FAIL"


@dataclass(frozen=True)
class Sizes:
    """How much work each check does.

    Attributes:
        replications: Independent replications per queueing case.
        hours: Simulated hours per replication for the fast (0.80) queueing cases;
            the heavy-traffic cases use ``hours * 0.4`` with more agents.
        warmup_hours: Hours discarded at the start of each replication.
        dips: Paddle dips in the red bead check.
        funnel_runs: Funnel runs (each with its own seed) in the funnel check.
        funnel_drops: Drops per funnel run.
        churn_replications: Replications of the source-000 scenario.
    """

    replications: int
    hours: float
    warmup_hours: float
    dips: int
    funnel_runs: int
    funnel_drops: int
    churn_replications: int


__all__ = ["CheckResult", "Sizes"]
