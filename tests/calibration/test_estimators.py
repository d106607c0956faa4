"""Each estimator recovers known values from synthetic logs built without the engine."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incentsim.calibration.agents import agent_spread, skills, staffing
from incentsim.calibration.calendar import Calendar
from incentsim.calibration.fit import speed_effect
from incentsim.calibration.handle_times import fit_handle_times
from incentsim.calibration.patience import fit_patience
from incentsim.calibration.repeats import ABANDONED, fit_repeats


def _stamps(days: int, per_day: int, rng: np.random.Generator, open_hour: int = 9, hours: int = 8) -> pd.Series:
    dates = pd.bdate_range("2024-01-01", periods=days)
    day = np.repeat(np.arange(days), per_day)
    minute = rng.uniform(0, 60 * hours, day.size)
    return pd.Series(dates[day] + pd.Timedelta(hours=open_hour) + pd.to_timedelta(minute, unit="min")).sort_values(
        ignore_index=True)


def test_calendar_reads_opening_hours_days_and_months() -> None:
    rng = np.random.default_rng(1)
    stamps = _stamps(65, 200, rng)
    stray = pd.Series([pd.Timestamp("2024-01-02 23:30")])
    calendar = Calendar.from_arrivals(pd.concat([stamps, stray], ignore_index=True))
    assert (calendar.open_hour, calendar.hours_per_day, calendar.outside) == (9, 8, 1)
    assert calendar.working_days == 65 and calendar.days_per_month in (21, 22, 23) and calendar.months == 3
    minutes = calendar.working_minutes(pd.Series(pd.to_datetime(["2024-01-01 09:00", "2024-01-02 09:30"])))
    assert minutes.tolist() == [0.0, 480.0 + 30.0]


def test_censored_patience_recovers_the_exponential_mean() -> None:
    # Exponential patience mean 180 s, waits until answered exponential mean 60 s: most callers censored.
    rng = np.random.default_rng(2)
    patience, answer = rng.exponential(180.0, 20_000), rng.exponential(60.0, 20_000)
    log = pd.DataFrame({"wait_seconds": np.minimum(patience, answer), "answered": answer <= patience})
    fit = fit_patience(log)
    assert fit.law == "exponential"
    assert fit.mean == pytest.approx(180.0, rel=0.05)  # about 5,000 abandonments: sd 1.4%
    naive = log.loc[~log["answered"], "wait_seconds"].mean()
    assert naive < 60.0  # the abandoned callers' own mean would be far too short
    assert fit.survival.loc["kaplan_meier", "60s"] == pytest.approx(math.exp(-60 / 180), abs=0.02)


def test_censored_patience_picks_the_lognormal_when_it_is() -> None:
    rng = np.random.default_rng(3)
    sigma = 0.8
    patience = rng.lognormal(math.log(200.0) - sigma**2 / 2, sigma, 20_000)
    answer = rng.exponential(120.0, 20_000)
    log = pd.DataFrame({"wait_seconds": np.minimum(patience, answer), "answered": answer <= patience})
    fit = fit_patience(log)
    assert fit.law == "lognormal"
    assert fit.mean == pytest.approx(200.0, rel=0.12) and fit.cv == pytest.approx(math.sqrt(math.expm1(0.64)), rel=0.12)


def test_nobody_abandoned_means_no_patience_law() -> None:
    log = pd.DataFrame({"wait_seconds": [0.0, 5.0, 10.0], "answered": [True, True, True]})
    assert fit_patience(log).law == "none"


def test_handle_time_law_choice_and_fit_quality() -> None:
    rng = np.random.default_rng(4)
    n = 5000
    log = pd.DataFrame({
        "call_type": ["exp"] * n + ["logn"] * n, "answered": True,
        "handle_seconds": np.concatenate([rng.exponential(300.0, n), rng.lognormal(math.log(400.0), 0.5, n)]),
    })
    fits = fit_handle_times(log)
    assert fits["exp"].law == "exponential" and fits["logn"].law == "lognormal"
    assert fits["logn"].log_var == pytest.approx(0.25, rel=0.06)
    assert fits["logn"].ks_lognormal < 0.02 and fits["logn"].ks_exponential > 0.1
    assert all(abs(r - 1.0) < 0.05 for r in fits["logn"].qq[:3])


def test_agent_spread_removes_the_call_mix_and_recovers_the_speed_sd() -> None:
    # 40 agents with log-speed sd 0.2; types differ fivefold in handle time and agents get
    # very different mixes, which must not count as speed.
    rng = np.random.default_rng(5)
    agents = 40
    speed = rng.normal(0.0, 0.2, agents)
    mix = rng.dirichlet([0.5, 0.5, 0.5], agents)
    rows = []
    for a in range(agents):
        kinds = rng.choice(3, 400, p=mix[a])
        base = np.log([200.0, 500.0, 1000.0])[kinds]
        rows.append(pd.DataFrame({"call_type": kinds.astype(str), "agent": f"a{a}", "answered": True,
                                  "arrival": pd.Timestamp("2024-01-01"),
                                  "handle_seconds": np.exp(base + speed[a] + rng.normal(0, 0.6, 400))}))
    spread = agent_spread(pd.concat(rows, ignore_index=True))
    assert spread.agents == agents
    assert spread.speed_sd == pytest.approx(np.std(speed, ddof=1), abs=0.02)
    assert spread.speed_sd_se == pytest.approx(spread.speed_sd / math.sqrt(78))


def test_skills_and_staffing() -> None:
    rng = np.random.default_rng(6)
    stamps = _stamps(5, 400, rng)
    n = len(stamps)
    hour = stamps.dt.hour.to_numpy()
    # agents 0-3 work all day; agents 4-5 only in the afternoon; agent 5 takes only 'b' calls
    morning = hour < 13
    agent = np.where(morning, rng.integers(0, 4, n), rng.integers(0, 6, n))
    kind = np.where(agent == 5, "b", rng.choice(["a", "b"], n))
    log = pd.DataFrame({"arrival": stamps, "call_type": kind, "answered": True, "wait_seconds": 0.0,
                        "handle_seconds": 120.0, "agent": [f"g{a}" for a in agent]})
    calendar = Calendar.from_arrivals(log["arrival"])
    served = staffing(log, calendar)
    assert served.by_hour.loc[9:12].tolist() == [4.0] * 4 and served.by_hour.loc[13:16].tolist() == [6.0] * 4
    assert served.tier1_agents == 5 and served.low == 4 and served.high == 6
    assert served.occupancy == pytest.approx(n * 120 / 3600 / (5 * 4 * 4 + 5 * 4 * 6), rel=1e-9)
    sk = skills(log)
    assert sk.specialised == 1 and not sk.holds.loc["g5", "a"] and sk.holds.loc["g0"].all()
    assert sk.p_value < 1e-6 and 0.0 < sk.cramers_v < 1.0


def test_repeats_separate_repeat_calls_from_background_calls() -> None:
    # 6,000 customers; each makes new calls at random (1.5 on average) over 60 working days
    # of 8 hours; an abandoned call comes back with chance 0.5, an answered one with 0.1,
    # after an exponential delay of mean 12 working hours. A customer's new call between a
    # call and its repeat takes a little of the repeat (the model's stated bias, under 0.01
    # here), so the tolerances are a little wider than the sampling error.
    rng = np.random.default_rng(7)
    hours, days = 8, 60
    horizon = hours * days
    rows = []
    for customer in range(6000):
        times = list(np.sort(rng.uniform(0, horizon, rng.poisson(1.5))))
        while times:
            t = times.pop(0)
            abandoned = rng.random() < 0.3
            rows.append((customer, t, abandoned))
            if rng.random() < (0.5 if abandoned else 0.1):
                again = t + rng.exponential(12.0)
                if again < horizon:
                    times = sorted([*times, again])
    frame = pd.DataFrame(rows, columns=["customer", "t", "abandoned"])
    dates = pd.bdate_range("2024-01-01", periods=days)
    day = (frame["t"] // hours).astype(int).to_numpy()
    arrival = dates[day] + pd.Timedelta(hours=8) + pd.to_timedelta((frame["t"] - day * hours).to_numpy(), unit="h")
    log = pd.DataFrame({"arrival": arrival, "call_type": "x", "answered": ~frame["abandoned"].to_numpy(),
                        "wait_seconds": 0.0, "handle_seconds": np.where(frame["abandoned"], np.nan, 1e-6),
                        "customer_id": frame["customer"].astype(str).to_numpy()}).sort_values("arrival",
                                                                                             ignore_index=True)
    calendar = Calendar.from_arrivals(log["arrival"])
    fit = fit_repeats(log, calendar)
    assert fit.chance_by_group[ABANDONED] == pytest.approx(0.5, abs=0.05)
    assert fit.chance_by_group["x"] == pytest.approx(0.1, abs=0.02)
    assert fit.repeat_chance == fit.chance_by_group[ABANDONED] and fit.from_abandoned
    assert fit.resolution["x"] == pytest.approx(0.8, abs=0.05)
    assert fit.delay_hours == pytest.approx(12.0, rel=0.15)
    assert fit.background_per_hour == pytest.approx(1.5 / horizon, rel=0.1)
    assert fit.repeats == pytest.approx(len(frame) - fit.new_weight.sum())


def test_no_customer_ids_means_no_repeats() -> None:
    log = pd.DataFrame({"arrival": pd.to_datetime(["2024-01-01 09:00"]), "answered": [True],
                        "call_type": ["x"], "wait_seconds": [0.0], "handle_seconds": [60.0]})
    fit = fit_repeats(log, Calendar.from_arrivals(log["arrival"]))
    assert not fit.available and fit.new_weight.tolist() == [1.0]


def test_speed_effect_weights_agents_by_the_calls_they_take() -> None:
    assert speed_effect(0.0, 0.8) == (1.0, 0.0)
    mean, var = speed_effect(0.3, 0.99)  # full load: calls in proportion to 1/m, the harmonic mean
    assert mean == pytest.approx(math.exp(-0.045), rel=0.01) and var == pytest.approx(0.09, rel=0.05)
    light, _ = speed_effect(0.3, 0.05)  # light load: every agent about equally many calls
    assert light == pytest.approx(math.exp(0.045), rel=0.01)


def test_calendar_reads_opening_hours_per_weekday_and_counts_working_time_on_them() -> None:
    rng = np.random.default_rng(2)
    week = _stamps(20, 300, rng, open_hour=8, hours=10)  # Monday to Friday 08-18
    dates = pd.date_range("2024-01-06", periods=4, freq="7D")  # Saturdays 09-13
    day = np.repeat(np.arange(4), 100)
    saturday = pd.Series(dates[day] + pd.Timedelta(hours=9) + pd.to_timedelta(rng.uniform(0, 240, day.size),
                                                                                 unit="min"))
    calendar = Calendar.from_arrivals(pd.concat([week, saturday]).sort_values(ignore_index=True))
    assert calendar.opening() == {**{d: [8.0, 18.0] for d in ("Mon", "Tue", "Wed", "Thu", "Fri")},
                                  "Sat": [9.0, 13.0]}
    assert (calendar.open_hour, calendar.hours_per_day) == (8, 10)
    assert calendar.opening_hours == 20 * 10 + 4 * 4
    # Friday closes at 18:00; Saturday opens at 09:00 the next working minute.
    minutes = calendar.working_minutes(pd.Series(pd.to_datetime(["2024-01-05 17:00", "2024-01-06 09:30",
                                                                 "2024-01-08 08:00"])))
    assert minutes.tolist() == [4 * 600 + 540, 5 * 600 + 30, 5 * 600 + 240]
    assert "Sat 09-13" in calendar.describe()


def test_weekday_and_hour_profiles_are_the_poisson_mle_with_closed_hours() -> None:
    from incentsim.calibration.schedule import demand_profiles

    rng = np.random.default_rng(3)
    a = np.array([1.3, 1.0, 1.0, 0.9, 0.8, 0.6, 0.0])
    b = np.zeros(24)
    b[8:18] = [0.7, 1.0, 1.2, 1.3, 1.1, 1.0, 1.2, 1.0, 0.9, 0.6]
    exposure = np.zeros((7, 24))
    exposure[:5, 8:18] = 40
    exposure[5, 9:13] = 40  # Saturday opens 09-13 only
    counts = rng.poisson(50.0 * a[:, None] * b[None, :] * exposure)
    got_a, got_b = demand_profiles(counts.astype(float), exposure)
    fitted = got_a[:, None] * got_b[None, :] * exposure
    # Scaled to mean 1 per unit of exposure ...
    assert fitted.sum() == pytest.approx(exposure.sum())
    fitted *= counts.sum() / fitted.sum()
    # ... the margins of the fit are those of the data (the likelihood equations) ...
    assert fitted.sum(axis=0) == pytest.approx(counts.sum(axis=0), rel=1e-6)
    assert fitted.sum(axis=1) == pytest.approx(counts.sum(axis=1), rel=1e-6, abs=1e-9)
    # ... and the factors are the truth's up to scale; closed weekdays and hours get 0.
    assert got_a[6] == 0 and (got_b[:8] == 0).all() and (got_b[18:] == 0).all()
    assert got_a[:6] / got_a[1] == pytest.approx(a[:6] / a[1], rel=0.05)
    assert got_b[8:18] / got_b[9] == pytest.approx(b[8:18] / b[9], rel=0.06)


@given(st.lists(st.lists(st.integers(0, 4), min_size=24, max_size=24), min_size=7, max_size=7),
       st.lists(st.lists(st.integers(0, 3), min_size=24, max_size=24), min_size=7, max_size=7))
@settings(max_examples=60, deadline=None)
def test_shift_lines_meet_the_schedule_exactly(first: list[list[int]], second: list[list[int]]) -> None:
    from incentsim.calibration.schedule import shift_lines

    grids = [np.array(first), np.array(second)]
    lines = shift_lines(grids, [("a",), ("a", "b")], types=("a", "b"))
    rebuilt = [np.zeros((7, 24), dtype=int), np.zeros((7, 24), dtype=int)]
    names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    for line in lines:
        g = 0 if line["skills"] == ["a"] else 1
        assert line["skills"] in (["a"], [])  # a group holding every type takes every type
        start, hours = int(line["start"]), int(line["hours"])  # type: ignore[call-overload]
        for day in line["days"]:  # type: ignore[attr-defined]
            rebuilt[g][names.index(day), start:start + hours] += line["agents"]
    assert (rebuilt[0] == grids[0]).all() and (rebuilt[1] == grids[1]).all()
    # No more seats than the busiest hour of each weekday needs, summed over distinct shifts.
    assert all(int(line["agents"]) >= 1 for line in lines)  # type: ignore[call-overload]
