"""Chinese labels in matplotlib plots: find a font that covers CJK, or number the labels.

>>> plot_labels(["全总"], None)
['#1']
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

# Characters a font must cover to render Chinese entity names.
_CJK_PROBE = "中国工会"


def _has_cjk(path: str) -> bool:
    from matplotlib.ft2font import FT2Font

    try:
        charmap = FT2Font(path).get_charmap()
    except (OSError, RuntimeError, ValueError):
        return False
    return all(ord(ch) in charmap for ch in _CJK_PROBE)


def _system_fonts() -> list[str]:
    """Font files fontconfig says cover Chinese; all matplotlib knows of when it cannot say."""
    fc_list = shutil.which("fc-list")
    if fc_list:
        proc = subprocess.run([fc_list, ":lang=zh", "file"], capture_output=True, text=True, timeout=30)
        paths = sorted({line.split(":")[0].strip() for line in proc.stdout.splitlines() if line.strip()})
        if paths:
            return paths
    from matplotlib import font_manager

    return sorted({f.fname for f in font_manager.fontManager.ttflist})


def chinese_font(fonts: Iterable[str | Path] | None = None) -> str | None:
    """Make matplotlib draw Chinese: find a font covering CJK, register it, return its family name.

    ``fonts`` lists candidate font files; by default those ``fc-list :lang=zh`` reports, or
    every font matplotlib knows. Returns None, leaving matplotlib as it was, when no
    candidate covers Chinese: pass the result to :func:`plot_labels` so plots stay readable.

    Examples
    --------
    >>> chinese_font(fonts=[])  # no candidates: no Chinese font
    >>> name = chinese_font()  # doctest: +SKIP
    >>> name  # doctest: +SKIP
    'WenQuanYi Micro Hei'
    """
    candidates = [str(f) for f in fonts] if fonts is not None else _system_fonts()
    for path in candidates:
        if not _has_cjk(path):
            continue
        import matplotlib as mpl
        from matplotlib import font_manager

        font_manager.fontManager.addfont(path)
        name = font_manager.FontProperties(fname=path).get_name()
        mpl.rcParams["font.sans-serif"] = [name, *mpl.rcParams["font.sans-serif"]]
        mpl.rcParams["font.family"] = "sans-serif"
        return name
    return None


def plot_labels(labels: Sequence[str], font: str | None) -> list[str]:
    """Labels for a plot: the names themselves with a Chinese ``font``, else ``#1``, ``#2``, ...

    Without a font, matplotlib would draw empty boxes and warn once per glyph; numbered
    labels keep the plot readable beside the table it was drawn from.

    Examples
    --------
    >>> plot_labels(["全总", "湖北省"], "WenQuanYi Micro Hei"), plot_labels(["全总", "湖北省"], None)
    (['全总', '湖北省'], ['#1', '#2'])
    """
    return list(labels) if font else [f"#{i}" for i in range(1, len(labels) + 1)]
