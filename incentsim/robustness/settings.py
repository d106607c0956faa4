"""The optional ``[robustness]`` table of a scenario file: narrow, widen, add or drop assumptions.

The package's assumption registry (:mod:`incentsim.robustness.assumptions`) gives
every assumption a plausible range for a generic centre. A manager who knows
their own centre better says so in the scenario file::

    [robustness]
    exclude = ["costs.hiring_cost"]          # we know what hiring costs
    # only = ["behaviour.decisions.dump_scale", ...]   # or vary just these

    [robustness.ranges]
    "behaviour.decisions.dump_scale" = [0.0, 0.2]
    "demand.calls_per_hour" = { range = [230, 280], reason = "our forecast error" }

A key already in the registry gets the new range; a scenario field not in the
registry becomes an assumption of this scenario. Keys are checked against the
scenario schema when the file loads, so a misspelt key is an error naming it.
The table does not change what is simulated, so it is left out of the
scenario's hash when empty.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class Block(BaseModel):
    """Frozen, strict, unknown keys rejected: as :class:`incentsim.scenario.base.Block`.

    Defined here rather than imported so that the scenario model can import this
    module without an import cycle.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


class RangeSpec(Block):
    """A range with its reason, as a scenario file may give it.

    Attributes:
        range: Plausible ``[low, high]``.
        reason: Why this range (shown in the report and the manifest).
        scale: ``linear`` (uniform on the range) or ``log`` (uniform on its logarithm).
    """

    range: tuple[float, float]
    reason: str = ""
    scale: Literal["linear", "log"] = "linear"

    @model_validator(mode="after")
    def _ordered(self) -> RangeSpec:
        low, high = self.range
        if not low < high:
            raise ValueError(f"range must be [low, high] with low < high, got {list(self.range)}")
        if self.scale == "log" and low <= 0:
            raise ValueError(f"a log-scale range must be positive, got {list(self.range)}")
        return self


class RobustnessSettings(Block):
    """Scenario-specific changes to the assumption registry.

    Attributes:
        ranges: Dotted scenario key -> ``[low, high]`` or ``{range, reason, scale}``;
            replaces the registry's range, or adds the key as an assumption.
        exclude: Registry keys held at the scenario's value instead of varied.
        only: If given, vary only these keys (registry keys or keys of ``ranges``).
    """

    ranges: dict[str, tuple[float, float] | RangeSpec] = Field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    only: tuple[str, ...] = ()

    @field_validator("ranges")
    @classmethod
    def _ranges_valid(cls, v: dict[str, tuple[float, float] | RangeSpec]) -> dict[str, tuple[float, float] | RangeSpec]:
        from incentsim.robustness.schema import numeric_field

        problems = []
        for key, spec in v.items():
            low, high = spec.range if isinstance(spec, RangeSpec) else spec
            if not low < high:
                problems.append(f"{key}: range must be [low, high] with low < high, got [{low}, {high}]")
            reason = numeric_field(key)
            if reason:
                problems.append(f"{key}: {reason}")
        if problems:
            raise ValueError("; ".join(problems))
        return v

    @field_validator("exclude", "only")
    @classmethod
    def _exclude_known(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        from incentsim.robustness.schema import numeric_field

        problems = [f"{key}: {reason}" for key in v if (reason := numeric_field(key))]
        if problems:
            raise ValueError("; ".join(problems))
        return v

    @property
    def empty(self) -> bool:
        """Whether the table changes nothing."""
        return not self.ranges and not self.exclude and not self.only

    def spec(self, key: str) -> RangeSpec:
        """The range given for ``key`` as a :class:`RangeSpec`."""
        value = self.ranges[key]
        return value if isinstance(value, RangeSpec) else RangeSpec(range=value)
