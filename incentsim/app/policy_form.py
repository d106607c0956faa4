"""One policy's widgets: include it or not, and its parameters.

The widgets are generated from the policy's own parameters (``get_params()``),
so built-ins and policies of your own get a form alike: numbers become number
inputs, flags check boxes, metrics a choice of the measured metrics, anything
else a text box read as TOML (empty means unset). Building the policy goes
through :func:`incentsim.policies.build_policy`, so the page reports a bad value
with the same message a scenario file would get.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from typing import Any

import panel as pn

from incentsim.errors import InputError, Problem
from incentsim.policies import METRICS, Policy, build_policy


def _widget(name: str, value: Any) -> pn.widgets.Widget | None:
    label = name.replace("_", " ")
    if isinstance(value, bool):
        return pn.widgets.Checkbox(label=label, value=value)
    if isinstance(value, int):
        return pn.widgets.IntInput(label=label, value=value, width=140)
    if isinstance(value, float):
        return pn.widgets.FloatInput(label=label, value=value, width=140)
    if name == "metric" and value in METRICS:
        return pn.widgets.Select(label=label, options=list(METRICS), value=value, width=140)
    if isinstance(value, list | tuple) and value and all(v in METRICS for v in value):
        return pn.widgets.MultiChoice(label=label, options=list(METRICS), value=list(value), width=280)
    if isinstance(value, str):
        return pn.widgets.TextInput(label=label, value=value, width=140)
    if value is None:
        return pn.widgets.TextInput(label=label, value="", placeholder="unset", width=140)
    return None  # nested values (Combined's policies) are not edited here


def _read(widget: pn.widgets.Widget, original: Any) -> Any:
    value = widget.value
    if isinstance(widget, pn.widgets.TextInput) and widget.placeholder == "unset":
        text = str(value).strip()
        if not text:
            return None
        try:
            return tomllib.loads(f"v = {text}")["v"]
        except tomllib.TOMLDecodeError:
            return text
    if isinstance(value, list | tuple):
        return tuple(value) if isinstance(original, tuple) else list(value)
    return value


class PolicyForm:
    """Widgets for one declared policy.

    Args:
        name: The policy's name in the scenario.
        spec: Its scenario-file spec ``{"type": ..., **params}``.
        included: Whether it starts checked.
    """

    def __init__(self, name: str, spec: Mapping[str, Any], included: bool = True) -> None:
        self.name = name
        self.kind = str(spec["type"])
        self._spec = dict(spec)
        full = build_policy(spec).get_params()
        self._original = full
        self.include = pn.widgets.Checkbox(label=f"{name} ({self.kind})", value=included)
        self.fields: dict[str, pn.widgets.Widget] = {}
        self.fixed: dict[str, Any] = {}
        for param, value in full.items():
            widget = _widget(param, value)
            if widget is None:
                self.fixed[param] = value
            else:
                self.fields[param] = widget
        self.view = pn.Column(self.include, pn.FlexBox(*self.fields.values()), sizing_mode="stretch_width")

    def spec(self) -> dict[str, Any]:
        """The spec as the widgets now say."""
        params = {**self.fixed, **{k: _read(w, self._original[k]) for k, w in self.fields.items()}}
        return {"type": self.kind, **{k: v for k, v in params.items() if v is not None}}

    def policy(self) -> Policy:
        """Build the policy from the widgets.

        Raises:
            InputError: Naming the policy and each bad parameter.
        """
        try:
            return build_policy(self.spec())
        except InputError as exc:
            raise InputError("policy settings", [Problem(f"{self.name}.{p.field}", p.message)
                                                 for p in exc.problems]) from None
