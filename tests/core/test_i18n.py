"""Every Korean string has its English, and the compiled catalogues are current."""

import polib
import pytest

from tests.i18n_compile import catalogues


@pytest.mark.parametrize("po_path", catalogues(), ids=lambda p: p.parent.parent.parent.parent.name)
def test_catalogue_complete_and_compiled(po_path):
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"{po_path}: untranslated {untranslated[:10]}"
    assert not fuzzy, f"{po_path}: fuzzy {fuzzy[:10]}"
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} missing: run python -m tests.i18n_compile"
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(mo_path))}
    for entry in po.translated_entries():
        if entry.msgid_plural:
            continue
        assert compiled.get((entry.msgctxt, entry.msgid)) == entry.msgstr, (
            f"{mo_path} is stale for {entry.msgid!r}: run python -m tests.i18n_compile")


def test_core_has_a_catalogue():
    assert any(p.parts[-5] == "core" for p in catalogues())
