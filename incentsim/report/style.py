"""One figure style for every report chart: readable at a glance, the same colour per policy.

Assumption (house style, no source): large enough type to read in a printed
report, light grid, no top/right frame, and a colour-blind-safe palette (Okabe &
Ito 2008, "Color Universal Design") in which a policy keeps its colour in every
figure of a report. Matplotlib is imported when a function is called, not on import.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from matplotlib.figure import Figure

F = TypeVar("F", bound=Callable[..., Any])

#: Okabe-Ito colour-blind-safe palette (black last, used only past seven policies).
PALETTE: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9",
                            "#F0E442", "#000000")

#: Colours of the measured (survey) and true sides of a comparison.
MEASURED_COLOR = "#999999"
TRUE_COLOR = "#0072B2"

#: Matplotlib settings every report figure is drawn with.
RC: dict[str, Any] = {
    "figure.dpi": 100,
    "savefig.dpi": 110,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "legend.fontsize": 9,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "figure.constrained_layout.use": True,
}


def policy_colors(policies: Sequence[str]) -> dict[str, str]:
    """A colour per policy, in order, cycling the palette past eight policies."""
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(policies)}


@contextlib.contextmanager
def report_style() -> Iterator[None]:
    """Draw inside this context to get the report style; settings are restored after."""
    import matplotlib.pyplot as plt

    with plt.rc_context(RC):  # type: ignore[arg-type]
        yield


def styled(func: F) -> F:
    """Decorate a figure function so everything it draws uses the report style."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with report_style():
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def new_figure(rows: int = 1, columns: int = 1, width: float = 8.0, height: float = 4.0,
               **subplots: Any) -> tuple[Figure, Any]:
    """A new figure in the report style with ``rows`` x ``columns`` axes.

    Returns:
        ``(figure, axes)``; ``axes`` is a 2-D numpy array of axes.
    """
    import matplotlib.pyplot as plt

    with plt.rc_context(RC):  # type: ignore[arg-type]
        figure, axes = plt.subplots(rows, columns, figsize=(width, height), squeeze=False,
                                    **subplots)
    return figure, axes


def apply(ax: Any) -> None:
    """Apply the report style to axes the caller made (grid, frame)."""
    ax.grid(True, color=RC["grid.color"], linewidth=RC["grid.linewidth"])
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def note(ax: Any, text: str) -> None:
    """Write a note in the middle of empty axes (e.g. "no surveys under this policy")."""
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", color="0.4",
            fontsize=9, wrap=True)
