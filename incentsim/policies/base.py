"""The policy interface: what a reward or management scheme is and may see.

A policy is a small object (parameters stored as given in ``__init__``, as in
scikit-learn) with one required method, :meth:`Policy.review`: called at the
end of every review period with the *measured* KPIs only (never the truth
layer), it returns a :class:`~incentsim.contract.Review`: payouts, ranks,
sanctions, coaching and the share of management time spent on the process.

That is all a policy says. Agents react to what its reviews do (or would do)
to their own measured numbers, so a user-written policy with the same
``review`` as a built-in behaves exactly like it. The engine never lets a
policy reach truth: ``review`` gets a DataFrame with the columns in
:data:`~incentsim.contract.MEASURED_COLUMNS` and nothing else. ``review`` must be
a pure function of its input: the engine also calls it on hypothetical frames to
learn what it would do (:mod:`incentsim.behaviour.perception`).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any, ClassVar

import pandas as pd

from incentsim.contract import MEASURED_COLUMNS, METRICS, Review, Sanction


class Policy:
    """Base class of reward and management schemes.

    Subclasses store their constructor arguments unchanged as attributes of the
    same name (so :meth:`get_params` and ``repr`` work) and implement
    :meth:`review`. Subclasses are registered by class name for scenario files.

    Attributes:
        fines: Whether negative payouts (fines) are part of the scheme.
    """

    fines: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        from incentsim.policies.registry import register

        register(cls)

    def _validate(self) -> None:
        """Check the stored parameters; raise :class:`~incentsim.errors.InputError` if bad.

        Constructors only store (scikit-learn style), so a bad value is reported
        when the policy is first used or built from a scenario file, naming the
        parameter and what is allowed. The default accepts everything.
        """

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Policy:
        """Rebuild a policy from :meth:`get_params` (``cls(**params)`` by default)."""
        return cls(**params)

    def review(self, measured: pd.DataFrame, period: int) -> Review:
        """Decide the outcome of review ``period`` from measured KPIs.

        Args:
            measured: Measured KPIs, columns :data:`~incentsim.contract.MEASURED_COLUMNS`,
                all periods up to and including ``period``.
            period: The period being reviewed (0-based).

        Returns:
            What the policy does this period. It must depend only on
            ``measured`` and ``period`` (no hidden state, no unseeded randomness).
        """
        raise NotImplementedError

    def get_params(self) -> dict[str, Any]:
        """Constructor parameters as stored."""
        names = [
            p for p in inspect.signature(type(self).__init__).parameters
            if p not in ("self", "args", "kwargs")
        ]
        return {n: getattr(self, n) for n in names}

    def to_spec(self) -> dict[str, Any]:
        """A scenario-file spec (``type`` plus parameters) that rebuilds this policy.

        Tuples become lists and parameters left at ``None`` are dropped, so the
        spec is TOML-safe; :func:`~incentsim.policies.build_policy` of it gives an
        equal policy up to list/tuple.
        """
        return {"type": type(self).__name__,
                **{k: _plain(v) for k, v in self.get_params().items() if v is not None}}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.get_params() == other.get_params()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__name__, repr(self)))


def _plain(value: Any) -> Any:
    """A parameter value as plain TOML-safe data (nested policies become specs)."""
    if isinstance(value, Policy):
        return value.to_spec()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


__all__ = ["MEASURED_COLUMNS", "METRICS", "Policy", "Review", "Sanction"]
