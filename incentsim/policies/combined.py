"""Stacking policies: several schemes in force at once.

Real centres run more than one scheme (a team goal and a handle-time target;
a bonus on top of ranking). The merge rules are an assumption, stated here and
in ``docs/reference/policies/combined.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from incentsim.errors import InputError, Problem
from incentsim.policies.base import Policy, Review

#: Deepest nesting of Combined inside Combined (``Combined(Combined(...))`` is two).
#: Stacking needs one level; the limit keeps checking and reviewing cheap and far
#: from Python's recursion limit.
MAX_NESTING = 8


class Combined(Policy):
    """Several policies in force at once.

    Each part reviews the same measured frame; the outcomes merge as follows:
    payouts add up per agent; ranks come from the first part that ranks;
    sanctions merge with ``fire`` over ``warning``; coaching is the union; the
    share of management time on the process is the largest of the parts' (one
    manager's time is not doubled by running two schemes). Fines are allowed if
    any part declares them.

    Args:
        *policies: The policies to stack (policy objects, or scenario-file specs
            such as ``{"type": "TeamBonus", "metric": "csat", "threshold": 0.85}``).

    Example:
        >>> from incentsim.policies import Combined, HandleTimeTarget, TeamBonus, synthetic_measured
        >>> both = Combined(TeamBonus(metric="csat", threshold=0.5), HandleTimeTarget(minutes=6))
        >>> review = both.review(synthetic_measured(seed=1, agents=4, periods=1), 0)
        >>> len(review.payouts), len(review.sanctions), review.process_improvement
        (4, 3, 0.2)
    """

    def __init__(self, *policies: Policy) -> None:
        self.policies = policies

    @property
    def fines(self) -> bool:  # type: ignore[override]
        """Whether any stacked part declares fines."""
        return any(getattr(p, "fines", False) for p in self._parts())

    def get_params(self) -> dict[str, Any]:
        """The stacked policies, as ``{"policies": (...)}``."""
        return {"policies": self.policies}

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Combined:
        """Rebuild from ``{"policies": [...]}`` (policy objects or specs)."""
        unknown = sorted(set(params) - {"policies"})
        if unknown:
            raise InputError("policy Combined", [Problem(
                name, "unknown parameter; allowed: policies") for name in unknown])
        return cls(*params.get("policies", ()))

    def __repr__(self) -> str:
        return f"Combined({', '.join(repr(p) for p in self.policies)})"

    def _parts(self) -> list[Policy]:
        from incentsim.policies.registry import build_policy

        return [p if isinstance(p, Policy) else build_policy(p) for p in self.policies]

    def _validate(self) -> None:
        if nesting_depth(self) > MAX_NESTING:
            raise InputError.single("policy Combined", "policies", f"Combined inside Combined is "
                                    f"nested more than {MAX_NESTING} levels deep (the limit); "
                                    "stack the parts in one Combined instead")
        problems: list[Problem] = []
        if not self.policies:
            problems.append(Problem("policies", "needs at least one policy to stack"))
        for i, part in enumerate(self.policies):
            try:
                # Each part is checked once: building a spec checks it, an object checks itself.
                if isinstance(part, Policy):
                    part._validate()
                else:
                    _build(part)
            except InputError as exc:
                problems += [Problem(f"policies[{i}].{p.field}".rstrip("."), p.message)
                             for p in exc.problems]
        if problems:
            raise InputError("policy Combined", problems)

    def review(self, measured: pd.DataFrame, period: int) -> Review:
        """Review with every part and merge the outcomes."""
        self._validate()
        payouts: dict[int, float] = {}
        ranks: dict[int, int] = {}
        sanctions: dict[int, str] = {}
        coaching: set[int] = set()
        process = 0.0
        for part in self._parts():
            review = part.review(measured, period)
            for agent, money in review.payouts.items():
                payouts[agent] = payouts.get(agent, 0.0) + float(money)
            if not ranks and review.ranks:
                ranks = dict(review.ranks)
            for agent, sanction in review.sanctions.items():
                if sanction == "fire" or agent not in sanctions:
                    sanctions[agent] = sanction
            coaching |= set(review.coaching)
            process = max(process, float(review.process_improvement))
        return Review(payouts=payouts, ranks=ranks, sanctions=sanctions,  # type: ignore[arg-type]
                      coaching=frozenset(coaching), process_improvement=process)


def _build(spec: Any) -> Policy:
    from incentsim.policies.registry import build_policy

    if not isinstance(spec, Mapping):
        shown = repr(spec) if len(repr(spec)) <= 60 else f"a {type(spec).__name__}"
        raise InputError.single("policy Combined", "", f"expected a policy or a spec table, "
                                                      f"got {shown}")
    return build_policy(spec)


def nesting_depth(policy: Combined) -> int:
    """Levels of Combined in ``policy`` (objects or specs), counted without recursion.

    Stops counting once past :data:`MAX_NESTING`, so a hostile spec costs little.
    """
    deepest = 0
    stack: list[tuple[Any, int]] = [(policy, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_NESTING:
            break
        if isinstance(node, Combined):
            children: Any = node.policies
        elif isinstance(node, Mapping) and node.get("type") == "Combined":
            children = node.get("policies", ())
        else:
            continue
        if isinstance(children, list | tuple):
            stack += [(child, depth + 1) for child in children
                      if isinstance(child, Combined)
                      or (isinstance(child, Mapping) and child.get("type") == "Combined")]
    return deepest
