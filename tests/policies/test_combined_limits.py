"""Combined: validation checks each part once, and nesting has a limit (issue 12).

Validating nested Combined specs once took exponential time (each level checked
its parts twice: depth 20 took 28 s) and depth 400 hit Python's recursion limit.
"""

from __future__ import annotations

import pytest

from incentsim.errors import InputError
from incentsim.policies import Combined, Flat, build_policy
from incentsim.policies.combined import MAX_NESTING


class Counted(Flat):
    """Flat, counting how often it is checked."""

    checks = 0

    def _validate(self) -> None:
        Counted.checks += 1


def nested_objects(depth: int, width: int = 2) -> Combined:
    policy: Combined = Combined(Counted(), *[Counted() for _ in range(width - 1)])
    for _ in range(depth - 1):
        policy = Combined(policy, *[Counted() for _ in range(width - 1)])
    return policy


def nested_specs(depth: int) -> dict:
    spec: dict = {"type": "Flat"}
    for _ in range(depth):
        spec = {"type": "Combined", "policies": [spec, {"type": "Flat"}]}
    return spec


@pytest.mark.parametrize("depth", [1, 4, MAX_NESTING])
def test_each_part_is_checked_once(depth: int) -> None:
    policy = nested_objects(depth, width=3)
    Counted.checks = 0
    policy._validate()
    assert Counted.checks == 3 + 2 * (depth - 1)  # every leaf once: linear in the size


def test_nesting_deeper_than_the_limit_is_refused_without_recursion() -> None:
    build_policy(nested_specs(MAX_NESTING))
    for depth in (MAX_NESTING + 1, 20, 400, 5000):
        with pytest.raises(InputError, match=f"more than {MAX_NESTING} levels deep"):
            build_policy(nested_specs(depth))
    with pytest.raises(InputError, match="levels deep"):
        nested_objects(400).review(None, 0)  # type: ignore[arg-type]


def test_a_nested_limit_problem_in_a_scenario_file_names_the_policy() -> None:
    import incentsim as isim

    with pytest.raises(InputError) as info:
        isim.Scenario.from_dict({"policies": {"stack": nested_specs(MAX_NESTING + 3)}})
    assert [p.field for p in info.value.problems] == ["policies.stack.policies"]
