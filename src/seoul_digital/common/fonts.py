"""Korean fonts for PDFs: NanumGothic (SIL OFL) as shipped in the koreanize-matplotlib wheel.

The font files are located without importing koreanize_matplotlib (which would pull in and
reconfigure matplotlib); no system font install is needed.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

__all__ = ["FontMissing", "nanum_gothic_paths", "register_reportlab_fonts", "REGULAR", "BOLD"]

REGULAR = "NanumGothic"
BOLD = "NanumGothic-Bold"


class FontMissing(RuntimeError):
    """The Korean font is not installed; the message says which package provides it."""


def nanum_gothic_paths() -> tuple[Path, Path]:
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise FontMissing("Korean PDF font not found: install koreanize-matplotlib "
                          "(it ships NanumGothic.ttf)")
    fonts = Path(list(spec.submodule_search_locations)[0]) / "fonts"
    regular, bold = fonts / "NanumGothic.ttf", fonts / "NanumGothicBold.ttf"
    if not regular.exists():
        raise FontMissing(f"Korean PDF font not found at {regular}")
    return regular, (bold if bold.exists() else regular)


def register_reportlab_fonts() -> tuple[str, str]:
    """Register NanumGothic (regular, bold) with reportlab once; returns the font names."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    registered = set(pdfmetrics.getRegisteredFontNames())
    if REGULAR not in registered:
        regular, bold = nanum_gothic_paths()
        pdfmetrics.registerFont(TTFont(REGULAR, str(regular)))
        pdfmetrics.registerFont(TTFont(BOLD, str(bold)))
        pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR,
                                      boldItalic=BOLD)
    return REGULAR, BOLD
