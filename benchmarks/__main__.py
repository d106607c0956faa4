"""Every benchmark in one command: ``python benchmarks`` (add ``--quick`` for a short run).

Runs ``engine.py`` (time per call of ``Scenario.erlang`` and of the full model
against the lean raw-simpy M/M/c in the same run, Ciw on the same M/M/c, memory
held per call) and then ``replications.py`` (parallel efficiency of replications
on the local pool, wall time of the headline comparison). Each prints its figures
with their ratio to the baseline or target.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    """Run each benchmark script with the given flags; non-zero if any failed."""
    flags = [a for a in sys.argv[1:] if a == "--quick"]
    status = 0
    for script in ("engine.py", "replications.py"):
        print(f"== {script} {' '.join(flags)}".rstrip(), flush=True)
        status |= subprocess.call([sys.executable, str(HERE / script), *flags], cwd=HERE)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
