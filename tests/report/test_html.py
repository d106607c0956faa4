"""The HTML report: self-contained, escaped, complete, written atomically; the report command."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import incentsim as isim
from incentsim.cli import main
from incentsim.errors import InputError
from incentsim.report import html as report_html
from incentsim.report import write_report


@pytest.fixture(scope="module")
def page(report_file: Path) -> str:
    return report_file.read_text(encoding="utf-8")


def test_no_external_resources(page):
    for attribute in ("src", "href", "action", "poster", "data"):
        for value in re.findall(rf'\b{attribute}\s*=\s*"([^"]*)"', page, flags=re.I):
            assert value.startswith(("data:", "#")), f"{attribute}={value[:60]!r} leaves the file"
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", page), "CSS must not load anything"
    assert "<script" not in page.lower()
    assert "@import" not in page


def test_every_image_is_an_embedded_png(page):
    sources = re.findall(r'<img [^>]*src="([^"]*)"', page)
    assert len(sources) >= 5
    assert all(s.startswith("data:image/png;base64,") and len(s) > 1000 for s in sources)
    assert "not drawn" not in page


def test_scenario_and_manifest_appear(page, experiment):
    assert experiment.manifest["scenarios"][0]["hash"] in page
    assert "tier1_agents = 8" in page  # the scenario's TOML
    assert "Provenance" in page and experiment.manifest["git"]["commit"] in page
    assert "&#34;replications&#34;: 3" in page or "&quot;replications&quot;: 3" in page  # manifest JSON, escaped
    for policy in experiment.policies:
        assert policy in page


def test_text_is_escaped(page, hostile_text):
    assert hostile_text not in page
    assert "&lt;script&gt;" in page and "&lt;b&gt;bold&lt;/b&gt;" in page


def test_summary_and_tables_are_present(page, experiment):
    assert "Summary in plain words" in page
    captions = re.findall(r"<caption>(.*?)</caption>", page)
    assert captions[:5] == ["Customers", "Service", "Gaming", "People", "Money"]
    baseline_mean = experiment.summaries.query("policy == 'flat'")["true_csat"].mean()
    assert f"{baseline_mean * 100:.1f}%" in page
    # policies as rows: every table has one row per policy
    assert page.count('<td class="policy">individual_bonus') == len(captions)
    assert "Detectable is not large." in page and "2.0 points" in page
    assert "$" in page  # money in the scenario's currency (default $)


def test_tables_have_a_row_per_policy_and_differences_with_words(experiment):
    tables = report_html.table_rows(experiment.summaries, experiment.policies, "flat")
    assert all(len(t["rows"]) == 3 and len(t["columns"]) <= 6 for t in tables)
    customers = tables[0]
    assert customers["columns"][0]["key"] == "true_csat"
    base, bonus = customers["rows"][0], customers["rows"][1]
    assert base["baseline"] and base["cells"][0]["diff"] == ""
    words = bonus["cells"][0]["words"]
    assert words.startswith(("no detectable difference", "higher", "lower"))
    assert bonus["cells"][0]["shade"] == "" or bonus["cells"][0]["shade"].endswith(("large", "small"))
    shown = {c["key"] for t in tables for c in t["columns"]}
    assert {"true_csat", "gaming_rate", "cost_per_resolved_call", "quits"} <= shown


def test_only_detectable_differences_are_shaded_and_large_ones_strongly():
    import numpy as np

    rng = np.random.default_rng(0)
    rows = []
    for r in range(10):
        luck = rng.normal(0, 0.05)
        rows += [{"policy": "flat", "replication": r, "true_csat": 0.7 + luck, "cost_per_resolved_call": 7 + luck},
                 {"policy": "tiny", "replication": r, "true_csat": 0.705 + luck,
                  "cost_per_resolved_call": 7 + luck + rng.normal(0, 0.5)},
                 {"policy": "big", "replication": r, "true_csat": 0.75 + luck,
                  "cost_per_resolved_call": 7 + luck + rng.normal(0, 0.5)}]
    tables = report_html.table_rows(pd.DataFrame(rows), ["flat", "tiny", "big"], "flat")
    cells = {row["policy"]: row["cells"][0] for row in tables[0]["rows"]}
    assert cells["tiny"]["shade"] == "better small" and cells["tiny"]["words"] == "higher (better), small"
    assert cells["big"]["shade"] == "better large" and cells["big"]["words"] == "higher (better), large"


def test_failed_render_leaves_nothing(tmp_path, experiment, monkeypatch):
    target = tmp_path / "report.html"

    def boom(_experiment):
        raise RuntimeError("renderer broke")

    monkeypatch.setattr(report_html, "render_report", boom)
    with pytest.raises(RuntimeError):
        report_html.write_report(experiment, target)
    assert list(tmp_path.iterdir()) == []


def test_bad_targets_and_empty_experiments_are_input_errors(tmp_path, experiment):
    with pytest.raises(InputError, match="is a directory"):
        write_report(experiment, tmp_path)
    with pytest.raises(InputError, match="does not exist"):
        write_report(experiment, tmp_path / "missing" / "r.html")
    empty = isim.Experiment(experiment.summaries.iloc[:0], experiment.agents.iloc[:0], None, experiment.manifest)
    with pytest.raises(InputError, match="no finished run"):
        write_report(empty, tmp_path / "r.html")
    assert list(tmp_path.iterdir()) == []


def test_partial_experiments_say_so(tmp_path, experiment):
    manifest = experiment.manifest | {"status": "partial"}
    summaries = experiment.summaries.query("policy != 'forced_ranking'")
    agents = experiment.agents.query("policy != 'forced_ranking'")
    html = report_html.render_report(isim.Experiment(summaries, agents.iloc[:0], None, manifest))
    assert "This experiment is partial" in html


def test_cli_report_writes_the_file(saved_experiment, tmp_path):
    target = tmp_path / "out.html"
    result = CliRunner().invoke(main, ["report", str(saved_experiment), "--html", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert str(target) in result.output


@pytest.mark.parametrize("make_dir", ["missing", "file", "not-a-result"])
def test_cli_report_bad_dir_exits_2_and_writes_nothing(tmp_path, make_dir):
    directory = tmp_path / "results"
    if make_dir == "file":
        directory.write_text("x")
    elif make_dir == "not-a-result":
        directory.mkdir()
    target = tmp_path / "out.html"
    result = CliRunner().invoke(main, ["report", str(directory), "--html", str(target)])
    assert result.exit_code == 2
    assert "error:" in result.output and ("DIR" in result.output or "manifest.json" in result.output)
    assert not target.exists()


def test_manifest_json_in_the_page_round_trips(page, experiment):
    import html

    body = re.search(r'<pre class="manifest">(.*?)</pre>', page, flags=re.S).group(1)
    data = json.loads(html.unescape(body))
    assert data["seed"] == experiment.seed and data["replications"] == 3


def test_sweep_points_get_a_section_each_without_the_sweep_key_as_an_outcome(experiment, monkeypatch):
    monkeypatch.setattr(report_html, "MAX_POINTS_WITH_FIGURES", 0)  # tables and text only: fast
    summaries = experiment.summaries
    two = isim.Experiment(
        summaries=pd.concat([summaries.assign(**{"people.speed_sd": 0.0}),
                             summaries.assign(point=1, **{"people.speed_sd": 0.3})], ignore_index=True),
        agents=experiment.agents.iloc[:0], calls=None,
        manifest=experiment.manifest | {
            "sweep": {"people.speed_sd": [0.0, 0.3]},
            "points": [{"index": 0, "scenario": "baseline", "sweep": {"people.speed_sd": 0.0}},
                       {"index": 1, "scenario": "baseline", "sweep": {"people.speed_sd": 0.3}}]})
    page = report_html.render_report(two)
    headings = re.findall(r"<h2>(.*?)</h2>", page)
    assert headings[:2] == ["baseline (people.speed_sd = 0.0)", "baseline (people.speed_sd = 0.3)"]
    assert page.count("<caption>Customers</caption>") == 2
    assert "<th>people.speed_sd" not in page
