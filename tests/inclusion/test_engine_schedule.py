import pytest

from seoul_digital.inclusion.engine.schedule import (
    CELLS_PER_DAY,
    Window,
    WindowError,
    common_windows,
    format_windows,
    parse_windows,
    start_mask,
)


def test_parse_times_and_block_words():
    windows = parse_windows("화 10:00-12:00; 목 오후, fri 9-10:30")
    assert windows == (Window(1, 600, 720), Window(3, 780, 1020), Window(4, 540, 630))
    assert format_windows(windows) == "화 10:00-12:00; 목 13:00-17:00; 금 09:00-10:30"


@pytest.mark.parametrize("text, fragment", [
    ("화요일 아침", "not a window"),
    ("xx 10:00-12:00", "not a window"),
    ("화 12:00-10:00", "not a time range"),
    ("화 25:00-26:00", "not a time of day"),
])
def test_bad_windows_are_named(text, fragment):
    with pytest.raises(WindowError, match=fragment):
        parse_windows(text)


def test_start_mask_needs_a_whole_session():
    assert start_mask([Window(0, 600, 690)]) == 1 << ((600 - 420) // 30)  # exactly 90 min: one start
    assert start_mask([Window(0, 600, 660)]) == 0                          # 60 min: none
    assert start_mask([Window(0, 600, 660)], session_minutes=60) != 0
    # Two starts (10:00 and 10:30) in a two-hour window; Tuesday is one day further on.
    mask = start_mask([Window(1, 600, 720)])
    assert bin(mask).count("1") == 2 and mask >> CELLS_PER_DAY


def test_windows_outside_the_grid_are_clipped_not_wrapped():
    # 20:00-22:00 only leaves 20:00-21:00 on the grid: no 90-minute start, and nothing leaks
    # into the next day.
    assert start_mask([Window(0, 1200, 1320)]) == 0


def test_common_windows_are_where_both_can_meet():
    a = start_mask(parse_windows("화 09:00-12:00; 목 13:00-15:00"))
    b = start_mask(parse_windows("화 10:00-13:00; 목 14:00-17:00"))
    assert format_windows(common_windows(a, b)) == "화 10:00-12:00"
