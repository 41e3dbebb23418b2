"""Compile every app's locale/*/LC_MESSAGES/django.po to .mo with polib (no gettext needed).

Run: python -m tests.i18n_compile   (tests/core/test_i18n.py checks they are current)
"""

from __future__ import annotations

from pathlib import Path

import polib

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "seoul_digital"


def catalogues() -> list[Path]:
    return sorted(PACKAGE.glob("*/locale/*/LC_MESSAGES/django.po"))


def compile_all() -> list[Path]:
    written = []
    for po_path in catalogues():
        po = polib.pofile(str(po_path))
        mo_path = po_path.with_suffix(".mo")
        po.save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written


if __name__ == "__main__":
    for path in compile_all():
        print(path.relative_to(PACKAGE))
