"""Synthetic learners and supporters with plausible districts, devices and weekly times.

Used by the benchmark, the tests and the CLI. Districts are drawn in proportion to
``district_weights`` (the benchmark passes each district's 65+ population when ../shared is
present, see :func:`elderly_weights_from`); without weights every district is equally
likely. Nothing here is real personal data.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from pathlib import Path

from seoul_digital.inclusion.engine import geo
from seoul_digital.inclusion.engine.matching import Learner, Supporter
from seoul_digital.inclusion.engine.schedule import Window, block_window

__all__ = [
    "FAMILY_NAMES",
    "GIVEN_NAMES",
    "elderly_weights_from",
    "fake_name",
    "fake_phone",
    "people",
]

FAMILY_NAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN_NAMES = ("영숙", "정자", "순자", "영자", "춘자", "옥순", "말순", "복순", "정숙", "영희",
               "영수", "영호", "상철", "정호", "광수", "병철", "종수", "성호", "재식", "만수",
               "명자", "경자", "순옥", "점순", "길자", "용수", "기철", "동수", "판석", "봉자")


def fake_name(rng: random.Random) -> str:
    return rng.choice(FAMILY_NAMES) + rng.choice(GIVEN_NAMES)


def fake_phone(rng: random.Random) -> str:
    return f"010-{rng.randint(2000, 9999)}-{rng.randint(0, 9999):04d}"


def elderly_weights_from(data_dir: str | Path) -> dict[str, float] | None:
    """65+ residents per district from the population table in ``data_dir/population``
    (서울시 주민등록인구 2020.3/4); None when the file is not there."""
    from seoul_digital.common.districts import UnknownDistrict, resolve
    from seoul_digital.common.korean_files import read_table

    path = Path(data_dir) / "population" / "population_in_Seoul_2020Q3.xlsx"
    if not path.exists():
        return None
    table = read_table(path)
    column = table.find_column("65세이상고령자")
    district_col = table.find_column("자치구")
    weights = {}
    for record in table.records():
        try:
            name = resolve(record[district_col]).name_ko
            weights[name] = float(record[column].replace(",", ""))
        except (UnknownDistrict, ValueError, KeyError):
            continue
    return weights if len(weights) == 25 else None


def _windows(rng: random.Random, count: int, days: list[int], am_share: float) -> tuple[Window, ...]:
    chosen: set[Window] = set()
    used: set[tuple[int, str]] = set()
    while len(chosen) < count:
        day = rng.choice(days)
        block = "am" if rng.random() < am_share else ("pm" if rng.random() < 0.9 else "eve")
        if (day, block) in used:
            continue
        used.add((day, block))
        window = block_window(day, block)
        if rng.random() < 0.25:  # some people give a narrower time than the whole block
            start = window.start + 30 * rng.randint(0, (window.minutes - 90) // 30)
            window = Window(day, start, start + 90 + 30 * rng.randint(0, 1))
            window = Window(day, window.start, min(window.end, block_window(day, block).end))
        chosen.add(window)
    return tuple(sorted(chosen))


def _jitter(rng: random.Random, district: str, km: float = 1.5) -> tuple[float, float]:
    lat, lon = geo.REFERENCE_POINTS[district]
    return (lat + rng.gauss(0, km) / 111.0, lon + rng.gauss(0, km) / 88.2)


def people(n_learners: int, n_supporters: int, *, seed: int = 2021,
           district_weights: Mapping[str, float] | None = None,
           max_learners: tuple[int, int] = (4, 8),
           ) -> tuple[list[Learner], list[Supporter]]:
    rng = random.Random(seed)
    names = list(geo.DISTRICT_NAMES)
    weights = [float((district_weights or {}).get(n, 1.0)) for n in names]
    weekdays = [0, 1, 2, 3, 4]
    learners = []
    for i in range(n_learners):
        district = rng.choices(names, weights)[0]
        days = weekdays + ([5] if rng.random() < 0.1 else [])
        learners.append(Learner(
            id=f"L{i + 1:05d}",
            district=district,
            windows=_windows(rng, rng.randint(2, 4), days, am_share=0.6),
            level=rng.choices(("basic", "daily", "advanced"), (55, 30, 15))[0],
            device=rng.choices(("android", "ios", "other"), (75, 20, 5))[0],
            language=rng.choices(("ko", "zh", "en", "vi"), (970, 20, 5, 5))[0],
            gender=(gender := rng.choices(("F", "M"), (62, 38))[0]),
            gender_preference=gender if rng.random() < 0.15 else "",
            point=_jitter(rng, district),
            waiting_days=int(rng.expovariate(1 / 14)),
        ))
    supporters = []
    for j in range(n_supporters):
        home = rng.choices(names, weights)[0]
        covered = [home]
        if rng.random() < 0.3:
            covered.append(rng.choice(sorted(geo.ADJACENT[home])))
        levels = {"basic"}
        if rng.random() < 0.7:
            levels.add("daily")
        if rng.random() < 0.35:
            levels.add("advanced")
        devices = {d for d, p in (("android", 0.85), ("ios", 0.5), ("other", 0.2))
                   if rng.random() < p} or {"android"}
        languages = {"ko"} | ({rng.choice(("zh", "en", "vi"))} if rng.random() < 0.05 else set())
        current = rng.choice((0, 0, 1, 2))
        supporters.append(Supporter(
            id=f"S{j + 1:04d}",
            home_district=home,
            districts=tuple(covered),
            windows=_windows(rng, rng.randint(3, 6), weekdays + [5], am_share=0.5),
            levels=frozenset(levels),
            devices=frozenset(devices),
            languages=frozenset(languages),
            gender=rng.choices(("F", "M"), (55, 45))[0],
            max_learners=rng.randint(*max_learners),
            current_learners=current,
            point=_jitter(rng, home),
        ))
    return learners, supporters
