"""``incentsim simulate``: one replication of one policy, summary printed."""

from __future__ import annotations

import json

import click

from incentsim.cli.common import handle_input_errors, policy_module_option
from incentsim.errors import InputError


@click.command()
@click.argument("scenario_file", type=click.Path(dir_okay=False))
@click.option("--policy", "policy_name", default=None,
              help="A policy the scenario declares (default: its baseline, else salary only).")
@click.option("--seed", default=0, show_default=True, type=click.IntRange(min=0))
@click.option("--replication", default=0, show_default=True, type=click.IntRange(min=0))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@policy_module_option
@handle_input_errors
def simulate(scenario_file: str, policy_name: str | None, seed: int, replication: int, as_json: bool) -> None:
    """Simulate SCENARIO_FILE (a file or a shipped scenario's name) once and print its summary."""
    from incentsim.engine.simulate import simulate as run_simulation
    from incentsim.policies import build_policy
    from incentsim.scenario import Scenario
    from incentsim.scenario.shipped import resolve

    scenario = Scenario.load(resolve(scenario_file))
    name = policy_name or scenario.baseline or None
    policy = None
    if name is not None:
        if name not in scenario.policies:
            allowed = ", ".join(scenario.policies) or "(none declared)"
            raise InputError.single(scenario_file, "--policy", f"unknown policy {name!r}; allowed: {allowed}")
        policy = build_policy(scenario.policies[name])
    summary = run_simulation(scenario, policy=policy, seed=seed, replication=replication).summary()
    if as_json:
        click.echo(json.dumps(summary, indent=2))
        return
    click.echo(f"{scenario.name}: policy {name or 'salary only'}, seed {seed}, replication {replication}")
    width = max(map(len, summary))
    for key, value in summary.items():
        click.echo(f"  {key:<{width}}  {value:,.4g}")
