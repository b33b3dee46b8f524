"""Charts for reports: matplotlib drawn as SVG, text kept as text in the CJK font."""

from __future__ import annotations

import base64
import io
import threading
from collections.abc import Sequence
from typing import Any

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Zen Hei", "DejaVu Sans")
_LOCK = threading.Lock()  # pyplot's state is global


def _configure(matplotlib: Any) -> None:
    matplotlib.use("Agg", force=True)
    matplotlib.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": list(CJK_FONTS),
            "axes.unicode_minus": False,  # the CJK fonts have no U+2212
            "svg.fonttype": "none",  # text stays text: searchable, copyable, extractable
            "svg.hashsalt": "greenbuild",  # stable ids: the same data draws the same file
            "font.size": 9,
        }
    )


def bar_chart_svg(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    unit: str = "",
    reference: float | None = None,
    reference_label: str = "",
) -> str:
    """A horizontal bar chart as an SVG document (no XML declaration, ready to inline)."""
    import matplotlib

    _configure(matplotlib)
    from matplotlib.figure import Figure

    with _LOCK:
        figure = Figure(figsize=(6.4, max(1.6, 0.45 * len(labels) + 0.9)), dpi=96)
        axes = figure.add_subplot()
        positions = list(range(len(labels)))
        axes.barh(positions, values, color="#1f7a4d", height=0.6)
        axes.set_yticks(positions, labels=list(labels))
        axes.invert_yaxis()
        axes.set_title(title, loc="left", fontsize=10)
        if unit:
            axes.set_xlabel(unit)
        for y, value in zip(positions, values, strict=True):
            axes.annotate(
                "{:g}".format(value), (value, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8
            )
        if reference is not None:
            axes.axvline(reference, color="#b02a37", linestyle="--", linewidth=1, label=reference_label or None)
            if reference_label:  # below the axes, never over a bar
                axes.legend(loc="upper right", bbox_to_anchor=(1, -0.18), frameon=False, fontsize=8)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


def svg_data_uri(svg: str) -> str:
    """An ``<img src>`` for ``svg``: each chart keeps its own ids (matplotlib reuses them)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
