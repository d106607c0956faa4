"""A fuzzer over scenario files: the shipped scenarios, mutated the way users and attackers do.

Each example takes a shipped scenario and applies one mutation: a hostile value
in a number or text field (wrong type, inf, nan, huge, tiny, negative, a
boolean, a string), a deleted key, an unknown or misspelt key, a table swapped
for a scalar, arrays nested thousands deep, an integer of thousands of digits,
or a file in another encoding. Whatever comes out must be either a scenario
whose every number is finite, or one :class:`InputError` whose message names
the mutated field; never a traceback. For an invalid file ``incentsim run``
must exit 2 and leave no output folder, and a valid file small enough to run
must simulate without error and with no infinite outcome.
"""

from __future__ import annotations

import copy
import math
import tomllib
from typing import Any

import pytest
import tomli_w
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import incentsim as isim
from incentsim.cli import main
from incentsim.errors import InputError
from incentsim.scenario.limits import estimate
from incentsim.scenario.shipped import shipped_dir

SHIPPED = {p.stem: tomllib.loads(p.read_text(encoding="utf-8"))
           for p in sorted(shipped_dir().glob("*.toml"))}

HOSTILE_NUMBERS: list[Any] = [
    math.inf, -math.inf, math.nan, 1e300, -1e300, 1e-300, 0, -1, 0.5, 2**64, 10**100, True, False,
    "5", "", [], [1.0], {}, 7, 1e6, 1e9, -0.0,
]
HOSTILE_TEXT: list[Any] = ["", "x" * 300, "../../x", "/etc/passwd", "a\x00b", "line\nbreak", 5, 1.5,
                           True, [], {}, "été"]
RAW = {  # raw TOML that no dict can stand for
    "digits": "9" * 5000,
    "deep": "[" * 5000 + "]" * 5000,
    "nested": "[" * 40 + "1" + "]" * 40,
    "tables": "{a = " * 3000 + "1" + "}" * 3000,
}


def leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    """Every leaf (path, value) of a parsed TOML document, arrays of tables included."""
    out = []
    if isinstance(node, dict):
        for key, value in node.items():
            out += leaves(value, (*path, key))
    elif isinstance(node, list) and node and all(isinstance(v, dict) for v in node):
        for i, value in enumerate(node):
            out += leaves(value, (*path, i))
    else:
        out.append((path, node))
    return out


def tables(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of every table (the document itself included)."""
    out = [path] if isinstance(node, dict) else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += tables(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += tables(value, (*path, i))
    return out


def dotted(path: tuple[Any, ...]) -> str:
    return ".".join(map(str, path))


def parent(doc: dict[str, Any], path: tuple[Any, ...]) -> Any:
    node: Any = doc
    for part in path[:-1]:
        node = node[part]
    return node


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes, str, str, str]:
    """(scenario name, file bytes, kind of mutation, dotted path it touched, key it misspelt)."""
    name = draw(st.sampled_from(sorted(SHIPPED)))
    doc = copy.deepcopy(SHIPPED[name])
    raw: dict[str, str] = {}
    original = ""
    kind = draw(st.sampled_from(["number", "number", "number", "text", "delete", "unknown", "typo",
                                 "scalar_table", "raw", "encoding"]))
    numbers = [(p, v) for p, v in leaves(doc) if isinstance(v, int | float) and not isinstance(v, bool)]
    texts = [(p, v) for p, v in leaves(doc) if isinstance(v, str)]
    where = ""
    if kind == "number":
        path, _ = draw(st.sampled_from(numbers))
        value = draw(st.sampled_from(HOSTILE_NUMBERS) | st.floats(allow_nan=True, allow_infinity=True)
                     | st.integers(-(2**70), 2**70))
        parent(doc, path)[path[-1]] = value
        where = dotted(path)
    elif kind == "text":
        path, _ = draw(st.sampled_from(texts))
        parent(doc, path)[path[-1]] = draw(st.sampled_from(HOSTILE_TEXT))
        where = dotted(path)
    elif kind == "delete":
        path, _ = draw(st.sampled_from(leaves(doc)))
        del parent(doc, path)[path[-1]]
        where = dotted(path)
    elif kind in ("unknown", "typo"):
        path = draw(st.sampled_from(tables(doc)))
        node = parent(doc, (*path, None))
        if kind == "typo" and node:
            key = draw(st.sampled_from(sorted(node)))
            cut = draw(st.integers(0, len(key) - 1))
            typo = key[:cut] + key[cut + 1:] if len(key) > 3 else key + "s"
            if typo in node:
                typo = key + "x"
            node[typo] = node.pop(key)
            where = dotted((*path, typo))
            original = key
        else:
            new = draw(st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12))
            if new in node:
                new += "_extra"
            node[new] = draw(st.sampled_from([1, "x", 1.5, [1, 2], {"a": 1}]))
            where = dotted((*path, new))
    elif kind == "scalar_table":
        path = draw(st.sampled_from([t for t in tables(doc) if t]))
        parent(doc, path)[path[-1]] = draw(st.sampled_from([5, "x", [1, 2], True]))
        where = dotted(path)
    elif kind == "raw":
        path, _ = draw(st.sampled_from(numbers))
        key = draw(st.sampled_from(sorted(RAW)))
        parent(doc, path)[path[-1]] = "@@RAW@@"
        raw["@@RAW@@"] = RAW[key]
        where = dotted(path)
    text = tomli_w.dumps(doc)
    for marker, replacement in raw.items():
        text = text.replace(f'"{marker}"', replacement)
    if kind == "encoding":
        codec = draw(st.sampled_from(["latin-1", "utf-16", "cp1252", "garbage"]))
        text = text.replace('description = "', 'description = "été ', 1)
        data = text.encode("utf-8") + b"\xff\xfe\x00" if codec == "garbage" else text.encode(codec)
        return name, data, kind, "file", ""
    return name, text.encode("utf-8"), kind, where, original


def finite_numbers(node: Any) -> bool:
    if isinstance(node, dict):
        return all(finite_numbers(v) for v in node.values())
    if isinstance(node, list | tuple):
        return all(finite_numbers(v) for v in node)
    return not isinstance(node, float) or math.isfinite(node)


def names_the_field(error: InputError, where: str, kind: str) -> bool:
    message = str(error)
    if kind == "encoding":
        return any(p.field in ("file", "toml") for p in error.problems)
    if kind == "raw":
        return where in message or any(p.field == "toml" for p in error.problems)
    head, _, key = where.rpartition(".")
    if where in message or (head in message and repr(key) in message):
        return True
    # A renamed policy table breaks the baseline that named it: the message lists the new name.
    return kind == "typo" and head == "policies" and (f"allowed: {key}" in message
                                                      or f", {key}" in message)


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(case=mutated())
def test_a_mutated_scenario_loads_cleanly_or_fails_naming_the_field(case, tmp_path_factory) -> None:
    name, data, kind, where, original = case
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / f"{name}.toml"
    path.write_bytes(data)
    try:
        scenario = isim.Scenario.load(path)
    except InputError as error:
        assert error.problems and all(p.field for p in error.problems), error
        assert names_the_field(error, where, kind), (kind, where, str(error))
        if original:  # a misspelt key: the right one is suggested (or listed)
            assert repr(original) in str(error) or original in str(error), str(error)
        result = CliRunner().invoke(main, ["run", str(path), "--out", str(folder / "out")],
                                    catch_exceptions=False)
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        assert sorted(p.name for p in folder.iterdir()) == [path.name]  # no output left behind
        return
    assert finite_numbers(scenario.to_dict())
    assert isim.Scenario.from_toml(scenario.to_toml()) == scenario


def shrunk(doc: dict[str, Any]) -> dict[str, Any]:
    """A shipped scenario cut to a few agents and days, so a run takes a fraction of a second."""
    doc = copy.deepcopy(doc)
    center = doc.setdefault("center", {})
    center.update({"tier1_agents": 6, "tier2_agents": 1, "days_per_month": 2, "months": 2})
    doc.setdefault("demand", {})["calls_per_hour"] = 30.0
    return doc


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(SHIPPED)), data=st.data())
def test_a_valid_mutated_scenario_runs_without_error(name: str, data: st.DataObject) -> None:
    doc = shrunk(SHIPPED[name])
    numbers = [(p, v) for p, v in leaves(doc)
               if isinstance(v, int | float) and not isinstance(v, bool) and p[0] != "policies"]
    path, value = data.draw(st.sampled_from(numbers))
    scale = data.draw(st.sampled_from([0, 0.001, 0.5, 2, 10, 1000, -1]))
    new = type(value)(value * scale) if isinstance(value, int) else value * scale
    parent(doc, path)[path[-1]] = new
    try:
        scenario = isim.Scenario.from_dict(doc)
    except InputError as error:
        assert dotted(path) in str(error)
        return
    size = estimate(scenario.to_dict())
    assert size is not None
    if size.calls > 20_000 or size.agent_periods > 2_000:
        return
    policy_name = data.draw(st.sampled_from(sorted(scenario.policies) or [None]))
    policy = isim.policies.build_policy(scenario.policies[policy_name]) if policy_name else None
    summary = isim.simulate(scenario, policy=policy, seed=1).summary()
    assert not any(math.isinf(v) for v in summary.values()), (dotted(path), new, summary)


def test_the_fuzzer_reaches_every_mutation_kind() -> None:
    """The strategies above can produce each kind (so the fuzzer cannot silently narrow)."""
    seen: set[str] = set()

    @settings(max_examples=100, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(case=mutated())
    def collect(case: tuple[str, bytes, str, str, str]) -> None:
        seen.add(case[2])

    collect()
    assert seen == {"number", "text", "delete", "unknown", "typo", "scalar_table", "raw", "encoding"}


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_every_shipped_scenario_is_within_the_limits(name: str) -> None:
    size = estimate(SHIPPED[name])
    assert size is not None and size.calls < 1_000_000 and size.agent_periods < 10_000
    assert isinstance(isim.Scenario.shipped(name), isim.Scenario)


