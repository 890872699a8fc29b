"""The bake-off's plots (matplotlib, headless), returned as PNG bytes for embedding in the HTML report.

Each engine keeps one colour from :data:`PALETTE` in every plot, in the order of the summary rows.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any, Final

from .scoring import RecordingScore
from .summary import EngineSummary, GroupRate

__all__ = ["PALETTE", "colour_for", "latency_plot", "rate_by_group_plot", "success_plot"]

PALETTE: Final = ("#2563eb", "#ea580c", "#16a34a", "#9333ea", "#dc2626", "#0891b2", "#ca8a04", "#db2777")
_DPI: Final = 110


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "font.size": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "svg.hashsalt": "sidecar",
        }
    )
    return plt


def _png(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=_DPI, bbox_inches="tight", metadata={"Software": None})
    _pyplot().close(fig)
    return buf.getvalue()


def colour_for(engines: Sequence[str], engine: str) -> str:
    """The colour of ``engine`` among ``engines``."""
    return PALETTE[engines.index(engine) % len(PALETTE)]


def _short(name: str, limit: int = 42) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _label(labels: Mapping[str, str] | None, engine: str) -> str:
    return _short(labels.get(engine, engine) if labels else engine)


def success_plot(rows: Sequence[EngineSummary], *, labels: Mapping[str, str] | None = None) -> bytes:
    """Horizontal bars of top-1 phone success per engine with Wilson 95 % intervals; n-best as a diamond."""
    plt = _pyplot()
    engines = [r.engine for r in rows]
    height = max(2.2, 0.55 * len(rows) + 1.2)
    fig, ax = plt.subplots(figsize=(7.5, height))
    ys = list(range(len(rows)))[::-1]
    for y, r in zip(ys, rows, strict=True):
        rate = r.phone_success_rate or 0.0
        colour = colour_for(engines, r.engine)
        ax.barh(y, 100 * rate, color=colour, height=0.6)
        low, high = r.ci95
        ax.errorbar(
            100 * rate,
            y,
            xerr=[[max(0.0, 100 * (rate - low))], [max(0.0, 100 * (high - rate))]],
            fmt="none",
            ecolor="#111827",
            capsize=4,
        )
        if r.phone_success_in_nbest is not None:
            ax.plot(100 * r.phone_success_in_nbest, y, marker="D", color="#111827", markersize=5, linestyle="none")
        ax.text(min(100 * high + 1.5, 101), y, f"{100 * rate:.0f} %", va="center", fontsize=9)
    ax.set_yticks(ys, [_label(labels, e) for e in engines])
    ax.set_xlim(0, 112)
    ax.set_xlabel("phone number exact (top-1), % with 95 % Wilson interval; ◆ = within n-best")
    ax.set_title("Phone success per engine", loc="left", fontweight="bold")
    return _png(fig)


def rate_by_group_plot(
    rates: Sequence[GroupRate],
    *,
    engines: Sequence[str],
    title: str,
    xlabel: str,
    labels: Mapping[str, str] | None = None,
) -> bytes:
    """Grouped bars: success per group (style, SNR, ...) per engine, with Wilson intervals."""
    plt = _pyplot()
    groups = list(dict.fromkeys(r.group for r in rates))
    shown = [e for e in engines if any(r.engine == e for r in rates)]
    fig, ax = plt.subplots(figsize=(7.5, 3.4))
    width = 0.8 / max(1, len(shown))
    for k, engine in enumerate(shown):
        xs, ys, err_lo, err_hi = [], [], [], []
        for g, group in enumerate(groups):
            hit = next((r for r in rates if r.engine == engine and r.group == group), None)
            if hit is None:
                continue
            xs.append(g - 0.4 + width * (k + 0.5))
            ys.append(100 * hit.rate)
            err_lo.append(max(0.0, 100 * (hit.rate - hit.ci95[0])))
            err_hi.append(max(0.0, 100 * (hit.ci95[1] - hit.rate)))
        ax.bar(xs, ys, width=width * 0.92, color=colour_for(engines, engine), label=_label(labels, engine))
        ax.errorbar(xs, ys, yerr=[err_lo, err_hi], fmt="none", ecolor="#111827", capsize=2, linewidth=0.8)
    ax.set_xticks(range(len(groups)), groups)
    ax.set_ylim(0, 105)
    ax.set_ylabel("phone success %")
    ax.set_xlabel(xlabel)
    ax.set_title(title, loc="left", fontweight="bold")
    if shown:
        ax.legend(fontsize=8, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=min(3, len(shown)))
    return _png(fig)


def latency_plot(
    scores: Sequence[RecordingScore], *, engines: Sequence[str], labels: Mapping[str, str] | None = None
) -> bytes:
    """Box plot with the points of time to final per engine (runs that did not fail)."""
    plt = _pyplot()
    data = [
        [s.time_to_final_s for s in scores if s.engine == e and s.time_to_final_s is not None and not s.failed]
        for e in engines
    ]
    height = max(2.2, 0.55 * len(engines) + 1.2)
    fig, ax = plt.subplots(figsize=(7.5, height))
    ys = list(range(len(engines)))[::-1]
    for y, engine, values in zip(ys, engines, data, strict=True):
        colour = colour_for(engines, engine)
        if values:
            ax.boxplot(
                [values],
                positions=[y],
                orientation="horizontal",
                widths=0.5,
                patch_artist=True,
                showfliers=False,
                boxprops={"facecolor": colour, "alpha": 0.35, "edgecolor": colour},
                medianprops={"color": colour, "linewidth": 2},
                whiskerprops={"color": colour},
                capprops={"color": colour},
            )
            jitter = [y + 0.18 * (((i * 7919) % 13) / 13 - 0.5) for i in range(len(values))]
            ax.scatter(values, jitter, s=9, color=colour, alpha=0.8, zorder=3)
    ax.set_yticks(ys, [_label(labels, e) for e in engines])
    ax.set_xlabel("time to final after end of speech, s (recognize(): decode time)")
    ax.set_xlim(left=0)
    ax.set_title("Latency distribution", loc="left", fontweight="bold")
    return _png(fig)
