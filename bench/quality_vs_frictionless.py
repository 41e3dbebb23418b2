"""Open-data quality checker vs `frictionless validate`, same file, same run.

    python bench/quality_vs_frictionless.py                # a real file (~0.4 MB) and a 100 MB
                                                           # repeat of it: about 5 minutes
    python bench/quality_vs_frictionless.py --huge         # + a ~1 GB repeat (long: frictionless
                                                           # needs ~45 min per GB)
    python bench/quality_vs_frictionless.py --huge-unique  # + ~1 GB where ids/names/addresses
                                                           # are unique per row (worst case for
                                                           # our caches)
    python bench/quality_vs_frictionless.py --huge-line    # + a 1 GB file that is one line
    python bench/quality_vs_frictionless.py --quick        # the real file only (seconds)

Frictionless gets the closest equivalent checks: a Table Schema generated from the rules
our checker chose (types, date/"any", patterns for phones/postcodes/ids, enums for code
lists and 자치구, ranges for coordinates/percentages/counts, required fields, the composite
primary key) plus its duplicate-row check, and no error limit. Each tool runs in its own
process; wall time and peak memory (ru_maxrss) are measured by the parent. Big files are
built under /tmp and deleted afterwards (never in the repository).

On the big files Frictionless's primary-key and duplicate-row checks keep every row in
memory and ``validate`` keeps every error object (~19 MB per MB of CSV, measured on the
100 MB file), so there it runs twice: ``validate`` with the full equivalent schema under a
memory cap (``--memory-cap-mb``; reported if it hits the cap), and the same schema's per-cell
type and constraint checks streamed row by row (``resource.row_stream``, errors counted, not
kept), which is memory-bounded and is the time baseline.

Ours is the user-facing command, ``python -m seoul_digital quality check FILE --json
--no-profiles`` (the ``seoul-digital`` entry point). Before timing, ``src`` is byte-compiled
(``compileall``, into the git-ignored ``__pycache__`` folders), as installing a package does:
Frictionless runs from its installed, compiled package, and with PYTHONDONTWRITEBYTECODE set
our source would otherwise be compiled again on every run. The machine's load average is
printed with each file.

The default file is ../shared/data/seoul/opendata/localdata_cinema_license_cp949.csv
(SEOUL_DATA_DIR respected); without it a synthetic LOCALDATA file in the same schema.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

PYTHON = sys.executable


def default_file() -> Path:
    base = Path(os.environ.get("SEOUL_DATA_DIR") or ROOT.parent / "shared" / "data" / "seoul")
    real = base / "opendata" / "localdata_cinema_license_cp949.csv"
    if real.exists():
        return real
    from seoul_digital.quality.engine.synth import write_localdata

    path = Path(tempfile.gettempdir()) / "quality_bench_synthetic_localdata.csv"
    write_localdata(path, n=2000)
    return path


def frictionless_schema(path: Path, uniqueness: bool = True) -> tuple[dict, str | None]:
    """A Table Schema with the closest equivalent of each rule our checker applies."""
    from seoul_digital.common import crs
    from seoul_digital.common.districts import DISTRICTS
    from seoul_digital.quality.engine.checker import plan_file

    stream, plan = plan_file(path)
    fields = []
    lon0, lat0, lon1, lat1 = crs.SEOUL_BBOX_WGS84
    tm_range = {}
    for pair in plan.coordinate_pairs:
        if pair["crs"] and pair["crs"] != "EPSG:4326":
            xs, ys = crs.from_wgs84([lon0, lon1, lon0, lon1], [lat0, lat0, lat1, lat1], pair["crs"])
            tm_range[pair["x"]] = (min(xs), max(xs))
            tm_range[pair["y"]] = (min(ys), max(ys))
    for c in plan.columns:
        field = {"name": c.name, "type": "string"}
        constraints = {}
        rule = c.rule
        if c.kind in ("date", "yearmonth", "year"):
            field.update(type="date", format="any")
        elif c.kind == "phone":
            constraints["pattern"] = r"(02|0[3-6][1-5]|01[016789]|070|050[2-8]|080)-\d{3,4}-\d{4}|1[568]\d{2}-\d{4}"
        elif c.kind == "postcode":
            constraints["pattern"] = r"\d{5}"
        elif c.kind == "bizno":
            constraints["pattern"] = r"\d{3}-\d{2}-\d{5}"
        elif c.kind == "code":
            if getattr(rule, "codes", None):
                constraints["enum"] = sorted(rule.codes)
            elif getattr(rule, "length", None):
                constraints["pattern"] = r"\w{%d}" % rule.length
        elif c.kind == "id":
            constraints["pattern"] = r"(?![-+]?\d(\.\d+)?[eE][-+]?\d+$).*"
        elif c.kind == "district":
            constraints["enum"] = [d.name_ko for d in DISTRICTS]
        elif c.kind in ("lat", "lon"):
            field["type"] = "number"
            lo, hi = (lat0, lat1) if c.kind == "lat" else (lon0, lon1)
            constraints.update(minimum=lo, maximum=hi)
        elif c.kind in ("x", "y"):
            field["type"] = "number"
            if c.index in tm_range:
                constraints.update(minimum=tm_range[c.index][0], maximum=tm_range[c.index][1])
        elif c.kind in ("count", "amount", "measure", "number", "percent"):
            field["type"] = "integer" if getattr(rule, "integer", False) else "number"
            if getattr(rule, "minimum", None) is not None:
                constraints["minimum"] = rule.minimum
            if getattr(rule, "maximum", None) is not None:
                constraints["maximum"] = rule.maximum
        if c.required:
            constraints["required"] = True
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    schema = {"fields": fields}
    if plan.keys and uniqueness:
        schema["primaryKey"] = [plan.columns[j].name for j in plan.keys[0]]
    encoding = stream.encoding.encoding if stream.encoding else None
    return schema, ("utf-8-sig" if encoding == "utf-8-sig" else encoding)


FRICTIONLESS_RUNNER = r"""
import json, sys, time
from frictionless import Checklist, Resource, Schema, checks
started = time.perf_counter()
path, schema_path, encoding, uniqueness = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
schema = Schema.from_descriptor(json.load(open(schema_path, encoding="utf-8")))
resource = Resource(path=path, schema=schema, encoding=encoding or None)
counts = {}
if uniqueness == "1":
    report = resource.validate(Checklist(checks=[checks.duplicate_row()]), limit_errors=10**9)
    for task in report.tasks:
        for error in task.errors:
            counts[error.type] = counts.get(error.type, 0) + 1
    for error in report.errors:
        counts[error.type] = counts.get(error.type, 0) + 1
    valid = report.valid
else:
    # validate() keeps every error object (GBs on a big file); count them as rows stream by
    # instead: the same per-cell type and constraint checks, memory-bounded.
    with resource:
        for row in resource.row_stream:
            for error in row.errors:
                counts[error.type] = counts.get(error.type, 0) + 1
    valid = not counts
print(json.dumps({"valid": valid, "counts": counts, "seconds": time.perf_counter() - started}))
"""


def run(cmd: list[str], cwd: Path | None = None, timeout: float | None = None) -> dict:
    """Run a command; wall seconds, peak RSS (MB) of that process, stdout."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    timed_out = False
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        timed_out = True
    wall = time.perf_counter() - started
    # ru_maxrss of the child we just waited for is in RUSAGE_CHILDREN only as a maximum over
    # all children, so each tool gets its own wrapper process (see measured()).
    return {"wall": wall, "stdout": out.decode("utf-8", "replace"),
            "stderr": err.decode("utf-8", "replace"), "code": proc.returncode, "timed_out": timed_out}


MEASURE = r"""
import os, resource, subprocess, sys, time, json
cap = int(os.environ.get("BENCH_MEMORY_CAP_MB", "0"))
def limit():
    if cap:
        resource.setrlimit(resource.RLIMIT_AS, (cap << 20, cap << 20))
t = time.perf_counter()
p = subprocess.run(sys.argv[1:], capture_output=True, preexec_fn=limit)
wall = time.perf_counter() - t
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.stdout.buffer.write(json.dumps({"wall": wall, "peak_mb": peak_kb / 1024, "code": p.returncode,
    "stdout": p.stdout.decode("utf-8", "replace")[-2000000:], "stderr": p.stderr.decode("utf-8", "replace")[-4000:]}).encode())
"""


def measured(cmd: list[str], cwd: Path | None = None, timeout: float | None = None,
             cap_mb: int = 0) -> dict:
    os.environ["BENCH_MEMORY_CAP_MB"] = str(cap_mb)
    try:
        result = run([PYTHON, "-c", MEASURE, *cmd], cwd=cwd, timeout=timeout)
    finally:
        os.environ.pop("BENCH_MEMORY_CAP_MB", None)
    if result["timed_out"]:
        return {"wall": result["wall"], "peak_mb": None, "code": None, "stdout": "", "stderr": "timed out",
                "timed_out": True}
    data = json.loads(result["stdout"])
    data["timed_out"] = False
    return data


# our rules → the frictionless error type that is the closest equivalent
CATEGORY = {
    "type/format": {"ours": {"date_invalid", "date_truncated_by_excel", "excel_serial_date", "number_invalid",
                             "coordinate_invalid", "time_invalid", "period_invalid", "flag_invalid",
                             "thousands_separator", "number_with_unit", "not_integer"},
                    "theirs": {"type-error"}},
    "constraints": {"ours": {"phone_invalid", "phone_unformatted", "phone_missing_area_code",
                             "postcode_invalid", "postcode_legacy", "postcode_leading_zero_lost",
                             "bizno_invalid", "code_not_in_list", "code_leading_zero_lost",
                             "pattern_mismatch", "id_scientific_notation", "district_unknown",
                             "coordinate_outside_seoul", "negative_value", "percent_out_of_range",
                             "value_out_of_range", "date_out_of_range", "required_blank"},
                    "theirs": {"constraint-error"}},  # pattern, enum, min/max, required
    "key": {"ours": {"duplicate_key"}, "theirs": {"primary-key", "unique-error"}},
    "duplicate rows": {"ours": {"duplicate_rows"}, "theirs": {"duplicate-row"}},
    "blank rows": {"ours": {"blank_rows"}, "theirs": {"blank-row"}},
    "ragged rows": {"ours": {"ragged_rows", "trailing_delimiter"},
                    "theirs": {"extra-cell", "missing-cell"}},
    "header": {"ours": {"blank_header_label", "duplicate_header_label"},
               "theirs": {"blank-label", "duplicate-label", "incorrect-label"}},
}


def _median_run(runs: list[dict]) -> dict:
    """The run with the median wall time, with every run's wall time attached."""
    ranked = sorted(runs, key=lambda r: r["wall"])
    chosen = dict(ranked[(len(ranked) - 1) // 2])
    chosen["walls"] = [r["wall"] for r in runs]
    return chosen


def compare(path: Path, timeout: float | None, cap_mb: int = 0, uniqueness: bool = True,
            ours_cache: dict | None = None, repeat: int = 1) -> dict:
    """Both tools on ``path``; with ``repeat`` > 1 each runs that many times, alternating, and
    the run with the median wall time is reported (small files: start-up times are noisy on
    a shared machine)."""
    schema, encoding = frictionless_schema(path, uniqueness)
    with tempfile.TemporaryDirectory() as tmp:
        schema_path = Path(tmp) / "schema.json"
        schema_path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
        runner = Path(tmp) / "run_frictionless.py"
        runner.write_text(FRICTIONLESS_RUNNER, encoding="utf-8")
        ours_runs, theirs_runs = [], []
        for _ in range(max(1, repeat)):
            if ours_cache is not None and ours_cache.get("path") == path:
                ours_runs = [ours_cache["result"]]
            else:
                ours_runs.append(measured([PYTHON, "-m", "seoul_digital", "quality", "check",
                                           str(path), "--json", "--no-profiles"], timeout=timeout))
            theirs_runs.append(measured([PYTHON, str(runner), path.name, str(schema_path),
                                         encoding or "", "1" if uniqueness else "0"],
                                        cwd=path.parent, timeout=timeout, cap_mb=cap_mb))
        ours, theirs = _median_run(ours_runs), _median_run(theirs_runs)
        if ours_cache is not None:
            ours_cache.update(path=path, result=ours)
    ours_counts: Counter = Counter()
    ours_inner = theirs_inner = None
    if ours["stdout"]:
        data = json.loads(ours["stdout"])
        ours_inner = data.get("seconds")
        for f in data["findings"]:
            ours_counts[f["rule"]] += f["count"]
    theirs_counts = Counter()
    if theirs["stdout"].strip():
        data = json.loads(theirs["stdout"])
        theirs_counts = Counter(data["counts"])
        theirs_inner = data.get("seconds")
    ours["inner"], theirs["inner"] = ours_inner, theirs_inner
    return {"file": str(path), "bytes": path.stat().st_size, "ours": ours, "theirs": theirs,
            "ours_counts": ours_counts, "theirs_counts": theirs_counts, "schema_fields": len(schema["fields"]),
            "uniqueness": uniqueness, "cap_mb": cap_mb}


def load_average() -> str:
    try:
        return "load average " + ", ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "load average unknown"


def compile_sources() -> None:
    """Byte-compile our package once, as ``pip install`` does (see the module docstring)."""
    import compileall

    compileall.compile_dir(str(ROOT / "src" / "seoul_digital"), quiet=1)


def show(result: dict) -> None:
    ours, theirs = result["ours"], result["theirs"]
    mb = result["bytes"] / 1e6
    variant = "" if result["uniqueness"] else (" — frictionless: cell checks streamed (no primary-key/"
                                               "duplicate-row checks)")
    if result["cap_mb"]:
        variant += f" — frictionless capped at {result['cap_mb']:,} MB"
    print(f"\n== {Path(result['file']).name}: {mb:,.1f} MB{variant} == ({load_average()})")
    print(f"{'':24}{'ours (quality check)':>24}{'frictionless validate':>24}")
    tw = "timed out" if theirs["timed_out"] else f"{theirs['wall']:.2f}"
    print(f"{'wall time (s)':24}{ours['wall']:>24.2f}{tw:>24}")
    if len(ours.get("walls", ())) > 1 or len(theirs.get("walls", ())) > 1:
        def spread(r):
            w = r.get("walls") or [r["wall"]]
            return f"{len(w)} runs {min(w):.2f}–{max(w):.2f}"
        print(f"{'  (median of)':24}{spread(ours):>24}{spread(theirs):>24}")
    if ours.get("inner") is not None and theirs.get("inner") is not None:
        print(f"{'  of which checking (s)':24}{ours['inner']:>24.2f}{theirs['inner']:>24.2f}"
              f"   (the rest is starting Python and imports)")
    peak_t = "-" if theirs["peak_mb"] is None else f"{theirs['peak_mb']:.0f}"
    print(f"{'peak memory (MB)':24}{ours['peak_mb']:>24.0f}{peak_t:>24}")
    print(f"{'throughput (MB/s)':24}{mb / ours['wall']:>24.1f}"
          f"{'-' if theirs['timed_out'] else f'{mb / theirs[chr(119) + chr(97) + chr(108) + chr(108)]:.1f}':>24}")
    failed = theirs["timed_out"] or theirs.get("code") not in (0, None)
    if not failed:
        print(f"{'speed-up':24}{theirs['wall'] / ours['wall']:>23.1f}×")
    else:
        print(f"{'speed-up':24}{'(frictionless did not finish: ' + format(theirs['wall'], '.0f') + ' s)':>48}")
    print("findings (cells/rows), closest categories:")
    oc, tc = result["ours_counts"], result["theirs_counts"]
    used_o, used_t = set(), set()
    for name, cat in CATEGORY.items():
        o = sum(oc[r] for r in cat["ours"])
        t = sum(tc[r] for r in cat["theirs"])
        used_o |= cat["ours"]
        used_t |= cat["theirs"]
        print(f"  {name:22}{o:>24,}{t:>24,}")
    rest_o = {k: v for k, v in oc.items() if k not in used_o}
    rest_t = {k: v for k, v in tc.items() if k not in used_t}
    print(f"  {'only ours':22}{sum(rest_o.values()):>24,}{'':>24}")
    for k, v in sorted(rest_o.items(), key=lambda kv: -kv[1]):
        print(f"    {k:34}{v:>12,}")
    if rest_t:
        print(f"  {'only theirs':22}{'':>24}{sum(rest_t.values()):>24,}")
        for k, v in sorted(rest_t.items(), key=lambda kv: -kv[1]):
            print(f"    {k:34}{'':>12}{v:>12,}")
    if ours["code"] not in (0, 1):
        print("ours stderr:", ours["stderr"][-500:])
    if theirs.get("code") not in (0, None) and not theirs["timed_out"]:
        tail = theirs["stderr"].strip().splitlines()[-1:] or [""]
        print(f"frictionless did not finish (exit {theirs['code']}): {tail[0][:300]}")


def build_repeated(src: Path, target_bytes: int, dest: Path) -> Path:
    data = src.read_bytes()
    head, _, body = data.partition(b"\n")
    if not body.endswith(b"\n"):
        body += b"\n"
    with open(dest, "wb") as fh:
        fh.write(head + b"\n")
        written = len(head) + 1
        while written < target_bytes:
            fh.write(body)
            written += len(body)
    return dest


def build_unique(src: Path, target_bytes: int, dest: Path) -> Path:
    """Repeat the file, making the key columns and the first free-text column unique on every
    row (a copy number appended): the high-cardinality worst case for value caches."""
    import csv

    from seoul_digital.common.korean_files import open_table
    from seoul_digital.quality.engine.checker import plan_file

    stream, plan = plan_file(src)
    encoding = stream.encoding.encoding if stream.encoding else "utf-8"
    targets = sorted({j for key in plan.keys for j in key} |
                     {next((c.index for c in plan.columns if c.kind == "text"), 0)})
    with open_table(src) as t:
        header, rows = t.header, [r for _, r in t]
    with open(dest, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_ALL)
        writer.writerow(header)
        copy = 0
        while fh.tell() < target_bytes:
            copy += 1
            for r in rows:
                r = list(r)
                for j in targets:
                    if j < len(r) and r[j]:
                        r[j] = f"{r[j]}-{copy}"
                writer.writerow(r)
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file", type=Path, default=None, help="the real file to compare on")
    parser.add_argument("--quick", action="store_true", help="the real file only")
    parser.add_argument("--repeat", type=int, default=7,
                        help="runs of each tool on the real file (the median is reported)")
    parser.add_argument("--huge", action="store_true", help="also a ~1 GB file repeating the real one")
    parser.add_argument("--huge-unique", action="store_true",
                        help="also a ~1 GB file with unique ids, names and addresses")
    parser.add_argument("--size-mb", type=int, default=1024, help="size of the big files")
    parser.add_argument("--huge-line", action="store_true", help="also a 1 GB file without newlines")
    parser.add_argument("--timeout", type=float, default=5400, help="per-tool limit on big files (s)")
    parser.add_argument("--memory-cap-mb", type=int, default=4096,
                        help="address-space cap for frictionless's full check on big files")
    args = parser.parse_args()
    src = args.file or default_file()
    compile_sources()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; "
          f"frictionless {__import__('frictionless').__version__}; {load_average()}")
    show(compare(src, timeout=600, repeat=args.repeat))
    sizes = [] if args.quick else [("repeat", 100)]
    if args.huge:
        sizes.append(("repeat", args.size_mb))
    if args.huge_unique:
        sizes.append(("unique", args.size_mb))
    for kind, size_mb in sizes:
        tmp = Path(tempfile.mkdtemp(prefix="quality_bench_", dir="/tmp"))
        try:
            name = src.stem + (f"_x{size_mb}MB" if kind == "repeat" else f"_unique{size_mb}MB") + ".csv"
            builder = build_repeated if kind == "repeat" else build_unique
            big = builder(src, size_mb * 1024 * 1024, tmp / name)
            cache: dict = {}
            if size_mb <= 200:
                show(compare(big, timeout=args.timeout, ours_cache=cache))
            else:
                show(compare(big, timeout=args.timeout, cap_mb=args.memory_cap_mb, ours_cache=cache))
                show(compare(big, timeout=args.timeout, uniqueness=False, ours_cache=cache))
        finally:
            for p in tmp.iterdir():
                p.unlink()
            tmp.rmdir()
    if args.huge_line:
        tmp = Path(tempfile.mkdtemp(prefix="quality_bench_", dir="/tmp"))
        try:
            line = tmp / "one_line.csv"
            with open(line, "wb") as fh:
                block = b"x," * (1 << 20)
                for _ in range(args.size_mb // 2):
                    fh.write(block)
            ours = measured([PYTHON, "-m", "seoul_digital", "quality", "check", str(line), "--json"],
                            timeout=args.timeout)
            message = json.loads(ours["stdout"])["unreadable"] if ours["stdout"] else ours["stderr"][-300:]
            print(f"\n== one line of {line.stat().st_size / 1e9:.2f} GB ==")
            print(f"ours: {ours['wall']:.2f} s, peak {ours['peak_mb']:.0f} MB, exit {ours['code']}: {message}")
            runner = tmp / "run_frictionless.py"
            runner.write_text(FRICTIONLESS_RUNNER, encoding="utf-8")
            schema = tmp / "schema.json"
            schema.write_text('{"fields": [{"name": "x", "type": "string"}]}', encoding="utf-8")
            theirs = measured([PYTHON, str(runner), line.name, str(schema), "", "0"], cwd=tmp,
                              timeout=min(args.timeout, 600), cap_mb=args.memory_cap_mb)
            if theirs["timed_out"]:
                print(f"frictionless: timed out after {theirs['wall']:.0f} s")
            else:
                print(f"frictionless: {theirs['wall']:.2f} s, peak {theirs['peak_mb']:.0f} MB, exit "
                      f"{theirs['code']}: {(theirs['stdout'] or theirs['stderr'])[-300:].strip()}")
        finally:
            for p in tmp.iterdir():
                p.unlink()
            tmp.rmdir()


if __name__ == "__main__":
    main()
