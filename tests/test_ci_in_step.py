"""The README's test command and CI's install the same extras (the README promises they are in step)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_and_ci_install_the_same_extras() -> None:
    pattern = r'pip install (?:-q )?-e "\.\[([a-z,]+)\]"'
    readme = re.findall(pattern + r" && python -m pytest", (ROOT / "README.md").read_text(encoding="utf-8"))
    ci = re.findall(pattern, (ROOT / ".ci" / "run").read_text(encoding="utf-8"))
    assert len(readme) == 1 and len(ci) == 1
    assert set(readme[0].split(",")) == set(ci[0].split(",")) and "app" in readme[0].split(",")
