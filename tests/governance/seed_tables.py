"""Read the tables of the 2021 work report (../shared/seed/000_d918727517d51c71.txt).

An independent reader for the tests: it parses the report's own text (tab-separated tables,
△ for negatives, '-' for none) and never uses the app's code, so a test comparing the app's
regenerated tables with these figures checks the app against the source, not against itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

SEED_NAME = "000_d918727517d51c71.txt"


def squash(text: str) -> str:
    """'기 획 팀' → '기획팀', '완 료' → '완료' (the report spaces out short labels)."""
    return re.sub(r"\s+", "", text)


def head(line: str, n: int) -> list[str]:
    """The first ``n`` cells of a tab-separated line, squashed."""
    return [squash(c) for c in line.split("\t")[:n]]


def number(cell: str) -> Decimal:
    """'7,381,683' → 7381683; '△4' → -4; '-' → 0; '25 · 교육운영사 선정' → 25."""
    text = cell.strip()
    if text in ("-", ""):
        return Decimal(0)
    negative = text.startswith("△")
    match = re.match(r"[\d,]+(\.\d+)?", text.lstrip("△"))
    if not match:
        raise ValueError(f"not a figure: {cell!r}")
    value = Decimal(match.group(0).replace(",", ""))
    return -value if negative else value


@dataclass
class Seed:
    lines: list[str]

    @classmethod
    def read(cls, path: Path) -> "Seed":
        return cls(path.read_text(encoding="utf-8").splitlines())

    def _find(self, predicate, start: int = 0) -> int:
        for i in range(start, len(self.lines)):
            if predicate(self.lines[i]):
                return i
        raise LookupError("line not found")

    def cells(self, i: int) -> list[str]:
        return self.lines[i].split("\t")

    # --- general status ---------------------------------------------------------------------

    def organisation_counts(self) -> tuple[int, int]:
        i = self._find(lambda l: "조 직" in l and "실" in l and "팀" in l)
        offices, teams = re.search(r"(\d+)실\s*(\d+)팀", self.lines[i]).groups()
        return int(offices), int(teams)

    def team_names(self) -> list[str]:
        i = self._find(lambda l: head(l, 2) == ["부서명", "업무내용"])
        names = []
        for line in self.lines[i + 1:]:
            if not line.strip():
                break
            names.append(squash(line.split("\t")[0]))
        return names

    def staffing(self) -> dict[str, dict[str, Decimal]]:
        """{'정원': {'계': 45, '상근임원': 1, '1급': 1, …}, '현원': …, '과부족': …}"""
        i = self._find(lambda l: head(l, 3) == ["구분", "계", "상근임원"])
        header = [squash(c) for c in self.cells(i)][1:]
        out = {}
        for j in range(i + 1, i + 4):
            cells = self.cells(j)
            out[squash(cells[0])] = dict(zip(header, map(number, cells[1:])))
        return out

    def staffing_headline(self) -> int:
        i = self._find(lambda l: "인 력" in l and "총" in l)
        return int(re.search(r"총\s*(\d+)\s*명", self.lines[i]).group(1))

    def finance(self) -> dict[str, tuple[Decimal, Decimal, Decimal]]:
        """{'자산계': ('20, '19, 증감), '유동자산': …, '부채및자본계': …, '부채': …}"""
        i = self._find(lambda l: "'20년" in l and "'19년" in l)
        out = {}
        for n, j in enumerate(range(i + 1, i + 4)):
            cells = self.cells(j)
            left, right = cells[:4], cells[4:8]
            left_label = "자산계" if n == 0 else squash(left[0])
            right_label = "부채및자본계" if n == 0 else squash(right[0])
            out[left_label] = tuple(map(number, left[1:4]))
            out[right_label] = tuple(map(number, right[1:4]))
        return out

    def board(self) -> dict[str, int]:
        """Board seats as the report states them, and the members listed by 구분."""
        i = self._find(lambda l: "서울디지털재단 이사회" in l)
        text = re.sub(r"<[^>]+>", " ", self.lines[i])
        out = {
            "정원": int(re.search(r"정원\s*(\d+)명", text).group(1)),
            "이사": int(re.search(r"이\s*사\s*(\d+)명", text).group(1)),
            "감사": int(re.search(r"감\s*사\s*(\d+)명", text).group(1)),
            "이사장공석": int("이사장(공석)" in squash(text)),
        }
        j = self._find(lambda l: head(l, 3) == ["연번", "성명", "구분"])
        kinds: dict[str, int] = {}
        for line in self.lines[j + 1:]:
            cells = line.split("\t")
            if len(cells) < 3 or not cells[0].strip().isdigit():
                break
            kinds[cells[2].strip()] = kinds.get(cells[2].strip(), 0) + 1
        out["members"] = kinds
        return out

    # --- budget -------------------------------------------------------------------------------

    def budget_summary(self) -> list[tuple[str, str, Decimal]]:
        """Rows of the 예산 총괄표: (구분, 사업명, 예산액 천원) — 구분 carried down, as printed."""
        i = self._find(lambda l: head(l, 3) == ["구분", "사업명", "예산액"])
        rows, group = [], ""
        for line in self.lines[i + 1:]:
            if not line.strip():
                break
            cells = line.split("\t")
            if cells[0].strip():
                group = squash(cells[0]) if squash(cells[0]) == "합계" else cells[0].strip()
            rows.append((group, squash(cells[1]) if squash(cells[1]) == "소계" else cells[1].strip(),
                         number(cells[2])))
            if squash(cells[0]) == "합계":
                break
        return rows

    def execution_plans(self) -> list[tuple[str, Decimal, list[Decimal]]]:
        """Every 예산집행계획 row: (사업명, 예산액 백만원, [1–4분기 백만원]), in report order."""
        out = []
        for i, line in enumerate(self.lines):
            if not head(line, 3) == ["사업명", "예산액", "집행액/집행내용"]:
                continue
            for row in self.lines[i + 2:]:
                cells = row.split("\t")
                if not row.strip() or row.lstrip().startswith(("□", "※", "#", "○")):
                    break
                if not cells[0].strip():
                    continue  # the activity line under a figure line
                out.append((cells[0].strip(), number(cells[1]), [number(c) for c in cells[2:6]]))
        return out

    # --- council audit --------------------------------------------------------------------------

    def audit_summary(self) -> dict[str, dict[str, Decimal]]:
        """{'계': {'계': 12, '완료': 7, …}, '시정·처리요구사항': …, '건의사항': …, '기타(자료제출등)': …}"""
        i = self._find(lambda l: "미반영" in l and squash(l).startswith("구분"))
        header = [squash(c) for c in self.cells(i)][2:]
        out = {}
        for line in self.lines[i + 1:]:
            if not line.strip():
                break
            cells = line.split("\t")
            label = squash(cells[1]) or squash(cells[0])
            out[label] = dict(zip(header, map(number, cells[2:])))
        return out

    def audit_total_line(self) -> int:
        i = self._find(lambda l: "총" in l and "건" in l and "처리요구" in l)
        return int(re.search(r"총\s*(\d+)\s*건", self.lines[i]).group(1))

    def audit_items(self) -> list[tuple[str, str]]:
        """(section, status as printed) for every item the report spells out."""
        items, section = [], ""
        for line in self.lines:
            if line.startswith("# "):
                section = squash(line[2:])
            match = re.search(r"추진상황\s*:\s*([^<]+)<", line)
            if match:
                items.append((section, squash(match.group(1))))
        return items
