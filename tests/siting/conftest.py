"""A small synthetic data folder (real layout, made-up values) shared by the siting tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def synth_dir(tmp_path_factory):
    from seoul_digital.siting.engine.synth import write_synthetic

    return write_synthetic(tmp_path_factory.mktemp("siting-synth"), ["강남구", "서초구"], seed=3,
                           scale=0.12)
