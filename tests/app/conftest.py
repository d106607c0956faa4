"""Shared fixtures of the page's tests."""

from __future__ import annotations

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import pytest
from app_scenarios import tiny

import incentsim as isim


@pytest.fixture()
def tiny_scenario() -> isim.Scenario:
    return tiny()
