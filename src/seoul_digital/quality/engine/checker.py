"""The checker: stream a table once, evaluate each distinct value once, report findings.

Memory stays bounded: rows are processed in chunks and dropped; per column only capped
dictionaries (distinct-value cache, profile counts, five examples per rule) are kept; keys
and rows are remembered as 64-bit hashes (8 bytes each, see ``rules.keys``).

Plain Python at import: numpy and pyproj are imported only when a file needs them (more
distinct keys or rows than ``rules.keys.SMALL_LIMIT``; TM pairs near Seoul's box edge), so
``seoul-digital quality check`` on a small file starts in a few tens of milliseconds.
"""

from __future__ import annotations

import gc
import re
import threading
import time
from collections import Counter
from contextlib import contextmanager
from itertools import chain
from operator import itemgetter
from pathlib import Path

from seoul_digital.common.korean_files import TableStream, UnreadableFile, open_table
from seoul_digital.common.progress import ProgressCallback, null_progress
from seoul_digital.quality.engine.catalogue import ERROR, RULES
from seoul_digital.quality.engine.report import ColumnProfile, Example, Finding, Report
from seoul_digital.quality.engine.rules.base import EXCEL_ERRORS, OK, PLACEHOLDERS, Verdict
from seoul_digital.quality.engine.rules.codes import AGGREGATE_LABELS
from seoul_digital.quality.engine.rules.dates import forget_parsed_dates
from seoul_digital.quality.engine.rules.geo import SYSTEM_NAMES, pair_verdicts
from seoul_digital.quality.engine.rules.keys import SeenHashes
from seoul_digital.quality.engine.spec import (ColumnPlan, DatasetPlan, DatasetSpec, build_plan,
                                               load_spec)

__all__ = ["check_file", "check_stream", "CHUNK_ROWS"]

CHUNK_ROWS = 20_000
SAMPLE_ROWS = 2_000
# Memory budgets, shared by all columns: distinct values whose verdicts are remembered
# (beyond: evaluated again each time they appear) and distinct values counted for profiles.
CACHE_BUDGET = 400_000
PROFILE_BUDGET = 200_000
CACHE_LIMIT = 200_000  # per column at most
EXAMPLES = 5
_NEAR = re.compile(r"[\s\-./:,()·]")
_PLACEHOLDER_LEN = max(map(len, PLACEHOLDERS))  # lower() never shortens a text


class _Info:
    """Everything the checker needs about one distinct value of a column."""

    __slots__ = ("blank", "stripped", "verdict", "rules", "error_dims", "is_error")

    def __init__(self, blank: bool, stripped: str, verdict: Verdict, rules: tuple[str, ...],
                 error_dims: frozenset, is_error: bool):
        self.blank = blank
        self.stripped = stripped
        self.verdict = verdict
        self.rules = rules  # every rule this value breaks (value-level)
        self.error_dims = error_dims
        self.is_error = is_error


_MISS = object()

# While files are checked, the collector's youngest generation is examined every 100 000
# new container objects instead of every 700: a check allocates rows, tuples and cached
# verdicts that all stay alive until the chunk ends, so the default passes find nothing to
# free (about a tenth of a small file's check time). Reference cycles are still collected,
# only in fewer passes. Counted across threads; the old setting comes back when the last
# check ends. The setting is process-wide, so it is opt-in (``fewer_gc_passes=True``): the
# command line uses it; a web or job process that checks files beside other work does not.
# A collector switched off (threshold 0) stays off.
_GC_GEN0 = 100_000
_gc_lock = threading.Lock()
_gc_users = 0
_gc_saved: tuple[int, ...] | None = None


@contextmanager
def _fewer_gc_passes(enabled: bool = True):
    global _gc_users, _gc_saved
    if not enabled:
        yield
        return
    with _gc_lock:
        _gc_users += 1
        if _gc_users == 1:
            _gc_saved = gc.get_threshold()
            if 0 < _gc_saved[0] < _GC_GEN0:
                gc.set_threshold(_GC_GEN0, *_gc_saved[1:])
    try:
        yield
    finally:
        with _gc_lock:
            _gc_users -= 1
            if _gc_users == 0 and _gc_saved is not None:
                gc.set_threshold(*_gc_saved)
                _gc_saved = None


def _pick(col, idx) -> list:
    """col[i] for each i in idx (C speed)."""
    idx = idx if isinstance(idx, list) else list(idx)
    if not idx:
        return []
    if len(idx) == 1:
        return [col[idx[0]]]
    return list(itemgetter(*idx)(col))

_ERROR_DIMS = {r.id: r.dimension for r in RULES.values() if r.severity == ERROR}
_NO_DIMS: frozenset = frozenset()
_BLANK = _Info(True, "", OK, (), _NO_DIMS, False)
_EXCEL = Verdict(("excel_error_value",))
_PLACEHOLDER = Verdict(("placeholder_value",))


class _Column:
    def __init__(self, plan: ColumnPlan, disabled: set[str], columns: int = 1):
        self.cache_limit = max(2_000, min(CACHE_LIMIT, CACHE_BUDGET // max(columns, 1)))
        self.profile_limit = max(1_000, PROFILE_BUDGET // max(columns, 1))
        self.plan = plan
        self.rule = plan.rule
        self.disabled = disabled
        self.cache: dict[str, _Info] = {}
        self.counts: dict[str, int] = {}
        self.capped = False
        self.blank = 0
        self.filled = 0
        self.checked = 0
        self.errors = 0
        self.dim_errors: Counter = Counter()
        self.rule_counts: Counter = Counter()
        self.examples: dict[str, list[Example]] = {}
        self.fmt_counts: Counter = Counter()
        self.fmt_examples: dict[str, list[Example]] = {}
        self.min_len: int | None = None
        self.max_len: int | None = None
        self.minimum: float | None = None
        self.maximum: float | None = None
        self.norm_cache: dict[str, str] = {}
        self.parsed_cache: dict[str, object] = {}
        self.pair_cache: dict[tuple, str | None] = {}
        self.placeholders = plan.kind != "text"
        self.evaluate = self.rule.evaluate if self.rule is not None else None

    def info(self, value: str) -> _Info:
        found = self.cache.get(value)
        if found is not None:
            return found
        return self._new_info(value)

    def _new_info(self, value: str) -> _Info:
        stripped = value.strip()
        if not stripped:
            info = _BLANK
        else:
            # every Excel error text starts with "#"
            if stripped[0] == "#" and (stripped in EXCEL_ERRORS or stripped.startswith("#REF")):
                verdict = _EXCEL
            elif (self.placeholders and len(stripped) <= _PLACEHOLDER_LEN
                  and stripped.lower() in PLACEHOLDERS):
                verdict = _PLACEHOLDER
            elif self.evaluate is not None:
                verdict = self.evaluate(stripped)
            else:
                verdict = OK
            if not verdict.errors and stripped == value:
                info = _Info(False, stripped, verdict, (), _NO_DIMS, False)
            else:
                rules = (("untrimmed_spaces",) if stripped != value else ()) + verdict.errors
                if self.disabled:
                    rules = tuple(r for r in rules if r not in self.disabled)
                dims = frozenset(_ERROR_DIMS[r] for r in rules if r in _ERROR_DIMS)
                info = _Info(False, stripped, verdict, rules, dims, bool(dims))
        if len(self.cache) < self.cache_limit:
            self.cache[value] = info
        return info

    def process(self, col: list[str], numbers: list[int]) -> None:
        # Examples are the first rows breaking each rule (or having each format). Those rows
        # hold the first distinct values (in order of first appearance, Counter's order) that
        # break it, so only that many values per rule are looked for in the rows.
        want: dict[str, _Info] = {}
        need: dict[str, int] = {}
        need_fmt: dict[str, int] = {}
        examples, fmt_examples = self.examples, self.fmt_examples
        rule_counts, fmt_counts = self.rule_counts, self.fmt_counts
        required = self.plan.required and "required_blank" not in self.disabled
        counts = self.counts
        cache = self.cache
        info_of = self._new_info
        filled = blank = errors = 0
        min_len, max_len = self.min_len, self.max_len
        for value, n in Counter(col).items():
            info = cache.get(value) or info_of(value)
            if info.blank:
                blank += n
                if required:
                    self.checked += n
                    self.errors += n
                    self.dim_errors["completeness"] += n
                    rule_counts["required_blank"] += n
                    left = need.get("required_blank")
                    if left is None:
                        left = EXAMPLES - len(examples.get("required_blank", ()))
                    if left > 0:
                        want[value] = info
                    need["required_blank"] = left - 1
                continue
            filled += n
            if value in counts:
                counts[value] += n
            elif len(counts) < self.profile_limit:
                counts[value] = n
            else:
                self.capped = True
            length = len(info.stripped)
            if min_len is None or length < min_len:
                min_len = length
            if max_len is None or length > max_len:
                max_len = length
            verdict = info.verdict
            if verdict is OK and not info.rules:
                continue  # no rule broken, no format, nothing parsed
            parsed = verdict.parsed
            if isinstance(parsed, float):
                if self.minimum is None or parsed < self.minimum:
                    self.minimum = parsed
                if self.maximum is None or parsed > self.maximum:
                    self.maximum = parsed
            for rule in info.rules:
                rule_counts[rule] += n
                left = need.get(rule)
                if left is None:
                    left = EXAMPLES - len(examples.get(rule, ()))
                if left > 0:
                    want[value] = info
                need[rule] = left - 1
            fmt = verdict.fmt
            if fmt is not None:
                fmt_counts[fmt] += n
                left = need_fmt.get(fmt)
                if left is None:
                    left = EXAMPLES - len(fmt_examples.get(fmt, ()))
                if left > 0:
                    want[value] = info
                need_fmt[fmt] = left - 1
            if info.is_error:
                errors += n
                for dim in info.error_dims:
                    self.dim_errors[dim] += n
        self.blank += blank
        self.filled += filled
        self.checked += filled
        self.errors += errors
        self.min_len, self.max_len = min_len, max_len
        if want:
            self._collect_examples(col, numbers, want)

    def _collect_examples(self, col, numbers, want: dict[str, _Info]) -> None:
        examples, fmt_examples = self.examples, self.fmt_examples
        for i, value in enumerate(col):
            info = want.get(value)
            if info is None:
                continue
            full = True
            for rule in (info.rules if not info.blank else ("required_blank",)):
                bucket = examples.setdefault(rule, [])
                if len(bucket) < EXAMPLES:
                    bucket.append(Example(numbers[i], value))
                    full = full and len(bucket) >= EXAMPLES
            fmt = info.verdict.fmt
            if fmt is not None:
                bucket = fmt_examples.setdefault(fmt, [])
                if len(bucket) < EXAMPLES:
                    bucket.append(Example(numbers[i], value))
                    full = full and len(bucket) >= EXAMPLES
            if full:
                del want[value]
                if not want:
                    return

    def parsed(self, col: list[str]) -> list:
        return self._mapped(col, self.parsed_cache, lambda v: self.info(v).verdict.parsed)

    def normalised(self, col: list[str]) -> list[str]:
        return self._mapped(col, self.norm_cache, lambda v: _NEAR.sub("", v.casefold()))

    def _mapped(self, col, cache: dict, compute) -> list:
        """``compute`` of every value, computed once per distinct value (cache bounded)."""
        missing = set(col).difference(cache.keys())
        if not missing:
            return list(map(cache.__getitem__, col))
        local = {v: compute(v) for v in missing}
        room = self.cache_limit - len(cache)
        if room >= len(local):
            cache.update(local)
            return list(map(cache.__getitem__, col))
        for v, value in list(local.items())[:max(room, 0)]:
            cache[v] = value
        return [local[v] if v in local else cache[v] for v in col]

    def profile(self) -> ColumnProfile:
        top = sorted(self.counts.items(), key=lambda kv: -kv[1])[:5]
        return ColumnProfile(index=self.plan.index, name=self.plan.name, kind=self.plan.kind,
                             source=self.plan.source, required=self.plan.required,
                             blank=self.blank, filled=self.filled, distinct=len(self.counts),
                             distinct_capped=self.capped, top=top, min_length=self.min_len,
                             max_length=self.max_len, minimum=self.minimum, maximum=self.maximum,
                             formats=dict(self.fmt_counts.most_common()), checked=self.checked,
                             errors=self.errors, note=self.plan.note)


class _RowRules:
    """Counts and examples of rules that look at several cells of a row."""

    def __init__(self):
        self.counts: Counter = Counter()
        self.examples: dict[tuple[str, str | None], list[Example]] = {}
        self.messages: dict[tuple[str, str | None], str] = {}

    def add_many(self, rule: str, column: str | None, numbers: list[int], idx: list[int],
                 describe) -> None:
        key = (rule, column)
        self.counts[key] += len(idx)
        bucket = self.examples.setdefault(key, [])
        for i in idx[:EXAMPLES - len(bucket)]:
            bucket.append(Example(numbers[i], describe(i)))


class _Checker:
    def __init__(self, stream: TableStream, plan: DatasetPlan):
        self.stream = stream
        self.plan = plan
        self.width = len(stream.header)
        self.columns = [_Column(c, plan.disabled, len(plan.columns)) for c in plan.columns]
        self.rows = 0
        self.row_rules = _RowRules()
        self.row_checked = 0
        self.row_errors = 0
        self.row_dim_errors: Counter = Counter()
        self.exact = SeenHashes()
        self.near = SeenHashes()
        self.near_count = 0
        self.near_examples: list[Example] = []
        self.keys = [SeenHashes() for _ in plan.keys]
        self.watch = [SeenHashes() for _ in plan.watch_repeats]
        self.dup_examples: list[Example] = []
        self.exclusive = [[0, 0, 0] for _ in plan.exclusive_pairs]  # both, one, none
        self.enabled = lambda rule: rule not in plan.disabled
        near_cols = [c.index for c in plan.columns if c.index not in plan.near_ignore]
        self.near_cols = near_cols if len(near_cols) >= 2 else []
        self.status_closed: dict[str, bool] = {}

    # ------------------------------------------------------------------ per chunk
    def process(self, numbers: list[int], rows: list[list[str]]) -> None:
        width = self.width
        if set(map(len, rows)) != {width}:
            rows = [r if len(r) == width else (r + [""] * (width - len(r)) if len(r) < width
                                               else r[:width]) for r in rows]
        n = len(rows)
        self.rows += n
        if not n or not width:
            return
        cols = list(zip(*rows))
        for j, column in enumerate(self.columns):
            column.process(cols[j], numbers)
        # rule → column → list of row indexes (error-severity row rules only)
        flags: dict[int, dict[str, list]] = {}

        def flag(j: int, rule: str, idx) -> None:
            if RULES[rule].severity == ERROR and len(idx):
                flags.setdefault(j, {}).setdefault(RULES[rule].dimension, []).append(list(idx))

        header = self.stream.header
        add = self.row_rules.add_many
        if self.enabled("date_order"):
            for a, b in self.plan.order_rules:
                pa, pb = self.columns[a].parsed(cols[a]), self.columns[b].parsed(cols[b])
                bad = [i for i, (x, y) in enumerate(zip(pa, pb))
                       if x is not None and y is not None and x < y]
                if bad:
                    add("date_order", header[a], numbers, bad,
                        lambda i: f"{header[a]}={cols[a][i]} < {header[b]}={cols[b][i]}")
                    flag(a, "date_order", bad)
        for s, d, words in self.plan.closed_rules:
            status, dates = cols[s], cols[d]
            kinds = self.status_closed
            for value in set(status):
                if value not in kinds:
                    v = value.strip()
                    kinds[value] = True if any(w in v for w in words) else (
                        False if v in ("영업/정상", "영업중", "정상", "운영중") else None)
            closed_idx = [i for i, (st, dv) in enumerate(zip(status, dates))
                          if kinds[st] is True and not dv.strip()]
            if closed_idx and self.enabled("closed_without_date"):
                add("closed_without_date", header[d], numbers, closed_idx,
                    lambda i: f"{header[s]}={status[i]}, {header[d]}=(빈 값)")
                flag(d, "closed_without_date", closed_idx)
            open_idx = [i for i, (st, dv) in enumerate(zip(status, dates))
                        if kinds[st] is False and dv.strip()]
            if open_idx and self.enabled("date_without_closed_status"):
                add("date_without_closed_status", header[d], numbers, open_idx,
                    lambda i: f"{header[s]}={status[i]}, {header[d]}={dates[i]}")
        for pair in self.plan.coordinate_pairs:
            self._coordinates(pair, cols, numbers, flag)
        if self.plan.label_column is not None and self.enabled("aggregate_row"):
            j = self.plan.label_column
            col = cols[j]
            labels = {v for v in set(col) if v.strip() in AGGREGATE_LABELS}
            if labels:
                idx = [i for i, v in enumerate(col) if v in labels]
                add("aggregate_row", header[j], numbers, idx, lambda i: col[i])
        for k, (a, b) in enumerate(self.plan.exclusive_pairs):
            tally = self.exclusive[k]
            for x, y in zip(cols[a], cols[b]):
                fx, fy = bool(x.strip()), bool(y.strip())
                tally[0 if fx and fy else 1 if fx or fy else 2] += 1
        self._uniqueness(rows, cols, numbers, flag)
        for j, by_dim in flags.items():
            self._count_row_errors(j, cols[j], by_dim)

    def _count_row_errors(self, j: int, col, by_dim: dict[str, list]) -> None:
        """Error cells found by row rules, minus those the value rules already counted."""
        column = self.columns[j]
        required = column.plan.required
        union = sorted(set(chain.from_iterable(a for arrays in by_dim.values() for a in arrays)))
        for value, n in Counter(_pick(col, union)).items():
            info = column.info(value)
            if info.blank and not required:
                self.row_checked += n
            if not info.is_error and not (info.blank and required):
                self.row_errors += n
        for dim, arrays in by_dim.items():
            idx = sorted(set(chain.from_iterable(arrays))) if len(arrays) > 1 else arrays[0]
            for value, n in Counter(_pick(col, idx)).items():
                info = column.info(value)
                if dim not in info.error_dims and not (info.blank and required and dim == "completeness"):
                    self.row_dim_errors[dim] += n

    def _coordinates(self, pair, cols, numbers, flag) -> None:
        x, y, system = pair["x"], pair["y"], pair["crs"]
        header = self.stream.header
        cx, cy = cols[x], cols[y]
        px = self.columns[x].parsed(cx)
        py = self.columns[y].parsed(cy)
        label = f"{header[x]}+{header[y]}"
        add = self.row_rules.add_many
        if self.enabled("coordinate_partial"):
            bx = list(map(bool, map(str.strip, cx)))
            by = list(map(bool, map(str.strip, cy)))
            if bx != by:
                for blank_col, idx in ((x, [i for i, (a, b) in enumerate(zip(bx, by)) if b and not a]),
                                       (y, [i for i, (a, b) in enumerate(zip(bx, by)) if a and not b])):
                    if idx:
                        add("coordinate_partial", header[blank_col], numbers, idx,
                            lambda i: f"{header[x]}={cx[i]}, {header[y]}={cy[i]}")
                        flag(blank_col, "coordinate_partial", idx)
        if system is None:
            return
        if system == "EPSG:4326":
            # the value rules already test each axis; here only the swap is new
            idx = [i for i, (lon, lat) in enumerate(zip(px, py))
                   if isinstance(lon, float) and isinstance(lat, float)
                   and 126.76 <= lat <= 127.19 and 37.41 <= lon <= 37.72]
            if idx and self.enabled("coordinate_swapped"):
                add("coordinate_swapped", label, numbers, idx,
                    lambda i: f"{header[x]}={cx[i]}, {header[y]}={cy[i]}")
                flag(x, "coordinate_swapped", idx)
                flag(y, "coordinate_swapped", idx)
            return
        pairs = {}
        for i, (a, b) in enumerate(zip(px, py)):
            if isinstance(a, float) and isinstance(b, float):
                pairs.setdefault((a, b), []).append(i)
        cache = self.columns[x].pair_cache
        todo = [p for p in pairs if p not in cache]
        fresh = {}
        if todo:
            verdicts = pair_verdicts([p[0] for p in todo], [p[1] for p in todo], system)
            fresh = dict(zip(todo, verdicts))
            room = self.columns[x].cache_limit - len(cache)
            for p, v in list(fresh.items())[:max(room, 0)]:
                cache[p] = v
        by_rule: dict[str, list[int]] = {}
        for p, idx in pairs.items():
            rule = fresh[p] if p in fresh else cache.get(p)
            if rule is not None:
                by_rule.setdefault(rule, []).extend(idx)
        for rule, idx in by_rule.items():
            if not self.enabled(rule):
                continue
            idx.sort()
            add(rule, label, numbers, idx,
                lambda i: f"{header[x]}={cx[i].strip()}, {header[y]}={cy[i].strip()}")
            flag(x, rule, idx)
            flag(y, rule, idx)

    def _uniqueness(self, rows, cols, numbers, flag) -> None:
        n = len(rows)
        header = self.stream.header
        if self.enabled("duplicate_rows") or self.enabled("near_duplicate_rows"):
            exact = self.exact.add_list(list(map(hash, map(tuple, rows))))
            if len(self.dup_examples) < EXAMPLES and True in exact:
                for i in [i for i, e in enumerate(exact) if e][:EXAMPLES - len(self.dup_examples)]:
                    self.dup_examples.append(Example(numbers[i], ",".join(rows[i])[:200]))
            if self.near_cols and self.enabled("near_duplicate_rows"):
                # an exact copy adds nothing new: its near-key is its original's
                if True in exact:
                    fresh = [i for i, e in enumerate(exact) if not e]
                    sub = [_pick(cols[j], fresh) for j in self.near_cols] if fresh else []
                else:
                    fresh = range(n)
                    sub = [cols[j] for j in self.near_cols]
                normal = [self.columns[j].normalised(c) for j, c in zip(self.near_cols, sub)]
                near_rows = list(zip(*normal)) if normal else []
                empty = hash(("",) * len(self.near_cols))
                near_h = list(map(hash, near_rows))
                keep = [k for k, h in enumerate(near_h) if h != empty]
                if len(keep) < len(near_h):
                    seen = self.near.add_list([near_h[k] for k in keep])
                else:
                    seen = self.near.add_list(near_h)
                # exact copies never reach the near check, so every hit is near but not exact
                found = [fresh[k] for k, hit in zip(keep, seen) if hit]
                self.near_count += len(found)
                for i in found[:EXAMPLES - len(self.near_examples)]:
                    self.near_examples.append(Example(numbers[i], ",".join(rows[i])[:200]))
        for key, seen in zip(self.plan.keys, self.keys):
            if not self.enabled("duplicate_key"):
                break
            parts = [list(map(str.strip, cols[j])) for j in key]
            tuples = list(zip(*parts)) if len(parts) > 1 else parts[0]
            if any("" in p for p in parts):
                keep = [i for i, t in enumerate(tuples) if ("" not in t if len(parts) > 1 else t)]
                kh = list(map(hash, [tuples[i] for i in keep]))
            else:
                keep = None
                kh = list(map(hash, tuples))
            dup = [k for k, d in enumerate(seen.add_list(kh)) if d]
            if dup:
                idx = dup if keep is None else [keep[k] for k in dup]
                label = "+".join(header[j] for j in key)
                self.row_rules.add_many("duplicate_key", label, numbers, idx,
                                        lambda i: "+".join(p[i] for p in parts))
                for j in key:
                    flag(j, "duplicate_key", idx)
        for j, seen in zip(self.plan.watch_repeats, self.watch):
            values = [v for v in map(str.strip, cols[j]) if v]
            seen.add_list(list(map(hash, values)))

    # ------------------------------------------------------------------ findings
    def finish(self, report: Report) -> None:
        header = self.stream.header
        findings = report.findings
        blank_rows = self.stream.stats.blank_rows
        for column in self.columns:
            p = column.plan
            name = p.name
            if self.rows and column.filled == 0:
                if self.enabled("all_blank_column"):
                    findings.append(Finding("all_blank_column", name, column.blank,
                                            message=f"{self.rows:,}행 모두 빈 값"))
            elif column.blank and not p.required and self.enabled("blank_cells"):
                findings.append(Finding("blank_cells", name, column.blank,
                                        message=f"빈 값 비율 {column.blank / max(self.rows, 1):.1%}"))
            for rule, count in column.rule_counts.items():
                findings.append(Finding(rule, name, count, list(column.examples.get(rule, []))))
            mixed = p.rule.mixed_rule if p.rule is not None else None
            fmts: Counter = Counter()
            fmt_groups: dict[str, list[str]] = {}
            for k, v in column.fmt_counts.items():
                if k in ("sci", "aggregate"):
                    continue
                # 9:56 and 09:56 are one format, reported once as datetime_not_zero_padded
                base = re.sub(r"(^|[^H])H:", r"\1HH:", k).replace("-M-D", "-MM-DD") \
                    if mixed == "date_format_mixed" else k
                fmts[base] += v
                fmt_groups.setdefault(base, []).append(k)
            if mixed and len(fmts) > 1 and self.enabled(mixed):
                preferred = p.rule.preferred_format(fmts)
                others = {k: v for k, v in fmts.items() if k != preferred}
                examples = [e for k in others for raw in fmt_groups[k]
                            for e in column.fmt_examples.get(raw, [])][:EXAMPLES]
                listing = ", ".join(f"{k} {v:,}" for k, v in
                                    sorted(fmts.items(), key=lambda kv: -kv[1]))
                findings.append(Finding(mixed, name, sum(others.values()), examples,
                                        message=f"형식별 개수: {listing} (주 형식 {preferred})"))
        for (rule, column), count in self.row_rules.counts.items():
            if rule == "duplicate_key":
                continue
            findings.append(Finding(rule, column, count, self.row_rules.examples[(rule, column)]))
        for key, seen in zip(self.plan.keys, self.keys):
            if seen.duplicates:
                label = "+".join(header[j] for j in key)
                findings.append(Finding(
                    "duplicate_key", label, seen.rows_involved,
                    self.row_rules.examples.get(("duplicate_key", label), []),
                    message=(f"키 {seen.distinct_repeated:,}개가 여러 행에 나옴: 관련 행 "
                             f"{seen.rows_involved:,}개, 첫 행을 뺀 중복 {seen.duplicates:,}개")))
        for j, seen in zip(self.plan.watch_repeats, self.watch):
            if seen.duplicates and self.enabled("key_component_repeats"):
                key = next(k for k in self.plan.keys if j in k)
                findings.append(Finding(
                    "key_component_repeats", header[j], seen.rows_involved,
                    message=(f"{header[j]}만으로는 {seen.distinct_repeated:,}개 값이 "
                             f"{seen.rows_involved:,}행에 반복됨; 키는 "
                             f"{'+'.join(header[k] for k in key)}")))
        duplicates = self.exact.duplicates + max(0, blank_rows - 1)
        if duplicates and self.enabled("duplicate_rows"):
            examples = list(self.dup_examples)
            if blank_rows > 1:
                examples += [Example(r, "(빈 행)") for r in self.stream.stats.blank_row_examples[1:]]
            message = f"앞의 행과 완전히 같은 행 {duplicates:,}개"
            if blank_rows > 1:
                message += f" (빈 행 {blank_rows:,}개 중 {blank_rows - 1:,}개 포함)"
            findings.append(Finding("duplicate_rows", None, duplicates, examples[:EXAMPLES],
                                    message=message))
        if self.near_count and self.enabled("near_duplicate_rows"):
            ignored = [header[j] for j in sorted(self.plan.near_ignore)]
            findings.append(Finding("near_duplicate_rows", None, self.near_count, self.near_examples,
                                    message="공백·대소문자·구두점만 다름" +
                                    (f"; 비교에서 뺀 열: {', '.join(ignored)}" if ignored else "")))
        for (a, b), (both, one, none) in zip(self.plan.exclusive_pairs, self.exclusive):
            if one >= 0.5 * self.rows and both <= 0.02 * max(self.rows, 1) and self.enabled("mutually_exclusive_columns"):
                findings.append(Finding("mutually_exclusive_columns", f"{header[a]}+{header[b]}", one,
                                        message=f"한 열에만 값 {one:,}행, 둘 다 {both:,}행, 둘 다 빈 값 {none:,}행"))
        for pair in self.plan.coordinate_pairs:
            if self.enabled("coordinate_system"):
                checked = min(self.columns[pair["x"]].filled, self.columns[pair["y"]].filled)
                system = pair["crs"]
                label = SYSTEM_NAMES.get(system, system or "판별 불가")
                findings.append(Finding("coordinate_system", f"{header[pair['x']]}+{header[pair['y']]}",
                                        checked, message=f"{system or '?'} {label}: {pair['evidence']}"))
            if pair["y"] < pair["x"] and self.columns[pair["x"]].plan.kind == "x" and self.enabled("coordinate_column_order"):
                findings.append(Finding("coordinate_column_order", header[pair["y"]], 1,
                                        message=f"'{header[pair['y']]}' 열이 '{header[pair['x']]}' 열보다 앞에 있음"))
        report.profiles = [c.profile() for c in self.columns]
        report.checked_cells = sum(c.checked for c in self.columns) + self.row_checked
        report.error_cells = sum(c.errors for c in self.columns) + self.row_errors
        dims: Counter = Counter()
        for c in self.columns:
            dims.update(c.dim_errors)
        dims.update(self.row_dim_errors)
        report.dimension_errors = dict(dims)


def _structure_findings(stream: TableStream, report: Report, disabled: set[str]) -> None:
    stats = stream.stats
    out: list[Finding] = []
    if stream.container:
        out.append(Finding("container_archive", None, 1,
                           message=f"{Path(stream.source).name}은(는) 표 파일이 아니라 압축 파일 "
                                   f"({stream.container})"))
    if stream.encoding is not None and stream.encoding.encoding not in ("utf-8", "utf-8-sig"):
        out.append(Finding("encoding_not_utf8", None, 1,
                           message=f"{stream.encoding.label}: {stream.encoding.evidence}"))
    if stats.other_encoding_lines:
        total = sum(stats.other_encoding_lines.values())
        listing = ", ".join(f"{codec} {n:,}줄" for codec, n in stats.other_encoding_lines.items())
        out.append(Finding("mixed_encoding", None, total,
                           [Example(line, codec) for line, codec in stats.other_encoding_examples],
                           message=f"주 인코딩 {stream.encoding.label if stream.encoding else ''}, "
                                   f"다른 인코딩 줄: {listing}"))
    if stats.replaced_lines:
        out.append(Finding("undecodable_bytes", None, stats.replaced_lines,
                           [Example(line, "�") for line in stats.replaced_examples],
                           message="어떤 인코딩으로도 읽히지 않는 바이트를 �로 바꿈"))
    if stats.mixed_line_endings:
        out.append(Finding("mixed_line_endings", None, min(stats.crlf_lines, stats.lf_lines),
                           message=f"CRLF {stats.crlf_lines:,}줄, LF {stats.lf_lines:,}줄"))
    if stats.quoted_share is not None and stats.quoted_share >= 0.99:
        out.append(Finding("all_values_quoted", None, 1,
                           message="숫자까지 모든 값이 따옴표 안에 있음(따옴표를 처리하지 않는 도구는 "
                                   "숫자를 문자로 읽음)"))
    if stream.title_rows:
        out.append(Finding("title_rows", None, len(stream.title_rows),
                           [Example(i + 1, " ".join(c for c in r if c)[:100])
                            for i, r in enumerate(stream.title_rows[:EXAMPLES])]))
    if stream.header_rows > 1:
        start = stream.header_start
        out.append(Finding("multi_row_header", None, stream.header_rows,
                           [Example(start + i + 1, " | ".join(c.replace("\n", " ") for c in r)[:200])
                            for i, r in enumerate(stream.raw_header[:EXAMPLES])],
                           message=f"머리글 {stream.header_rows}행을 한 줄로 합침"))
    if stream.header_rows == 0:
        out.append(Finding("no_header", None, 1, message="첫 행부터 데이터; 열 이름을 열1, 열2 …로 붙임"))
    else:
        seen: dict[str, int] = {}
        for j, raw in enumerate(stream.header_labels_raw):
            label = stream.header[j]
            if not raw:
                out.append(Finding("blank_header_label", label, 1, message=f"{j + 1}번째 열에 이름이 없음"))
            elif raw in seen:
                out.append(Finding("duplicate_header_label", label, 1,
                                   message=f"'{raw}'이(가) {seen[raw] + 1}번째 열과 같은 이름"))
            seen.setdefault(raw, j)
    if len(stream.sheets) > 1:
        others = [s for s in stream.sheets if s != stream.sheet]
        out.append(Finding("extra_sheets", None, len(others),
                           [Example(0, s) for s in others[:EXAMPLES]],
                           message=f"'{stream.sheet}' 시트를 검사; 다른 시트: {', '.join(others)}"))
    if stats.short_rows + stats.long_rows:
        examples = [Example(r, f"필드 {n}개") for r, n in stats.ragged_examples]
        out.append(Finding("ragged_rows", None, stats.short_rows + stats.long_rows, examples,
                           message=f"머리글 필드 {stream.header_fields}개; 모자란 행 {stats.short_rows:,}, "
                                   f"넘치는 행 {stats.long_rows:,}"))
    if stats.trailing_empty_rows:
        examples = [Example(r, f"필드 {n}개") for r, n in stats.ragged_examples][:EXAMPLES]
        out.append(Finding("trailing_delimiter", None, stats.trailing_empty_rows, examples,
                           message=f"머리글은 필드 {stream.header_fields}개인데 행 끝에 빈 필드가 더 있음 "
                                   f"(pandas.read_csv는 이런 파일에서 열을 한 칸씩 밀어 읽음)"))
    if stats.blank_rows:
        out.append(Finding("blank_rows", None, stats.blank_rows,
                           [Example(r, "") for r in stats.blank_row_examples]))
    if stats.oversized_lines:
        out.append(Finding("oversized_line", None, stats.oversized_lines,
                           [Example(line, f"{size:,} bytes") for line, size in stats.oversized_examples],
                           message="줄바꿈 없이 너무 긴 줄은 읽지 않고 건너뜀"))
    if stats.stopped:
        out.append(Finding("read_stopped", None, 1, message=stats.stopped))
    report.findings.extend(f for f in out if f.rule not in disabled)


def check_stream(stream: TableStream, spec: DatasetSpec | None = None, *,
                 progress: ProgressCallback = null_progress, total_bytes: int | None = None,
                 chunk_rows: int = CHUNK_ROWS, fewer_gc_passes: bool = False) -> Report:
    """Check an open table stream (see :func:`check_file`)."""
    with _fewer_gc_passes(fewer_gc_passes):
        try:
            return _check_stream(stream, spec, progress=progress, total_bytes=total_bytes,
                                 chunk_rows=chunk_rows)
        finally:
            forget_parsed_dates()


def _check_stream(stream: TableStream, spec: DatasetSpec | None, *, progress: ProgressCallback,
                  total_bytes: int | None, chunk_rows: int) -> Report:
    spec = spec or DatasetSpec()
    started = time.perf_counter()
    encoding = stream.encoding
    report = Report(file=Path(stream.source).name, encoding=encoding.label if encoding else None,
                    encoding_evidence=encoding.evidence if encoding else "",
                    kind=stream.kind if not stream.container else f"{stream.kind} ({stream.container})",
                    sheet=stream.sheet, sheets=list(stream.sheets), delimiter=stream.delimiter,
                    header_rows=stream.header_rows, title_rows=len(stream.title_rows),
                    header=list(stream.header), spec_source=spec.source, size_bytes=total_bytes)
    chunks = stream.iter_chunks(chunk_rows)
    first = next(chunks, ([], []))
    plan = build_plan(stream.header, first[1][:SAMPLE_ROWS], spec,
                      header_labels_raw=stream.header_labels_raw if stream.header_rows else None)
    checker = _Checker(stream, plan)
    done = 0
    for numbers, rows in chain([first], chunks):
        if not rows:
            continue
        checker.process(numbers, rows)
        done += len(rows)
        if total_bytes and stream.bytes_read is not None:
            progress(min(stream.bytes_read, total_bytes), total_bytes, f"{done:,}행 검사")
        else:
            progress(done, 0, f"{done:,}행 검사")
    report.rows = checker.rows
    _structure_findings(stream, report, plan.disabled)
    if not checker.rows and "no_data_rows" not in plan.disabled:
        report.findings.append(Finding("no_data_rows", None, 1, message="머리글만 있고 데이터 행이 없음"))
    checker.finish(report)
    report.notes = list(stream.notes) + plan.notes
    report.findings.sort(key=lambda f: (_SEVERITY_ORDER[f.severity], -f.count))
    report.seconds = time.perf_counter() - started
    return report


_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def check_file(path: str | Path, spec: DatasetSpec | str | Path | None = None, *,
               sheet: str | int | None = None, progress: ProgressCallback = null_progress,
               chunk_rows: int = CHUNK_ROWS, fewer_gc_passes: bool = False) -> Report:
    """Check one file. Never raises for bad input: an unreadable file gives a report with one
    ``unreadable`` finding and the reason. ``fewer_gc_passes`` raises the collector's
    threshold for the check's duration (process-wide: for command-line use)."""
    if not isinstance(spec, DatasetSpec):
        spec = load_spec(spec)
    p = Path(path)
    started = time.perf_counter()
    try:
        size = p.stat().st_size
    except OSError:
        size = None
    with _fewer_gc_passes(fewer_gc_passes):
        try:
            stream = open_table(p, sheet=sheet if sheet is not None else spec.sheet,
                                header_rows=spec.header_rows, encoding=spec.encoding)
        except UnreadableFile as err:
            report = Report(file=p.name, unreadable=str(err), size_bytes=size,
                            spec_source=spec.source)
            report.findings.append(Finding("unreadable", None, 1, message=str(err)))
            report.seconds = time.perf_counter() - started
            return report
        with stream:
            return check_stream(stream, spec, progress=progress, total_bytes=size,
                                chunk_rows=chunk_rows, fewer_gc_passes=fewer_gc_passes)


def plan_file(path: str | Path, spec: DatasetSpec | None = None) -> tuple[TableStream, DatasetPlan]:
    """The rules the checker would apply to ``path`` (from its header and first rows), with
    the stream's reading facts; the stream is closed. For tools that need the plan alone
    (the benchmark's Frictionless schema, the web page that shows the rules)."""
    spec = spec or DatasetSpec()
    stream = open_table(path, sheet=spec.sheet, header_rows=spec.header_rows, encoding=spec.encoding)
    with stream:
        first = next(stream.iter_chunks(SAMPLE_ROWS), ([], []))
        try:
            plan = build_plan(stream.header, first[1], spec,
                              header_labels_raw=stream.header_labels_raw if stream.header_rows else None)
        finally:
            forget_parsed_dates()  # the memo lives for one check; a plan alone starts none
    return stream, plan
