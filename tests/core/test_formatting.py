from decimal import Decimal

import pytest

from seoul_digital.core import formatting as f


def test_budget_units():
    assert f.thousand_krw(7381683) == "7,381,683천원"
    assert f.thousand_krw(7381683, lang="en") == "KRW 7,381,683 thousand"
    assert f.million_krw(Decimal("389.4"), places=1) == "389.4백만원"
    assert f.million_krw(1086) == "1,086백만원"
    assert f.krw(33000) == "33,000원" and f.krw(33000, lang="en") == "KRW 33,000"
    assert f.won_to_thousand(7_381_683_000) == 7381683
    assert f.won_to_million(1_086_100_000) == Decimal("1086.1")


def test_rounding_is_half_up_like_budget_tables():
    assert f.group(Decimal("2.5")) == "3" and f.group(Decimal("-2.5")) == "-3"
    assert f.percent(Decimal("0.4565")) == "45.7%"
    assert f.thousand_krw(None) == "" and f.percent(None) == ""


@pytest.mark.parametrize("raw, masked", [
    ("010-1234-5678", "010-****-5678"), ("01012345678", "010-****-5678"),
    ("02-313-3535", "02-****-3535"), ("024313535", "02-****-3535"),
    ("1588-1234", "1588-****"), ("12", "**"), ("", ""),
])
def test_mask_phone(raw, masked):
    assert f.mask_phone(raw) == masked


def test_mask_name():
    assert f.mask_name("홍길동") == "홍*동"
    assert f.mask_name("김철") == "김*"
    assert f.mask_name("남궁민수") == "남**수"
