"""Fixtures for the quality tests: synthetic files in the real schemas (no ../shared needed)."""

from __future__ import annotations

import pytest

from seoul_digital.quality.engine import synth


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory):
    """Paths and planted counts of every synthetic dataset (written once per session)."""
    root = tmp_path_factory.mktemp("synthetic")
    files = {}
    files["localdata"] = (root / "localdata_cp949.csv", synth.write_localdata(root / "localdata_cp949.csv"))
    files["localdata_excel"] = (root / "localdata_excel.csv",
                                synth.write_localdata(root / "localdata_excel.csv", excel_resaved=True,
                                                      encoding="utf-8-sig"))
    files["childcare"] = (root / "childcare.csv", synth.write_childcare(root / "childcare.csv"))
    files["bike"] = (root / "bike.csv", synth.write_bike_stations(root / "bike.csv"))
    files["population"] = (root / "population.xlsx", synth.write_population_xlsx(root / "population.xlsx"))
    files["crime"] = (root / "crime.csv", synth.write_crime(root / "crime.csv"))
    return files
