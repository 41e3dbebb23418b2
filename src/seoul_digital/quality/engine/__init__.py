"""Open-data quality engine (plain Python, no Django): check, report, fix.

    from seoul_digital.quality.engine import check_file, fix_file
    report = check_file("localdata_cinema_license_cp949.csv")
    report.to_dict()        # the JSON contract
"""

from seoul_digital.quality.engine.checker import check_file, check_stream
from seoul_digital.quality.engine.report import Example, Finding, Report
from seoul_digital.quality.engine.spec import DatasetSpec, SpecError, load_spec

__all__ = ["check_file", "check_stream", "Report", "Finding", "Example", "DatasetSpec",
           "SpecError", "load_spec"]
