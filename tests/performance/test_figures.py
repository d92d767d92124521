"""How figures are written: every unit kind, as the seed prints it, from numbers."""

from decimal import Decimal

import pytest

from performance.figures import cell_text, format_figure, parse_number


def cell(value, dp=0, unit="count", **extra):
    return {"value": str(value), "dp": dp, "unit": unit, **extra}


@pytest.mark.parametrize(
    ("number", "places", "unit", "kwargs", "expected"),
    [
        # counts, with thousands separators
        ("31873", 0, "count", {}, "31,873"),
        ("4007475", 0, "count", {}, "4,007,475"),
        # percentages keep their printed decimal places
        ("32", 1, "percentage", {}, "32.0%"),
        ("32.2", 1, "percentage", {}, "32.2%"),
        ("97", 0, "percentage", {}, "97%"),
        ("10", 0, "percentage", {}, "10%"),
        # rates per 1,000 / 10,000 / 100,000 are plain numbers
        ("548.2", 1, "rate_10k", {}, "548.2"),
        ("62", 1, "rate_10k", {}, "62.0"),
        ("17", 0, "rate_100k", {}, "17"),
        ("742.3", 1, "rate_100k", {}, "742.3"),
        ("3.25", 2, "rate_1k", {}, "3.25"),
        # a rate or percentage with its count
        ("403.9", 1, "rate_10k", {"count": 9907}, "9,907/403.9"),
        ("19", 1, "percentage", {"count": 1890}, "1,890/19.0%"),
        # an average, and days with or without the word
        ("22", 1, "number", {}, "22.0"),
        ("4.6", 1, "days", {}, "4.6"),
        ("7", 0, "days", {}, "7"),
        ("7", 1, "days", {"unit_words": True}, "7.0 days"),
        ("13.6", 1, "days", {"unit_words": True}, "13.6 days"),
        # rounding to the printed places: halves go up, as people expect
        ("19.05", 1, "percentage", {}, "19.1%"),
        ("2.5", 0, "number", {}, "3"),
    ],
)
def test_each_unit_is_written_as_the_seed_writes_it(number, places, unit, kwargs, expected):
    assert format_figure(Decimal(number), places, unit, **kwargs) == expected


@pytest.mark.parametrize(
    ("c", "expected"),
    [
        (cell(43, 0, "percentage", forecast=True, forecast_label="17/18"), "43% 17/18 forecast"),
        (cell(204, 0, "rate_100k", bracket="Jul 16 - Jun 17"), "204 (Jul 16 - Jun 17)"),
        (cell(50, 0, "percentage", bracket="Q4"), "50% (Q4)"),
        (cell(4305, 0, "count", bracket="Q4, 2016/17"), "4,305 (Q4, 2016/17)"),
        (cell(2097, 0, "count", bracket="rolling figure"), "2,097 (rolling figure)"),
        (cell(520, 0, "days", bracket="2014-17"), "520 (2014-17)"),
        ({"value": None, "placeholder": "New measure"}, "New measure"),
        ({"value": None, "placeholder": "n/a"}, "n/a"),
        ({"value": None, "placeholder": "-"}, "-"),
    ],
)
def test_cells_carry_their_period_flags_and_placeholders(c, expected):
    assert cell_text(c, threshold=5).text == expected


def test_number_is_kept_beside_the_text_for_exports():
    written = cell_text(cell("403.9", 1, "rate_10k", count=9907), threshold=5)
    assert written.number == Decimal("403.9") and written.count == 9907


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("32.0", (Decimal("32.0"), 1)),
        ("7", (Decimal("7"), 0)),
        ("4,007,475", (Decimal("4007475"), 0)),
        ("19.0%", (Decimal("19.0"), 1)),
        (" 0.25 ", (Decimal("0.25"), 2)),
    ],
)
def test_typed_figures_keep_their_decimal_places(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "12 days", "1e5"])
def test_anything_but_one_number_is_refused(text):
    with pytest.raises(ValueError):
        parse_number(text)


class TestSmallNumbers:
    def test_a_count_below_the_threshold_is_suppressed(self):
        written = cell_text(cell(3), threshold=5)
        assert written.text == "fewer than 5" and written.suppressed and written.number is None

    def test_zero_is_below_the_threshold_too(self):
        assert cell_text(cell(0), threshold=5).text == "fewer than 5"

    def test_a_count_at_the_threshold_is_shown(self):
        assert cell_text(cell(5), threshold=5).text == "5"

    def test_a_rate_beside_a_small_count_is_suppressed_with_it(self):
        written = cell_text(cell("1.2", 1, "rate_10k", count=3), threshold=5)
        assert written.text == "fewer than 5" and written.count is None and written.number is None

    def test_a_small_percentage_is_not_a_count(self):
        assert cell_text(cell("3.0", 1, "percentage"), threshold=5).text == "3.0%"

    def test_officers_views_can_ask_for_the_figure(self):
        assert cell_text(cell(3), threshold=5, suppress=False).text == "3"

    def test_the_threshold_comes_from_settings(self, settings):
        settings.QUORUM_SMALL_NUMBER_THRESHOLD = 10
        assert cell_text(cell(7)).text == "fewer than 10"
