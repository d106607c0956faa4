"""The scenario: a frozen, validated description of one call-centre world.

A :class:`Scenario` is pure data (description is separate from execution, as in
Ciw): the engine builds the simpy world from it. It loads from and saves to TOML
with an identical round trip, and has a stable content hash that goes into every
saved result's provenance.
"""

from __future__ import annotations

import hashlib
import json
import math
import tomllib
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from incentsim.errors import InputError, Problem
from incentsim.robustness.settings import RobustnessSettings
from incentsim.scenario.base import Block
from incentsim.scenario.behaviour import Behaviour
from incentsim.scenario.laws import Duration, Patience
from incentsim.scenario.limits import MAX_FILE_BYTES
from incentsim.scenario.management import Management
from incentsim.scenario.measurement import Measurement
from incentsim.scenario.operation import (
    CallType,
    Center,
    Costs,
    Customers,
    Demand,
    People,
    System,
    Tier2,
)
from incentsim.scenario.problems import cross_field_problems, shown, validation_problems

#: Longest scenario name (it names the default result folder and report headings).
MAX_NAME = 200

#: Longest scenario description.
MAX_DESCRIPTION = 2000


class Scenario(Block):
    """A complete, validated scenario.

    Build one in code (every block has defaults) or load a TOML file. Policies
    declared under ``[policies.NAME]`` (a ``type`` and its parameters) are what
    ``incentsim run`` compares.

    Attributes:
        name: Short name; results and reports are filed under it.
        description: One line on what the scenario represents.
        center: Staffing and calendar.
        demand: New-call arrivals and the call mix.
        customers: Patience, repeat calls and churn.
        system: Defect or outage days shared by everyone.
        tier2: The escalation pool.
        people: Individual speed and quality differences, learning, hiring lag.
        behaviour: Motivation, conduct, attrition and process improvement.
        measurement: Surveys, QA and what counts as truly satisfied.
        management: Management hours per period, what review activities take, their cost.
        costs: Hiring and repeat-call costs.
        policies: Policies to compare: ``NAME -> {"type": ..., parameters}``.
        baseline: The declared policy others are compared against (default: the first).
        robustness: Plausible ranges of assumptions for ``incentsim robustness``, narrowed,
            widened or added for this centre (not simulated; left out of the hash when empty).

    Example:
        >>> import incentsim as isim
        >>> sc = isim.Scenario(center={"tier1_agents": 10, "months": 1})
        >>> sc.center.tier1_agents
        10
    """

    name: str = Field(default="scenario", max_length=MAX_NAME)
    description: str = Field(default="", max_length=MAX_DESCRIPTION)
    center: Center = Center()
    demand: Demand = Demand()
    customers: Customers = Customers()
    system: System = System()
    tier2: Tier2 = Tier2()
    people: People = People()
    behaviour: Behaviour = Behaviour()
    measurement: Measurement = Measurement()
    management: Management = Management()
    costs: Costs = Costs()
    policies: dict[str, dict[str, Any]] = Field(default_factory=dict)
    baseline: str = ""
    robustness: RobustnessSettings = RobustnessSettings()

    @field_validator("name", "description")
    @classmethod
    def _printable(cls, v: str) -> str:
        if any(ord(ch) < 32 and ch not in "\t" or ord(ch) == 127 for ch in v):
            raise PydanticCustomError("control_character", "must be printable text, without control "
                                      "characters such as NUL or a line break")
        return v

    @field_validator("policies")
    @classmethod
    def _policies_known(cls, v: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        problems = _policy_problems(v)
        if problems:
            raise ValueError("; ".join(map(str, problems)))
        return v

    @model_validator(mode="after")
    def _cross_checks(self) -> Scenario:
        # Scenario(...) in code; from_dict runs the same checks on the raw data, next to
        # the field checks, so a file gets every problem at once.
        problems = cross_field_problems(self.model_dump())
        if problems:
            raise ValueError("; ".join(map(str, problems)))
        return self

    # ----------------------------------------------------------------- I/O
    @classmethod
    def load(cls, path: str | Path) -> Scenario:
        """Load and validate a TOML scenario file.

        Raises:
            InputError: If the file cannot be read, is not TOML, or fails
                validation; every problem is listed with its dotted path.
        """
        path = Path(path)
        try:
            with path.open("rb") as handle:
                raw = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise InputError.single(str(path), "file", f"cannot read: {exc.strerror or exc}") from None
        except ValueError as exc:  # e.g. a NUL in the path
            raise InputError.single(str(path), "file", f"cannot read: {exc}") from None
        if len(raw) > MAX_FILE_BYTES:
            raise InputError.single(str(path), "file", f"is larger than {MAX_FILE_BYTES:,} bytes; a "
                                    "scenario file is a few kilobytes of TOML (is this the right file?)")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError.single(str(path), "file", f"is not UTF-8 text (byte 0x{raw[exc.start]:02x} "
                                    f"at position {exc.start}); save it as UTF-8, as TOML requires") from None
        return cls.from_toml(text, source=str(path))

    @classmethod
    def shipped(cls, name: str = "baseline") -> Scenario:
        """Load a scenario of the shipped library by name (see ``Scenario.shipped_names()``).

        Example:
            >>> import incentsim as isim
            >>> isim.Scenario.shipped("baseline").center.tier1_agents
            55
        """
        from incentsim.scenario.shipped import shipped_path

        return cls.load(shipped_path(name))

    @staticmethod
    def shipped_names() -> list[str]:
        """Names of the shipped scenarios."""
        from incentsim.scenario.shipped import shipped_names

        return shipped_names()

    @classmethod
    def from_toml(cls, text: str, source: str = "scenario") -> Scenario:
        """Parse and validate TOML text (see :meth:`load`)."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InputError.single(source, "toml", f"not valid TOML: {exc}") from None
        except RecursionError:
            raise InputError.single(source, "toml", "not readable: arrays or tables are nested too "
                                    "deeply (a scenario needs a few levels)") from None
        except (ValueError, MemoryError) as exc:
            reason = str(exc)
            if "integer string conversion" in reason:
                reason = "an integer has thousands of digits; no scenario value needs more than a few"
            raise InputError.single(source, "toml", f"not readable: {reason}") from None
        return cls.from_dict(data, source=source)

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "scenario") -> Scenario:
        """Validate a nested dict (as parsed from TOML).

        Raises:
            InputError: Listing every problem at once.
        """
        if not isinstance(data, dict):
            raise InputError.single(source, "scenario", f"must be a table of blocks, got {shown(data)}")
        try:
            # Policies are checked on their own so each bad parameter gets its own dotted path;
            # cross-field checks run on the raw data so they come with the field checks.
            policies = data.get("policies", {})
            problems = _policy_problems(policies) if isinstance(policies, dict) else []
            cross = cross_field_problems(data)
            try:
                return cls.model_validate(data)
            except ValidationError as exc:
                found = validation_problems(exc, cls)
        except RecursionError:
            raise InputError.single(source, "scenario", "nested too deeply to check (a scenario "
                                    "needs a few levels)") from None
        if problems:
            found = [p for p in found if p.field != "policies"]
        if cross:  # the model-level check repeats them without a field
            found = [p for p in found if p.field != "scenario"]
        raise InputError(source, found + cross + problems) from None

    def to_dict(self) -> dict[str, Any]:
        """Plain nested dict of every field (JSON- and TOML-safe)."""
        data = self.model_dump(mode="json")
        if self.robustness.empty:  # an unused [robustness] table changes neither file nor hash
            del data["robustness"]
        return data

    def to_toml(self) -> str:
        """The scenario as TOML text; :meth:`from_toml` of it gives an equal scenario."""
        return tomli_w.dumps(self.to_dict())

    def save(self, path: str | Path) -> Path:
        """Write the scenario as TOML (atomically) and return the path."""
        path = Path(path)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(self.to_toml(), encoding="utf-8")
        tmp.replace(path)
        return path

    @property
    def hash(self) -> str:
        """Stable SHA-256 of the scenario's content (independent of key order and file layout)."""
        canonical = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def replace(self, **changes: Any) -> Scenario:
        """A validated copy with some fields changed; dotted keys reach into blocks.

        Example:
            >>> sc = Scenario().replace(**{"center.tier1_agents": 20})
            >>> sc.center.tier1_agents
            20
        """
        data = self.to_dict()
        for key, value in changes.items():
            node = data
            parts = key.split(".")
            for part in parts[:-1]:
                if part not in node or not isinstance(node[part], dict):
                    raise InputError.single("scenario", key, "no such block")
                node = node[part]
            node[parts[-1]] = value
        return Scenario.from_dict(data)

    # ------------------------------------------------- the queueing special case
    @classmethod
    def erlang(
        cls,
        agents: int,
        calls_per_hour: float,
        mean_handle_time: float,
        mean_patience: float | None = None,
        hours: float = 1000.0,
    ) -> Scenario:
        """The pure queueing special case: M/M/c (Erlang C) or M/M/c+M (Erlang A).

        Poisson arrivals, exponential handle times, exponential patience (or none),
        one call type, no tier 2, no repeat calls, no defect days, no individual
        differences and no behaviour effects, run as one continuous stretch of
        ``hours`` with no closing time. With :class:`~incentsim.policies.Flat` its
        waits and abandonment agree with Erlang C / Erlang A theory.

        Args:
            agents: Number of agents (servers).
            calls_per_hour: Arrival rate.
            mean_handle_time: Mean service time in minutes.
            mean_patience: Mean patience in minutes; ``None`` for no abandonment.
            hours: Simulated horizon in hours.
        """
        days = max(1, math.ceil(hours / 24.0))
        patience = (
            Patience(law="none") if mean_patience is None
            else Patience(law="exponential", mean=mean_patience)
        )
        return cls(
            name="erlang",
            description=(
                f"M/M/{agents}{'+M' if mean_patience is not None else ''}: "
                f"{calls_per_hour}/h, mean handle {mean_handle_time} min"
            ),
            center=Center(tier1_agents=agents, tier2_agents=0, hours_per_day=hours / days,
                          days_per_month=days, months=1),
            demand=Demand(
                calls_per_hour=calls_per_hour,
                call_types=(CallType(name="call", share=1.0,
                                     handle_time=Duration(law="exponential", mean=mean_handle_time),
                                     resolution=1.0, escalation=0.0, upset=0.0),),
            ),
            customers=Customers(patience=patience, patience_upset=0.0, repeat_chance=0.0),
            system=System(defect_day_probability=0.0),
            people=People(speed_sd=0.0, quality_sd=0.0, new_hire_speed=1.0, new_hire_quality=0.0),
            behaviour=Behaviour.neutral(),
        )


def _policy_problems(policies: dict[str, Any]) -> list[Problem]:
    """Every problem with the declared policies, each under ``policies.NAME[.PARAM]``."""
    from incentsim.policies.registry import build_policy

    out = []
    for name, spec in policies.items():
        where = f"policies.{name}"
        if not isinstance(spec, dict):
            out.append(Problem(where, "must be a table with a 'type' and the policy's parameters"))
            continue
        try:
            build_policy(spec)
        except InputError as exc:
            out += [Problem(f"{where}.{p.field}" if p.field else where, p.message) for p in exc.problems]
        except (ValueError, TypeError) as exc:
            out.append(Problem(where, str(exc)))
    return out
